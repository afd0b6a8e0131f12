// How an invoice's state is named in the window: the core's status, with "overdue" and
// "Storno" told apart (both are facts the core sends; nothing is computed here).

import type { Balance, InvoiceKind } from './api';

export type StatusKey =
  | 'draft'
  | 'open'
  | 'overdue'
  | 'partly_paid'
  | 'paid'
  | 'cancelled'
  | 'written_off'
  | 'storno'
  | 'not_computable';

export function statusKey(s: { kind: InvoiceKind; balance: Balance }): StatusKey {
  if (s.kind === 'cancellation') return 'storno';
  const st = s.balance.status;
  if ((st === 'open' || st === 'partly_paid') && s.balance.overdue) return 'overdue';
  return st;
}
