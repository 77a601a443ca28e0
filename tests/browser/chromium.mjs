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
