import { render, screen, waitFor, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Service, ServiceInput, TaxChoices, TaxMode } from '../lib/api';
import type { FeeForm } from '../lib/bindings';
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
const DE: TaxChoices = {
  allowed: [{ mode: 'de_exempt' }, { mode: 'taxable', rate_bp: 1900 }],
  default: { mode: 'de_exempt' },
  fee_schedules: ['none', 'goae', 'analog', 'gebueh'],
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
let previews: FeeForm[] = [];

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
  previews = [];
  mockIPC((cmd, args) => {
    if (cmd === 'preview_service_fee') {
      // What the core answers for Nr. 870 (see tests/draft_payer.rs): 750 points.
      const form = (args as { form: FeeForm }).form;
      previews.push(form);
      if (form.multiplier === '3,5')
        return Promise.reject({
          code: 'record.invalid',
          params: { fields: [{ field: 'fee_multiplier', problem: 'out_of_range' }] },
        });
      const rate = form.multiplier === '1,8' ? 180 : 230;
      return {
        fee: { schedule: form.schedule, number: form.number, points: 750, multiplier: rate },
        price: rate === 180 ? 7869 : 10055,
        multiplier: rate === 180 ? '1,8' : '2,3',
        text: 'Verhaltenstherapie, Einzelbehandlung',
      };
    }
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

  it('sends back what it does not edit (retired) and the GOÄ fee as the core reads it', async () => {
    choices = DE;
    const goae = { schedule: 'goae', number: '870', points: 750, multiplier: 230 } as Service['fee'];
    stored = [{ ...coaching({ mode: 'de_exempt' }), fee: goae, retired: true }];
    render(Services);
    await userEvent.click(await screen.findByRole('button', { name: `${t('services.edit')}: Coaching` }));
    expect(await screen.findByLabelText(t('fields.fee_multiplier.label'))).toHaveValue('2,3');
    await userEvent.click(screen.getByRole('button', { name: t('common.save') }));
    await waitFor(() => expect(updated).toHaveLength(1));
    expect(updated[0]).toMatchObject({ name: 'Coaching', fee: goae, retired: true, price: 10055 });
    expect(previews.at(-1)).toEqual({ schedule: 'goae', number: '870', points: '750', multiplier: '2,3' });
  });

  it('takes a GOÄ number, shows the fee the core computes and saves it without a typed price', async () => {
    choices = DE;
    render(Services);
    await newServiceForm();
    const schedule = (await screen.findByLabelText(t('fields.fee_schedule.label'))) as HTMLSelectElement;
    await waitFor(() => expect(options(schedule)).toEqual(['none', 'goae', 'analog', 'gebueh']));
    expect(screen.getByLabelText(t('fields.price.label'), { exact: false })).toBeInTheDocument();
    await userEvent.selectOptions(schedule, 'goae');
    // The fee comes from points and multiplier: no price to type.
    expect(screen.queryByLabelText(t('fields.price.label'), { exact: false })).toBeNull();
    await userEvent.type(
      screen.getByLabelText(t('fields.name.label'), { exact: false }),
      'Verhaltenstherapie',
    );
    await userEvent.type(screen.getByLabelText(t('fields.fee_number.label'), { exact: false }), '870');
    await userEvent.tab();
    expect(await screen.findByTestId('fee-computed')).toHaveTextContent(
      'Honorar: 100,55 € (750 Punkte × 2,3)',
    );
    expect(screen.getByLabelText(t('fields.fee_points.label'))).toHaveValue('750');

    // Above the threshold: the core's sentence under the multiplier, nothing saved.
    const rate = screen.getByLabelText(t('fields.fee_multiplier.label'));
    await userEvent.clear(rate);
    await userEvent.type(rate, '3,5');
    await userEvent.click(screen.getByRole('button', { name: t('common.save') }));
    const said = errorText({
      code: 'record.invalid',
      params: { field: 'fee_multiplier', problem: 'out_of_range' },
    });
    expect(await screen.findByText(said)).toBeInTheDocument();
    expect(screen.getByLabelText(t('fields.fee_multiplier.label'))).toHaveAttribute('aria-invalid', 'true');
    expect(added).toEqual([]);

    await userEvent.clear(rate);
    await userEvent.type(rate, '1,8');
    await userEvent.click(screen.getByRole('button', { name: t('common.save') }));
    await waitFor(() => expect(added).toHaveLength(1));
    expect(added[0]).toMatchObject({
      name: 'Verhaltenstherapie',
      price: 7869,
      fee: { schedule: 'goae', number: '870', points: 750, multiplier: 180 },
    });
  });

  it('offers no fee schedule where the practice bills its own fees only', async () => {
    render(Services);
    await newServiceForm();
    expect(screen.queryByLabelText(t('fields.fee_schedule.label'))).toBeNull();
  });
});
