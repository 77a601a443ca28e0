"""Modules call only downward, as docs/architecture.md says: every quoted
#include of src/MOD/ names MOD's own files, util or a module MOD "May call"
(directly or down an arrow's path: the paragraphs' lists, followed); cli
includes only the public header and its own. Prints one line per breach;
exits 1 if any, 0 if none."""
import glob
import os
import re
import sys

src = sys.argv[1]
doc = open(os.path.join(src, "docs", "architecture.md"), encoding="utf-8").read()
calls = {}
for mod, body in re.findall(r"\*\*(\w+)\*\* \(`src/\w+/`\):(.*?)(?=\n\n)", doc, re.S):
    m = re.search(r"May call\s+(.*?)\.", " ".join(body.split()))
    calls[mod] = re.findall(r"\b(\w+)\b", m.group(1).replace(" and ", ", ")) if m else []
if len(calls) < 10 or "util" not in calls:
    print("docs/architecture.md: no module paragraphs found")
    sys.exit(1)


def below(mod, seen):
    for d in calls.get(mod, []):
        if d not in seen:
            seen.add(d)
            below(d, seen)
    return seen


bad = 0
for path in sorted(glob.glob(os.path.join(src, "src", "*", "*.[ch]"))):
    mod = path.split(os.sep)[-2]
    if mod not in calls:
        print(f"{path}: module {mod} has no paragraph in docs/architecture.md")
        bad += 1
        continue
    allowed = below(mod, set()) | {mod}
    for n, line in enumerate(open(path, encoding="utf-8", errors="replace"), 1):
        inc = re.match(r'\s*#\s*include\s+"([^"]+)"', line)
        if not inc:
            continue
        name = inc.group(1)
        parts = name.split("/")
        if parts[0] == ".." and len(parts) >= 3:
            target = parts[1]
        elif len(parts) == 1:
            own = os.path.exists(os.path.join(os.path.dirname(path), name))
            # the public headers, and headers generated beside the build
            if own or name.startswith("heapflame") or name.endswith(".pb-c.h"):
                continue
            target = "?" + name
        else:
            target = "?" + name
        if mod == "cli" or target not in allowed:
            print(f"{os.path.relpath(path, src)}:{n}: {mod} includes {name}")
            bad += 1
sys.exit(1 if bad else 0)
