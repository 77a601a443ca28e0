import fs from "node:fs";
import path from "node:path";

// Debian's /usr/bin/chromium, headless, through playwright-core (never a
// downloaded browser), with its profile in userDataDir: the one launch of
// the browser test and of bench/browser.mjs.
export function launchChromium(chromium, userDataDir) {
  return chromium.launchPersistentContext(userDataDir, {
    executablePath: "/usr/bin/chromium",
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    viewport: { width: 1300, height: 900 },
  });
}

// The HTML report tests' browser: a context in which every request is
// counted (requests is emptied by each open), and open(file, hash) loads a
// report from dir, keeps its page errors and dialogs, and waits until the
// report says it is ready. chooseType picks a sample type in the menu.
export async function reportBrowser(chromium, dir) {
  const context = await launchChromium(chromium, fs.mkdtempSync(path.join(dir, "chromium-profile-")));
  const requests = [];
  await context.route("**/*", (route) => { requests.push(route.request().url()); route.continue(); });
  async function open(file, hash = "") {
    const page = await context.newPage();
    page.errors = [];
    page.dialogs = [];
    page.on("pageerror", (e) => page.errors.push(String(e)));
    page.on("dialog", async (d) => { page.dialogs.push(d.message()); await d.dismiss(); });
    requests.length = 0;
    await page.goto("file://" + path.join(dir, file) + hash);
    await page.waitForSelector("body[data-hf-ready]", { state: "attached", timeout: 120000 });
    return page;
  }
  return { context, requests, open };
}

export async function chooseType(page, type) {
  const i = await page.evaluate((t) => heapflameReport.meta.types.findIndex((x) => x.type === t), type);
  await page.selectOption("#hf-type", String(i));
}

// The browser tests' checks: check(desc, ok, detail) counts each and prints
// the failures; finish() prints the tally and exits non-zero when a check
// failed or none ran.
export function checker() {
  let checks = 0, failures = 0;
  return {
    check(desc, ok, detail) {
      checks++;
      if (!ok) {
        failures++;
        console.error(`FAIL: ${desc}${detail !== undefined ? ": " + detail : ""}`);
      }
    },
    finish() {
      console.log(`${checks} checks, ${failures} failed`);
      process.exit(failures || !checks ? 1 : 0);
    },
  };
}

// "Matched" as pprof's folded golden gives it: the share of the total in
// stacks with at least one frame matching re (each stack counted once).
export function goldenMatched(folded, re) {
  let total = 0, matched = 0;
  for (const line of fs.readFileSync(folded, "utf8").split("\n")) {
    if (!line) continue;
    const sp = line.lastIndexOf(" ");
    const v = Number(line.slice(sp + 1));
    total += v;
    if (line.slice(0, sp).split(";").some((f) => re.test(f))) matched += v;
  }
  return (100 * matched / total).toFixed(2);
}
