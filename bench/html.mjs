// bench/run.sh's HTML report rows: headless Debian Chromium
// (/usr/bin/chromium through playwright-core; nothing is downloaded) opening
//   - heapflame's HTML report: time from navigation to the drawn flame graph
//     (the page marks itself ready after its first paint of the canvas), the
//     page's own decode / layout / first-draw times (of the display tree), a
//     zoom and a search repaint (timed in the page up to the next painted
//     frame), the search's "Matched" over all stacks, a zoom past the
//     display tree's detail, the whole call tree's decode, frames drawn;
//   - heapflame's SVG flame graph of the same profile: time to ready, frames;
//   - pprof's web UI (go tool pprof -http, already started by the caller at
//     PPROF_BASE): /ui/flamegraph and /ui/ (the call graph), time to the
//     load event, frames (svg rect) or nodes (g.node) shown;
// and for each, the tab's memory: the resident set of the page's renderer
// process (ps), read after the page settled.
// Prints one JSON object per measured page, one per line.
//
//   node bench/html.mjs NODE_MODULES_DIR REPORT.html [FLAME.svg] [PPROF_BASE] [RUNS]
import { createRequire } from "node:module";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { launchChromium } from "../tests/browser/chromium.mjs";

const [modules, html, svg, pprofBase, runsArg] = process.argv.slice(2);
const require = createRequire(path.join(path.resolve(modules), "bench.cjs"));
const { chromium } = require("playwright-core");
const runs = Number(runsArg) || 3;
const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), "heapflame-bench-html-"));
const context = await launchChromium(chromium, userDataDir);
const median = (v) => v.slice().sort((a, b) => a - b)[Math.floor(v.length / 2)];

// resident memory of the renderer processes of our browser (one page open)
function rendererMB() {
  const out = execFileSync("ps", ["-eo", "rss=,args="], { encoding: "utf8", maxBuffer: 1 << 26 });
  let kb = 0;
  for (const line of out.split("\n")) {
    if (line.includes(userDataDir) && line.includes("--type=renderer")) kb += parseInt(line, 10) || 0;
  }
  return Math.round(kb / 1024);
}

async function measure(name, url, ready, extra, timeout = 600000) {
  const rows = [];
  for (let i = 0; i < (name.startsWith("pprof") ? 1 : runs + 1); i++) {
    const page = await context.newPage();
    const errors = [];
    page.on("pageerror", (e) => errors.push(String(e)));
    const t0 = Date.now();
    try {
      await page.goto(url, { timeout, waitUntil: ready ? "commit" : "load" });
      if (ready) await page.waitForSelector(ready, { state: "attached", timeout });
    } catch (e) {
      console.log(JSON.stringify({ name, error: String(e).split("\n")[0], afterMs: Date.now() - t0 }));
      await page.close();
      return;
    }
    const openMs = Date.now() - t0;
    await page.waitForTimeout(300);
    const memDrawnMB = rendererMB(); // the page as first drawn
    // the largest resident set while the views are exercised (sampled)
    let peakMB = memDrawnMB;
    const sampler = setInterval(() => { peakMB = Math.max(peakMB, rendererMB()); }, 250);
    const more = extra ? await extra(page) : {};
    await page.waitForTimeout(500);
    clearInterval(sampler);
    const memMB = rendererMB();
    const row = { name, openMs, memDrawnMB, memMB, peakMB: Math.max(peakMB, memMB), errors: errors.length, ...more };
    await page.close();
    if (i > 0 || name.startsWith("pprof")) rows.push(row);
  }
  const out = { ...rows[0] };
  for (const k of Object.keys(out)) if (typeof out[k] === "number") out[k] = median(rows.map((r) => r[k]));
  out.runs = rows.length;
  console.log(JSON.stringify(out));
}

// the report: "drawn" is the page's first paint (first-contentful-paint:
// nothing is shown before the script's first canvas paint; the script
// runs while the parser still reads the bulk after it), from navigation,
// by the page's clock; openMs is when playwright saw the mark (its polling
// waits for the busy parser); readyMs: the bulk read, every view usable
await measure("heapflame html", "file://" + path.resolve(html), "body[data-hf-drawn]", async (page) => {
  await page.waitForSelector("body[data-hf-ready]", { state: "attached", timeout: 600000 });
  return page.evaluate(async () => {
    // the page's CSP forbids eval: no string is evaluated here
    const nextFrame = () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    const R = window.heapflameReport, F = R.flame.F;
    const paint = performance.getEntriesByType("paint").find((e) => e.name === "first-contentful-paint");
    const drawnMs = Math.round(Math.max(paint ? paint.startTime : 0, R.startMs + R.drawnMs));
    const readyMs = Math.round(R.startMs + R.readyMs);
    // zoom into the widest child of the root
    let best = -1;
    for (let c = 1; c < F.end[0]; c = F.end[c]) if (best < 0 || F.w[c] > F.w[best]) best = c;
    let t = performance.now();
    R.zoomTo(best);
    await nextFrame();
    const zoomMs = performance.now() - t;
    const zoomFrames = R.flame.drawn;
    // the whole zoomed graph: scrolled to its root (the rows drawn follow
    // the window), the repaint then
    t = performance.now();
    window.scrollTo(0, document.documentElement.scrollHeight);
    await nextFrame();
    const scrollMs = Math.round(performance.now() - t);
    const scrollFrames = R.flame.drawn;
    // a search: the repaint, then "Matched" over every stack (computed
    // after the repaint when the display tree is cut)
    // (one frame: the repaint is that frame's; "Matched" over every stack
    // is computed in a task after it when the display tree is cut)
    t = performance.now();
    R.setSearch("runtime");
    await new Promise((r) => requestAnimationFrame(r));
    const searchMs = performance.now() - t;
    // the longest the main thread was held meanwhile (the gap between
    // two 5 ms polls): "Matched" works in slices
    let matchedBlockMs = 0, last = performance.now();
    while (/\u2026/.test(document.querySelector("#hf-matched").textContent)) {
      await new Promise((r) => setTimeout(r, 5));
      const now = performance.now();
      matchedBlockMs = Math.max(matchedBlockMs, now - last);
      last = now;
    }
    const matchedMs = performance.now() - t;
    const matched = document.querySelector("#hf-matched").textContent;
    // a zoom deep enough to need the whole tree (a frame of the display
    // tree at the edge of its detail), then what the whole tree took
    const G = R.flame.F;
    let deep = -1;
    if (G.pruned) for (let i = 1; i < G.n; i++) if (G.limit * R.flame.W / G.w[i] >= 1 && G.w[i] > 0) { deep = i; break; }
    let deepZoomMs = null;
    if (deep > 0) {
      t = performance.now();
      R.zoomTo(deep);
      await nextFrame();
      deepZoomMs = Math.round(performance.now() - t);
    }
    const full = R.fullTree();
    // the whole-tree views: Top, then Peek and Sandwich of the heaviest
    // function (Top's first row)
    t = performance.now();
    R.setView("top");
    await nextFrame();
    const topMs = Math.round(performance.now() - t);
    const heaviest = R.names[R.topRows()[0].fn];
    t = performance.now();
    R.select(heaviest);
    R.setView("peek");
    await nextFrame();
    const peekMs = Math.round(performance.now() - t);
    t = performance.now();
    R.setView("sandwich");
    await nextFrame();
    const sandwichMs = Math.round(performance.now() - t);
    // the refine boxes: focus on that function, hide the runtime's frames
    // (a refined tree of the stacks kept, drawn cut: its nodes, build and
    // layout times), then Top under them; then a narrower one
    // (focus on the first function of Top under 0.5 % cum alone)
    const quote = (x) => x.replace(/[\\^$.*+?()[\]{}|]/g, "\\$&");
    const note = () => document.querySelector(".hf-bar .hf-note").textContent;
    const refine = async (r) => {
      R.setView("flame");
      let t0 = performance.now();
      R.setRefine(r);
      await nextFrame();
      const ms = Math.round(performance.now() - t0), applied = R.state.focus !== "", frames = R.flame.drawn;
      const tree = R.refinedTree(), build = Math.round(R.times.refine || 0), layout = Math.round(R.times.refineLayout || 0);
      t0 = performance.now();
      R.setView("top");
      await nextFrame();
      return { ms, applied, frames, nodes: tree.treeNodes, build, layout, topMs: Math.round(performance.now() - t0), note: note() };
    };
    const frames = R.flame.drawn;
    const tot = R.meta.types[R.state.type].total, small = R.topRows().find((r) => Math.abs(r.cum) < tot / 200);
    const narrowFn = R.names[(small || R.topRows()[19]).fn];
    const wide = await refine({ focus: "^" + quote(heaviest) + "$", hide: "^runtime\\." });
    R.setRefine({});
    const narrow = await refine({ focus: "^" + quote(narrowFn) + "$" });
    R.setView("flame");
    R.setRefine({});
    await nextFrame();
    const refineMs = wide.ms, refineTopMs = wide.topMs, refineNote = wide.applied ? "" : wide.note;
    return { topMs, peekMs, sandwichMs, refineMs, refineTopMs, refineNote, heaviest, narrowFn,
      refineNodes: wide.nodes, refineBuildMs: wide.build, refineLayoutMs: wide.layout, refineFrames: wide.frames,
      narrowNodes: narrow.nodes,
      narrowRefineMs: narrow.ms, narrowTopMs: narrow.topMs, narrowApplied: narrow.applied, drawnMs, readyMs, scrollMs, scrollFrames, inflateMs: Math.round(R.times.inflate), decodeMs: Math.round(R.times.decode), layoutMs: Math.round(R.times.layout),
      firstDrawMs: Math.round(R.times.firstDraw), zoomMs: Math.round(zoomMs), zoomFrames, searchMs: Math.round(searchMs),
      matchedMs: Math.round(matchedMs), matchedBlockMs: Math.round(matchedBlockMs), matched, deepZoomMs, fullDecodeMs: Math.round(full.decodeMs || 0),
      frames, displayNodes: R.displayNodes, displayCut: R.displayCut, treeNodes: full.treeNodes, stacks: full.stacks };
  });
});
if (svg && svg !== "-") {
  await measure("heapflame svg", "file://" + path.resolve(svg), "svg.heapflame[data-hf-ready]", async (page) =>
    ({ frames: await page.evaluate(() => document.querySelectorAll("svg g[data-i]").length) }));
}
// pprof's pages: what they show, or (nothing counted) the start of their
// text, which says why: without Graphviz's dot command /ui/ is the line
// "Could not execute dot; may need to install graphviz." (the 0 nodes of
// the second session's run). PPROF_PAGES=graph measures /ui/ alone.
const shown = (sel) => async (page) => page.evaluate((sel) => {
  const n = document.querySelectorAll(sel).length;
  return n ? { frames: n } : { frames: 0, note: (document.body ? document.body.innerText : "").trim().slice(0, 120) };
}, sel);
if (pprofBase && pprofBase !== "-") {
  if (process.env.PPROF_PAGES !== "graph")
    await measure("pprof /ui/flamegraph", pprofBase + "/ui/flamegraph", null, shown("svg rect, #chart rect"));
  // the call graph: Graphviz's SVG inline in #graph, a g.node per node
  await measure("pprof /ui/ (graph)", pprofBase + "/ui/", null, shown("#graph svg g.node"));
}
await context.close();
fs.rmSync(userDataDir, { recursive: true, force: true });
