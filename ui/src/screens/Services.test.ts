import { render, screen, waitFor, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Service, ServiceInput, TaxChoices, TaxMode } from '../lib/api';
import { errorText, setLanguage, t } from '../lib/i18n.svelte';
import Services from './Services.svelte';

// What the core's `billing::rules::choices` answers (see its test `choices_serialise_for_the_ui`).
const AT: TaxChoices = {
  allowed: [
    { mode: 'at_exempt' },
    { mode: 'taxable', rate_bp: 2000 },
    { mode: 'taxable', rate_bp: 1300 },
    { mode: 'taxable', rate_bp: 1000 },
  ],
  default: { mode: 'at_exempt' },
  fee_schedules: ['none'],
};
const AT_SMALL_BUSINESS: TaxChoices = {
  allowed: [{ mode: 'at_small_business' }, { mode: 'at_exempt' }],
  default: { mode: 'at_small_business' },
  fee_schedules: ['none'],
};

const coaching = (tax: TaxMode): Service => ({
  id: '0192f0c0-0000-7000-8000-000000000021',
  name: 'Coaching',
  code: 'CO',
  minutes: 60,
  price: 12000,
  tax,
  fee: { schedule: 'none', number: '', points: 0, multiplier: 100 },
  retired: false,
  stamps: { created: '2026-11-01T08:00:00Z', updated: '2026-11-01T08:00:00Z', device: 'd' },
});

let choices: TaxChoices | Error | Promise<TaxChoices> = AT;
let stored: Service[] = [];
let added: ServiceInput[] = [];
let updated: ServiceInput[] = [];

beforeAll(() => {
  // jsdom has no modal dialogs; the form only needs them to open.
  HTMLDialogElement.prototype.showModal ??= function (this: HTMLDialogElement) {
    this.open = true;
  };
  HTMLDialogElement.prototype.close ??= function (this: HTMLDialogElement) {
    this.open = false;
  };
});

beforeEach(() => {
  setLanguage('de');
  choices = AT;
  stored = [];
  added = [];
  updated = [];
  mockIPC((cmd, args) => {
    if (cmd === 'update_service') {
      updated.push((args as { input: ServiceInput }).input);
      return null;
    }
    if (cmd === 'services') return stored;
    if (cmd === 'tax_choices') {
      if (choices instanceof Error) throw { code: 'vault.locked', params: {} };
      return choices;
    }
    if (cmd === 'parse_amount') return 9500;
    if (cmd === 'add_service') {
      added.push((args as { input: ServiceInput }).input);
      return '0192f0c0-0000-7000-8000-000000000022';
    }
    throw new Error(`unexpected ${cmd}`);
  });
});
afterEach(() => clearMocks());

/** Opens the form for a new service and returns its tax select. */
async function newServiceForm(): Promise<HTMLSelectElement> {
  await userEvent.click(await screen.findByRole('button', { name: `+ ${t('services.new')}` }));
  return (await screen.findByLabelText(t('fields.tax_mode.label'))) as HTMLSelectElement;
}

const options = (select: HTMLSelectElement) => [...select.options].map((o) => o.value);

describe('Services', () => {
  it('offers exactly the tax modes the core allows, its default chosen, and sends the one picked', async () => {
    render(Services);
    const select = await newServiceForm();
    await waitFor(() =>
      expect(options(select)).toEqual(['at_exempt', 'taxable_2000', 'taxable_1300', 'taxable_1000']),
    );
    expect(select.value).toBe('at_exempt');
    expect(within(select).getByRole('option', { name: /Umsatzsteuerpflichtig 13/ })).toBeInTheDocument();

    await userEvent.type(screen.getByLabelText(t('fields.name.label'), { exact: false }), 'Coaching');
    await userEvent.type(screen.getByLabelText(t('fields.price.label'), { exact: false }), '95');
    await userEvent.selectOptions(select, 'taxable_1300');
    await userEvent.click(screen.getByRole('button', { name: t('common.save') }));
    await waitFor(() => expect(added).toHaveLength(1));
    expect(added[0].tax).toEqual({ mode: 'taxable', rate_bp: 1300 });
  });

  it('gives a small-business practice only the exempt modes, the small-business one first', async () => {
    choices = AT_SMALL_BUSINESS;
    render(Services);
    const select = await newServiceForm();
    await waitFor(() => expect(options(select)).toEqual(['at_small_business', 'at_exempt']));
    expect(select.value).toBe('at_small_business');
    expect(options(select).some((v) => v.startsWith('taxable'))).toBe(false);
  });

  it('gives a form opened before the answer arrived the default once it does', async () => {
    let answer: (c: TaxChoices) => void = () => {};
    choices = new Promise((res) => (answer = res));
    render(Services);
    const select = await newServiceForm();
    expect(options(select)).toEqual([]);
    answer(AT_SMALL_BUSINESS);
    await waitFor(() => expect(select.value).toBe('at_small_business'));
  });

  it("shows an existing service's own mode even when the practice may no longer use it", async () => {
    choices = AT_SMALL_BUSINESS;
    stored = [coaching({ mode: 'taxable', rate_bp: 2000 })];
    render(Services);
    await userEvent.click(await screen.findByRole('button', { name: `${t('services.edit')}: Coaching` }));
    const select = (await screen.findByLabelText(t('fields.tax_mode.label'))) as HTMLSelectElement;
    await waitFor(() => expect(options(select)).toEqual(['at_small_business', 'at_exempt', 'taxable_2000']));
    expect(select.value).toBe('taxable_2000');
  });

  it('says in words why it cannot offer tax modes, and sends nothing', async () => {
    choices = new Error('locked');
    render(Services);
    const sentence = errorText({ code: 'vault.locked', params: {} });
    expect(await screen.findByText(sentence)).toBeInTheDocument();
    const select = await newServiceForm();
    expect(options(select)).toEqual([]);
    await userEvent.type(screen.getByLabelText(t('fields.name.label'), { exact: false }), 'Coaching');
    await userEvent.click(screen.getByRole('button', { name: t('common.save') }));
    expect(await screen.findAllByText(sentence)).toHaveLength(2);
    expect(added).toEqual([]);
  });

  it('sends back what it does not edit, so saving keeps a GOÄ fee and a retired service as they are', async () => {
    const goae = { schedule: 'goae', number: '870', points: 750, multiplier: 230 } as Service['fee'];
    stored = [{ ...coaching({ mode: 'at_exempt' }), fee: goae, retired: true }];
    render(Services);
    await userEvent.click(await screen.findByRole('button', { name: `${t('services.edit')}: Coaching` }));
    await userEvent.click(screen.getByRole('button', { name: t('common.save') }));
    await waitFor(() => expect(updated).toHaveLength(1));
    expect(updated[0]).toMatchObject({ name: 'Coaching', fee: goae, retired: true });
  });
});
