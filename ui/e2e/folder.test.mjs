// The data folder on the real app (issue 15): move it into a cloud folder and reopen it there;
// a second computer (its own working directory, TRESOR_HOME) works on the same folder — both
// change different fields of one client, then the same field, and the conflicts screen settles
// it; a backup now, restored into a new folder; a new recovery key. Screenshots in German and
// English (`de-folder-…`, `en-folder-…`).
//
// The second computer is the CLI with a TRESOR_HOME of its own. Like a real cloud drive, each
// computer has its own copy of the synced folder: the test plays the sync client, copying the
// second computer's new files into the first one's folder when it wants them to "arrive" — so
// both computers change a field before either has seen the other's change, every time.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { helpers, launch, world } from './driver.mjs';

const CLI = process.env.TRESOR_CLI;
const PASSWORD = 'Lindenblüte im Juni 2026';

const w = world('folder');
const oldFolder = w.env.TRESOR_DATA_FOLDER;
const cloud = join(w.root, 'OneDrive');
const moved = join(cloud, 'Tresor');
/** The second computer's copy of the synced folder, and its own local working directory. */
const folderB = join(w.root, 'B', 'OneDrive', 'Tresor');
const envB = {
  ...w.env,
  TRESOR_HOME: join(w.root, 'B', 'local'),
  TRESOR_VAULT: folderB,
  TRESOR_PASSWORD: PASSWORD,
  TRESOR_DEVICE_NAME: 'LAPTOP-B',
};

function cli(env, args) {
  return execFileSync(CLI, args, { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** The sync client: everything in `from` reaches `to` (only new or changed files matter). */
function deliver(from, to) {
  for (const part of ['log', 'leases', 'snapshots']) {
    if (existsSync(join(from, part))) cpSync(join(from, part), join(to, part), { recursive: true });
  }
  if (!existsSync(join(to, 'vault.key'))) cpSync(join(from, 'vault.key'), join(to, 'vault.key'));
}

async function language(ui, l) {
  await ui.click('[data-place="settings"]');
  await ui.click('[data-tab="general"]');
  await ui.click(`[data-lang="${l}"]`);
}

async function openForm(ui, id) {
  await ui.click('[data-place="clients"]');
  await ui.click(`[data-client="${id}"]`);
  await ui.click('[data-action="edit-client"]');
  await ui.$('#cf-phone').waitForDisplayed({ timeout: 15000 });
}

async function editClient(ui, id, field, value) {
  await openForm(ui, id);
  await ui.type(`#cf-${field}`, value);
  await ui.click('[data-action="save-client"]');
  await ui.$('[data-action="edit-client"]').waitForDisplayed({ timeout: 15000 });
}

/** Opens the client's form until a field holds `text` (the next sync round brings it). */
async function waitField(ui, id, field, text) {
  for (let i = 0; ; i++) {
    await openForm(ui, id);
    if (((await (await ui.$(`#cf-${field}`)).getValue()) ?? '').includes(text)) return;
    if (i > 20) assert.fail(`#cf-${field} never came to hold ${text}`);
    await sleep(1500);
  }
}

test(
  'move the data folder, a second computer, conflicts, backup and restore',
  { timeout: 420_000, skip: CLI ? false : 'TRESOR_CLI not set' },
  async () => {
    const envA = { ...w.env, TRESOR_VAULT: oldFolder, TRESOR_PASSWORD: PASSWORD };
    cli(envA, ['init', '--kdf-ms', '200']);
    const id = JSON.parse(cli(envA, ['--json', 'client', 'add', '--name', 'Anna Berger'])).id;
    // 40 MB of attachments, so the move takes long enough to be seen.
    mkdirSync(join(oldFolder, 'attachments'), { recursive: true });
    for (let i = 0; i < 40; i++)
      writeFileSync(join(oldFolder, 'attachments', `${i}.bin`), randomBytes(1 << 20));

    let { browser, stop } = await launch(w);
    let ui = helpers(browser);
    try {
      await ui.type('#unlock-secret', PASSWORD);
      await ui.click('[data-action="unlock"]');
      await language(ui, 'de');

      // Settings → Datenordner: where, how big, which computers.
      await ui.click('[data-tab="folder"]');
      await ui.waitText('Computer, die diesen Datenordner verwenden');
      await ui.waitText('Nicht in einem Cloud-Ordner');
      await sleep(1000);
      await ui.shot('de-folder-01-data-folder');

      // Move it into the OneDrive folder (which already holds other files: Tresor makes a subfolder).
      mkdirSync(cloud, { recursive: true });
      execFileSync('sh', ['-c', `echo Urlaub > "${join(cloud, 'Urlaub.txt')}"`]);
      await ui.click('[data-action="move-folder"]');
      await ui.type('#move-target', cloud);
      await browser.keys(['Tab']);
      await ui.waitText('Dieser Ordner wird von OneDrive synchronisiert.');
      assert.equal(await (await ui.$('#move-target')).getValue(), moved);
      await ui.shot('de-folder-02-move-dialog');
      await ui.click('[data-action="start-move"]');
      await ui.shot('de-folder-02b-moving');
      await ui.waitText('Der Datenordner liegt jetzt in', 60000);
      await ui.waitText('Wird von OneDrive synchronisiert');
      assert.ok(existsSync(join(moved, 'vault.key')), 'the vault is in the new place');
      assert.ok(!existsSync(join(oldFolder, 'vault.key')), 'the old folder is gone');
      await ui.shot('de-folder-03-moved');
    } finally {
      await stop();
    }

    // Reopen: the app offers the folder it was last used with (no preset this time).
    const reopened = { ...w, env: { ...w.env } };
    delete reopened.env.TRESOR_DATA_FOLDER;
    ({ browser, stop } = await launch(reopened));
    ui = helpers(browser);
    try {
      await ui.$('[data-testid="unlock-folder"]').waitForDisplayed({ timeout: 30000 });
      assert.equal(await (await ui.$('[data-testid="unlock-folder"]')).getText(), moved);
      await ui.type('#unlock-secret', PASSWORD);
      await ui.click('[data-action="unlock"]');
      await ui.$('[data-place="clients"]').waitForDisplayed({ timeout: 30000 });

      // A second computer opens the same (synced) folder: its working copy is built from it.
      mkdirSync(folderB, { recursive: true });
      deliver(moved, folderB);
      // Both change a different field of the same client before seeing the other's change.
      cli(envB, ['client', 'update', id, '--phone', '+43 660 2222222']);
      await editClient(ui, id, 'email', 'anna.berger@example.at');
      deliver(folderB, moved);
      await waitField(ui, id, 'phone', '2222222');
      await ui.waitValue('#cf-email', 'anna.berger@example.at');
      await ui.click('[data-place="today"]');

      // Then the same field on both.
      deliver(moved, folderB);
      cli(envB, ['client', 'update', id, '--phone', '+43 660 3333333']);
      await sleep(1100); // the app's change is the newer one, so it is shown first
      await editClient(ui, id, 'phone', '+43 660 4444444');
      deliver(folderB, moved);
      await ui.waitText('1 Feld auf zwei Computern geändert', 30000);
      await ui.click('[data-state="conflicts"]');
      await ui.waitText('Auf zwei Computern geändert');
      await ui.waitText('+43 660 3333333');
      await ui.waitText('+43 660 4444444');
      await ui.waitText('LAPTOP-B');
      await ui.shot('de-folder-04-conflicts');
      await language(ui, 'en');
      await ui.click('[data-state="conflicts"]');
      await ui.waitText('Changed on two computers');
      await ui.shot('en-folder-04-conflicts');
      await ui.click('[data-place="settings"]');
      await ui.click('[data-tab="folder"]');
      await ui.waitText('LAPTOP-B');
      await ui.waitText('Synced by OneDrive');
      await ui.shot('en-folder-01-data-folder');
      await ui.click('[data-action="move-folder"]');
      await ui.type('#move-target', join(w.root, 'Dropbox', 'Tresor'));
      await browser.keys(['Tab']);
      await ui.waitText('This folder is synced by Dropbox.');
      await ui.shot('en-folder-02-move-dialog');
      await browser.keys(['Escape']);
      await language(ui, 'de');
      await ui.click('[data-state="conflicts"]');
      await ui.click('[data-action="take-other"]');
      await ui.waitText('Keine Konflikte', 15000);
      await ui.shot('de-folder-05-conflicts-settled');
      await waitField(ui, id, 'phone', '3333333');

      // A backup now into a "USB drive", then restored into a new folder.
      const usb = join(w.root, 'USB');
      await ui.click('[data-place="settings"]');
      await ui.click('[data-tab="backups"]');
      await ui.waitText('Auf diesem Computer wurde noch keine Sicherung erstellt.');
      await ui.type('#backup-dir', usb);
      await ui.click('[data-action="backup-now"]');
      await ui.waitText('Die Sicherung wurde geschrieben und geprüft', 60000);
      await ui.waitText('Die letzte gelungene Sicherung wurde am');
      const file = join(
        usb,
        readdirSync(usb).find((n) => n.endsWith('.tresor-backup')),
      );
      const restored = join(w.root, 'Wiederhergestellt');
      await ui.type('#restore-file', file);
      await ui.type('#restore-into', restored);
      await ui.type('#restore-password', PASSWORD);
      await ui.click('[data-action="restore"]');
      await ui.waitText('Wiederhergestellt und geprüft', 60000);
      assert.ok(existsSync(join(restored, 'vault.key')));
      await ui.shot('de-folder-06-backups');
      await language(ui, 'en');
      await ui.click('[data-tab="backups"]');
      await ui.waitText('The last good backup was made on');
      await ui.shot('en-folder-06-backups');

      // A new recovery key: the warning first.
      await ui.click('[data-tab="security"]');
      await ui.click('[data-action="new-key"]');
      await ui.waitText('stop working at once');
      await ui.shot('en-folder-07-new-key');
      await language(ui, 'de');
      await ui.click('[data-tab="security"]');
      await ui.click('[data-action="new-key"]');
      await ui.waitText('funktionieren für diesen Datenordner sofort nicht mehr');
      await ui.shot('de-folder-07-new-key');
      await ui.click('[data-action="confirm-new-key"]');
      await ui.$('[data-testid="recovery-key"]').waitForDisplayed({ timeout: 30000 });

      // Open the restored folder: the client as backed up.
      await ui.click('[data-testid="recovery-stored"]');
      await ui.click('[data-action="recovery-continue"]');
      await ui.click('[data-place="settings"]');
      await ui.click('[data-tab="backups"]');
      await ui.type('#restore-file', file);
      const again = join(w.root, 'Zweite Wiederherstellung');
      await ui.type('#restore-into', again);
      await ui.type('#restore-password', PASSWORD);
      await ui.click('[data-action="restore"]');
      await ui.waitText('Wiederhergestellt und geprüft', 60000);
      await ui.click('[data-action="open-restored"]');
      await ui.$('[data-testid="unlock-folder"]').waitForDisplayed({ timeout: 30000 });
      await browser.waitUntil(
        async () => (await (await ui.$('[data-testid="unlock-folder"]')).getText()) === again,
        { timeout: 10000, timeoutMsg: 'the unlock screen did not offer the restored folder' },
      );
      await ui.type('#unlock-secret', PASSWORD);
      await ui.click('[data-action="unlock"]');
      await ui.click('[data-place="clients"]');
      await ui.waitText('Berger', 60000);
    } finally {
      await stop();
    }

    // A second computer's first start: open an existing data folder.
    const fresh = world('folder-second');
    const second = { ...fresh, env: { ...fresh.env } };
    delete second.env.TRESOR_DATA_FOLDER;
    ({ browser, stop } = await launch(second));
    ui = helpers(browser);
    try {
      await ui.$('#open-folder').waitForDisplayed({ timeout: 30000 });
      await (await ui.$('header select')).selectByAttribute('value', 'de');
      await ui.type('#open-folder', moved);
      await ui.shot('de-folder-08-first-run-open');
      await (await ui.$('header select')).selectByAttribute('value', 'en');
      await ui.shot('en-folder-08-first-run-open');
      await ui.click('form.open button[type="submit"]');
      await ui.type('#unlock-secret', PASSWORD);
      await ui.click('[data-action="unlock"]');
      await ui.click('[data-place="clients"]');
      await ui.waitText('Berger', 60000);
    } finally {
      await stop();
    }
  },
);
