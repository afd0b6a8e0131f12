// Reports on the real window: a practice with sessions, a missed appointment, an issued and a
// partly paid invoice (made with the CLI) → Berichte shows the month's revenue and draws its
// charts → the invoice journal saved as XLSX reads back in openpyxl with the right total, the
// PDFs' text shows the figures → the payments list → billing settings saved, and a wrong value
// named at its field. Screenshots of every new screen in German and English.
//
// The native save dialog cannot be driven under WebDriver, so the exports are started with the
// same command the window calls after the dialog (`export_report` with the chosen path).

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { helpers, launch, world } from './driver.mjs';

const CLI = process.env.TRESOR_CLI;
const PASSWORD = 'Berichte für die Steuerberatung';
const PYTHON = resolve(new URL('../../target/pyenv/bin/python', import.meta.url).pathname);

/** The journal's gross total, read by openpyxl from the cached formula results. */
function journalTotal(xlsx) {
  const script = `
import json, sys, openpyxl
ws = openpyxl.load_workbook(sys.argv[1], data_only=True).active
head = [c.value for c in ws[4]]
col = head.index('Brutto') + 1
total = next(r for r in ws.iter_rows(min_row=5) if r[0].value == 'Summe')
print(json.dumps({'total': total[col - 1].value, 'numbers': [r[0].value for r in ws.iter_rows(min_row=5)]}))
`;
  return JSON.parse(execFileSync(PYTHON, ['-c', script, xlsx], { encoding: 'utf8' }));
}

const pdftotext = (pdf) => execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' });

test(
  'reports: the month’s revenue as figures and charts, exports, payments, billing settings',
  { timeout: 240_000, skip: CLI ? false : 'TRESOR_CLI not set' },
  async () => {
    const w = world('reports');
    const env = { ...w.env, TRESOR_VAULT: w.env.TRESOR_DATA_FOLDER, TRESOR_PASSWORD: PASSWORD };
    const cli = (...args) => JSON.parse(execFileSync(CLI, ['--json', ...args], { env, encoding: 'utf8' }));
    execFileSync(CLI, ['init', '--kdf-ms', '200'], { env, stdio: 'ignore' });
    // The year is this year: the screen opens on the practice's current year.
    const year = new Date().getFullYear();
    const d = (md) => `${year}-${md}`;
    cli(
      'practice',
      'set',
      '--name',
      'Mag. Anna Huber',
      '--address',
      'Währinger Straße 12/3',
      '--postal-code',
      '1090',
      '--city',
      'Wien',
      '--iban',
      'AT61 1904 3002 3457 3201',
      '--bic',
      'GIBAATWWXXX',
      '--tax-number',
      '12 345/6789',
    );
    const client = (name) =>
      cli(
        'client',
        'add',
        '--name',
        name,
        '--street',
        'Lindengasse 5',
        '--postal-code',
        '1070',
        '--city',
        'Wien',
      ).id;
    const baerbel = client('Bärbel Größ');
    const jakob = client('Jakob Öller');
    for (const day of ['03-02', '03-09', '03-16'])
      cli('session', 'add', '--client', baerbel, '--date', d(day), '--minutes', '50', '--fee-cents', '9000');
    cli('session', 'add', '--client', jakob, '--date', d('03-05'), '--minutes', '50', '--fee-cents', '12000');
    const missed = cli('appointment', 'add', '--client', jakob, '--start', `${d('03-12')} 10:00`).id;
    execFileSync(CLI, ['appointment', 'status', missed, 'no-show'], { env, stdio: 'ignore' });
    const [draft] = cli('invoice', 'draft', '--client', baerbel, '--to', d('03-31'));
    const { number } = cli('invoice', 'issue', draft.id, '--date', d('03-31'));
    cli('invoice', 'pay', number, '--amount', '100,00', '--date', d('04-03'));

    const out = join(w.root, 'Exporte');
    mkdirSync(out);
    const { browser, stop } = await launch(w);
    const ui = helpers(browser);
    const exportReport = (report, format, path, names = 'full') =>
      browser.execute((args) => window.__TAURI_INTERNALS__.invoke('export_report', args), {
        job: 7000 + Math.floor(Math.random() * 1000),
        report,
        format,
        from: `${year}-01-01`,
        to: `${year}-12-31`,
        names,
        path,
      });
    /** Whether every chart's canvas has drawn pixels. */
    const chartsDrawn = () =>
      browser.execute(() => {
        const canvases = [...document.querySelectorAll('.reports canvas')];
        return (
          canvases.length >= 2 &&
          canvases.every((c) => {
            const ctx = c.getContext('2d');
            if (!ctx || !c.width || !c.height) return false;
            const px = ctx.getImageData(0, 0, c.width, c.height).data;
            for (let i = 3; i < px.length; i += 4) if (px[i] !== 0) return true;
            return false;
          })
        );
      });
    try {
      await ui.type('#unlock-secret', PASSWORD);
      await ui.click('[data-action="unlock"]');
      // The window starts in the system's language (English under Xvfb).
      await ui.click('[data-place="settings"]');
      await ui.click('[data-tab="general"]');
      await ui.click('[data-lang="de"]');
      await ui.click('[data-place="reports"]');
      await ui.waitText(`März ${year}`);
      await ui.waitText('Bärbel Größ');
      const figure = async (name) => (await ui.$(`[data-figure="${name}"]`)).getText();
      assert.equal(await figure('invoiced'), '270,00 €');
      assert.equal(await figure('received'), '100,00 €');
      assert.equal(await figure('sessions'), '4');
      assert.equal(await figure('no-show'), '20,0 %');
      await browser.waitUntil(chartsDrawn, { timeout: 10000, timeoutMsg: 'the charts were not drawn' });
      await ui.shot('de-reports-01-overview');
      await browser.execute(() => document.querySelector('.exports').scrollIntoView());
      await ui.shot('de-reports-05-exports');

      await ui.click('[data-testid="reports-anonymous"]');
      await ui.waitGone('Bärbel Größ');
      await ui.waitText('Codename');
      await ui.shot('de-reports-02-anonymised');
      await ui.click('[data-testid="reports-anonymous"]');
      await ui.waitText('Bärbel Größ');

      // The journal for the tax adviser, as XLSX and PDF; the revenue report and the protocol as PDF.
      const xlsx = join(out, `Rechnungsausgangsbuch-${year}.xlsx`);
      assert.equal(await exportReport('journal', 'xlsx', xlsx), 'saved');
      const journal = journalTotal(xlsx);
      assert.equal(journal.total, 270);
      assert.ok(journal.numbers.includes(number), JSON.stringify(journal));
      const pdf = join(out, 'journal.pdf');
      assert.equal(await exportReport('journal', 'pdf', pdf), 'saved');
      const text = pdftotext(pdf);
      for (const want of ['Rechnungsausgangsbuch', number, '270,00 €', 'Bärbel Größ'])
        assert.ok(text.includes(want), `${want} missing in the journal PDF:\n${text}`);
      const revenue = join(out, 'umsatz.pdf');
      assert.equal(await exportReport('revenue', 'pdf', revenue), 'saved');
      const rtext = pdftotext(revenue);
      for (const want of [`März ${year}`, '270,00 €', '100,00 €', '170,00 €'])
        assert.ok(rtext.includes(want), `${want} missing in the revenue PDF:\n${rtext}`);
      const protocol = join(out, 'protokoll-anonym.pdf');
      assert.equal(await exportReport('protocol', 'pdf', protocol, 'coded'), 'saved');
      const ptext = pdftotext(protocol);
      assert.ok(ptext.includes('Sitzungsprotokoll') && ptext.includes('390,00 €'), ptext);
      assert.ok(
        !ptext.includes('Größ') && !ptext.includes('Öller'),
        `names in the anonymised protocol:\n${ptext}`,
      );
      // A cancelled export writes nothing.
      const gone = join(out, 'abgebrochen.pdf');
      const cancelled = await browser.execute(
        (args) => {
          const inv = window.__TAURI_INTERNALS__.invoke;
          return inv('cancel_export', { job: 4242 }).then(() => inv('export_report', args));
        },
        {
          job: 4242,
          report: 'journal',
          format: 'pdf',
          from: `${year}-01-01`,
          to: `${year}-12-31`,
          names: 'full',
          path: gone,
        },
      );
      assert.equal(cancelled, 'cancelled');
      assert.ok(!existsSync(gone), 'a cancelled export wrote a file');

      await ui.click('[data-place="payments"]');
      await browser.execute(() => {
        const s = document.querySelector('[data-testid="payments-period"]');
        s.value = 'year';
        s.dispatchEvent(new Event('change'));
      });
      await ui.waitText(number);
      assert.equal(await (await ui.$('[data-testid="payments-total"]')).getText(), '100,00 €');
      await ui.shot('de-reports-03-payments');

      await ui.click('[data-place="settings"]');
      await ui.click('[data-tab="billing"]');
      await ui.waitValue('#bs-payment-days', '14');
      await ui.type('#bs-payment-days', '30');
      await ui.type('#bs-treatment-method', 'Existenzanalyse');
      await ui.click('[data-action="save-billing"]');
      await ui.$('[data-testid="billing-saved"]').waitForDisplayed({ timeout: 10000 });
      const stored = await browser.execute(() => window.__TAURI_INTERNALS__.invoke('billing_settings'));
      assert.equal(stored.payment_days, 30);
      await ui.type('#bs-payment-days', '400');
      await ui.click('[data-action="save-billing"]');
      await ui.waitText('Das Zahlungsziel muss zwischen 0 und 365 Tagen liegen.');
      assert.equal(await (await ui.$('#bs-payment-days')).getAttribute('aria-invalid'), 'true');
      await ui.shot('de-reports-04-billing-settings-error');
      const unchanged = await browser.execute(() => window.__TAURI_INTERNALS__.invoke('billing_settings'));
      assert.equal(unchanged.payment_days, 30, 'a refused value changed nothing');

      // The same screens in English.
      await ui.click('[data-tab="general"]');
      await ui.click('[data-lang="en"]');
      await ui.waitText('Data folder');
      await ui.click('[data-tab="billing"]');
      await ui.waitValue('#bs-payment-days', '30');
      await ui.type('#bs-payment-days', '400');
      await ui.click('[data-action="save-billing"]');
      await ui.waitText('The payment term must be between 0 and 365 days.');
      await ui.shot('en-reports-04-billing-settings-error');
      await ui.click('[data-place="reports"]');
      await ui.waitText(`March ${year}`);
      await ui.waitText('€270.00');
      await browser.waitUntil(chartsDrawn, { timeout: 10000, timeoutMsg: 'the charts were not drawn' });
      await ui.shot('en-reports-01-overview');
      await browser.execute(() => document.querySelector('.exports').scrollIntoView());
      await ui.shot('en-reports-05-exports');
      await ui.click('[data-testid="reports-anonymous"]');
      await ui.waitGone('Bärbel Größ');
      await ui.shot('en-reports-02-anonymised');
      await ui.click('[data-place="payments"]');
      await browser.execute(() => {
        const s = document.querySelector('[data-testid="payments-period"]');
        s.value = 'year';
        s.dispatchEvent(new Event('change'));
      });
      await ui.waitText(number);
      await ui.waitText('€100.00');
      await ui.shot('en-reports-03-payments');
    } finally {
      await stop();
    }
  },
);
