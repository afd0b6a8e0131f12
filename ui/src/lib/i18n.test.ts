import { describe, expect, it } from 'vitest';
import de from '../i18n/de.json';
import en from '../i18n/en.json';
import { errorText, has, t, tIn } from './i18n.svelte';
import { ERROR_CODES } from './bindings';

type Tree = { [k: string]: string | Tree };
function keys(tree: Tree, prefix = ''): string[] {
  return Object.entries(tree).flatMap(([k, v]) =>
    typeof v === 'string' ? [prefix + k] : keys(v, `${prefix}${k}.`),
  );
}

/** The codes the core and the shell can send, as the bindings generated from them list them. */
function errorCodes(): string[] {
  return [...ERROR_CODES, 'ipc.failed'];
}

describe('i18n', () => {
  it('has the same keys in German and English', () => {
    expect(keys(en as Tree).sort()).toEqual(keys(de as Tree).sort());
  });

  it('has one sentence per error code of the core and the shell, in both languages', () => {
    const codes = errorCodes();
    expect(codes.length).toBeGreaterThan(25);
    for (const code of codes) {
      for (const lang of ['de', 'en'] as const) {
        const text = errorText(
          {
            code,
            params: {
              path: '/x',
              group: 3,
              seconds: 2,
              found: 9,
              known: 1,
              kind: 'NotFound',
              entity: 'client',
              field: 'street',
              mode: 'taxable',
              multiplier: '3.0',
              max: 3.5,
              limit: 250,
              from: 2027,
              size_mib: 300,
              limit_mib: 256,
              unit: 'rows',
              name: 'colour',
              column: 'Nachname',
              until: '2035-12-31',
              reason: 'encoding',
              id: 'x',
            },
          },
          lang,
        );
        expect(text, `${lang} ${code}`).not.toMatch(/code [a-z_.]+\)/);
        expect(text, `${lang} ${code}`).not.toContain('{');
      }
    }
  });

  it('names the field and the problem of a rejected value', () => {
    const e = { code: 'record.invalid', params: { field: 'insurance_number', problem: 'check_digit' } };
    expect(errorText(e, 'de')).toBe(
      'Die Sozialversicherungsnummer hat eine falsche Prüfziffer. Bitte vergleichen Sie sie mit der e-card.',
    );
    expect(errorText(e, 'en')).toContain('wrong check digit');
    // A field without its own sentence gets the generic one with its label.
    expect(errorText({ code: 'record.invalid', params: { field: 'city', problem: 'too_long' } }, 'de')).toBe(
      '„Ort“ ist zu lang oder enthält einen Zeilenumbruch.',
    );
  });

  it('names a missing practice field by its label', () => {
    expect(errorText({ code: 'billing.practice_incomplete', params: { field: 'iban' } }, 'de')).toContain(
      '„IBAN“',
    );
    expect(errorText({ code: 'billing.practice_incomplete', params: { field: 'street' } }, 'en')).toContain(
      '“Street and number”',
    );
  });

  it('formats plurals', () => {
    expect(t('clients.count', { count: 1 }, 'de')).toBe('1 Klient*in');
    expect(t('clients.count', { count: 2000 }, 'de')).toBe('2.000 Klient*innen');
    expect(t('clients.count', { count: 2000 }, 'en')).toBe('2,000 clients');
    expect(t('unlock.wait', { seconds: 1 }, 'de')).toBe('Bitte warten Sie noch 1 Sekunde.');
  });

  it('takes only keys of the catalog, checked when the UI is type-checked', () => {
    // @ts-expect-error -- not a key of en.json: `npm run check` fails once this line type-checks.
    expect(t('clients.no_such_key', undefined, 'de')).toBe('clients.no_such_key');
    expect(has('clients.no_such_key', 'de')).toBe(false);
  });

  it('looks up what the core names at run time in its group', () => {
    expect(tIn('entities', 'client', undefined, 'de')).toBe(t('entities.client', undefined, 'de'));
    expect(tIn('errors', 'no.such_code', undefined, 'en')).toBe('errors.no.such_code');
  });
});
