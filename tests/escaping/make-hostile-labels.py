#!/usr/bin/env python3
"""Writes hostile-labels.pb.gz: a heap profile whose sample labels (keys,
string values, numeric units) try to break line-based reports: --tags
lays them out in columns, --traces lists them per sample. The file is
committed; rerun this only to change it (from this folder).
"""
import gzip
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "harness"))
from pbwire import field_bytes as fb, field_varint as fv, varint  # noqa: E402

HOSTILE = [
    b'key\nwith newline: Total 999',
    b'tab\there\vvt\fff\rcr',
    b'ctrl\x01\x02\x1b[31m\x7f',
    b'</script><script>window.__pwned=1</script>',
    b'unicode \xe2\x98\x83 \xf0\x9f\x94\xa5 caf\xc3\xa9 \xe2\x80\xa8',
    b' (50.00%): fake',
]

strings = [b"", b"alloc_space", b"bytes", b"inuse_space", b"main.main", b"main.go"]
first = len(strings)
strings += HOSTILE
n = len(HOSTILE)

out = bytearray()
out += fb(1, fv(1, 1) + fv(2, 2))
out += fb(1, fv(1, 3) + fv(2, 2))
for i in range(n):
    # Label: key = 1, str = 2, num = 3, num_unit = 4.
    key = first + i
    val = first + (i + 1) % n
    labels = fb(3, fv(1, key) + fv(2, val))
    labels += fb(3, fv(1, 2) + fv(3, 16 << i))                       # bytes
    labels += fb(3, fv(1, first + (i + 2) % n) + fv(3, i + 1) + fv(4, first + (i + 3) % n))
    vals = varint(4096 * (i + 1)) + varint(1024 * (i + 1))
    out += fb(2, fb(1, varint(1)) + fb(2, vals) + labels)
out += fb(4, fv(1, 1) + fv(3, 0x1000) + fb(4, fv(1, 1) + fv(2, 7)))
out += fb(5, fv(1, 1) + fv(2, 4) + fv(4, 5))
for s in strings:
    out += fb(6, s)
with open("hostile-labels.pb.gz", "wb") as f:
    f.write(gzip.compress(bytes(out), mtime=0))
print(n, "samples")
