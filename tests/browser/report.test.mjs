// Drives Debian's /usr/bin/chromium (headless, playwright-core) over the
// HTML reports written by tests/html/browser.sh into DIR and checks every
// view against pprof's goldens in $FIXTURES (top, peek, folded) and our
// CLI's --top for in-page filters: type switch, selection linking, refine,
// URL state, diff mode, zero network requests, hostile names.
// FIXTURES is the shared set or the repository's tests/data (a clone
// alone); PROFILES names the reports written (heap-small and cpu-small,
// and heap-inline from the shared set). The functions and expressions the
// test uses are taken from the goldens, not named here.
//
// usage: FIXTURES=... PROFILES="heap-small ..." HEAPFLAME=heapflame node report.test.mjs DIR
import { chromium } from "playwright-core";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { checker, chooseType, goldenMatched, reportBrowser } from "./chromium.mjs";
import { packageOf, parseTop, quote } from "./pprof-text.mjs";

const dir = path.resolve(process.argv[2]);
const fixtures = process.env.FIXTURES, heapflame = process.env.HEAPFLAME;
const profiles = (process.env.PROFILES || "").split(/\s+/).filter(Boolean);
const { check, finish } = checker();
check("PROFILES has heap-small", profiles.includes("heap-small"), profiles.join(" "));

// our CLI's --top (every function) for a profile, type and flags
function cliTop(args) {
  return execFileSync(heapflame, ["--top", "-nodecount=0", "-nodefraction=0", "-edgefraction=0", ...args],
    { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
}

// pprof's -peek text: per function, callers, self row and callees
function parsePeek(text) {
  const blocks = [];
  let cur = null, seenSelf = false;
  for (const line of text.split("\n")) {
    if (/^-+\+-+$/.test(line)) { if (cur && cur.self) blocks.push(cur); cur = {callers: [], callees: [], self: null}; seenSelf = false; continue; }
    if (!cur || /flat%/.test(line) || !line.includes("|")) continue;
    const [left, right] = [line.slice(0, line.lastIndexOf("|")), line.slice(line.lastIndexOf("|") + 1)];
    const f = left.trim().split(/\s+/);
    if (f.length >= 5 && /^ [^ ]/.test(right)) {
      cur.self = {flat: f[0], flatP: f[1], cum: f[3], cumP: f[4], name: right.trim()};
      seenSelf = true;
    } else if (f.length === 2) {
      (seenSelf ? cur.callees : cur.callers).push({w: f[0], p: f[1], name: right.trim()});
    }
  }
  if (cur && cur.self) blocks.push(cur);
  return blocks;
}

const { context, requests, open } = await reportBrowser(chromium, dir);
const pageTop = (page) => page.evaluate(() => Array.from(document.querySelectorAll("#hf-top tr.hf-row"))
  .map((tr) => Array.from(tr.children).map((td) => td.textContent.trim())));
async function showView(page, view) { await page.click(`button[data-view="${view}"]`); }
function sameRows(desc, got, want) {
  check(`${desc}: ${want.length} rows`, got.length === want.length, `${got.length} in the page`);
  const n = Math.min(got.length, want.length);
  let bad = 0;
  for (let i = 0; i < n; i++) {
    const w = want[i].map((s) => s.trim()), g = got[i];
    if (w.join("|") !== g.join("|")) {
      if (bad++ < 3) check(`${desc}: row ${i + 1}`, false, `page ${JSON.stringify(g)} pprof ${JSON.stringify(w)}`);
    }
  }
  if (!bad) check(`${desc}: all rows equal`, true);
}

// ---- top, per fixture and type, chosen in the page's type menu ----------
// every type of the profile that has pprof's top golden
for (const fx of profiles) {
  const page = await open(fx + ".html");
  const ts = (await page.evaluate(() => heapflameReport.meta.types.map((t) => t.type)))
    .filter((t) => fs.existsSync(path.join(fixtures, `${fx}.${t}.top.txt`)));
  check(`${fx}: types with pprof's top golden`, ts.length > 0, fixtures);
  check(`${fx}: no script errors`, page.errors.length === 0, page.errors.join("; "));
  check(`${fx}: only the file itself was requested`, requests.length === 1 && requests[0].startsWith("file://"), requests.join(" "));
  const drawn = await page.evaluate(() => heapflameReport.flame.drawn);
  check(`${fx}: flame graph drawn`, drawn > 1, drawn);
  await showView(page, "top");
  for (const t of ts) {
    await chooseType(page, t);
    const legend = await page.textContent(".hf-legend");
    check(`${fx} ${t}: header names the type`, legend.includes("Type: " + t), legend);
    const want = parseTop(fs.readFileSync(path.join(fixtures, `${fx}.${t}.top.txt`), "utf8"));
    sameRows(`${fx} ${t} top`, await pageTop(page), want);
    // search in the flame graph: "Matched" as the folded golden says, for
    // the package of the golden's first row that matches part of the total
    const folded = path.join(fixtures, `${fx}.${t}.folded`);
    const q = want.map((r) => "^" + quote(packageOf(r[5].replace(/ \(.*\)$/, ""))) + "\\.")
      .find((e) => { const m = goldenMatched(folded, new RegExp(e)); return m !== "0.00" && m !== "100.00"; });
    check(`${fx} ${t}: a package for the search`, !fs.existsSync(folded) || q !== undefined);
    if (fs.existsSync(folded) && q !== undefined) {
      await showView(page, "flame");
      await page.fill("#hf-search", q);
      await page.waitForFunction(() => /Matched/.test(document.querySelector("#hf-matched").textContent));
      const m = await page.textContent("#hf-matched");
      check(`${fx} ${t}: Matched for ${q}`, m === "Matched: " + goldenMatched(folded, new RegExp(q)) + "%", m);
      await page.fill("#hf-search", "");
      await showView(page, "top");
    }
  }
  check(`${fx}: still no network`, requests.length === 1, requests.join(" "));
  await page.close();
}

// ---- peek against pprof's -peek 'main\.' --------------------------------
// pprof's goldens (every one of a profile written), then our CLI's --peek
// (written by browser.sh into DIR)
const peeks = [["heap-small", "alloc_space", "cli-peek.heap-small.alloc_space.txt"],
  ["heap-small", "inuse_objects", "cli-peek.heap-small.inuse_objects.txt"]];
for (const fx of profiles)
  for (const f of fs.readdirSync(fixtures)) {
    const m = new RegExp("^" + quote(fx) + "\\.(.+)\\.peek\\.txt$").exec(f);
    if (m) peeks.unshift([fx, m[1]]);
  }
check("pprof's peek goldens found", peeks.length > 2, fixtures);
for (const [fx, t, file] of peeks) {
  const golden = file ? path.join(dir, file) : path.join(fixtures, `${fx}.${t}.peek.txt`);
  check(`${golden} exists`, fs.existsSync(golden));
  if (!fs.existsSync(golden)) continue;
  const page = await open(fx + ".html", "#view=peek&type=" + t);
  const blocks = parsePeek(fs.readFileSync(golden, "utf8"));
  check(`${golden}: has functions`, blocks.length > 0);
  for (const b of blocks) {
    await page.evaluate((n) => heapflameReport.select(n), b.self.name);
    const rows = await page.evaluate(() => Array.from(document.querySelectorAll("#hf-peek tr.hf-row"))
      .map((tr) => ({self: tr.classList.contains("hf-self"), c: Array.from(tr.children).map((td) => td.textContent.trim())})));
    const si = rows.findIndex((r) => r.self);
    check(`${fx} peek ${b.self.name}: selected`, si >= 0);
    if (si < 0) continue;
    const s = rows[si].c;
    check(`${fx} peek ${b.self.name}: flat/cum`, [s[0], s[1], s[3], s[4]].join(" ") === [b.self.flat, b.self.flatP, b.self.cum, b.self.cumP].join(" "),
      `${s.join(" ")} vs ${JSON.stringify(b.self)}`);
    const callers = rows.slice(0, si).map((r) => `${r.c[5]} ${r.c[6]} ${r.c[7]}`);
    const callees = rows.slice(si + 1).map((r) => `${r.c[5]} ${r.c[6]} ${r.c[7]}`);
    const wantIn = b.callers.map((c) => `${c.w} ${c.p} ${c.name}`), wantOut = b.callees.map((c) => `${c.w} ${c.p} ${c.name}`);
    check(`${fx} peek ${b.self.name}: callers`, callers.join("; ") === wantIn.join("; "), `${callers.join("; ")} vs ${wantIn.join("; ")}`);
    check(`${fx} peek ${b.self.name}: callees`, callees.join("; ") === wantOut.join("; "), `${callees.join("; ")} vs ${wantOut.join("; ")}`);
  }
  await page.close();
}

// ---- selection linking, sandwich, call graph, URL state -----------------
// two functions of heap-small's alloc_space Top golden with call graph
// nodes: the first (flat order) is clicked in Top, the second in the graph
const selTop = parseTop(fs.readFileSync(path.join(fixtures, "heap-small.alloc_space.top.txt"), "utf8"));
let first = null, second = null;
{
  const page = await open("heap-small.html", "#view=top&type=alloc_space");
  const inGraph = await page.evaluate(() => {
    const ty = heapflameReport.meta.types[heapflameReport.state.type];
    return ty.gmap.filter((f) => f >= 0).map((f) => heapflameReport.names[f]);
  });
  const picks = selTop.map((r) => r[5]).filter((n) => !/ \(/.test(n) && inGraph.includes(n));
  [first, second] = picks;
  check("two functions of the Top golden in the call graph", first && second, picks.join(", "));
  await page.close();
}
{
  const page = await open("heap-small.html", "#view=top&type=alloc_space");
  const st = await page.evaluate(() => ({ view: heapflameReport.state.view, type: heapflameReport.meta.types[heapflameReport.state.type].type }));
  check("URL state: view and type", st.view === "top" && st.type === "alloc_space", JSON.stringify(st));
  await page.click(`#hf-top tr.hf-row:has(td.hf-name:text-is(${JSON.stringify(first)}))`);
  check(`top click selects ${first}`, await page.evaluate(() => heapflameReport.names[heapflameReport.state.fn]) === first);
  check("selected row marked", (await page.textContent("#hf-top tr.hf-sel td.hf-name")) === first);
  check("URL names the function", decodeURIComponent(await page.evaluate(() => location.hash)).includes("fn=" + first));
  await showView(page, "graph");
  const gsel = await page.evaluate(() => Array.from(document.querySelectorAll(".hf-graph g.node.hf-sel")).map((g) => g.textContent.replace(/\s+/g, " ")));
  check("call graph marks the selected node", gsel.length === 1, JSON.stringify(gsel));
  // clicking another graph node selects its function everywhere
  const other = await page.evaluate((want) => {
    const ty = heapflameReport.meta.types[heapflameReport.state.type];
    for (const g of document.querySelectorAll(".hf-graph g.node")) {
      const m = /^N(\d+)$/.exec(g.querySelector("title").textContent);
      if (m && heapflameReport.names[ty.gmap[+m[1] - 1]] === want) { g.setAttribute("data-t", "1"); return g.id; }
    }
    return null;
  }, second);
  check(`graph node of ${second}`, other !== null);
  if (other) {
    await page.click("g.node[data-t] polygon", { force: true });
    check("graph click selects", await page.evaluate(() => heapflameReport.names[heapflameReport.state.fn]) === second);
  }
  await showView(page, "peek");
  check("peek shows the selection", (await page.textContent("#hf-peek tr.hf-self td.hf-name")) === second);
  await showView(page, "sandwich");
  const sand = await page.evaluate(() => ({ callers: heapflameReport.callers.F.w[1], callees: heapflameReport.callees.F.w[1],
    name: heapflameReport.names[heapflameReport.callees.F.fn[1]], rows: heapflameReport.topRows().filter((r) => r.fn === heapflameReport.state.fn)[0].cum }));
  check("sandwich: callees of the selection", sand.name === second, sand.name);
  check("sandwich: callers and callees total its cum", sand.callers === sand.rows && sand.callees === sand.rows, JSON.stringify(sand));
  await showView(page, "flame");
  const hl = await page.evaluate(() => { const f = heapflameReport.flame.F; let n = 0; for (let i = 0; i < f.n; i++) if (f.fn[i] === heapflameReport.state.fn) n++; return n; });
  check("flame has frames of the selection", hl > 0, hl);
  // reload from the URL: same view, type and selection
  const url = page.url();
  const p2 = await context.newPage();
  await p2.goto(url);
  await p2.waitForSelector("body[data-hf-ready]", { state: "attached" });
  const st2 = await p2.evaluate(() => ({ view: heapflameReport.state.view, type: heapflameReport.meta.types[heapflameReport.state.type].type,
    fn: heapflameReport.names[heapflameReport.state.fn] }));
  check("URL state restores view, type and function", st2.view === "flame" && st2.type === "alloc_space" && st2.fn === second, JSON.stringify(st2));
  // zoom and search survive a reload too
  const q = quote(packageOf(first));
  await p2.fill("#hf-search", q);
  await p2.waitForFunction((q) => location.hash.includes("q=" + encodeURIComponent(q)), q);
  const p3 = await context.newPage();
  await p3.goto(p2.url());
  await p3.waitForSelector("body[data-hf-ready]", { state: "attached" });
  check("URL state restores the search", (await p3.textContent("#hf-matched")).startsWith("Matched: "), await p3.textContent("#hf-matched"));
  await p3.close();
  await p2.close();
  await page.close();
}

// ---- a search repaints only the frames whose match changed: the same
// pixels as drawing the whole graph again --------------------------------
{
  const page = await open("heap-small.html", "#type=alloc_space");
  const pixels = () => page.evaluate(() => {
    const c = document.querySelector("#hf-view-flame canvas"), d = c.getContext("2d").getImageData(0, 0, c.width, c.height).data;
    let h = 2166136261;
    for (let i = 0; i < d.length; i++) h = Math.imul(h ^ d[i], 16777619);
    return h >>> 0;
  });
  const fp = [first, second].map((n) => "^" + quote(packageOf(n)) + "\\.");
  for (const q of [fp[0], quote(second), fp[1], ""]) {
    const before = await page.evaluate(() => heapflameReport.flame.recolored || 0);
    await page.evaluate((q) => heapflameReport.setSearch(q), q);
    const recolored = await page.evaluate(() => heapflameReport.flame.recolored || 0);
    const got = await pixels();
    await page.evaluate(() => heapflameReport.flame.draw());
    const whole = await pixels();
    check(`search ${JSON.stringify(q)}: recoloured, not drawn again`, recolored === before + 1, `${before} -> ${recolored}`);
    check(`search ${JSON.stringify(q)}: the pixels of a whole draw`, got === whole, `${got} vs ${whole}`);
  }
  check("search repaint: no script errors", page.errors.length === 0, page.errors.join("; "));
  await page.close();
}

// ---- refine: pprof's filters in the page = our CLI with the same flags ---
// from the Top golden's packages: focus on the first function and hide the
// package of another; ignore a third package and show the first three
const pkgs = [...new Set(selTop.map((r) => packageOf(r[5].replace(/ \(.*\)$/, ""))))];
const other = pkgs.filter((p) => p !== packageOf(first));
check("the Top golden has three packages", pkgs.length >= 3 && other.length >= 2, pkgs.join(" "));
for (const [name, r] of [["focus+hide", { focus: quote(first), hide: "^" + quote(other[0]) + "\\." }],
  ["ignore+show", { ignore: "^" + quote(other[1]) + "\\.", show: "^(" + pkgs.slice(0, 3).map(quote).join("|") + ")\\." }]]) {
  for (const t of ["alloc_space", "inuse_objects"]) {
    const page = await open("heap-small.html", "#view=top&type=" + t);
    for (const [k, v] of Object.entries(r)) await page.fill("#hf-" + k, v);
    await page.waitForFunction((r) => Object.entries(r).every(([k, v]) => heapflameReport.state[k] === v), r);
    const want = parseTop(cliTop([`-sample_index=${t}`, ...Object.entries(r).map(([k, v]) => `-${k}=${v}`),
      path.join(fixtures, "heap-small.pb.gz")]));
    check(`${name} ${t}: the CLI lists functions`, want.length > 0, JSON.stringify(r));
    sameRows(`${name} ${t} top ${JSON.stringify(r)}`, await pageTop(page), want);
    check(`${name} ${t}: in the URL`, (await page.evaluate(() => location.hash)).includes(Object.keys(r)[0] + "="));
    await page.close();
  }
}

// ---- diff: signed values as pprof -base, differential colours -----------
{
  const page = await open("diff.html", "#view=top");
  for (const t of ["alloc_objects", "alloc_space", "inuse_objects", "inuse_space"]) {
    await chooseType(page, t);
    const want = parseTop(fs.readFileSync(path.join(fixtures, `heap-diff.${t}.top.txt`), "utf8"));
    sameRows(`diff ${t} top`, await pageTop(page), want);
  }
  await showView(page, "flame");
  const colors = await page.evaluate(() => {
    const c = document.querySelector("#hf-view-flame canvas"), g = c.getContext("2d");
    const d = g.getImageData(0, 0, c.width, c.height).data, seen = { red: 0, blue: 0 };
    for (let i = 0; i < d.length; i += 4) {
      if (d[i] === 255 && d[i + 1] === d[i + 2] && d[i + 1] < 255) seen.red++;
      if (d[i + 2] === 255 && d[i] === d[i + 1] && d[i] < 255) seen.blue++;
    }
    const F = heapflameReport.flame.F, sc = c.clientWidth / F.total;
    seen.wideShrank = 0;
    for (let i = 0; i < F.n; i++) if (F.delta[i] < 0 && F.w[i] * sc >= 2) seen.wideShrank++;
    return seen;
  });
  check("diff flame: red frames (grew)", colors.red > 0, JSON.stringify(colors));
  check("diff flame: blue frames (shrank) when any is drawn", colors.wideShrank === 0 || colors.blue > 0, JSON.stringify(colors));
  check("diff header says so", (await page.textContent(".hf-legend")).includes("after - before"));
  await page.close();
}

// ---- hostile names: text everywhere, nothing runs -----------------------
{
  const page = await open("hostile.html");
  for (const v of ["flame", "top", "graph", "peek", "sandwich", "source"]) {
    await showView(page, v);
    if (v === "top") {
      const first = await page.evaluate(() => { const r = document.querySelector("#hf-top tr.hf-row"); return r ? r.getAttribute("data-fn") : null; });
      if (first !== null) await page.click("#hf-top tr.hf-row");
    }
    const box = await page.$(`#hf-view-${v} canvas`);
    if (box) {
      const b = await box.boundingBox();
      if (b && b.height > 0) for (let y = 2; y < Math.min(b.height, 400); y += 16) await page.mouse.move(b.x + b.width / 3, b.y + y);
    }
  }
  const names = await page.evaluate(() => Array.from(document.querySelectorAll("#hf-top td.hf-name, #hf-peek td.hf-name")).map((t) => t.textContent));
  const census = await page.evaluate(() => ({
    pwned: window.__pwned === undefined && window.pwned === undefined,
    scripts: document.querySelectorAll("script").length,
    foreign: document.querySelectorAll("img, iframe, object, embed, foreignObject").length,
    handlers: Array.from(document.querySelectorAll("*")).filter((e) => Array.from(e.attributes).some((a) => /^on/i.test(a.name))).length,
  }));
  check("hostile: nothing ran", census.pwned, JSON.stringify(census));
  check("hostile: no dialogs", page.dialogs.length === 0, page.dialogs.join("; "));
  check("hostile: no script errors", page.errors.length === 0, page.errors.join("; "));
  check("hostile: no foreign elements or handlers", census.foreign === 0 && census.handlers === 0, JSON.stringify(census));
  const dataScripts = await page.evaluate(() => document.querySelectorAll('script[type="application/json"], script[type="text/plain"]').length);
  check("hostile: only our scripts", census.scripts === dataScripts + 1, JSON.stringify(census));
  check("hostile: markup-looking names are text", (await page.evaluate(() => heapflameReport.names.some((n) => n.includes("<script")))), names.slice(0, 3).join(" | "));
  check("hostile: no network", requests.length === 1, requests.join(" "));
  await page.close();
}

// ---- a flame graph taller than the window opens on its root ---------------
{
  async function openShort(hash) {
    const page = await context.newPage();
    page.errors = [];
    page.on("pageerror", (e) => page.errors.push(String(e)));
    await page.setViewportSize({ width: 1300, height: 300 });
    await page.goto("file://" + path.join(dir, "heap-small.html") + hash);
    await page.waitForSelector("body[data-hf-ready]", { state: "attached", timeout: 120000 });
    return page;
  }
  // where the root row (the canvas's last 16 pixels in flame mode) is
  const rootRow = (page) => page.evaluate(() => {
    const box = heapflameReport.flame.canvas.getBoundingClientRect();
    return { scrollY: window.scrollY, vh: window.innerHeight, bottom: box.bottom, height: box.height };
  });
  const seen = (r) => r.bottom <= r.vh + 0.5 && r.bottom - 16 >= -0.5;
  let page = await openShort("");
  let r = await rootRow(page);
  check("short window: the flame graph is taller than it", r.height > r.vh, JSON.stringify(r));
  check("short window: flame mode opens scrolled to its root row", r.scrollY > 0 && seen(r), JSON.stringify(r));
  check("short window: no script errors", page.errors.length === 0, page.errors.join("; "));
  await page.close();
  page = await openShort("#icicle=1");
  r = await rootRow(page);
  check("short window: an icicle opens at the top (its root is there)", r.scrollY === 0, JSON.stringify(r));
  await page.click("#hf-icicle");
  r = await rootRow(page);
  check("short window: Flame from Icicle scrolls to the root row", r.scrollY > 0 && seen(r), JSON.stringify(r));
  check("short window: no script errors after the switch", page.errors.length === 0, page.errors.join("; "));
  await page.close();
}

// ---- Firefox's screenshot (tests/html/browser.sh): the flame graph drawn --
if (fs.existsSync(path.join(dir, "firefox.png"))) {
  const page = await context.newPage();
  const png = fs.readFileSync(path.join(dir, "firefox.png")).toString("base64");
  // the mem palette's greens: far greener than the background gradient
  const green = await page.evaluate(async (png) => {
    const img = new Image();
    img.src = "data:image/png;base64," + png;
    await img.decode();
    const c = document.createElement("canvas");
    c.width = img.width; c.height = img.height;
    const g = c.getContext("2d");
    g.drawImage(img, 0, 0);
    const d = g.getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 0; i < d.length; i += 4) if (d[i + 1] - d[i] > 100) n++;
    return n;
  }, png);
  check("Firefox drew the flame graph from file://", green > 5000, green);
  await page.close();
}

await context.close();
finish();
