// Statistics and the calendar export on the real window: a practice with two clients (one with
// an approved ÖGK contingent, one past the tenth session without), a weekly series with a
// cancelled date (made with the CLI) → Berichte shows the year's statistics → the calendar
// saved as .ics holds the series as RRULE with the code name and no client name. Screenshots
// in German and English (prefix `ics`).
//
// The native save dialog cannot be driven under WebDriver, so the export is started with the
// same command the window calls after the dialog (`export_calendar` with the chosen path).

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { helpers, launch, world } from './driver.mjs';

const CLI = process.env.TRESOR_CLI;
const PASSWORD = 'Statistik für das Jahr';

test(
  'statistics in Berichte and the calendar as .ics',
  { timeout: 240_000, skip: CLI ? false : 'TRESOR_CLI not set' },
  async () => {
    const w = world('stats');
    const env = { ...w.env, TRESOR_VAULT: w.env.TRESOR_DATA_FOLDER, TRESOR_PASSWORD: PASSWORD };
    const cli = (...args) => JSON.parse(execFileSync(CLI, ['--json', ...args], { env, encoding: 'utf8' }));
    execFileSync(CLI, ['init', '--kdf-ms', '200'], { env, stdio: 'ignore' });
    const year = new Date().getFullYear();
    const d = (md) => `${year}-${md}`;
    cli('practice', 'set', '--name', 'Mag. Anna Huber', '--city', 'Wien');
    const client = (name, code, extra = []) =>
      cli('client', 'add', '--name', name, '--code-name', code, '--insurer', 'ÖGK', ...extra).id;
    const baerbel = client('Bärbel Größ', 'BG-1', ['--insurance-kind', 'at-statutory']);
    const jakob = client('Jakob Öller', 'JÖ-2', ['--insurance-kind', 'at-statutory']);
    cli('client', 'update', baerbel, '--approved-sessions', '20');
    for (let i = 0; i < 12; i++) {
      const day = String(2 + 7 * (i % 4)).padStart(2, '0');
      const month = String(2 + Math.floor(i / 4)).padStart(2, '0');
      cli(
        'session',
        'add',
        '--client',
        baerbel,
        '--date',
        d(`${month}-${day}`),
        '--minutes',
        '50',
        '--fee-cents',
        '9000',
      );
      cli(
        'session',
        'add',
        '--client',
        jakob,
        '--date',
        d(`${month}-${day}`),
        '--minutes',
        '50',
        '--fee-cents',
        '9000',
      );
    }
    const series = cli(
      'appointment',
      'add',
      '--client',
      baerbel,
      '--start',
      `${d('09-07')} 09:00`,
      '--weekly',
      '1',
      '--until',
      d('11-30'),
      '--note',
      'Geheime Notiz',
    );
    const ids = series.ids ?? series.appointments ?? [];
    if (ids[1]) execFileSync(CLI, ['appointment', 'status', ids[1], 'cancelled'], { env, stdio: 'ignore' });
    const missed = cli('appointment', 'add', '--client', jakob, '--start', `${d('06-10')} 10:00`).id;
    execFileSync(CLI, ['appointment', 'status', missed, 'no-show'], { env, stdio: 'ignore' });

    const { browser, stop } = await launch(w);
    const ui = helpers(browser);
    const toStats = () =>
      browser.execute(() => document.querySelector('[data-testid="stats"]').scrollIntoView());
    const toExports = () => browser.execute(() => document.querySelector('.exports').scrollIntoView());
    try {
      await ui.type('#unlock-secret', PASSWORD);
      await ui.click('[data-action="unlock"]');
      await ui.click('[data-place="settings"]');
      await ui.click('[data-tab="general"]');
      await ui.click('[data-lang="de"]');
      await ui.click('[data-place="reports"]');
      await ui.waitText(`Statistik ${year}`);
      await ui.waitText('Bewilligung nötig');
      const table = await (await ui.$('[data-testid="stats-clients"]')).getText();
      assert.match(table, /Bärbel Größ\s*12/);
      await toStats();
      await ui.shot('de-ics-01-statistics');
      await toExports();
      await ui.waitText('Kalender exportieren…');
      await ui.shot('de-ics-02-calendar-export');

      const ics = join(w.root, 'Termine.ics');
      await browser.execute((args) => window.__TAURI_INTERNALS__.invoke('export_calendar', args), {
        from: `${year}-01-01`,
        to: `${year}-12-31`,
        path: ics,
      });
      const text = readFileSync(ics, 'utf8');
      assert.match(text, /SUMMARY:BG-1/);
      assert.match(text, /RRULE:FREQ=WEEKLY;INTERVAL=1;UNTIL=/);
      for (const secret of ['Bärbel', 'Größ', 'Geheime Notiz', 'Öller'])
        assert.ok(!text.includes(secret), `${secret} in the .ics`);

      await ui.click('[data-place="settings"]');
      await ui.click('[data-tab="general"]');
      await ui.click('[data-lang="en"]');
      await ui.click('[data-place="reports"]');
      await ui.waitText(`Statistics ${year}`);
      await ui.waitText('Approval needed');
      await toStats();
      await ui.shot('en-ics-01-statistics');
      await toExports();
      await ui.shot('en-ics-02-calendar-export');
    } finally {
      await stop();
    }
  },
);
