// Checks a cut display tree against the whole call tree in headless Debian
// Chromium: for each sample type, every display-tree frame's width equals
// the whole tree's, and no frame of the whole tree wider than the cut is
// missing from the display tree. Prints one JSON array.
//   node bench/html-display-check.mjs REPORT.html   (a report whose display tree is cut)
import { createRequire } from "node:module";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
const require = createRequire(new URL("../tests/browser/node_modules/x.cjs", import.meta.url).pathname);
const { chromium } = require("playwright-core");
const { launchChromium } = await import("../tests/browser/chromium.mjs");
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "heapflame-display-"));
const ctx = await launchChromium(chromium, dir);
const page = await ctx.newPage();
await page.goto("file://" + process.argv[2]);
await page.waitForSelector("body[data-hf-ready]", { state: "attached", timeout: 600000 });
const r = await page.evaluate(() => {
  const R = window.heapflameReport, res = [];
  for (let ty = 0; ty < R.meta.types.length; ty++) {
    R.setType(ty);
    const D = R.flame.F;
    // the whole tree's layout, and the layout a zoom past the display
    // tree's detail draws (its frame's subtree and ancestors)
    const G = R.wholeLayout();
    let deep = -1;
    for (let i = 1; i < D.n; i++) if (D.limit * R.flame.W / D.w[i] >= 1 && D.w[i] > 0) { deep = i; break; }
    const key = (F, i) => { const p = []; for (; i > 0; i = F.parent[i]) p.push(F.fn[i]); return p.reverse().join(";"); };
    R.zoomTo(deep);
    const Z = R.flame.F, zoomed = R.flame.zoom;
    const m = new Map();
    for (let i = 0; i < G.n; i++) m.set(key(G, i), G.w[i]);
    // the deep zoom: every frame as wide as in the whole tree, and as many
    let subBad = Z.sub ? 0 : -1, subMissing = 0, subN = 0;
    for (let i = 0; Z.sub && i < Z.n; i++) { const w = m.get(key(Z, i)); subN++; if (w === undefined) subMissing++; else if (w !== Z.w[i]) subBad++; }
    const zk = key(Z, zoomed), zi = G.n ? [...Array(G.n).keys()].find((i) => key(G, i) === zk) : -1;
    let subWant = 0;
    if (zi >= 0) { for (let i = zi; i < G.n && (i === zi || G.depth[i] > G.depth[zi]); i++) subWant++; subWant += G.depth[zi]; }
    let bad = 0, n = 0, missing = 0, wideMissing = 0;
    for (let i = 0; i < D.n; i++) { const w = m.get(key(D, i)); n++; if (w === undefined) missing++; else if (w !== D.w[i]) bad++; }
    // every full-tree frame wider than the limit is in the display
    const dk = new Set(); for (let i = 0; i < D.n; i++) dk.add(key(D, i));
    for (let i = 0; i < G.n; i++) if (Math.abs(G.w[i]) > D.limit && !dk.has(key(G, i))) wideMissing++;
    res.push({ ty, n, bad, missing, wideMissing, full: G.n, limit: D.limit, subBad, subMissing, subN, subWant });
    R.flame.zoom = 0;
  }
  return res;
});
console.log(JSON.stringify(r));
await ctx.close();
fs.rmSync(dir, { recursive: true, force: true });
