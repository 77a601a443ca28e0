// Opens a --callgraph SVG in headless Chromium (Debian's /usr/bin/chromium
// through playwright-core) and drives our pan/zoom script: the wheel zooms
// around the pointer, a drag pans, '+' zooms, a double click and '0'
// reset; the page reports no errors.
//   node panzoom.js GRAPH.svg
'use strict';
const { chromium } = require('playwright-core');
const path = require('path');

const EXECUTABLE = process.env.CHROMIUM || '/usr/bin/chromium';

function viewBox(page) {
  return page.evaluate(() => {
    const b = document.documentElement.viewBox.baseVal;
    return [b.x, b.y, b.width, b.height];
  });
}

(async () => {
  const file = process.argv[2];
  const browser = await chromium.launch({ executablePath: EXECUTABLE, args: ['--no-sandbox'] });
  const failures = [];
  const check = (ok, what) => { if (!ok) failures.push(what); };
  try {
    const page = await browser.newPage({ viewport: { width: 1000, height: 800 } });
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto('file://' + path.resolve(file), { waitUntil: 'load' });
    const home = await viewBox(page);
    check(home[2] > 0 && home[3] > 0, 'no viewBox on the SVG');

    await page.mouse.move(500, 400);
    await page.mouse.wheel(0, -400);
    await page.waitForTimeout(100);
    const zoomed = await viewBox(page);
    check(zoomed[2] < home[2] && zoomed[3] < home[3], `wheel up did not zoom in: ${zoomed} from ${home}`);
    check(Math.abs(zoomed[2] / zoomed[3] - home[2] / home[3]) < 1e-6, 'zoom changed the aspect ratio');

    await page.mouse.move(500, 400);
    await page.mouse.down();
    await page.mouse.move(600, 450, { steps: 5 });
    await page.mouse.up();
    const panned = await viewBox(page);
    check(panned[0] < zoomed[0] && panned[1] < zoomed[1], `dragging right/down did not pan: ${panned} from ${zoomed}`);
    check(panned[2] === zoomed[2], 'panning changed the zoom');

    await page.mouse.dblclick(500, 400);
    const reset = await viewBox(page);
    check(reset.every((v, i) => Math.abs(v - home[i]) < 1e-6), `double click did not reset: ${reset}`);

    await page.keyboard.press('+');
    const plus = await viewBox(page);
    check(plus[2] < home[2], "'+' did not zoom in");
    await page.keyboard.press('0');
    const zero = await viewBox(page);
    check(zero.every((v, i) => Math.abs(v - home[i]) < 1e-6), "'0' did not reset");

    check(errors.length === 0, 'page errors: ' + errors.join('; '));
  } finally {
    await browser.close();
  }
  for (const f of failures) console.error('FAIL: ' + f);
  console.log(failures.length ? `${failures.length} pan/zoom checks failed` : 'pan/zoom works');
  process.exit(failures.length ? 1 : 0);
})().catch((e) => { console.error(e); process.exit(2); });
