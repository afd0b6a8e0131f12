// Issue 15's last two pieces on the real app: the practice's working hours per weekday (set in
// Settings → Praxis, shading the calendar week) and this computer's notifications (Settings →
// Allgemein). The hours are set in the window and checked on the calendar's shading; the
// notification choice is stored in this computer's settings file, names off by default.
// Screenshots in German and English.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { helpers, launch, world } from './driver.mjs';

const CLI = process.env.TRESOR_CLI;
const PASSWORD = 'Arbeitszeiten am Dienstag 2027';

const pad = (n) => String(n).padStart(2, '0');
const now = new Date();
const today = new Date(Date.UTC(now.getFullYear(), now.getMonth(), now.getDate()));
const addDays = (d, n) => new Date(d.getTime() + n * 86400000);
const iso = (d) => `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
const thisMonday = addDays(today, -((today.getUTCDay() + 6) % 7));

function cli(env, args) {
  const out = execFileSync(CLI, ['--json', ...args], { env, encoding: 'utf8' });
  return out.trim() ? JSON.parse(out) : null;
}

test(
  'working hours per weekday shade the week; notifications per computer',
  { timeout: 300_000, skip: CLI ? false : 'TRESOR_CLI not set' },
  async () => {
    const w = world('notify');
    const env = { ...w.env, TRESOR_VAULT: w.env.TRESOR_DATA_FOLDER, TRESOR_PASSWORD: PASSWORD };
    execFileSync(CLI, ['init', '--kdf-ms', '200'], { env, stdio: 'ignore' });
    const c = cli(env, ['client', 'add', '--name', 'Maria Muster']).id;
    // Tuesday 13:00 this week, inside the hours set below.
    cli(env, [
      'appointment',
      'add',
      '--client',
      c,
      '--start',
      `${iso(addDays(thisMonday, 1))}T13:00`,
      '--minutes',
      '50',
    ]);

    const { browser, stop } = await launch(w);
    const ui = helpers(browser);
    const shot = async (name) => {
      await browser.executeAsync((done) => {
        document.activeElement?.blur?.();
        requestAnimationFrame(() => requestAnimationFrame(done));
      });
      await sleep(800);
      await ui.shot(name);
    };
    try {
      await ui.type('#unlock-secret', PASSWORD);
      await ui.click('[data-action="unlock"]');
      await (await ui.$('[data-place="calendar"]')).waitForClickable({ timeout: 30000 });
      await ui.click('[data-place="settings"]');
      await ui.click('[data-tab="general"]');
      await ui.click('[data-lang="de"]');
      await ui.waitText('Benachrichtigungen');

      // --- Notifications: names off by default; turned on, the choice is this computer's.
      assert.equal(await (await ui.$('#nt-names')).isSelected(), false, 'no names unless allowed');
      assert.equal(await (await ui.$('#nt-appointments')).isSelected(), true);
      await (await ui.$('#notifications')).scrollIntoView();
      await shot('de-notify-03-notifications');

      // --- Working hours: Tuesday 12:00–20:00, Friday off, Saturday 09:00–13:00.
      await ui.click('[data-tab="practice"]');
      await ui.waitText('Arbeitszeiten');
      await ui.type('#wh-hours_tuesday-start', '12:00');
      await ui.type('#wh-hours_tuesday-end', '20:00');
      await ui.click('#wh-hours_friday');
      await ui.click('#wh-hours_saturday');
      await ui.type('#wh-hours_saturday-start', '09:00');
      await ui.type('#wh-hours_saturday-end', '13:00');
      await ui.click('#working-hours button[type="submit"]');
      await ui.waitText('Die Arbeitszeiten wurden gespeichert.');
      await (await ui.$('#working-hours')).scrollIntoView();
      await shot('de-notify-01-working-hours');
      // A wrong day is refused by the core on its own row.
      await ui.type('#wh-hours_monday-end', '07:00');
      await ui.click('#working-hours button[type="submit"]');
      await ui.waitText('Montag: Das Ende muss nach dem Beginn liegen');
      await ui.type('#wh-hours_monday-end', '18:00');
      await ui.click('#working-hours button[type="submit"]');
      await ui.waitGone('Montag: Das Ende muss');

      // --- The calendar week: Tuesday shaded until 12:00 and after 20:00, Friday all day.
      await ui.click('[data-place="calendar"]');
      await ui.$('section.calendar').waitForDisplayed();
      await ui.waitText('Maria Muster');
      const off = await browser.execute(() => document.querySelectorAll('.tr-off').length);
      assert.ok(off > 0, 'off-hours are shaded');
      await shot('de-notify-02-calendar-week');

      // --- English.
      await ui.click('[data-place="settings"]');
      await ui.click('[data-tab="general"]');
      await ui.click('[data-lang="en"]');
      await ui.waitText('Notifications');
      await (await ui.$('#notifications')).scrollIntoView();
      await shot('en-notify-03-notifications');
      await ui.click('[data-tab="practice"]');
      await ui.waitText('Working hours');
      await (await ui.$('#working-hours')).scrollIntoView();
      await shot('en-notify-01-working-hours');
      await ui.click('[data-place="calendar"]');
      await ui.waitText('Maria Muster');
      await shot('en-notify-02-calendar-week');

      // The choice lives in this computer's settings file, with no name in it.
      await ui.click('[data-place="settings"]');
      await ui.click('[data-tab="general"]');
      await ui.click('#nt-names');
      await ui.waitText('Saved.');
      const settingsFile = join(w.env.XDG_CONFIG_HOME, 'at.tresor.desktop', 'settings.json');
      await browser.waitUntil(async () => readFileSync(settingsFile, 'utf8').includes('"show_names": true'), {
        timeout: 5000,
        timeoutMsg: 'the choice was not stored in this computer’s settings',
      });
      assert.ok(!readFileSync(settingsFile, 'utf8').includes('Muster'));
    } finally {
      await stop();
    }
    const practice = cli(env, ['practice', 'show']);
    assert.deepEqual(practice.working_hours.days[1], { start_minute: 720, end_minute: 1200 });
    assert.equal(practice.working_hours.days[4], null);
    assert.deepEqual(practice.working_hours.days[5], { start_minute: 540, end_minute: 780 });
  },
);
