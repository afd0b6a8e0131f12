// Starts the real app through tauri-driver (→ WebKitWebDriver) with its own temp folders, and
// small helpers for the journeys. The app inherits tauri-driver's environment, so every path it
// writes to points into the temp dir.

import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { remote } from 'webdriverio';

export const APP = process.env.TRESOR_APP ? resolve(process.env.TRESOR_APP) : null;
export const SHOTS = resolve(
  process.env.TRESOR_SCREENSHOTS ?? new URL('./screenshots', import.meta.url).pathname,
);
mkdirSync(SHOTS, { recursive: true });

let port = 4444 + (process.pid % 500);

// The worlds of a test file go when it passed (a full suite left ~5 GB in /tmp); a failed
// one keeps them to look at, as does TRESOR_KEEP_WORLDS=1.
const worlds = [];
process.on('exit', (code) => {
  if (code !== 0 || process.env.TRESOR_KEEP_WORLDS) return;
  for (const root of worlds) rmSync(root, { recursive: true, force: true });
});

/** A fresh world: data folder, local root, config and data homes, all under one temp dir. */
export function world(name) {
  const root = mkdtempSync(join(tmpdir(), `tresor-e2e-${name}-`));
  worlds.push(root);
  const env = {
    ...process.env,
    TRESOR_HOME: join(root, 'local'),
    TRESOR_DATA_FOLDER: join(root, 'Datenordner Praxis'),
    XDG_CONFIG_HOME: join(root, 'config'),
    XDG_DATA_HOME: join(root, 'data-home'),
    XDG_CACHE_HOME: join(root, 'cache'),
    TMPDIR: join(root, 'tmp'),
  };
  for (const k of ['TRESOR_HOME', 'XDG_CONFIG_HOME', 'XDG_DATA_HOME', 'XDG_CACHE_HOME', 'TMPDIR'])
    mkdirSync(env[k], { recursive: true });
  return { root, env };
}

/** Starts tauri-driver and the app; returns the WebdriverIO browser and a stop function. */
export async function launch(w) {
  if (!APP) throw new Error('set TRESOR_APP to the app binary built with the custom-protocol feature');
  port += 1;
  // Its own process group, so stopping it also ends WebKitWebDriver and the app it started.
  const driver = spawn('tauri-driver', ['--port', String(port), '--native-port', String(port + 1000)], {
    env: w.env,
    stdio: ['ignore', 'inherit', 'inherit'],
    detached: true,
  });
  await sleep(700);
  let browser;
  for (let attempt = 0; ; attempt++) {
    try {
      browser = await remote({
        hostname: '127.0.0.1',
        port,
        logLevel: 'error',
        connectionRetryCount: 0,
        connectionRetryTimeout: 30000,
        capabilities: { 'tauri:options': { application: APP } },
      });
      break;
    } catch (e) {
      if (attempt > 20) throw e;
      await sleep(300);
    }
  }
  const stop = async () => {
    try {
      await Promise.race([browser.deleteSession(), sleep(8000)]);
    } catch {
      /* the app may have exited on its own */
    }
    try {
      process.kill(-driver.pid, 'SIGTERM');
    } catch {
      /* already gone */
    }
    await sleep(500);
  };
  return { browser, stop };
}

export function helpers(browser) {
  const $ = (s) => browser.$(s);
  // innerText of the whole page: WebKitWebDriver's element text leaves out parts of nested
  // flex layouts.
  const bodyText = async () => (await browser.execute(() => document.body.innerText)) ?? '';
  return {
    $,
    bodyText,
    async waitText(text, timeout = 15000) {
      await browser.waitUntil(async () => (await bodyText()).includes(text), {
        timeout,
        timeoutMsg: `"${text}" did not appear; the page says: ${(await bodyText()).slice(0, 600)}`,
      });
    },
    async waitGone(text, timeout = 15000) {
      await browser.waitUntil(async () => !(await bodyText()).includes(text), {
        timeout,
        timeoutMsg: `"${text}" did not go away`,
      });
    },
    async waitValue(sel, text, timeout = 15000) {
      await browser.waitUntil(
        async () => {
          const el = await $(sel);
          return (await el.isExisting()) && ((await el.getValue()) ?? '').includes(text);
        },
        { timeout, timeoutMsg: `${sel} did not come to hold "${text}"` },
      );
    },
    async type(sel, value) {
      const el = await $(sel);
      await el.waitForDisplayed({ timeout: 15000 });
      await el.clearValue();
      await el.setValue(value);
    },
    async click(sel) {
      const el = await $(sel);
      await el.waitForClickable({ timeout: 15000 });
      await el.click();
    },
    async shot(name) {
      await sleep(250);
      await browser.saveScreenshot(join(SHOTS, `${name}.png`));
    },
  };
}

/**
 * Times one action inside the page, without WebDriver's round trips: from the action (`act`: a
 * click, a select's or an input's new value, each with the events a person's would fire) until
 * the page shows `until` (`sel`, its text or `attr`, which must match `pattern` and, with
 * `changed`, differ from what it was before). `dom`: the DOM holds the result (watched by a
 * MutationObserver); `painted`: the next frame's rendering is done (a task queued from its
 * animation-frame callback runs after it); `frame`: the frame after that starts (two animation
 * frames, which counts up to one frame's idle wait on top). All in ms.
 */
export async function timeInWindow(browser, act, until) {
  return browser.execute(
    async (act, until) => {
      const probe = () => {
        const el = document.querySelector(until.sel);
        if (!el) return null;
        return until.attr ? el.getAttribute(until.attr) : el.textContent;
      };
      const before = probe();
      const holds = () => {
        const v = probe();
        return (
          v != null &&
          !(until.changed && v === before) &&
          !(until.pattern && !new RegExp(until.pattern).test(v))
        );
      };
      const target = document.querySelector(act.sel);
      const t0 = performance.now();
      if (act.kind === 'click') target.click();
      else {
        target.value = act.value;
        target.dispatchEvent(new Event(act.kind === 'select' ? 'change' : 'input', { bubbles: true }));
      }
      const dom = await new Promise((resolve, reject) => {
        const timer = setInterval(() => check(), 50);
        const obs = new MutationObserver(() => check());
        function check() {
          const now = performance.now();
          if (holds() || now - t0 > 30000) {
            obs.disconnect();
            clearInterval(timer);
            if (holds()) resolve(now - t0);
            else reject(new Error(`${until.sel} did not come to show the result; it shows ${probe()}`));
          }
        }
        obs.observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
        check();
      });
      // A task queued from the next frame's callback runs once that frame's rendering (style,
      // layout, paint) is done; the callback after it starts the frame after.
      const painted = await new Promise((resolve) =>
        requestAnimationFrame(() => {
          const ch = new MessageChannel();
          ch.port1.onmessage = () => resolve(performance.now() - t0);
          ch.port2.postMessage(0);
        }),
      );
      await new Promise((r) => requestAnimationFrame(r));
      const frame = performance.now() - t0;
      return { dom: Math.round(dom), painted: Math.round(painted), frame: Math.round(frame) };
    },
    act,
    until,
  );
}

/**
 * Every file below `root` (data folder, working copy, the WebView's data, cache and config
 * folders, temp) that holds one of `needles` readably, in UTF-8 or UTF-16LE.
 */
export function filesWithPlaintext(root, needles) {
  const patterns = needles.flatMap((n) => [Buffer.from(n, 'utf8'), Buffer.from(n, 'utf16le')]);
  const found = [];
  const walk = (dir) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile()) {
        const bytes = readFileSync(p);
        if (patterns.some((pat) => bytes.includes(pat))) found.push(p);
      }
    }
  };
  walk(root);
  return found;
}
