// The client form's plumbing, kept apart from the markup so it can be tested: an empty input,
// the fields it shows and in which order, which form field a core error belongs to, and which
// messages change when the user leaves a field.

import type { ApiError, ClientInput, Party } from './api';
import { parseDate } from './format';
import type { MessageKey } from './i18n.svelte';

export function emptyClient(): ClientInput {
  return {
    given_name: '',
    family_name: '',
    code_name: '',
    birth_date: null,
    email: '',
    phone: '',
    street: '',
    postal_code: '',
    city: '',
    country: '',
    insurer: '',
    insurance_number: '',
    diagnoses: [],
    guardian: null,
    bill_to: null,
    status: 'active',
    notes: '',
    language: null,
  };
}

export function emptyParty(): Party {
  return { name: '', street: '', postal_code: '', city: '', country: '', email: '' };
}

/** The form's own keys: core field names, plus the groups that hold several inputs. */
export type FormKey = keyof ClientInput;

/** The form keys that show a message of their own (status, notes and language cannot be wrong). */
const shown: readonly FormKey[] = [
  'given_name',
  'family_name',
  'code_name',
  'birth_date',
  'email',
  'phone',
  'street',
  'postal_code',
  'city',
  'country',
  'insurer',
  'insurance_number',
  'diagnoses',
  'guardian',
  'bill_to',
];

/**
 * Where a core error is shown: `diagnosis_code` belongs to the diagnoses group, a party's fields
 * (`guardian_email`, `bill_to_country`) to the party's group; null when the form shows it nowhere.
 */
export function formKeyOf(coreField: string): FormKey | null {
  if (coreField === 'diagnosis_code' || coreField === 'diagnosis_text') return 'diagnoses';
  for (const party of ['guardian', 'bill_to'] as const) {
    if (coreField === party || coreField.startsWith(`${party}_`)) return party;
  }
  return (shown as readonly string[]).includes(coreField) ? (coreField as FormKey) : null;
}

/** The id of the input to focus for a form key. */
export function inputId(key: FormKey): string {
  if (key === 'diagnoses') return 'cf-diagnosis-code-0';
  if (key === 'guardian' || key === 'bill_to') return `cf-${key}-name`;
  return `cf-${key}`;
}

/** The client fields typed as one line of text. */
export type TextKey = {
  [K in keyof ClientInput]-?: ClientInput[K] extends string ? K : never;
}[keyof ClientInput];

/** One input of the form's upper part, in the order shown. */
export type FieldSpec =
  | {
      key: Exclude<TextKey, 'notes'>;
      kind: 'text';
      required?: boolean;
      type?: 'email' | 'tel';
      numeric?: boolean;
    }
  | { key: 'birth_date'; kind: 'date' }
  | { key: 'status'; kind: 'status' };

/** A fieldset: its legend and its rows, each a grid of 1, 2 or 3 columns. */
export interface FieldGroup {
  legend: MessageKey;
  rows: { cols: 1 | 2 | 3; fields: FieldSpec[] }[];
}

const text = (
  key: Exclude<TextKey, 'notes'>,
  more: Partial<Extract<FieldSpec, { kind: 'text' }>> = {},
): FieldSpec => ({
  key,
  kind: 'text',
  ...more,
});

/**
 * The person, contact and insurance fields, as the form shows them. A new plain client field
 * is added here (plus its label in `fields.<name>.label`); diagnoses, the two parties and the
 * notes have markup of their own.
 */
export const fieldGroups: FieldGroup[] = [
  {
    legend: 'client_form.person',
    rows: [
      {
        cols: 2,
        fields: [
          text('given_name'),
          text('family_name', { required: true }),
          text('code_name'),
          { key: 'birth_date', kind: 'date' },
          { key: 'status', kind: 'status' },
        ],
      },
    ],
  },
  {
    legend: 'client_form.contact',
    rows: [
      { cols: 2, fields: [text('email', { type: 'email' }), text('phone', { type: 'tel' })] },
      { cols: 1, fields: [text('street')] },
      { cols: 3, fields: [text('postal_code'), text('city'), text('country')] },
    ],
  },
  {
    legend: 'client_form.insurance',
    rows: [{ cols: 2, fields: [text('insurer'), text('insurance_number', { numeric: true })] }],
  },
];

/**
 * Builds the input the core receives: the typed birth date read into ISO. Returns the error
 * for the birth date when it is no real date (the core never sees an impossible date).
 */
export function toInput(
  form: ClientInput,
  birthText: string,
): { input: ClientInput; birthError: ApiError | null } {
  const text = birthText.trim();
  if (!text) return { input: { ...form, birth_date: null }, birthError: null };
  const iso = parseDate(text);
  if (!iso)
    return {
      input: { ...form, birth_date: null },
      birthError: { code: 'record.invalid', params: { field: 'birth_date', problem: 'bad_date' } },
    };
  return { input: { ...form, birth_date: iso }, birthError: null };
}

/**
 * The messages after the user left the fields `left`: the core checks the whole input and names
 * every wrong field, but only the fields left and those already marked are updated, so fields the
 * user has not reached yet stay quiet. A birth date that is no real date keeps its own message.
 */
export function afterBlur(
  current: Partial<Record<FormKey, string>>,
  left: FormKey[],
  found: Partial<Record<FormKey, string>>,
  birthError: string | null,
): Partial<Record<FormKey, string>> {
  const next = { ...current };
  for (const key of new Set<FormKey>([...left, ...(Object.keys(current) as FormKey[])])) {
    const text = key === 'birth_date' && birthError ? birthError : found[key];
    if (text) next[key] = text;
    else delete next[key];
  }
  return next;
}
