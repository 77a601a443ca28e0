// The HTML report's Source view in headless Debian Chromium
// (playwright-core), over the reports tests/html/source.sh wrote into DIR:
// for every function of pprof's list goldens (tests/data, made by `go tool
// pprof -list 'main\.'`) and of our CLI's --list output (written into DIR),
// the page's listing, selected through the page and for every type chosen
// in its menu, must read as the same text; sources not found; a -base diff;
// a hostile source file (text, nothing runs); selection from Top and the
// URL; the refine boxes (focus, ignore, hide, show) give our CLI's --list
// with the same flags, for every function and type; no network.
//
// usage: DATA=tests/data HEAPFLAME=heapflame node source.test.mjs DIR
import { chromium } from "playwright-core";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { checker, chooseType, reportBrowser } from "./chromium.mjs";

const dir = path.resolve(process.argv[2]);
const data = process.env.DATA, heapflame = process.env.HEAPFLAME;
const { check, finish } = checker();

// pprof's list text: Total line, and per function name its blocks' lines
function parseList(text) {
  const lines = text.split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  const byName = new Map();
  let cur = null;
  for (const line of lines.slice(1)) {
    let name = null;
    const head = "ROUTINE ======================== ";
    if (line.startsWith(head)) {
      const rest = line.slice(head.length);
      name = rest.slice(0, rest.lastIndexOf(" in "));
    } else if (line.startsWith("No source information for ")) {
      name = line.slice("No source information for ".length);
    }
    if (name !== null) {
      if (!byName.has(name)) byName.set(name, []);
      cur = byName.get(name);
    }
    if (cur) cur.push(line);
  }
  return { total: lines[0], byName };
}

// the page's Source view as pprof's text (the same widths as --list)
const pageList = (page) => page.evaluate(() => {
  const v = document.querySelector("#hf-source-view");
  if (!v) return null;
  const out = [];
  for (const r of v.querySelectorAll(".hf-routine")) {
    for (const e of r.children) {
      if (e.classList.contains("hf-src-head") || e.classList.contains("hf-src-sum")) out.push(e.textContent);
      else if (e.classList.contains("hf-src-error")) out.push(" Error: " + e.textContent);
      else if (e.classList.contains("hf-src-lines")) {
        for (const tr of e.querySelectorAll("tr.hf-line")) {
          const c = Array.from(tr.children).map((td) => td.textContent);
          out.push(`${c[0].padStart(10)} ${c[1].padStart(10)} ${c[2].padStart(6)}:${c[3]}`);
        }
      }
    }
  }
  const total = v.querySelector(".hf-src-total");
  return { total: total ? total.textContent : null, lines: out };
});

const { context, requests, open } = await reportBrowser(chromium, dir);

// every function of a listing, selected in the page, reads the same
// A source not found: the page has the ROUTINE and pprof's Error line but
// not the totals line between them (they need the source; Top has them).
async function sameListing(desc, page, file) {
  const want = parseList(fs.readFileSync(file, "utf8"));
  for (const [name, lines] of want.byName)
    want.byName.set(name, lines.filter((l, i) => !(/\(flat, cum\)/.test(l) && (lines[i + 1] || "").startsWith(" Error: "))));
  check(`${desc}: has functions`, want.byName.size > 0, file);
  let bad = 0;
  for (const [name, lines] of want.byName) {
    await page.evaluate((n) => heapflameReport.select(n, "test"), name);
    const got = await pageList(page);
    if (!got) { if (bad++ < 3) check(`${desc} ${name}: source view shown`, false); continue; }
    if (got.total !== want.total && bad++ < 3) check(`${desc} ${name}: Total`, false, `${got.total} vs ${want.total}`);
    const g = got.lines.join("\n"), w = lines.join("\n");
    if (g !== w && bad++ < 3) {
      const gl = got.lines, k = gl.findIndex((l, i) => l !== lines[i]);
      check(`${desc} ${name}: listing`, false, `line ${k + 1}: page ${JSON.stringify(gl[k])} want ${JSON.stringify(lines[k])}`);
    }
  }
  if (!bad) check(`${desc}: ${want.byName.size} functions equal`, true);
  return want;
}

// ---- fixtures: every type chosen in the menu, against pprof and our CLI --
for (const [fx, types] of [["heap-small", ["alloc_objects", "alloc_space", "inuse_objects", "inuse_space"]],
  ["cpu-small", ["samples", "cpu"]]]) {
  const page = await open(fx + ".html", "#view=source");
  check(`${fx}: source view from the URL`, await page.evaluate(() => heapflameReport.state.view) === "source");
  for (const t of types) {
    await chooseType(page, t);
    const golden = path.join(data, `${fx}.${t}.list.txt`);
    if (fs.existsSync(golden)) await sameListing(`${fx} ${t} vs pprof`, page, golden);
    else check(`${golden} exists`, false);
    await sameListing(`${fx} ${t} vs --list`, page, path.join(dir, `cli.${fx}.${t}.list.txt`));
  }
  check(`${fx}: no script errors`, page.errors.length === 0, page.errors.join("; "));
  check(`${fx}: only the file itself was requested`, requests.length === 1, requests.join(" "));
  await page.close();
}

// ---- the type switch follows the selection (the same function, new type) --
{
  const page = await open("heap-small.html", "#view=source&type=alloc_space&fn=main.buildCart");
  const a = await pageList(page);
  check("URL opens the source of main.buildCart", a && a.lines[0] === "ROUTINE ======================== main.buildCart in programs/shop/main.go",
    a && a.lines[0]);
  await chooseType(page, "alloc_objects");
  const b = await pageList(page);
  const want = parseList(fs.readFileSync(path.join(data, "heap-small.alloc_objects.list.txt"), "utf8")).byName.get("main.buildCart");
  check("type switch: the listing of the new type", b && want && b.lines.join("\n") === want.join("\n"));
  // heaviest lines shaded, sampled lines marked
  const shade = await page.evaluate(() => Array.from(document.querySelectorAll("#hf-source-view tr.hf-line"))
    .filter((tr) => tr.style.backgroundColor).length);
  const sampled = want.filter((l) => / +\d+:/.test(l) && !/^ +\. +\. /.test(l)).length;
  check("sampled lines are shaded", shade === sampled && sampled > 0, `${shade} shaded, ${sampled} sampled`);
  // selection from Top follows into Source
  await page.click('button[data-view="top"]');
  await page.click('#hf-top tr.hf-row:has(td.hf-name:text-is("main.handle"))');
  await page.click('button[data-view="source"]');
  const c = await pageList(page);
  check("top click: the source of main.handle", c && c.lines[0] === "ROUTINE ======================== main.handle in programs/shop/main.go",
    c && c.lines[0]);
  // refine: the view says it is applied, and its numbers change
  await page.fill("#hf-focus", "json");
  await page.waitForFunction(() => heapflameReport.state.focus === "json");
  const note = await page.textContent("#hf-view-source .hf-note");
  check("refine: the source view says it is applied", /the page's refine boxes \(focus=json\)/.test(note), note);
  const d = await pageList(page);
  check("refine: numbers follow the refine", d && c && d.lines.join("\n") !== c.lines.join("\n"));
  await page.fill("#hf-focus", "");
  await page.waitForFunction(() => heapflameReport.state.focus === "");
  const e = await pageList(page);
  check("refine cleared: the numbers of --list again", e && c && e.lines.join("\n") === c.lines.join("\n"));
  check("no script errors", page.errors.length === 0, page.errors.join("; "));
  await page.close();
}

// ---- refine: the page's boxes = our CLI's --list with the same flags ----
// Every function of the unrefined --list, for every type chosen in the
// menu: listed as --list -focus/-ignore/-hide/-show lists it, or (when the
// refined --list has no routine for it) with nothing listed.
const refines = [
  { focus: "." }, // keeps every sample: the page's own counting against --list
  { focus: "json" },
  { ignore: "json" },
  { hide: "^runtime\\.|Cart" }, // flat moves to the caller's line
  { show: "^main\\." },
  { focus: "main\\.handle", hide: "^runtime\\.", ignore: "Marshal" },
];
function cliList(args) {
  try {
    return execFileSync(heapflame, ["--list", "main\\.", ...args], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  } catch (e) {
    if (/no matches found/.test(String(e.stderr))) return "";
    throw e;
  }
}
async function sameRefined(desc, page, profileArgs, types, sets) {
  for (const r of sets) {
    await page.evaluate((x) => heapflameReport.setRefine(x), r);
    const flags = Object.entries(r).map(([k, v]) => `-${k}=${v}`);
    for (const t of types) {
      await chooseType(page, t);
      const d = `${desc} ${flags.join(" ")} ${t}`;
      const plain = parseList(cliList([`-sample_index=${t}`, `-source_path=${data}`, ...profileArgs]));
      const text = cliList([`-sample_index=${t}`, `-source_path=${data}`, ...flags, ...profileArgs]);
      const want = text ? parseList(text) : { total: plain.total, byName: new Map() };
      let bad = 0, listed = 0;
      for (const name of plain.byName.keys()) {
        const lines = want.byName.get(name);
        await page.evaluate((n) => heapflameReport.select(n, "test"), name);
        const got = await pageList(page);
        if (!lines) {
          if (got && got.lines.length && bad++ < 3) check(`${d} ${name}: nothing listed`, false, got.lines[0]);
          continue;
        }
        listed++;
        if (!got) { if (bad++ < 3) check(`${d} ${name}: source view shown`, false); continue; }
        if (got.total !== want.total && bad++ < 3) check(`${d} ${name}: Total`, false, `${got.total} vs ${want.total}`);
        if (got.lines.join("\n") !== lines.join("\n") && bad++ < 3) {
          const k = got.lines.findIndex((l, i) => l !== lines[i]);
          check(`${d} ${name}: listing`, false, `line ${k + 1}: page ${JSON.stringify(got.lines[k])} want ${JSON.stringify(lines[k])}`);
        }
      }
      console.log(`${d}: ${listed} of ${plain.byName.size} functions listed by --list, ${bad ? "DIFFERENT" : "equal"}`);
      if (!bad) check(`${d}: ${listed} listed functions equal`, true);
    }
  }
  await page.evaluate(() => heapflameReport.setRefine({}));
}
{
  const page = await open("heap-small.html", "#view=source");
  await sameRefined("refine heap-small", page, [path.join(data, "heap-small.pb.gz")],
    ["alloc_objects", "alloc_space", "inuse_objects", "inuse_space"], refines);
  // every listed function of the refined listings was seen (not a vacuous pass)
  const seen = refines.map((r) => cliList(["-sample_index=alloc_space", `-source_path=${data}`,
    ...Object.entries(r).map(([k, v]) => `-${k}=${v}`), path.join(data, "heap-small.pb.gz")]).length > 0);
  check("refine: the refined --list lists functions", seen.every(Boolean), JSON.stringify(seen));
  check("refine heap-small: no script errors", page.errors.length === 0, page.errors.join("; "));
  await page.close();
}
{
  const page = await open("cpu-small.html", "#view=source");
  await sameRefined("refine cpu-small", page, [path.join(data, "cpu-small.pb.gz")], ["samples", "cpu"],
    refines.concat([{ focus: "sha256|fib" }, { hide: "^(sort|crypto)" }, { ignore: "asyncPreempt", show: "^main\\.fib" }]));
  check("refine cpu-small: no script errors", page.errors.length === 0, page.errors.join("; "));
  await page.close();
}
{
  const page = await open("diff.html", "#view=source");
  await sameRefined("refine diff", page, ["-base", path.join(data, "heap-base.pb.gz"), path.join(data, "heap-later.pb.gz")],
    ["alloc_space", "inuse_objects"], refines);
  check("refine diff: no script errors", page.errors.length === 0, page.errors.join("; "));
  await page.close();
}

// ---- a -base diff: signed values as --list -base ------------------------
{
  const page = await open("diff.html", "#view=source");
  for (const t of ["alloc_objects", "alloc_space", "inuse_objects", "inuse_space"]) {
    await chooseType(page, t);
    await sameListing(`diff ${t} vs --list -base`, page, path.join(dir, `cli.diff.${t}.list.txt`));
  }
  await page.close();
}

// ---- sources not found: where it looked --------------------------------
{
  const page = await open("nosrc.html", "#view=source&type=alloc_space");
  await sameListing("not found vs --list", page, path.join(dir, "cli.nosrc.alloc_space.list.txt"));
  await page.evaluate(() => heapflameReport.select("main.handle", "test"));
  const msg = await page.textContent("#hf-source-view .hf-routine");
  check("not found: says so and names where it looked", /source not found \(searched/.test(msg) &&
    msg.includes("could not find file programs/shop/main.go on path /nonexistent"), msg);
  await page.close();
}

// ---- a hostile source file: shown as text (as --list cleans it), nothing runs
{
  const page = await open("hostile.html", "#view=source");
  for (const t of ["alloc_space", "inuse_objects"]) {
    await chooseType(page, t);
    await sameListing(`hostile ${t} vs --list`, page, path.join(dir, `cli.hostile.${t}.list.txt`));
  }
  const code = await page.evaluate(() => Array.from(document.querySelectorAll("#hf-source-view td.hf-code")).map((t) => t.textContent));
  check("hostile: markup shown as text", code.length > 0 && code.every((c) => c.includes("</script><script>window.__pwned=1</script><!-- <img src=x onerror=alert(1)>")),
    code[0]);
  check("hostile: line separators kept as text", code.every((c) => c.includes("\u2028|\u2029|")), JSON.stringify(code[0]));
  const census = await page.evaluate(() => ({
    pwned: window.__pwned === undefined,
    scripts: document.querySelectorAll("script").length,
    data: document.querySelectorAll('script[type="application/json"], script[type="text/plain"]').length,
    foreign: document.querySelectorAll("img, iframe, object, embed, foreignObject").length,
    handlers: Array.from(document.querySelectorAll("*")).filter((e) => Array.from(e.attributes).some((a) => /^on/i.test(a.name))).length,
  }));
  check("hostile: nothing ran, no foreign element", census.pwned && census.foreign === 0 && census.handlers === 0 &&
    census.scripts === census.data + 1, JSON.stringify(census));
  check("hostile: no dialogs, no errors", page.dialogs.length === 0 && page.errors.length === 0, page.dialogs.concat(page.errors).join("; "));
  check("hostile: no network", requests.length === 1, requests.join(" "));
  await page.close();
}

await context.close();
finish();
