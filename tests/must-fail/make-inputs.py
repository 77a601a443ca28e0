#!/usr/bin/env python3
"""Writes the malformed inputs of tests/must-fail (run from that folder).

Only needed to change the corpus: the files are committed, and the test
(must-fail.sh) reads those files, not this script. Each input is a small
valid profile with one thing broken, so its error is about that thing.
"""
import gzip
import os
import random
import struct
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "harness"))
from pbwire import field_bytes, field_varint, msg, packed, varint  # noqa: E402

FIXTURE = sys.argv[1] if len(sys.argv) > 1 else "../../../shared/fixtures/heap-inline.pb.gz"


STRINGS = [b"", b"alloc_objects", b"count", b"alloc_space", b"bytes",
           b"main.main", b"main.go", b"main.leak", b"/bin/app"]


def profile(strings=None, sample_types=((1, 2), (3, 4)), functions=None,
            mappings=None, locations=None, samples=None, extra=b""):
    """A profile with two sample types, two functions, a mapping, two
    locations and one sample: main.main -> main.leak."""
    strings = STRINGS if strings is None else strings
    if functions is None:
        functions = [msg(field_varint(1, 1), field_varint(2, 5), field_varint(4, 6)),
                     msg(field_varint(1, 2), field_varint(2, 7), field_varint(4, 6))]
    if mappings is None:
        mappings = [msg(field_varint(1, 1), field_varint(2, 0x400000),
                        field_varint(3, 0x500000), field_varint(5, 8))]
    if locations is None:
        locations = [msg(field_varint(1, 1), field_varint(2, 1), field_varint(3, 0x401000),
                         field_bytes(4, msg(field_varint(1, 1), field_varint(2, 10)))),
                     msg(field_varint(1, 2), field_varint(2, 1), field_varint(3, 0x402000),
                         field_bytes(4, msg(field_varint(1, 2), field_varint(2, 20))))]
    if samples is None:
        samples = [msg(packed(1, [2, 1]), packed(2, [3, 4096]))]
    out = bytearray()
    for t, u in sample_types:
        out += field_bytes(1, msg(field_varint(1, t), field_varint(2, u)))
    for s in samples:
        out += field_bytes(2, s)
    for m in mappings:
        out += field_bytes(3, m)
    for l in locations:
        out += field_bytes(4, l)
    for f in functions:
        out += field_bytes(5, f)
    for s in strings:
        out += field_bytes(6, s)
    return bytes(out + extra)


def loc(id_, mapping, function, address=0x401000):
    return msg(field_varint(1, id_), field_varint(2, mapping), field_varint(3, address),
               field_bytes(4, msg(field_varint(1, function), field_varint(2, 1))))


files = {}


def put(name, data):
    files[name] = data


fixture = open(FIXTURE, "rb").read()
inner = gzip.decompress(fixture)
rng = random.Random(6)

# --- the gzip layer -------------------------------------------------------
put("empty-file", b"")
put("random-bytes.bin", bytes(rng.randrange(256) for _ in range(512)))
for cut in (2, 10, 100, len(fixture) // 2, len(fixture) - 4, len(fixture) - 1):
    put("truncated-gzip-at-%d.pb.gz" % cut, fixture[:cut])
put("gzip-then-junk.pb.gz", fixture + b"JUNK, not a second gzip member\n")
put("gzip-of-garbage.gz", gzip.compress(bytes(rng.randrange(256) for _ in range(2048)), mtime=0))
put("gzip-of-nothing.gz", gzip.compress(b"", mtime=0))
bad_crc = bytearray(fixture)
bad_crc[-8] ^= 0x01
put("gzip-bad-crc.pb.gz", bytes(bad_crc))
flipped = bytearray(fixture)
for off in (300, 1200, 2000):
    flipped[off] ^= 0x10
put("gzip-flipped-bits.pb.gz", bytes(flipped))

# --- protobuf structure ---------------------------------------------------
put("varint-11-bytes.pb", profile(extra=varint(9 << 3) + b"\xff" * 10 + b"\x01"))
put("length-past-end.pb", profile(extra=varint(6 << 3 | 2) + varint(1000) + b"short"))
put("negative-length.pb", profile(extra=varint(6 << 3 | 2) + varint(-1) + b"x"))
put("huge-packed-count.pb", profile(samples=[varint(2 << 3 | 2) + varint(1 << 40) + varint(1)]))
proto_flipped = bytearray(inner)
for off in (7, 40, 41):
    proto_flipped[off] ^= 0x80
put("proto-flipped-bits.pb", bytes(proto_flipped))
put("wire-type-7.pb", profile(extra=varint(5 << 3 | 7) + b"\x00"))

# --- references -------------------------------------------------------------
put("string-index-out-of-range.pb", profile(functions=[
    msg(field_varint(1, 1), field_varint(2, 99)),
    msg(field_varint(1, 2), field_varint(2, 7))]))
put("negative-string-index.pb", profile(functions=[
    msg(field_varint(1, 1), field_varint(2, -1)),
    msg(field_varint(1, 2), field_varint(2, 7))]))
put("sample-type-string-out-of-range.pb", profile(sample_types=((1, 2), (3, 400))))
put("string-table-0-not-empty.pb", profile(strings=[b"oops"] + STRINGS[1:]))
put("no-string-table.pb", profile(strings=[], sample_types=((0, 0),)))
put("missing-location-id.pb", profile(samples=[msg(packed(1, [2, 7]), packed(2, [1, 8]))]))
put("missing-function-id.pb", profile(locations=[loc(1, 1, 1), loc(2, 1, 9)]))
put("missing-mapping-id.pb", profile(locations=[loc(1, 1, 1), loc(2, 5, 2)]))
# profile.proto cannot hold a reference cycle (every reference is an id into
# another table); this location names its own id as its mapping, which must
# be looked up among the mappings (there is no mapping 2), not followed.
put("location-cycle-through-mapping.pb", profile(locations=[loc(1, 1, 1), loc(2, 2, 2)]))
put("duplicate-function-id.pb", profile(functions=[
    msg(field_varint(1, 1), field_varint(2, 5)),
    msg(field_varint(1, 1), field_varint(2, 7))]))
put("duplicate-location-id.pb", profile(locations=[loc(1, 1, 1), loc(1, 1, 2)],
                                        samples=[msg(packed(1, [1]), packed(2, [1, 8]))]))
put("duplicate-mapping-id.pb", profile(mappings=[
    msg(field_varint(1, 3), field_varint(5, 8)), msg(field_varint(1, 3), field_varint(5, 8))],
    locations=[loc(1, 3, 1), loc(2, 3, 2)]))
put("sparse-duplicate-location-id.pb", profile(locations=[loc(900, 1, 1), loc(900, 1, 2)],
                                               samples=[msg(packed(1, [900]), packed(2, [1, 8]))]))
put("zero-location-id.pb", profile(locations=[loc(0, 1, 1), loc(2, 1, 2)]))

# --- samples ----------------------------------------------------------------
put("too-few-values.pb", profile(samples=[msg(packed(1, [2, 1]), packed(2, [3]))]))
put("too-many-values.pb", profile(samples=[msg(packed(1, [2, 1]), packed(2, [3, 4, 5]))]))
put("values-overflow-one-stack.pb", profile(samples=[
    msg(packed(1, [2, 1]), packed(2, [1, (1 << 63) - 1])),
    msg(packed(1, [2, 1]), packed(2, [1, (1 << 63) - 1]))]))
put("values-overflow-total.pb", profile(samples=[
    msg(packed(1, [2, 1]), packed(2, [1, (1 << 63) - 10])),
    msg(packed(1, [1]), packed(2, [1, 100]))]))
put("values-underflow-negative.pb", profile(samples=[
    msg(packed(1, [2, 1]), packed(2, [1, -(1 << 63)])),
    msg(packed(1, [1]), packed(2, [1, -5]))]))
put("empty-profile.pb", field_bytes(6, b""))
put("no-sample-types.pb", profile(sample_types=()))

# --- names and limits (default limits) --------------------------------------
put("name-with-nul.pb", profile(strings=STRINGS[:5] + [b"main.ma\x00in"] + STRINGS[6:]))
put("name-invalid-utf8.pb", profile(strings=STRINGS[:5] + [b"main.\xc3\x28bad"] + STRINGS[6:]))
put("name-overlong-utf8.pb", profile(strings=STRINGS[:7] + [b"main.\xc0\xafslash"] + STRINGS[8:]))
put("name-longer-than-1MiB.pb.gz", gzip.compress(
    profile(strings=STRINGS[:5] + [b"A" * ((1 << 20) + 1)] + STRINGS[6:]), mtime=0))
deep = [2] * 70000 + [1]
put("stack-deeper-than-65536.pb.gz", gzip.compress(
    profile(samples=[msg(packed(1, deep), packed(2, [1, 8]))]), mtime=0))

# --- text formats -----------------------------------------------------------
# pprof's record regex accepts negative counts (-?\d+); its header's does not.
put("legacy-negative-count.txt", b"heap profile: -1: 4096 [1: 4096] @ heap/524288\n"
    b"1: 4096 [1: 4096] @ 0x401000 0x402000\n")
put("legacy-huge-count.txt", b"heap profile: 1: 4096 [1: 4096] @ heap/524288\n"
    b"99999999999999999999999: 4096 [1: 4096] @ 0x401000 0x402000\n")
put("legacy-bad-address.txt", b"heap profile: 1: 4096 [1: 4096] @ heap/524288\n"
    b"1: 4096 [1: 4096] @ 0x401000 0xzz\n")
# 10^18 objects of 1 byte: un-sampling scales by 1/(1-exp(-1e-24)) = inf.
put("legacy-unsampled-overflow.txt",
    b"heap profile: 1: 1 [1000000000000000000: 1] @ heap/1048576\n"
    b"1000000000000000000: 1 [1000000000000000000: 1] @ 0x401000 0x402000\n")
# A rate of 0 is valid (pprof: no un-sampling); one past int64 is not.
put("legacy-rate-out-of-range.txt", b"heap profile: 1: 4096 [1: 4096] @ heap/99999999999999999999\n"
    b"1: 4096 [1: 4096] @ 0x401000 0x402000\n")
put("legacy-nul-byte.txt", b"heap profile: 1: 4096 [1: 4096] @ heap/524288\n"
    b"1: 4096 [1: 4096] @ 0x401000\x00 0x402000\n")
put("folded-no-count.folded", b"main;alloc 100\nmain;leak\n")
put("folded-negative-count.folded", b"main;alloc 100\nmain;leak -5\n")
put("folded-count-overflow.folded",
    b"".join(b"main;alloc%d 999999999999999999\n" % i for i in range(10)))
put("folded-count-too-long.folded", b"main;alloc 9223372036854775807\nmain;leak 1\n")
put("folded-count-out-of-range.folded", b"main;alloc 5\nmain;leak 18446744073709551616\n")
put("folded-nul-byte.folded", b"main;alloc 100\nmain;le\x00ak 5\n")
put("folded-deeper-than-65536.folded.gz",
    gzip.compress(b";".join([b"f"] * 70000) + b" 5\n", mtime=0))
put("folded-name-longer-than-1MiB.folded.gz",
    gzip.compress(b"main;" + b"A" * ((1 << 20) + 1) + b" 5\n", mtime=0))
put("legacy-deeper-than-65536.txt.gz", gzip.compress(
    b"heap profile: 1: 4096 [1: 4096] @ heap/1048576\n1: 4096 [1: 4096] @"
    + b" 0x401000" * 70000 + b"\n", mtime=0))
put("text-not-a-profile.txt", b"this is a README, not a profile\n")

for name, data in sorted(files.items()):
    with open(name, "wb") as f:
        f.write(data)
print(len(files), "inputs written")
