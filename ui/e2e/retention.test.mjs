// Records over the years on the real window (issue 16): a small CSV with one bad row imported
// through Settings → Import (the dry run names the bad row by its number, the rest is imported);
// a client restricted (gone from the client list, a nameless busy slot in the calendar, found in
// the Art. 18 view) and lifted again (back); a client whose retention ended, listed on Today,
// erased from its page (gone from the list and the search). The world is prepared with the CLI.
// Screenshots in German and English (`de-ret-*`, `en-ret-*`).

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { helpers, launch, world } from './driver.mjs';

const CLI = process.env.TRESOR_CLI;
const PASSWORD = 'Aufbewahrung im Fenster';

// Row 3 (counting the header as row 1) has a 31 February: the dry run names it, the rest goes in.
const CSV =
  'Nachname;Vorname;Geburtsdatum;Ort\r\nMüller;Anna;03.02.1985;Wien\r\nHuber;Bernd;31.02.1990;Graz\r\nGruber;Clara;;Linz\r\n';

function cli(env, args) {
  return JSON.parse(execFileSync(CLI, ['--json', ...args], { env, encoding: 'utf8' }));
}

/** Tomorrow in the practice's zone (Vienna), as YYYY-MM-DD. */
function tomorrow() {
  const d = new Date(Date.now() + 24 * 3600 * 1000);
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Vienna' }).format(d);
}

test(
  'import with a bad row, restrict and lift, erase after the retention',
  { skip: !CLI && 'set TRESOR_CLI to the tresor binary', timeout: 300000 },
  async () => {
    const w = world('ret');
    const outside = mkdtempSync(join(tmpdir(), 'tresor-e2e-ret-files-'));
    const csv = join(outside, 'Klienten.csv');
    writeFileSync(csv, CSV, 'utf8');
    const env = { ...w.env, TRESOR_VAULT: w.env.TRESOR_DATA_FOLDER, TRESOR_PASSWORD: PASSWORD };
    execFileSync(CLI, ['init', '--kdf-ms', '200'], { env, stdio: 'ignore' });
    const withSession = (name, date) => {
      const id = cli(env, ['client', 'add', '--name', name]).id;
      cli(env, ['session', 'add', '--client', id, '--date', date, '--minutes', '50', '--fee-cents', '9000']);
      return id;
    };
    // Last sessions in 2010: ten years after them the retention ended.
    const olga = withSession('Olga Altmann', '2010-03-01');
    const otto = withSession('Otto Ostermann', '2011-06-15');
    const rosa = withSession('Rosa Sperrlich', '2025-11-03');
    cli(env, ['appointment', 'add', '--client', rosa, '--start', `${tomorrow()} 10:00`]);

    w.env.TRESOR_IMPORT_FILE = csv;
    const { browser, stop } = await launch(w);
    const ui = helpers(browser);
    const clientRow = (id) => `[data-client="${id}"]`;
    const listLoaded = async () => {
      await browser.waitUntil(
        () =>
          browser.execute(
            () => !!document.querySelector('.list-page [aria-live="polite"], .list-page .empty'),
          ),
        { timeout: 15000, timeoutMsg: 'the client list did not load' },
      );
    };
    const openClients = async () => {
      await ui.click('[data-place="clients"]');
      await listLoaded();
    };
    const openClient = async (id) => {
      await openClients();
      await ui.click(clientRow(id));
      await ui.$('[data-testid="client-retention"]').waitForDisplayed({ timeout: 15000 });
    };
    const showIt = (sel) =>
      browser.execute((s) => document.querySelector(s)?.scrollIntoView({ block: 'center' }), sel);
    const importDryRun = async () => {
      await ui.click('[data-place="settings"]');
      await ui.click('[data-tab="import"]');
      await ui.click('[data-action="pick-import-file"]');
      await ui.$('[data-step="map"]').waitForDisplayed({ timeout: 15000 });
      await ui.click('[data-action="import-check"]');
      await ui.$('[data-list="rejected"] tr[data-row="3"]').waitForDisplayed({ timeout: 15000 });
      await browser.execute(() =>
        document.querySelector('[data-step="check"]')?.scrollIntoView({ block: 'start' }),
      );
    };
    try {
      await ui.type('#unlock-secret', PASSWORD);
      await ui.click('[data-action="unlock"]');
      await ui.click('[data-place="settings"]');
      await ui.click('[data-tab="general"]');
      await ui.click('[data-lang="de"]');

      // Today lists the clients whose retention ended, with the end date.
      await ui.click('[data-place="today"]');
      await ui.waitText('Aufbewahrungsfrist abgelaufen');
      await ui.waitText('Olga Altmann');
      await ui.waitText('abgelaufen am 01.03.2020');
      await showIt('[data-list="retention-due"]');
      await ui.shot('de-ret-01-today');

      // Settings → Aufbewahrung: the period is the core's, a wrong one is refused by name.
      await ui.click('[data-place="settings"]');
      await ui.click('[data-tab="retention"]');
      await ui.waitValue('#rs-years', '10');
      await ui.type('#rs-years', '0');
      await ui.click('[data-action="save-retention"]');
      await ui.waitText('Die Aufbewahrungsfrist muss zwischen 1 und 100 Jahren liegen.');
      await ui.type('#rs-years', '10');
      await ui.click('[data-action="save-retention"]');
      await ui.$('[data-testid="retention-saved"]').waitForDisplayed({ timeout: 15000 });
      await ui.shot('de-ret-02-settings');

      // Settings → Praxis: the tax adviser the Art. 15 file names as a recipient.
      await ui.click('[data-tab="practice"]');
      await ui.type('#pf-tax_adviser', 'Steuerkanzlei Huber, Ring 1, 1010 Wien');
      await showIt('#pf-tax_adviser');
      await ui.shot('de-ret-09-practice-tax-adviser');
      await ui.click('//form//button[@type="submit"]');
      await ui.waitText('Praxisdaten gespeichert.');

      // Import: the dry run names row 3 and why; the other two rows are imported.
      await importDryRun();
      await ui.waitText('2 Zeilen werden importiert.');
      await ui.waitText('1 Zeile kann nicht importiert werden.');
      await ui.shot('de-ret-03-import-dry-run');
      await ui.click('[data-action="import-run"]');
      await ui.waitText('2 Einträge wurden importiert.');
      await openClients();
      await ui.waitText('Anna Müller');
      await ui.waitText('Clara Gruber');
      assert.ok(!(await ui.bodyText()).includes('Bernd Huber'), 'the bad row was not imported');

      // Restrict: gone from the list, a nameless busy slot in the calendar; the Art. 18 view
      // holds the client, and lifting brings it back.
      await openClient(rosa);
      await ui.click('[data-action="erase"]');
      await ui.waitText('sind bis 03.11.2035 aufzubewahren');
      await ui.shot('de-ret-04-erase-inside-retention');
      await ui.click('[data-action="restrict-instead"]');
      await ui.$('[data-testid="client-retention"] .badge').waitForDisplayed({ timeout: 15000 });
      await ui.shot('de-ret-05-restricted');
      await openClients();
      await ui.waitText('Olga Altmann');
      assert.equal(await (await ui.$(clientRow(rosa))).isExisting(), false, 'a restricted client is listed');
      await ui.click('[data-place="calendar"]');
      await browser.waitUntil(
        () => browser.execute(() => !!document.querySelector('[data-restricted="true"]')),
        { timeout: 15000, timeoutMsg: 'no busy slot in the calendar' },
      );
      assert.ok(!(await ui.bodyText()).includes('Sperrlich'), 'the calendar names a restricted client');
      await ui.shot('de-ret-06-calendar-busy');
      await openClients();
      await ui.click('//button[@role="radio"][normalize-space()="Verarbeitung eingeschränkt"]');
      await (await ui.$(clientRow(rosa))).waitForDisplayed({ timeout: 15000 });
      await ui.shot('de-ret-08-clients-restricted-view');
      await ui.click(clientRow(rosa));
      await ui.click('[data-action="unrestrict"]');
      await ui.$('[data-action="restrict"]').waitForDisplayed({ timeout: 15000 });
      await openClients();
      await ui.click('//button[@role="radio"][normalize-space()="Aktiv"]');
      await (await ui.$(clientRow(rosa))).waitForDisplayed({ timeout: 15000 });

      // Erase a client whose retention ended: from Today to its page, the dialog, and gone.
      await ui.click('[data-place="today"]');
      await ui.click(`[data-list="retention-due"] [data-client="${olga}"] [data-action="settle-retention"]`);
      await ui.click('[data-action="erase"]');
      await ui.waitText('Die Aufbewahrungsfrist dieser Klient*in endete am 01.03.2020.');
      await ui.shot('de-ret-07-erase-due');
      await ui.click('[data-action="erase-confirm"]');
      await listLoaded();
      await ui.waitText('Otto Ostermann');
      assert.equal(await (await ui.$(clientRow(olga))).isExisting(), false, 'the erased client is listed');
      assert.ok(!(await ui.bodyText()).includes('Olga Altmann'));
      await ui.click('button.search');
      await ui.type('#global-search', 'Altmann');
      await ui.waitText('Nichts gefunden für „Altmann“');
      assert.equal(
        await (await ui.$('[data-hit="client"]')).isExisting(),
        false,
        'search finds the erased client',
      );
      await browser.keys('Escape');

      // The same screens in English.
      await ui.click('[data-place="settings"]');
      await ui.click('[data-tab="general"]');
      await ui.click('[data-lang="en"]');
      await ui.click('[data-place="today"]');
      await ui.waitText('Retention ended');
      await ui.waitText('Otto Ostermann');
      await showIt('[data-list="retention-due"]');
      await ui.shot('en-ret-01-today');
      await ui.click('[data-place="settings"]');
      await ui.click('[data-tab="retention"]');
      await ui.waitValue('#rs-years', '10');
      await ui.shot('en-ret-02-settings');
      await importDryRun();
      await ui.shot('en-ret-03-import-dry-run');
      await openClient(rosa);
      await ui.click('[data-action="erase"]');
      await ui.waitText('must be kept until');
      await ui.shot('en-ret-04-erase-inside-retention');
      await ui.click('[data-action="restrict-instead"]');
      await ui.$('[data-testid="client-retention"] .badge').waitForDisplayed({ timeout: 15000 });
      await ui.shot('en-ret-05-restricted');
      await ui.click('[data-place="calendar"]');
      await browser.waitUntil(
        () => browser.execute(() => !!document.querySelector('[data-restricted="true"]')),
        { timeout: 15000, timeoutMsg: 'no busy slot in the calendar' },
      );
      await ui.shot('en-ret-06-calendar-busy');
      await openClient(otto);
      await ui.click('[data-action="erase"]');
      await ui.waitText('The retention of this client ended on');
      await ui.shot('en-ret-07-erase-due');
      await ui.click('//button[normalize-space()="Cancel"]');
    } finally {
      await stop();
    }
    // What the command line sees after the window closed: the erasure logged, the restriction on.
    const log = cli(env, ['retention', 'log']);
    assert.equal(log.length, 1);
    assert.equal(log[0].early, false);
    assert.deepEqual(cli(env, ['search', 'Altmann']).clients, []);
    assert.equal(cli(env, ['client', 'list', '--restricted']).total, 1);
    assert.equal(cli(env, ['client', 'list']).total, 3 /* Otto, Anna, Clara */);
    assert.equal(cli(env, ['practice', 'show']).tax_adviser, 'Steuerkanzlei Huber, Ring 1, 1010 Wien');
  },
);
