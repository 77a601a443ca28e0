// Screenshot of an HTML report in headless Debian Chromium (playwright-core
// from tests/browser/node_modules; no browser is downloaded), for the docs:
//   node scripts/screenshot-report.mjs report.html out.png [#view=...]
import { createRequire } from "node:module";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { launchChromium } from "../tests/browser/chromium.mjs";

const here = path.dirname(new URL(import.meta.url).pathname);
const require = createRequire(path.join(here, "../tests/browser/package.json"));
const { chromium } = require("playwright-core");
const [file, out, hash = ""] = process.argv.slice(2);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "heapflame-shot-"));
const context = await launchChromium(chromium, dir);
const page = await context.newPage();
await page.goto("file://" + path.resolve(file) + hash);
await page.waitForSelector("body[data-hf-ready]", { state: "attached" });
await page.screenshot({ path: out });
await context.close();
fs.rmSync(dir, { recursive: true, force: true });
