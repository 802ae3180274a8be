// The HTML report renders in a real browser: headless Debian Chromium driven by playwright-core loads the
// file with no server, and the plots are visible (non-empty boxes and non-blank pixels in a screenshot).
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { decodeImage } from '../io/index.ts';
import { parseCsv } from '../table/index.ts';
import { buildReport } from './buildReport.ts';
import { joinPlatemap } from './run.ts';
import { smallRun } from './testRun.ts';

const CHROMIUM = process.env.PHENOSCOPE_CHROMIUM ?? '/usr/bin/chromium';

test('report renders in headless Chromium with its plots visible', {
  skip: existsSync(CHROMIUM)
    ? false
    : `${CHROMIUM} is absent (scripts/ensure-test-deps.sh installs Debian's chromium)`,
}, async () => {
  const run = smallRun();
  const table = joinPlatemap(parseCsv(run.wells, 'wells.csv'), parseCsv(run.platemap, 'platemap.csv'));
  const dir = await mkdtemp(join(tmpdir(), 'phenoscope-report-'));
  const file = join(dir, 'report.html');
  await writeFile(file, buildReport(table, { readout: 'area', heatmapFeatures: ['intensity'] }).html);
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    const requests: string[] = [];
    page.on('request', (r) => {
      if (!r.url().startsWith('file:')) requests.push(r.url());
    });
    await page.goto(pathToFileURL(file).href);
    for (const id of ['qc', 'heatmaps', 'dose-response', 'hits', 'similarity']) {
      assert.ok(await page.locator(`section#${id}`).isVisible(), `section ${id} visible`);
    }
    const svgs = page.locator('svg');
    const count = await svgs.count();
    assert.ok(count >= 6, `${count} SVG plots`);
    for (let i = 0; i < count; i++) {
      const box = await svgs.nth(i).boundingBox();
      assert.ok(box && box.width > 20 && box.height > 20, `plot ${i} has a visible size`);
    }
    assert.deepEqual(requests, [], 'the report loads nothing from the network');
    // A screenshot of the first dose-response plot must hold drawn pixels, not one flat colour.
    const plot = page.locator('section#dose-response svg').first();
    const png = await plot.screenshot();
    await writeFile(join(dir, 'curve.png'), png);
    const image = decodeImage(new Uint8Array(png), 'screenshot.png');
    const values = new Set<number>();
    for (let i = 0; i < image.data.length; i += 7) values.add(image.data[i]!);
    assert.ok(values.size > 10, `screenshot has ${values.size} distinct grey levels`);
  } finally {
    await browser.close();
  }
});
