// The client list with 2,000 clients (made by the core's demo generator through the CLI):
// the first rows, the bottom of the list and a name search each appear quickly.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { test } from 'node:test';
import { helpers, launch, world } from './driver.mjs';

const CLI = process.env.TRESOR_CLI;
const PASSWORD = 'Zweitausend Klienten lang';

test(
  '2,000 clients: list, scroll to the end, search',
  { timeout: 180_000, skip: CLI ? false : 'TRESOR_CLI not set' },
  async () => {
    const w = world('many');
    const env = { ...w.env, TRESOR_VAULT: w.env.TRESOR_DATA_FOLDER, TRESOR_PASSWORD: PASSWORD };
    execFileSync(CLI, ['init', '--kdf-ms', '200'], { env, stdio: 'ignore' });
    execFileSync(CLI, ['demo', '--clients', '2000', '--sessions', '0', '--seed', '7'], {
      env,
      stdio: 'ignore',
    });

    const { browser, stop } = await launch(w);
    const ui = helpers(browser);
    try {
      await ui.type('#unlock-secret', PASSWORD);
      await ui.click('[data-action="unlock"]');
      await (await ui.$('[data-place="clients"]')).waitForClickable({ timeout: 30000 });

      let t0 = Date.now();
      await ui.click('[data-place="clients"]');
      await ui.click('[data-filter="all"]');
      await browser.waitUntil(async () => /2[.,]000 (clients|Klient)/.test(await ui.bodyText()), {
        timeout: 10000,
      });
      await ui.$('[data-client]').waitForDisplayed();
      const firstRows = Date.now() - t0;

      const rendered = await browser.$$('[data-client]').length;
      assert.ok(rendered < 80, `the list rendered ${rendered} rows; it should render only those in view`);

      t0 = Date.now();
      await browser.execute(() => {
        const v = document.querySelector('[role="list"]');
        v.scrollTop = v.scrollHeight;
        v.dispatchEvent(new Event('scroll'));
      });
      await browser.waitUntil(
        async () =>
          browser.execute(() => {
            const rows = [...document.querySelectorAll('[role="listitem"]')];
            const last = rows.at(-1);
            return !!last && last.style.top === `${1999 * 44}px` && !!last.querySelector('[data-client]');
          }),
        { timeout: 10000, timeoutMsg: 'the last row did not render' },
      );
      const scrolled = Date.now() - t0;

      t0 = Date.now();
      await ui.type('[data-testid="client-filter"]', 'Gruber');
      await browser.waitUntil(
        async () =>
          (await ui.bodyText()).includes('Gruber') && !/2[.,]000 (clients|Klient)/.test(await ui.bodyText()),
        { timeout: 10000 },
      );
      const searched = Date.now() - t0;

      console.log(
        `2,000 clients: first rows ${firstRows} ms, end of list ${scrolled} ms, name search ${searched} ms (incl. 150 ms debounce)`,
      );
      assert.ok(firstRows < 3000 && scrolled < 3000 && searched < 3000, 'the client list is too slow');
    } finally {
      await stop();
    }
  },
);
