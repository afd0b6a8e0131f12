import { describe, expect, it } from 'vitest';
import { afterBlur, emptyClient, fieldGroups, formKeyOf, inputId, toInput } from './clientForm';
import { has } from './i18n.svelte';

describe('client form plumbing', () => {
  it('maps core fields to the form and its inputs', () => {
    expect(formKeyOf('diagnosis_code')).toBe('diagnoses');
    expect(formKeyOf('insurance_number')).toBe('insurance_number');
    expect(formKeyOf('guardian_email')).toBe('guardian');
    expect(formKeyOf('bill_to_country')).toBe('bill_to');
    expect(formKeyOf('bill_to')).toBe('bill_to');
    // A field the form shows nowhere is said above the buttons instead.
    expect(formKeyOf('language')).toBeNull();
    expect(formKeyOf('insurance_kind')).toBeNull();
    expect(inputId('diagnoses')).toBe('cf-diagnosis-code-0');
    expect(inputId('bill_to')).toBe('cf-bill_to-name');
  });

  it('lists every field once, each with a label in both languages', () => {
    const keys = fieldGroups.flatMap((g) => g.rows.flatMap((r) => r.fields.map((f) => f.key)));
    expect(new Set(keys).size).toBe(keys.length);
    for (const k of keys) {
      expect(has(`fields.${k}.label`, 'de')).toBe(true);
      expect(has(`fields.${k}.label`, 'en')).toBe(true);
    }
    for (const g of fieldGroups) expect(has(g.legend, 'de') && has(g.legend, 'en')).toBe(true);
  });

  it('reads the typed birth date or reports it', () => {
    expect(toInput(emptyClient(), '07.03.1985').input.birth_date).toBe('1985-03-07');
    expect(toInput(emptyClient(), '').input.birth_date).toBeNull();
    expect(toInput(emptyClient(), '30.02.1985').birthError?.params).toEqual({
      field: 'birth_date',
      problem: 'bad_date',
    });
  });

  it('after leaving a field, updates it and the marked ones, and leaves untouched fields quiet', () => {
    const found = { family_name: 'required', email: 'bad e-mail', city: 'too long' };
    // Leaving the e-mail: its message appears; the empty family name, not reached yet, stays quiet.
    expect(afterBlur({}, ['email'], found, null)).toEqual({ email: 'bad e-mail' });
    // A marked field that is fine now loses its message, whichever field was left.
    expect(afterBlur({ phone: 'old' }, ['email'], {}, null)).toEqual({});
    // A marked field still wrong keeps it, with the newest sentence.
    expect(afterBlur({ city: 'old' }, ['email'], found, null)).toEqual({
      email: 'bad e-mail',
      city: 'too long',
    });
    // Two fields left before one answer came: the answer speaks for both.
    expect(afterBlur({}, ['city', 'email'], found, null)).toEqual({ email: 'bad e-mail', city: 'too long' });
    // An impossible birth date keeps its own message (the core never saw it).
    expect(afterBlur({}, ['birth_date'], {}, 'no date')).toEqual({ birth_date: 'no date' });
  });
});
