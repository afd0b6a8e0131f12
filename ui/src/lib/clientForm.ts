// The client form's plumbing, kept apart from the markup so it can be tested: an empty input,
// which form field a core error belongs to, and checking one field on its own (the core reports
// only the first wrong field, so a field is checked alone to say something about it).

import type { Api, ApiError, ClientInput, Party } from './api';
import { asApiError } from './api';
import { parseDate } from './format';

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
export type FormKey = keyof ClientInput | 'birth_date' | 'diagnoses';

/** Where a core error is shown: `diagnosis_code` belongs to the diagnoses group, etc. */
export function formKeyOf(coreField: string): FormKey {
  if (coreField === 'diagnosis_code' || coreField === 'diagnosis_text') return 'diagnoses';
  return coreField as FormKey;
}

/** The id of the input to focus for a form key. */
export function inputId(key: FormKey): string {
  if (key === 'diagnoses') return 'cf-diagnosis-code-0';
  if (key === 'guardian' || key === 'bill_to') return `cf-${key}-name`;
  return `cf-${key}`;
}

/**
 * Builds the input the core receives: the typed birth date read into ISO. Returns the error
 * for the birth date when it is no real date (the core never sees an impossible date).
 */
export function toInput(form: ClientInput, birthText: string): { input: ClientInput; birthError: ApiError | null } {
  const text = birthText.trim();
  if (!text) return { input: { ...form, birth_date: null }, birthError: null };
  const iso = parseDate(text);
  if (!iso) return { input: { ...form, birth_date: null }, birthError: { code: 'record.invalid', params: { field: 'birth_date', problem: 'bad_date' } } };
  return { input: { ...form, birth_date: iso }, birthError: null };
}

/**
 * Asks the core about one field: everything else is left empty (and the required family name
 * filled), so any error is about this field. Returns the error, or null when the field is fine.
 */
export async function checkField(api: Pick<Api, 'checkClient'>, key: FormKey, input: ClientInput): Promise<ApiError | null> {
  const probe: ClientInput = { ...emptyClient(), family_name: '·' };
  (probe as unknown as Record<string, unknown>)[key] = input[key as keyof ClientInput];
  try {
    await api.checkClient(probe);
    return null;
  } catch (e) {
    const err = asApiError(e);
    if (err.code === 'record.invalid' && formKeyOf(String(err.params.field)) === key) return err;
    return null;
  }
}
