import { describe, expect, it } from 'vitest';
import { fieldProblems, formErrors, placeIn } from './fieldErrors';
import { t } from './i18n.svelte';

const keys = ['family_name', 'insurance_number', 'email', 'diagnoses'] as const;
const place = placeIn(keys, { diagnosis_code: 'diagnoses', diagnosis_text: 'diagnoses' });

describe('field errors on a form', () => {
  it('shows every field the core names, each with its own sentence, and focuses the first', () => {
    const err = {
      code: 'record.invalid',
      params: {
        field: 'family_name',
        problem: 'required',
        fields: [
          { field: 'family_name', problem: 'required' },
          { field: 'insurance_number', problem: 'check_digit' },
          { field: 'email', problem: 'bad_format' },
        ],
      },
    };
    const f = formErrors(err, place, 'de');
    expect(f.first).toBe('family_name');
    expect(f.fields.family_name).toBe('Bitte geben Sie den Nachnamen ein.');
    expect(f.fields.insurance_number).toMatch(/falsche Prüfziffer/);
    expect(f.fields.email).toBeTruthy();
    expect(f.fields.email).not.toBe(f.fields.family_name);
    expect(f.general).toBeNull();
  });

  it('reads an error that names one field (an older core)', () => {
    const f = formErrors(
      { code: 'record.invalid', params: { field: 'insurance_number', problem: 'check_digit' } },
      place,
      'en',
    );
    expect(Object.keys(f.fields)).toEqual(['insurance_number']);
    expect(f.fields.insurance_number).toMatch(/wrong check digit/);
    expect(f.first).toBe('insurance_number');
  });

  it('places two core fields on one key once, the first one', () => {
    const f = formErrors(
      {
        code: 'record.invalid',
        params: {
          fields: [
            { field: 'diagnosis_code', problem: 'bad_format' },
            { field: 'diagnosis_text', problem: 'too_long' },
          ],
        },
      },
      place,
      'de',
    );
    expect(Object.keys(f.fields)).toEqual(['diagnoses']);
  });

  it('says above the form what no input shows', () => {
    const locked = formErrors({ code: 'vault.locked', params: {} }, place, 'de');
    expect(locked.fields).toEqual({});
    expect(locked.first).toBeNull();
    expect(locked.general).toBe(t('errors.vault.locked', undefined, 'de'));
    // A field the form does not have goes to the general message; the ones it has stay on their inputs.
    const mixed = formErrors(
      {
        code: 'record.invalid',
        params: {
          fields: [
            { field: 'email', problem: 'bad_format' },
            { field: 'time_zone', problem: 'required' },
          ],
        },
      },
      place,
      'en',
    );
    expect(Object.keys(mixed.fields)).toEqual(['email']);
    expect(mixed.general).toMatch(/time zone/i);
    expect(mixed.all).toEqual({ email: mixed.fields.email, general: mixed.general });
  });

  it('puts other codes that name a field on that field', () => {
    const f = formErrors(
      { code: 'money.too_large', params: { field: 'price', max: 1000000 } },
      placeIn(['price'] as const),
      'en',
    );
    expect(f.fields.price).toMatch(/may be at most/);
    expect(f.fields.price).toMatch(/“Fee”/);
    expect(f.general).toBeNull();
  });

  it('accepts anything thrown', () => {
    expect(formErrors(new Error('boom'), place, 'de').general).toBe(t('errors.ipc.failed', undefined, 'de'));
    expect(fieldProblems({ code: 'record.invalid', params: { fields: 'nonsense' } })).toEqual([]);
  });
});
