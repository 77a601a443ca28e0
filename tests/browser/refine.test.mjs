// The page's refine boxes on a profile big enough that the refined call
// tree has millions of nodes (made by heapflame_gen; tests/html/refine.sh):
// before the refined tree was built as the whole tree is (sorted stacks,
// typed arrays), a refine keeping more than 4,000,000 nodes was refused.
// For a focus on the heaviest function and for a hide of a package, the
// page's Top must equal our CLI's --top with the same flags row for row,
// the refined tree must be that big, and its flame graph must be drawn cut
// to at most 100,000 frames, each as wide as in the refined tree laid out
// whole, with no frame wider than the cut missing. The function and the
// package are taken from the CLI's --top, not named here.
//
// usage: HEAPFLAME=heapflame PROFILE=big.pb.gz REPORT=big.html node refine.test.mjs DIR (REPORT in DIR)
import { chromium } from "playwright-core";
import { execFileSync } from "node:child_process";
import path from "node:path";
import { checker, reportBrowser } from "./chromium.mjs";
import { packageOf, parseTop, quote } from "./pprof-text.mjs";

const dir = path.resolve(process.argv[2]), profile = process.env.PROFILE, report = process.env.REPORT;
const heapflame = process.env.HEAPFLAME;
const { check, finish } = checker();
function cliTop(args) {
  const text = execFileSync(heapflame, ["--top", "-nodecount=0", "-nodefraction=0", "-edgefraction=0", ...args, profile],
    { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], maxBuffer: 1 << 28 });
  return parseTop(text);
}
const pageTop = (page) => page.evaluate(() => Array.from(document.querySelectorAll("#hf-top tr.hf-row"))
  .map((tr) => Array.from(tr.children).map((td) => td.textContent.trim())));

// the heaviest function by cum, and the package of the next one that is
// in another package
const all = cliTop(["-sample_index=alloc_space", "-cum"]);
check("the CLI's --top lists functions", all.length > 100, String(all.length));
const fname = (r) => r[5].replace(/ \(.*\)$/, "");
const heaviest = fname(all[0]), other = packageOf(fname(all.find((r) => packageOf(fname(r)) !== packageOf(heaviest))));

const { context, open } = await reportBrowser(chromium, dir);
for (const [name, r] of [["focus on the heaviest function's package", { focus: "^" + quote(packageOf(heaviest)) + "\\." }],
  ["hide a package", { hide: "^" + quote(other) + "\\." }]]) {
  const page = await open(report, "#view=top&type=alloc_space");
  const whole = await page.evaluate(() => heapflameReport.fullTree());
  const t0 = Date.now();
  await page.evaluate((r) => heapflameReport.setRefine(r), r);
  const ms = Date.now() - t0;
  const got = await pageTop(page), want = cliTop(["-sample_index=alloc_space", ...Object.entries(r).map(([k, v]) => `-${k}=${v}`)]);
  check(`${name}: the CLI lists functions`, want.length > 0, JSON.stringify(r));
  let bad = 0, firstBad = "";
  // the page shows the first 5,000 rows (a note says so)
  const rows = Math.min(want.length, 5000);
  for (let i = 0; i < rows; i++)
    if ((got[i] || []).join("|") !== (want[i] || []).map((s) => s.trim()).join("|")) { if (!bad++) firstBad = `row ${i}: page ${JSON.stringify(got[i])} CLI ${JSON.stringify(want[i])}`; }
  check(`${name}: Top = the CLI's --top ${JSON.stringify(r)} (${want.length} rows, ${got.length} in the page)`, bad === 0 && got.length === rows,
    `${bad} rows differ; ${firstBad}`);
  const rt = await page.evaluate(() => heapflameReport.refinedTree());
  check(`${name}: the refined tree has more than 4,000,000 nodes (${rt.treeNodes} of ${whole.treeNodes}, applied in ${ms} ms)`,
    !rt.whole && rt.treeNodes > 4000000, JSON.stringify(rt));
  // the flame graph: cut, exact widths, no wide frame missing
  await page.click('button[data-view="flame"]');
  const f = await page.evaluate(() => {
    const R = window.heapflameReport, D = R.flame.F, G = R.refinedLayout();
    const key = (F, i) => { const p = []; for (; i > 0; i = F.parent[i]) p.push(F.fn[i]); return p.reverse().join(";"); };
    const m = new Map();
    for (let i = 0; i < G.n; i++) if (G.w[i] >= D.limit / 2) m.set(key(G, i), G.w[i]);
    let bad = 0, missing = 0, wideMissing = 0;
    const shown = new Set();
    for (let i = 0; i < D.n; i++) { const k = key(D, i), w = m.get(k); shown.add(k); if (w === undefined) missing++; else if (w !== D.w[i]) bad++; }
    for (const [k, w] of m) if (w > D.limit * 1.001 && !shown.has(k)) wideMissing++;
    return {n: D.n, pruned: !!D.pruned, total: D.total, wholeTotal: G.w[0], bad, missing, wideMissing, errors: 0};
  });
  check(`${name}: the flame graph is cut to at most 100,000 frames (${f.n})`, f.pruned && f.n <= 100001, JSON.stringify(f));
  check(`${name}: every frame as wide as in the refined tree, none wider than the cut missing`,
    f.bad === 0 && f.missing === 0 && f.wideMissing === 0 && f.total === f.wholeTotal, JSON.stringify(f));
  check(`${name}: no script errors`, page.errors.length === 0, page.errors.join("; "));
  await page.close();
}
await context.close();
finish();
