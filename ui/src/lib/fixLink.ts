// Where to fix what a billing error names: a missing address of the recipient in the client's
// record, a missing detail of the practice in Settings → Practice, a fee rule in Services.
// The sentence comes from the error's code (i18n); this adds the link beside it.

import type { ApiError } from './api';
import type { Route } from './app.svelte';
import type { MessageKey } from './i18n.svelte';

export interface Fix {
  route: Route;
  /** The i18n key of the link's text. */
  label: MessageKey;
}

export function fixFor(e: Pick<ApiError, 'code' | 'params'>, clientId: string | null): Fix | null {
  switch (e.code) {
    case 'invoice.recipient_incomplete':
    case 'invoice.wrong_state':
      if (e.code === 'invoice.wrong_state' && e.params.reason !== 'payer_changed') return null;
      return clientId ? { route: { name: 'client-edit', id: clientId }, label: 'fix.client' } : null;
    case 'billing.practice_incomplete':
      return { route: { name: 'settings', tab: 'practice' }, label: 'fix.practice' };
    case 'billing.tax_mode_not_allowed':
    case 'billing.fee_reason_required':
      return { route: { name: 'settings', tab: 'services' }, label: 'fix.services' };
    case 'billing.fee_agreement_required':
      return clientId ? { route: { name: 'client-edit', id: clientId }, label: 'fix.client' } : null;
    default:
      return null;
  }
}
