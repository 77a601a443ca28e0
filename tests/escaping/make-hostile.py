#!/usr/bin/env python3
"""Writes hostile-names.pb.gz and hostile-names.folded: profiles whose frame
names try to break out of every output context (XML text and attributes,
CDATA, embedded JavaScript, DOT labels, HTML, line-based text).

Every name that would run script sets window.__pwned; the browser test
checks it stays undefined. The files are committed; rerun this only to
change them (from this folder).
"""
import gzip
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "harness"))
from pbwire import field_bytes as fb, field_varint as fv, varint  # noqa: E402

NAMES = [
    b'</script><script>window.__pwned=1</script>',
    b'<img src=x onerror="window.__pwned=2">',
    b'"><svg onload="window.__pwned=3">',
    b"']]><script>window.__pwned=4</script><![CDATA[",
    b"'; window.__pwned=5; '",
    b'"; window.__pwned=6; //',
    b'`${window.__pwned=7}`',
    b'</title><script>window.__pwned=8</script>',
    b'<a href="javascript:window.__pwned=9">x</a> & &amp; &#x3c;',
    b'main.(*T).line\nbreak;fake;frames 999',
    b'ctrl\x01\x02\x1b[31m\x7f\ttab\rcr',
    b'js\xe2\x80\xa8line\xe2\x80\xa9sep',
    b'dot "quote" \\N \\G \\l {brace} [bracket] <html> | pipe',
    b'<!-- comment --> --!> -->',
    b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e "pwn">]>&e;',
    b'\\"; window.__pwned=10; "',
    b'</style><style>*{display:none}</style>',
    b'unicode \xe2\x98\x83 \xf0\x9f\x94\xa5 caf\xc3\xa9',
]


strings = [b"", b"alloc_space", b"bytes", b"inuse_space", b"main.main", b"main.go"]
strings += [b"file<&>\"'.go"]
first_name = len(strings)
strings += NAMES
n = len(NAMES)

out = bytearray()
out += fb(1, fv(1, 1) + fv(2, 2))
out += fb(1, fv(1, 3) + fv(2, 2))
# Functions: 1 = main.main, 2.. = the hostile names.
funcs = [fv(1, 1) + fv(2, 4) + fv(4, 5)]
for i in range(n):
    funcs.append(fv(1, i + 2) + fv(2, first_name + i) + fv(4, 6))
# Location k (1-based) calls function k, line k.
locs = []
for k in range(1, n + 2):
    locs.append(fv(1, k) + fv(3, 0x1000 * k) + fb(4, fv(1, k) + fv(2, k)))
samples = []
for i in range(n):
    a, b = i + 2, (i + 1) % n + 2
    ids = b"".join(varint(x) for x in (b, a, 1))  # leaf first
    vals = varint(4096 * (i + 1)) + varint(1024 * (i + 1))
    samples.append(fb(1, ids) + fb(2, vals))
for s in samples:
    out += fb(2, s)
for l in locs:
    out += fb(4, l)
for f in funcs:
    out += fb(5, f)
for s in strings:
    out += fb(6, s)
with open("hostile-names.pb.gz", "wb") as f:
    f.write(gzip.compress(bytes(out), mtime=0))

# The same stacks as folded text, plus invalid UTF-8, which profile.proto
# cannot carry (its strings must be UTF-8) but a folded file can.
lines = []
for i in range(n):
    a, b = NAMES[i], NAMES[(i + 1) % n]
    if b"\n" in a or b"\n" in b or b"\r" in a or b"\r" in b:
        continue  # a folded line cannot hold a line break
    lines.append(b"main.main;" + a + b";" + b + b" " + str(4096 * (i + 1)).encode())
lines.append(b"main.main;bad\xc3\x28utf8;trunc\xe2\x82 1000")
lines.append(b"main.main;lone\xff\xfebytes;\xed\xa0\x80surrogate 2000")
with open("hostile-names.folded", "wb") as f:
    f.write(b"\n".join(lines) + b"\n")
print(n, "names")
