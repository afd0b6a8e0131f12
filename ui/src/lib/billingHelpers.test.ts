import { describe, expect, it } from 'vitest';
import type { Balance } from './api';
import { fixFor } from './fixLink';
import { formatMonth } from './format';
import { statusKey } from './invoiceStatus';

const balance = (status: Balance['status'], overdue = false): Balance => ({
  status,
  paid: 0,
  fees: 0,
  due: 9000,
  overdue,
  paid_on: null,
  dunning_level: 0,
});

describe('billing helpers', () => {
  it('names an overdue open invoice and a Storno apart from the core status', () => {
    expect(statusKey({ kind: 'invoice', balance: balance('open', true) })).toBe('overdue');
    expect(statusKey({ kind: 'invoice', balance: balance('partly_paid', true) })).toBe('overdue');
    expect(statusKey({ kind: 'invoice', balance: balance('open') })).toBe('open');
    expect(statusKey({ kind: 'invoice', balance: balance('paid', true) })).toBe('paid');
    expect(statusKey({ kind: 'cancellation', balance: balance('paid') })).toBe('storno');
  });

  it('links an error to the place that fixes it', () => {
    const client = '0192f0c0-0000-7000-8000-000000000001';
    expect(
      fixFor({ code: 'invoice.recipient_incomplete', params: { field: 'street' } }, client)?.route,
    ).toEqual({
      name: 'client-edit',
      id: client,
    });
    expect(fixFor({ code: 'billing.practice_incomplete', params: { field: 'iban' } }, client)?.route).toEqual(
      {
        name: 'settings',
        tab: 'practice',
      },
    );
    expect(fixFor({ code: 'invoice.wrong_state', params: { reason: 'payer_changed' } }, client)?.label).toBe(
      'fix.client',
    );
    expect(fixFor({ code: 'invoice.wrong_state', params: { reason: 'draft' } }, client)).toBeNull();
    expect(fixFor({ code: 'store.failed', params: {} }, client)).toBeNull();
  });

  it('names months as the region writes them', () => {
    expect(formatMonth('2026-01', { language: 'de', country: 'AT' })).toBe('Jänner 2026');
    expect(formatMonth('2026-01', { language: 'de', country: 'DE' })).toBe('Januar 2026');
    expect(formatMonth('2026-01', { language: 'en', country: 'AT' })).toBe('January 2026');
  });
});
