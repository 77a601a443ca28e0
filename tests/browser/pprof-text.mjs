// Reading pprof's text reports (and ours, which are byte-equal) in the
// browser tests: the rows of -top, and the regex pieces the refine checks
// build from function names.

// s as a regular expression matching itself (the same in JavaScript and
// POSIX ERE, as the CLI's -focus reads it)
export const quote = (s) => s.replace(/[\\^$.*+?()[\]{}|]/g, "\\$&");

// a Go function's package ("encoding/json.(*decodeState).object" ->
// "encoding/json")
export function packageOf(name) {
  const slash = name.lastIndexOf("/"), dot = name.indexOf(".", slash + 1);
  return dot < 0 ? name : name.slice(0, dot);
}

// -top's text: the rows as [flat, flat%, sum%, cum, cum%, name]
export function parseTop(text) {
  const rows = [];
  let on = false;
  for (const line of text.split("\n")) {
    if (/^\s+flat\s+flat%/.test(line)) { on = true; continue; }
    if (!on || !line.trim()) continue;
    const m = /^\s*(\S+)\s+(\S+)\s+(\S+)\s+(\S+)\s+(\S+)  (.*)$/.exec(line);
    if (m) rows.push(m.slice(1, 7));
  }
  return rows;
}
