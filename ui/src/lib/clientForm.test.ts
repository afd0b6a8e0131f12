import { describe, expect, it } from 'vitest';
import { checkField, emptyClient, formKeyOf, inputId, toInput } from './clientForm';

describe('client form plumbing', () => {
  it('maps core fields to the form and its inputs', () => {
    expect(formKeyOf('diagnosis_code')).toBe('diagnoses');
    expect(formKeyOf('insurance_number')).toBe('insurance_number');
    expect(inputId('diagnoses')).toBe('cf-diagnosis-code-0');
    expect(inputId('bill_to')).toBe('cf-bill_to-name');
  });

  it('reads the typed birth date or reports it', () => {
    expect(toInput(emptyClient(), '07.03.1985').input.birth_date).toBe('1985-03-07');
    expect(toInput(emptyClient(), '').input.birth_date).toBeNull();
    expect(toInput(emptyClient(), '30.02.1985').birthError?.params).toEqual({ field: 'birth_date', problem: 'bad_date' });
  });

  it('checks one field alone, so an earlier wrong field does not hide it', async () => {
    const seen: unknown[] = [];
    const api = {
      checkClient: async (input: ReturnType<typeof emptyClient>) => {
        seen.push(input);
        if (input.email === 'kaputt') throw { code: 'record.invalid', params: { field: 'email', problem: 'bad_format' } };
        return input;
      },
    };
    const form = { ...emptyClient(), family_name: '', email: 'kaputt' };
    const err = await checkField(api, 'email', form);
    expect(err?.params.field).toBe('email');
    expect(seen[0]).toMatchObject({ family_name: '·', email: 'kaputt' });
    expect(await checkField(api, 'city', form)).toBeNull();
  });
});
