// All user-visible text comes from i18n/de.json and i18n/en.json, as ICU messages
// (intl-messageformat, so plurals and selects read naturally in both languages). Errors are
// `errors.<code>`; a rejected field is `fields.<field>.<problem>` when it has its own sentence,
// else `problems.<problem>` with the field's label.
//
// A key is typed: `t()` takes a `MessageKey`, the dotted path of a text in en.json, so a key
// that is not there fails `npm run check` (svelte-check). A key built from a value of a known
// set (`status.${c.status}`) is checked for every member of the set. What the
// core names at run time (an error code, a field, a problem, an entity) goes through
// `tIn(group, name)`, which looks a key up unchecked (`has` asks first); a value the core names
// inside a key (`invoice.method_${m}`) is cast to `MessageKey` where it is used.

import { IntlMessageFormat } from 'intl-messageformat';
import de from '../i18n/de.json';
import en from '../i18n/en.json';
import type { ApiError, Language } from './api';

type Tree = { [k: string]: string | Tree };

/** The dotted paths to the texts of a catalog (`'clients.count'`, `'errors.record.invalid'`). */
type Leaves<T> = {
  [K in keyof T & string]: T[K] extends string ? K : `${K}.${Leaves<T[K]>}`;
}[keyof T & string];

/** A key of a text; de.json has the same keys (tested). */
export type MessageKey = Leaves<typeof en>;

/** The names of the texts in a group: `KeyIn<'nav'>` is `'label' | 'today' | …`. */
type After<K, G extends string> = K extends `${G}.${infer N}` ? N : never;
export type KeyIn<G extends string> = After<MessageKey, G>;

/** The groups whose keys are chosen at run time (`tIn`). */
export type DynamicGroup = 'errors' | 'fields' | 'problems' | 'entities' | 'folder.clash' | 'conflicts.kind';

const catalogs: Record<Language, Tree> = { de, en };

export const i18n = $state<{ language: Language }>({ language: 'de' });

export function detectLanguage(): Language {
  const nav = typeof navigator !== 'undefined' ? navigator.language : 'de';
  return nav.toLowerCase().startsWith('de') ? 'de' : 'en';
}

export function setLanguage(l: Language) {
  i18n.language = l;
  if (typeof document !== 'undefined') document.documentElement.lang = l;
}

function lookup(tree: Tree, key: string): string | undefined {
  let node: string | Tree | undefined = tree;
  for (const part of key.split('.')) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = node[part];
  }
  return typeof node === 'string' ? node : undefined;
}

// eslint-disable-next-line svelte/prefer-svelte-reactivity -- a cache of compiled messages, not state
const compiled = new Map<string, IntlMessageFormat>();

export function has(key: string, lang: Language = i18n.language): boolean {
  return lookup(catalogs[lang], key) !== undefined;
}

/** The text for `key` in the current language. */
export function t(key: MessageKey, params?: Record<string, unknown>, lang: Language = i18n.language): string {
  return text(key, params, lang);
}

/**
 * The text of `group.<name>` for a name only known at run time (a place, an error code, a field
 * the core reports); the key itself when there is none, which `has` can ask first.
 */
export function tIn(
  group: DynamicGroup,
  name: string,
  params?: Record<string, unknown>,
  lang: Language = i18n.language,
): string {
  return text(`${group}.${name}`, params, lang);
}

function text(key: string, params?: Record<string, unknown>, lang: Language = i18n.language): string {
  const msg = lookup(catalogs[lang], key);
  if (msg === undefined) return key;
  const cacheKey = `${lang}|${key}`;
  let f = compiled.get(cacheKey);
  if (!f) {
    f = new IntlMessageFormat(msg, lang === 'de' ? 'de-DE' : 'en-GB', undefined, { ignoreTag: true });
    compiled.set(cacheKey, f);
  }
  return String(f.format(params as Record<string, string | number>));
}

/** The label of a core field name (`insurance_number` → "Versicherungsnummer"). */
export function fieldLabel(field: string, lang: Language = i18n.language): string {
  return has(`fields.${field}.label`, lang) ? tIn('fields', `${field}.label`, undefined, lang) : field;
}

/** One sentence for an error, naming the field when it is about one. */
export function errorText(e: ApiError, lang: Language = i18n.language): string {
  if (e.code === 'record.invalid') {
    const field = String(e.params.field ?? '');
    const problem = String(e.params.problem ?? '');
    if (has(`fields.${field}.${problem}`, lang)) return tIn('fields', `${field}.${problem}`, undefined, lang);
    if (has(`problems.${problem}`, lang))
      return tIn('problems', problem, { field: fieldLabel(field, lang) }, lang);
  }
  if (e.code === 'record.not_found') {
    const entity = String(e.params.entity ?? '');
    return t(
      'errors.record.not_found',
      { entity: has(`entities.${entity}`, lang) ? tIn('entities', entity, undefined, lang) : entity },
      lang,
    );
  }
  const key = `errors.${e.code}`;
  // A field named in the parameters is shown by its label.
  const params =
    typeof e.params.field === 'string' ? { ...e.params, field: fieldLabel(e.params.field, lang) } : e.params;
  return has(key, lang) ? tIn('errors', e.code, params, lang) : t('errors.unknown', { code: e.code }, lang);
}
