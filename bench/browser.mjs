// bench/run.sh's browser row: how long headless Debian Chromium
// (/usr/bin/chromium, driven by playwright-core; no browser is downloaded)
// takes to open a heapflame SVG, how long its script takes to start
// (svg.heapflame.initMs, measured by the script itself) and one zoom
// (svg.heapflame.zoom(1), timed in the page up to the next painted frame).
// Each run opens the file in a fresh page; prints the medians as
// "OPEN_MS INIT_MS ZOOM_MS FRAMES".
//
//   node bench/browser.mjs NODE_MODULES_DIR FILE.svg RUNS
import { createRequire } from "node:module";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { launchChromium } from "../tests/browser/chromium.mjs";

const [modules, file, runsArg] = process.argv.slice(2);
const require = createRequire(path.join(path.resolve(modules), "bench.cjs"));
const { chromium } = require("playwright-core");
const runs = Number(runsArg) || 3;

const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), "heapflame-bench-chromium-"));
const context = await launchChromium(chromium, userDataDir);
const median = (v) => v.slice().sort((a, b) => a - b)[Math.floor(v.length / 2)];
const open = [], init = [], zoom = [];
let frames = 0;
try {
  for (let i = 0; i < runs + 1; i++) { // the first run warms the browser's caches
    const page = await context.newPage();
    const errors = [];
    page.on("pageerror", (e) => errors.push(String(e)));
    const t0 = Date.now();
    await page.goto("file://" + path.resolve(file));
    await page.waitForSelector("svg.heapflame[data-hf-ready]", { state: "attached" });
    const openMs = Date.now() - t0;
    const initMs = await page.evaluate(() => document.querySelector("svg").heapflame.initMs);
    const zoomMs = await page.evaluate(() => new Promise((resolve) => {
      const svg = document.querySelector("svg");
      const t = performance.now();
      svg.heapflame.zoom(1);
      requestAnimationFrame(() => requestAnimationFrame(() => resolve(performance.now() - t)));
    }));
    frames = await page.evaluate(() => document.querySelectorAll("svg g[data-i]").length);
    if (errors.length) throw new Error("script errors: " + errors.join("; "));
    await page.close();
    if (i > 0) {
      open.push(openMs);
      init.push(initMs);
      zoom.push(zoomMs);
    }
  }
} finally {
  await context.close();
  fs.rmSync(userDataDir, { recursive: true, force: true });
}
console.log(`${median(open)} ${Math.round(median(init))} ${Math.round(median(zoom))} ${frames}`);
