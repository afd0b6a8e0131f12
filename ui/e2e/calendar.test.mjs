// The calendar journeys of issue 15 on the real app: a weekly series booked in the window across
// the March DST change stays at 09:00; one appointment dragged to another time; one cancelled
// with the no-show fee; one documented from the calendar, and Today shows the session while its
// documentation is empty. Measures how fast a week with 60 appointments is drawn (written to
// docs/DESKTOP.md; not asserted). Screenshots of each new screen in German and English.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { helpers, launch, world } from './driver.mjs';

const CLI = process.env.TRESOR_CLI;
const PASSWORD = 'Kalender mit Sommerzeit 2027';

const pad = (n) => String(n).padStart(2, '0');
const iso = (d) => `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
const addDays = (d, n) => new Date(d.getTime() + n * 86400000);
const de = (d) => `${pad(d.getUTCDate())}.${pad(d.getUTCMonth() + 1)}.${d.getUTCFullYear()}`;
/** Monday of the week of a UTC-anchored date. */
const monday = (d) => addDays(d, -((d.getUTCDay() + 6) % 7));

const now = new Date();
const today = new Date(Date.UTC(now.getFullYear(), now.getMonth(), now.getDate()));
const thisMonday = monday(today);
/** The next spring change in the EU: the last Sunday of March, after today. */
function nextSpringChange() {
  for (let y = today.getUTCFullYear(); ; y++) {
    const end = new Date(Date.UTC(y, 2, 31));
    const sunday = addDays(end, -end.getUTCDay());
    if (sunday > addDays(today, 14)) return sunday;
  }
}
const change = nextSpringChange();
// Four Mondays: two in winter time, two in summer time.
const seriesStart = addDays(change, -13);
const weeksToChange = Math.round((monday(addDays(change, 1)) - thisMonday) / (7 * 86400000));
// 60 appointments in the week after next, for the measurement.
const busyMonday = addDays(thisMonday, 14);

/** Runs the CLI against the test's data folder; `--json` output parsed. */
function cli(env, args) {
  const out = execFileSync(CLI, ['--json', ...args], { env, encoding: 'utf8' });
  return out.trim() ? JSON.parse(out) : null;
}

/** The local start times the calendar shows for a client, from its own event elements. */
async function shownTimes(browser, name) {
  return browser.execute((who) => {
    return [...document.querySelectorAll('[data-appointment]')]
      .filter((e) => e.textContent.includes(who))
      .map((e) => e.querySelector('.ev-time')?.textContent ?? '');
  }, name);
}

async function waitAppointments(browser, n) {
  await browser.waitUntil(
    async () =>
      browser.execute(
        (k) =>
          document.querySelector('section.calendar')?.getAttribute('data-appointments') === String(k) &&
          document.querySelectorAll('[data-appointment]').length >= k,
        n,
      ),
    { timeout: 15000, timeoutMsg: `the calendar did not show ${n} appointments` },
  );
}

async function press(browser, key, times = 1) {
  for (let i = 0; i < times; i++) {
    await browser.keys(key);
    await sleep(60);
  }
}

test(
  'calendar: DST-safe series, drag, no-show, document; Today; 60 appointments a week',
  { timeout: 420_000, skip: CLI ? false : 'TRESOR_CLI not set' },
  async () => {
    const w = world('calendar');
    const env = { ...w.env, TRESOR_VAULT: w.env.TRESOR_DATA_FOLDER, TRESOR_PASSWORD: PASSWORD };
    execFileSync(CLI, ['init', '--kdf-ms', '200'], { env, stdio: 'ignore' });
    cli(env, ['client', 'add', '--name', 'Sophie Pichler']);
    const jonas = cli(env, ['client', 'add', '--name', 'Jonas Berger']).id;
    const demo = cli(env, ['client', 'add', '--name', 'Lena Auer']).id;
    // Held two days ago, not recorded yet.
    const past = addDays(today, -2);
    cli(env, ['appointment', 'add', '--client', jonas, '--start', `${iso(past)}T10:00`, '--minutes', '50']);
    // Twelve a day, Monday to Friday, in the busy week.
    for (let d = 0; d < 5; d++)
      for (let h = 0; h < 12; h++) {
        const minute = 7 * 60 + h * 50;
        const at = `${iso(addDays(busyMonday, d))}T${pad(Math.floor(minute / 60))}:${pad(minute % 60)}`;
        cli(env, ['appointment', 'add', '--client', demo, '--start', at, '--minutes', '45']);
      }

    const { browser, stop } = await launch(w);
    const ui = helpers(browser);
    // Under load the window paints late; a screenshot waits for it.
    const shot = async (name) => {
      await browser.executeAsync((done) => {
        document.activeElement?.blur?.();
        requestAnimationFrame(() => requestAnimationFrame(done));
      });
      await sleep(1000);
      await ui.shot(name);
    };
    try {
      await ui.type('#unlock-secret', PASSWORD);
      await ui.click('[data-action="unlock"]');
      await (await ui.$('[data-place="calendar"]')).waitForClickable({ timeout: 30000 });
      await ui.click('[data-place="settings"]');
      await ui.click('[data-tab="general"]');
      await ui.click('[data-lang="de"]');
      await ui.waitText('Datenordner');
      await ui.click('[data-place="today"]');

      // Today before: the appointment held two days ago waits to be recorded.
      await ui.waitText('Termine ohne Einheit');
      await ui.waitText('Jonas Berger');

      // --- A weekly series at 09:00 across the spring change, booked in the window.
      await ui.click('[data-place="calendar"]');
      await ui.$('section.calendar').waitForDisplayed();
      await browser.waitUntil(async () => (await ui.bodyText()).includes('Tastatur'), { timeout: 15000 });
      await press(browser, 'n');
      await ui.type('#ap-client', 'Sophie');
      await ui.click('[data-action="pick-client"]');
      await ui.type('#ap-date', de(seriesStart));
      await ui.type('#ap-time', '09:00');
      await (await ui.$('#ap-kind')).selectByAttribute('value', 'video');
      await ui.type('#ap-video', 'https://video.example/raum-7');
      await (await ui.$('#ap-repeat')).selectByAttribute('value', 'weekly');
      await ui.type('#ap-interval', '1');
      await ui.type('#ap-count', '4');
      await shot('de-calendar-02-new-series');
      await ui.click('[data-action="save-appointment"]');
      await ui.waitGone('Wiederholung');

      // To the week before the change, then the week after: 09:00 in both.
      await press(browser, 'ArrowRight', weeksToChange - 1);
      await browser.waitUntil(async () => (await shownTimes(browser, 'Sophie Pichler')).length === 1, {
        timeout: 15000,
        timeoutMsg: 'the series is not in the week before the change',
      });
      assert.deepEqual(await shownTimes(browser, 'Sophie Pichler'), ['09:00'], 'winter time');
      await press(browser, 'ArrowRight');
      await browser.waitUntil(
        async () =>
          (await browser.execute(() => document.querySelector('h2.title')?.textContent ?? '')).includes(
            de(monday(addDays(change, 1))),
          ),
        { timeout: 15000 },
      );
      await browser.waitUntil(async () => (await shownTimes(browser, 'Sophie Pichler')).length === 1, {
        timeout: 15000,
      });
      assert.deepEqual(await shownTimes(browser, 'Sophie Pichler'), ['09:00'], 'summer time: still 09:00');
      await shot('de-calendar-01-week-after-dst');

      // --- Drag this week's one an hour later: its box is 50 minutes high, which gives the scale.
      const ev = await ui.$('[data-appointment]');
      const box = await browser.execute(() => {
        const el = document.querySelector('[data-appointment]').closest('.ec-event');
        return { h: el.getBoundingClientRect().height };
      });
      const slotHeight = (box.h / 50) * 30;
      await browser
        .action('pointer', { parameters: { pointerType: 'mouse' } })
        .move({ origin: ev, x: 0, y: -Math.floor(box.h / 2) + 6 })
        .down()
        .move({ origin: 'pointer', x: 0, y: 10, duration: 100 })
        .move({ origin: 'pointer', x: 0, y: Math.round(2 * slotHeight) - 10, duration: 300 })
        .up()
        .perform();
      await browser.waitUntil(
        async () => {
          const t = await shownTimes(browser, 'Sophie Pichler');
          return t.length === 1 && t[0] !== '09:00';
        },
        { timeout: 15000, timeoutMsg: 'the dragged appointment did not move' },
      );
      const dragged = (await shownTimes(browser, 'Sophie Pichler'))[0];
      // Saved in the core: away and back, it is still there.
      await press(browser, 'ArrowLeft');
      await press(browser, 'ArrowRight');
      await sleep(500);
      await browser.waitUntil(async () => (await shownTimes(browser, 'Sophie Pichler'))[0] === dragged, {
        timeout: 15000,
        timeoutMsg: `the move to ${dragged} was not kept`,
      });

      // --- Cancel the week-before one with the no-show fee.
      await press(browser, 'ArrowLeft');
      await browser.waitUntil(async () => (await shownTimes(browser, 'Sophie Pichler'))[0] === '09:00', {
        timeout: 15000,
      });
      await (await ui.$('[data-appointment]')).click();
      await ui.waitText('Serientermin');
      await shot('de-calendar-03-appointment');
      await ui.click('[data-action="edit-appointment"]');
      await ui.waitText('Diesen und alle folgenden');
      await shot('de-calendar-04-change-series');
      await (await browser.$('//button[normalize-space()="Zurück"]')).click();
      await ui.click('[data-action="cancel-appointment"]');
      await ui.click('[data-choice="no_show"]');
      await shot('de-calendar-05-cancel-fee');
      await ui.click('[data-action="confirm-cancel"]');
      await browser.waitUntil(
        async () =>
          (await ui.bodyText()).includes('Nicht erschienen') && !(await ui.$('dialog[open]').isExisting()),
        { timeout: 15000, timeoutMsg: 'the no-show is not shown' },
      );

      // --- Month and day views.
      await press(browser, 'm');
      await ui.waitText('Ostermontag');
      await shot('de-calendar-06-month');
      await press(browser, 'w');
      await press(browser, 't');

      // --- The busy week: how long 60 appointments take to appear (five times), and for
      // comparison the week of today with none or one.
      const measure = async (from) => {
        await browser.waitUntil(
          async () =>
            browser.execute(
              (f) => document.querySelector('section.calendar')?.dataset.measuredFrom === f,
              from,
            ),
          { timeout: 15000 },
        );
        return browser.execute(() => {
          const s = document.querySelector('section.calendar');
          return {
            render: Number(s.dataset.renderMs),
            paint: Number(s.dataset.paintMs),
            load: Number(s.dataset.loadMs),
          };
        });
      };
      const busy = [];
      const quiet = [];
      for (let i = 0; i < 5; i++) {
        await press(browser, 't');
        quiet.push(await measure(iso(thisMonday)));
        await press(browser, 'ArrowRight', 2);
        await waitAppointments(browser, 60);
        busy.push(await measure(iso(busyMonday)));
      }
      const all = (list, k) => list.map((f) => f[k]).join(', ');
      console.log(
        `week with 60 appointments (ms, five runs): in the DOM ${all(busy, 'render')}; painted ` +
          `${all(busy, 'paint')}; asked the core to painted ${all(busy, 'load')}`,
      );
      console.log(
        `week with 0-1 appointments (ms, five runs): in the DOM ${all(quiet, 'render')}; painted ` +
          `${all(quiet, 'paint')}; asked the core to painted ${all(quiet, 'load')}`,
      );
      await shot('de-calendar-07-busy-week');
      await press(browser, 'd');
      await sleep(800);
      await shot('de-calendar-08-day');
      await press(browser, 'w');

      // --- Document the appointment held two days ago, from the calendar.
      await press(browser, 't');
      if (past < thisMonday) await press(browser, 'ArrowLeft');
      await browser.waitUntil(async () => (await shownTimes(browser, 'Jonas Berger')).length === 1, {
        timeout: 15000,
      });
      await browser.execute(() => {
        [...document.querySelectorAll('[data-appointment]')]
          .find((e) => e.textContent.includes('Jonas Berger'))
          ?.click();
      });
      await ui.waitText('Einheit dokumentieren');
      await ui.click('[data-action="document"]');
      await ui.type('#sn-fee', '95,00');
      await shot('de-calendar-10-document');
      await ui.click('[data-action="create-session"]');
      const editor = await ui.$('#doc-body');
      await editor.waitForDisplayed({ timeout: 15000 });

      // Today: the session is recorded but its documentation is empty.
      await ui.click('[data-place="today"]');
      await ui.waitText('Einheiten ohne Dokumentation');
      await ui.waitText('Jonas Berger');
      await shot('de-calendar-09-today');
      await ui.click('[data-action="document-session"]');
      const body = await ui.$('#doc-body');
      await body.waitForDisplayed({ timeout: 15000 });
      await body.clearValue();
      await body.setValue('Verlauf: stabil, Hausaufgabe besprochen.');
      await ui.waitText('Gespeichert um');
      await ui.click('[data-place="today"]');
      await ui.waitText('Morgen');
      await ui.waitGone('Einheiten ohne Dokumentation');

      // --- The same screens in English.
      await ui.click('[data-place="settings"]');
      await ui.click('[data-tab="general"]');
      await ui.click('[data-lang="en"]');
      await ui.waitText('Data folder');
      await ui.click('[data-place="today"]');
      await ui.waitText('Tomorrow');
      await shot('en-calendar-09-today');
      await ui.click('[data-place="calendar"]');
      await ui.waitText('Keyboard');
      await press(browser, 'ArrowRight', weeksToChange);
      await browser.waitUntil(async () => (await shownTimes(browser, 'Sophie Pichler')).length === 1, {
        timeout: 15000,
      });
      await shot('en-calendar-01-week-after-dst');
      await (await ui.$('[data-appointment]')).click();
      await ui.waitText('Series');
      await shot('en-calendar-03-appointment');
      await ui.click('[data-action="edit-appointment"]');
      await shot('en-calendar-04-change-series');
      await (await browser.$('//button[normalize-space()="Back"]')).click();
      await ui.click('[data-action="cancel-appointment"]');
      await shot('en-calendar-05-cancel-fee');
      await browser.keys('Escape');
      await ui.waitGone('How was it cancelled?');
      await press(browser, 'm');
      await ui.waitText('Easter Monday');
      await shot('en-calendar-06-month');
      await press(browser, 'w');
      await press(browser, 't');
      await press(browser, 'ArrowRight', 2);
      await waitAppointments(browser, 60);
      await shot('en-calendar-07-busy-week');
      await press(browser, 'd');
      await sleep(800);
      await shot('en-calendar-08-day');
      await press(browser, 'n');
      await ui.type('#ap-client', 'Lena');
      await ui.click('[data-action="pick-client"]');
      await (await ui.$('#ap-repeat')).selectByAttribute('value', 'monthly');
      await (await ui.$('#ap-end')).selectByAttribute('value', 'until');
      await shot('en-calendar-02-new-series');
      await browser.keys('Escape');
    } catch (e) {
      await ui.shot('debug-calendar-failure').catch(() => {});
      console.log(
        'calendar state:',
        await browser
          .execute(() => JSON.stringify(document.querySelector('section.calendar')?.dataset ?? null))
          .catch(() => ''),
      );
      throw e;
    } finally {
      await stop();
    }
  },
);
