// Which input of a form a core error belongs to, for every form. The core names every wrong field
// of a record at once (`record.invalid` with `params.fields`); an older core, and codes such as
// `money.too_large` or `billing.practice_incomplete`, name one (`params.field`). Whatever the form
// has no input for is said once above its buttons.

import { asApiError, type ApiError } from './api';
import { errorText } from './i18n.svelte';
import type { Language } from './api';

export interface FieldProblem {
  field: string;
  /** The `record.invalid` problem (`required`, `check_digit`, …); null for other codes. */
  problem: string | null;
}

/** Every field the error names, in the core's order; empty when it is about no field. */
export function fieldProblems(e: ApiError): FieldProblem[] {
  const list = e.params.fields;
  if (Array.isArray(list)) {
    const found = list
      .filter((x): x is { field: string; problem?: unknown } => typeof x?.field === 'string')
      .map((x) => ({ field: x.field, problem: typeof x.problem === 'string' ? x.problem : null }));
    if (found.length) return found;
  }
  if (typeof e.params.field === 'string') {
    return [
      { field: e.params.field, problem: typeof e.params.problem === 'string' ? e.params.problem : null },
    ];
  }
  return [];
}

/** The sentence for one field of an error: its own problem, not the first field's. */
function textFor(e: ApiError, p: FieldProblem, lang?: Language): string {
  const { fields: _all, ...rest } = e.params;
  return errorText(
    { code: e.code, params: { ...rest, field: p.field, problem: p.problem ?? rest.problem } },
    lang,
  );
}

export interface FormErrors<K extends string> {
  /** A sentence per form key that has a problem (the first one, when several core fields share a key). */
  fields: Partial<Record<K, string>>;
  /** What no input shows (an error about no field, or about a field the form lacks); else null. */
  general: string | null;
  /** The first key with a problem, in the core's order: the input to focus. */
  first: K | null;
  /** `fields` plus `general` under the key `general`, for forms that keep one map of messages. */
  all: Partial<Record<K | 'general', string>>;
}

/**
 * Spreads an error over a form. `place` names the form key that shows a core field, or null when
 * the form has no input for it. Anything thrown is accepted (`asApiError`), so a `catch` can pass
 * its value straight in.
 */
export function formErrors<K extends string>(
  thrown: unknown,
  place: (coreField: string) => K | null,
  lang?: Language,
): FormErrors<K> {
  const e = asApiError(thrown);
  const fields: Partial<Record<K, string>> = {};
  const rest: string[] = [];
  let first: K | null = null;
  for (const p of fieldProblems(e)) {
    const key = place(p.field);
    const text = textFor(e, p, lang);
    if (key === null) {
      if (!rest.includes(text)) rest.push(text);
    } else if (fields[key] === undefined) {
      fields[key] = text;
      first ??= key;
    }
  }
  const placed = first !== null;
  const general = rest.length ? rest.join(' ') : placed ? null : errorText(e, lang);
  const all = { ...fields } as Partial<Record<K | 'general', string>>;
  if (general !== null) all.general = general;
  return { fields, general, first, all };
}

/** A `place` for forms whose keys are the core's field names, some renamed (`start` → `date`). */
export function placeIn<K extends string>(keys: readonly K[], renamed: Record<string, K> = {}) {
  return (coreField: string): K | null => {
    const key = renamed[coreField] ?? coreField;
    return (keys as readonly string[]).includes(key) ? (key as K) : null;
  };
}

/** Puts the focus on the first input marked wrong inside `form` (a CSS selector), once the
 * marks are drawn. */
export function focusFirstInvalid(form: string) {
  queueMicrotask(() => document.querySelector<HTMLElement>(`${form} [aria-invalid="true"]`)?.focus());
}

/**
 * Sends a form the screen has checked to the core: what the core answers, or null when it
 * refused — then its refusals are on the form's fields (`show`; what has no field under
 * `general`) and the first wrong input of `form` has the focus.
 */
export async function sendForm<K extends string, T>(
  form: string,
  keys: readonly K[],
  send: () => Promise<T>,
  show: (errors: Partial<Record<K | 'general', string>>) => void,
): Promise<T | null> {
  try {
    return await send();
  } catch (err) {
    show(formErrors<K>(err, placeIn<K>(keys)).all);
    focusFirstInvalid(form);
    return null;
  }
}
