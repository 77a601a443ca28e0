"""Protocol-buffer wire encoding for the scripts that write test profiles
(tests/escaping/make-hostile.py, tests/must-fail/make-inputs.py)."""


def varint(n):
    n &= (1 << 64) - 1  # negative int64 values are 10-byte varints
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        if n:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)


def field_varint(num, v):
    return varint(num << 3) + varint(v)


def field_bytes(num, data):
    return varint(num << 3 | 2) + varint(len(data)) + data


def packed(num, values):
    return field_bytes(num, b"".join(varint(v) for v in values))


def msg(*parts):
    return b"".join(parts)
