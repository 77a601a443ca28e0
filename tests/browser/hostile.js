// Opens SVGs made from a profile full of hostile frame names in headless
// Chromium (Debian's /usr/bin/chromium through playwright-core), exercises
// them (hover and click every element, search, URL state) and checks that
// no script of the profile ran: window.__pwned stays undefined, no dialog
// opens, no element with an event-handler attribute or a <script>/<img>
// appears beyond what the same SVG type has for a benign profile.
//   node hostile.js HOSTILE.svg BENIGN.svg [HOSTILE2.svg BENIGN2.svg ...]
'use strict';
const { chromium } = require('playwright-core');
const path = require('path');

const EXECUTABLE = process.env.CHROMIUM || '/usr/bin/chromium';

// What the page holds that could run script, counted in the page.
function census() {
  const all = Array.from(document.querySelectorAll('*'));
  let handlers = 0;
  for (const el of all)
    for (const a of Array.from(el.attributes))
      if (/^on/i.test(a.name) || /^\s*javascript:/i.test(a.value)) handlers++;
  return {
    scripts: document.querySelectorAll('script').length,
    foreign: document.querySelectorAll('img, iframe, object, embed, foreignObject').length,
    handlers,
    pwned: window.__pwned === undefined ? null : String(window.__pwned),
  };
}

// Hovers and clicks every drawn element, then presses Escape.
async function exercise(page) {
  await page.evaluate(() => {
    const els = Array.from(document.querySelectorAll('g, rect, text, path, polygon, a, title'));
    for (const el of els.slice(0, 4000)) {
      for (const type of ['mouseover', 'mousemove', 'mouseout', 'click', 'dblclick']) {
        try {
          el.dispatchEvent(new MouseEvent(type, { bubbles: true, cancelable: true, view: window }));
        } catch (e) { /* the page's own handlers may throw; errors are collected */ }
      }
    }
  });
  await page.keyboard.press('Escape');
}

async function check(browser, file, suffix, failures) {
  const page = await browser.newPage();
  const errors = [];
  const dialogs = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  // The viewer's own search prompt gets a hostile term too; any other
  // dialog (an alert) would come from script that should not run.
  page.on('dialog', async (d) => {
    if (d.type() === 'prompt') {
      await d.accept('<img src=x onerror="window.__pwned=30">|</script><script>window.__pwned=31</script>|main');
    } else {
      dialogs.push(d.type() + ': ' + d.message());
      await d.dismiss();
    }
  });
  await page.goto('file://' + path.resolve(file) + suffix, { waitUntil: 'load' });
  await exercise(page);
  const c = await page.evaluate(census);
  await page.close();
  return { census: c, errors, dialogs };
}

(async () => {
  const args = process.argv.slice(2);
  if (args.length < 2 || args.length % 2) {
    console.error('usage: node hostile.js HOSTILE.svg BENIGN.svg ...');
    process.exit(2);
  }
  const browser = await chromium.launch({ executablePath: EXECUTABLE, args: ['--no-sandbox'] });
  let failures = 0;
  let checks = 0;
  const fail = (msg) => { failures++; console.error('FAIL: ' + msg); };
  // URL state is read by the viewer: hostile values there must not run either.
  const suffixes = ['', '?s=%3Cimg%20src%3Dx%20onerror%3Dwindow.__pwned%3D20%3E&x=1&y=0',
    '?s=%3C%2Fscript%3E%3Cscript%3Ewindow.__pwned%3D21%3C%2Fscript%3E&x=NaN&y=-1',
    '?s=.*&x=%22%3E%3Csvg%20onload%3Dwindow.__pwned%3D22%3E'];
  for (let i = 0; i < args.length; i += 2) {
    const hostile = args[i];
    const benign = args[i + 1];
    const base = await check(browser, benign, '', []);
    for (const suffix of suffixes) {
      const r = await check(browser, hostile, suffix, []);
      const where = path.basename(hostile) + suffix;
      checks++;
      if (r.census.pwned !== null) fail(`${where}: script from the profile ran (window.__pwned = ${r.census.pwned})`);
      if (r.dialogs.length) fail(`${where}: dialogs opened: ${r.dialogs.join(' | ')}`);
      if (r.census.scripts > base.census.scripts)
        fail(`${where}: ${r.census.scripts} <script> elements, a benign profile gives ${base.census.scripts}`);
      if (r.census.foreign > base.census.foreign)
        fail(`${where}: ${r.census.foreign} img/iframe/object/foreignObject elements, benign ${base.census.foreign}`);
      if (r.census.handlers > base.census.handlers)
        fail(`${where}: ${r.census.handlers} event-handler or javascript: attributes, benign ${base.census.handlers}`);
      const newErrors = r.errors.filter((e) => !base.errors.includes(e));
      if (newErrors.length) fail(`${where}: script errors a benign profile does not give: ${newErrors.slice(0, 3).join(' | ')}`);
    }
  }
  await browser.close();
  console.log(`${checks} pages checked, ${failures} failures`);
  process.exit(failures ? 1 : 0);
})().catch((e) => { console.error('FAIL: ' + (e && e.stack || e)); process.exit(1); });
