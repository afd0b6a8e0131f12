// Auto-lock: with the idle time set to one minute, the window locks itself, says why, and
// shows no personal data any more.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { test } from 'node:test';
import { helpers, launch, world } from './driver.mjs';

const CLI = process.env.TRESOR_CLI;
const PASSWORD = 'Eine Minute Ruhe bitte';

test(
  'locks itself after the idle time',
  { timeout: 180_000, skip: CLI ? false : 'TRESOR_CLI not set' },
  async () => {
    const w = world('idle');
    const env = { ...w.env, TRESOR_VAULT: w.env.TRESOR_DATA_FOLDER, TRESOR_PASSWORD: PASSWORD };
    execFileSync(CLI, ['init', '--kdf-ms', '200'], { env, stdio: 'ignore' });
    execFileSync(CLI, ['client', 'add', '--name', 'Ärger Öztürk'], { env, stdio: 'ignore' });

    const { browser, stop } = await launch(w);
    const ui = helpers(browser);
    try {
      await ui.type('#unlock-secret', PASSWORD);
      await ui.click('[data-action="unlock"]');
      await ui.click('[data-place="clients"]');
      await ui.waitText('Öztürk');
      await ui.click('[data-place="settings"]');
      await ui.click('[data-tab="security"]');
      await ui.type('#sec-idle', '1');
      await browser.keys(['Tab']);
      await browser.waitUntil(async () => /\b1 (Minute|minute)\b/.test(await ui.bodyText()), {
        timeout: 10000,
      });
      const t0 = Date.now();
      await ui.$('#unlock-secret').waitForDisplayed({ timeout: 120000, interval: 1000 });
      const after = Math.round((Date.now() - t0) / 1000);
      assert.match(await ui.bodyText(), /Inaktivität|without activity/);
      assert.ok(
        !(await ui.bodyText()).includes('Öztürk'),
        'personal data stayed on screen after the idle lock',
      );
      console.log(`idle lock came ${after} s after the last input (limit 60 s, checked every 5 s)`);
      assert.ok(after >= 40 && after <= 80, `locked after ${after} s`);
    } finally {
      await stop();
    }
  },
);
