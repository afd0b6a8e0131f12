// Attachments on the real window: a picture attached by the CLI and a PDF attached through the
// file picker (TRESOR_ATTACH_FILE answers it) are listed on the client's page; the PDF is drawn
// inside the window by pdf.js and the picture shown from memory; "save as" writes the identical
// bytes where the save dialog says (TRESOR_SAVE_DIR answers it); deleting asks first. No file the
// app or its WebView leaves below the world's folders holds the PDF's text. Screenshots in German
// and English (`de-attach-*`, `en-attach-*`).

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { deflateSync } from 'node:zlib';
import { filesWithPlaintext, helpers, launch, world } from './driver.mjs';

const CLI = process.env.TRESOR_CLI;
const PASSWORD = 'Anhänge im Fenster';
const MARKER = 'Einverstaendnis-Marker-4711';

function cli(env, args) {
  return JSON.parse(execFileSync(CLI, ['--json', ...args], { env, encoding: 'utf8' }));
}

/** A one-page PDF with `text` on it, its content stream uncompressed (so a leak is findable). */
function tinyPdf(text) {
  const content = `BT /F1 28 Tf 72 740 Td (${text}) Tj 0 -40 Td (Datum: 01.12.2026) Tj ET`;
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${content.length} >>\nstream\n${content}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let out = '%PDF-1.4\n';
  const offsets = [];
  objects.forEach((o, i) => {
    offsets.push(out.length);
    out += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = out.length;
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const o of offsets) out += `${String(o).padStart(10, '0')} 00000 n \n`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}

const CRC = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf) {
  let c = 0xffffffff;
  for (const b of buf) c = CRC[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}
/** A 240 × 160 RGB picture: a blue-to-green ramp with a white bar. */
function tinyPng() {
  const w = 240;
  const h = 160;
  const rows = [];
  for (let y = 0; y < h; y++) {
    const row = Buffer.alloc(1 + w * 3);
    for (let x = 0; x < w; x++) {
      const bar = y > 70 && y < 90;
      row[1 + x * 3] = bar ? 255 : 30;
      row[2 + x * 3] = bar ? 255 : Math.floor((x / w) * 200);
      row[3 + x * 3] = bar ? 255 : 200 - Math.floor((x / w) * 150);
    }
    rows.push(row);
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr[8] = 8;
  ihdr[9] = 2;
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(Buffer.concat(rows))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

test(
  'attach, show, save and delete files on the client page',
  { skip: !CLI && 'set TRESOR_CLI to the tresor binary', timeout: 240000 },
  async () => {
    const w = world('attach');
    // The files the user picks and saves live outside the world's folders, which are scanned.
    const outside = mkdtempSync(join(tmpdir(), 'tresor-e2e-attach-files-'));
    const pdf = join(outside, 'Einverständnis.pdf');
    const png = join(outside, 'Skizze.png');
    writeFileSync(pdf, tinyPdf(MARKER));
    writeFileSync(png, tinyPng());
    const saveDir = join(outside, 'gespeichert');
    execFileSync('mkdir', ['-p', saveDir]);
    const env = { ...w.env, TRESOR_VAULT: w.env.TRESOR_DATA_FOLDER, TRESOR_PASSWORD: PASSWORD };
    execFileSync(CLI, ['init', '--kdf-ms', '200'], { env, stdio: 'ignore' });
    const client = cli(env, ['client', 'add', '--name', 'Bärbel Größ']).id;
    cli(env, ['attach', 'add', client, png]);

    w.env.TRESOR_ATTACH_FILE = pdf;
    w.env.TRESOR_SAVE_DIR = saveDir;
    const { browser, stop } = await launch(w);
    const ui = helpers(browser);
    const openClient = async () => {
      await ui.click('[data-place="clients"]');
      await ui.click(`[data-client="${client}"]`);
      await ui.$('[data-testid="attachments"]').waitForDisplayed({ timeout: 15000 });
    };
    const row = (name) => `//li[@data-attachment][.//strong[normalize-space()="${name}"]]`;
    const pdfDrawn = () =>
      browser.waitUntil(
        async () =>
          Number(
            (await (await ui.$('[data-testid="attachment-viewer"] .pdf')).getAttribute('data-pages')) ?? 0,
          ) >= 1,
        { timeout: 20000, timeoutMsg: 'the PDF was not drawn' },
      );
    const pictureShown = () =>
      browser.waitUntil(
        () =>
          browser.execute(() => {
            const img = document.querySelector('[data-testid="attachment-viewer"] img');
            return !!img && img.complete && img.naturalWidth === 240 && img.src.startsWith('blob:');
          }),
        { timeout: 15000, timeoutMsg: 'the picture was not shown' },
      );
    try {
      await ui.type('#unlock-secret', PASSWORD);
      await ui.click('[data-action="unlock"]');
      await ui.click('[data-place="settings"]');
      await ui.click('[data-tab="general"]');
      await ui.click('[data-lang="de"]');
      await openClient();
      await ui.waitText('Skizze.png');

      // Attach through the picker, with a lifetime of 90 days.
      await browser.execute(() => {
        const s = document.querySelector('[data-field="keep_days"]');
        s.selectedIndex = 2;
        s.dispatchEvent(new Event('change'));
      });
      await ui.click('[data-action="add-attachment"]');
      await ui.waitText('„Einverständnis.pdf“ angehängt.');
      await ui.waitText('wird am');
      await ui.shot('de-attach-01-client');

      await ui.click(`${row('Einverständnis.pdf')}//button[@data-action="open-attachment"]`);
      await pdfDrawn();
      await ui.shot('de-attach-02-pdf');
      await ui.click('[data-action="close-viewer"]');

      await ui.click(`${row('Skizze.png')}//button[@data-action="open-attachment"]`);
      await pictureShown();
      assert.equal(await (await ui.$('[data-testid="attachment-viewer"] strong')).getText(), 'Skizze.png');
      // WebKitGTK's screenshot may show the last frame before the picture: move the pointer
      // and wait two frames, so it paints.
      await (await ui.$('[data-testid="attachment-viewer"] img')).moveTo();
      await browser.executeAsync((done) => requestAnimationFrame(() => requestAnimationFrame(() => done())));
      await browser.pause(700);
      await ui.shot('de-attach-03-picture');
      await ui.click('[data-action="close-viewer"]');

      // Save as: the identical bytes where the dialog says.
      await ui.click(`${row('Einverständnis.pdf')}//button[@data-action="save-attachment"]`);
      await ui.waitText('Gespeichert unter');
      assert.deepEqual(readFileSync(join(saveDir, 'Einverständnis.pdf')), readFileSync(pdf));

      // Delete asks first.
      await ui.click(`${row('Skizze.png')}//button[@data-action="delete-attachment"]`);
      await ui.waitText('endgültig löschen?');
      await ui.shot('de-attach-04-delete');
      await ui.click('[data-action="confirm-delete"]');
      await ui.waitText('Anhang gelöscht.');
      await ui.waitGone('Skizze.png');

      // The same in English.
      await ui.click('[data-place="settings"]');
      await ui.click('[data-tab="general"]');
      await ui.click('[data-lang="en"]');
      await openClient();
      await ui.waitText('Attachments');
      await ui.shot('en-attach-01-client');
      await ui.click(`${row('Einverständnis.pdf')}//button[@data-action="open-attachment"]`);
      await pdfDrawn();
      await ui.shot('en-attach-02-pdf');
      await ui.click('[data-action="close-viewer"]');
      await ui.click(`${row('Einverständnis.pdf')}//button[@data-action="delete-attachment"]`);
      await ui.waitText('for good?');
      await ui.shot('en-attach-04-delete');
      await ui.click('[data-action="confirm-delete"]');
      await ui.waitText('Attachment deleted.');
    } finally {
      await stop();
    }
    // Both deleted, as the command line sees it after the window is closed.
    assert.deepEqual(cli(env, ['attach', 'list', client]), []);
    // Nothing the app, its WebView or the data folder left holds the PDF's text.
    assert.deepEqual(filesWithPlaintext(w.root, [MARKER]), []);
  },
);
