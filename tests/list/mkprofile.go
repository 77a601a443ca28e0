// mkprofile writes a small gzipped profile.proto whose frames name any
// function, file and line, for the --list lookup tests (source paths no
// Go build of ours records: module files, other machines' paths).
//
//	go run mkprofile.go OUT SAMPLE...
//
// SAMPLE is VALUE=FRAME;FRAME;... leaf first, FRAME is NAME|FILE|LINE.
// The one sample type is space/bytes. Standard library only.
package main

import (
	"compress/gzip"
	"fmt"
	"os"
	"strconv"
	"strings"
)

func varint(b []byte, v uint64) []byte {
	for v >= 0x80 {
		b = append(b, byte(v)|0x80)
		v >>= 7
	}
	return append(b, byte(v))
}

func fieldVarint(b []byte, num int, v uint64) []byte {
	return varint(varint(b, uint64(num)<<3), v)
}

func fieldBytes(b []byte, num int, data []byte) []byte {
	b = varint(b, uint64(num)<<3|2)
	b = varint(b, uint64(len(data)))
	return append(b, data...)
}

func main() {
	if len(os.Args) < 3 {
		fmt.Fprintln(os.Stderr, "usage: mkprofile OUT VALUE=NAME|FILE|LINE;... ...")
		os.Exit(1)
	}
	strs := []string{""}
	strIndex := map[string]uint64{"": 0}
	str := func(s string) uint64 {
		if i, ok := strIndex[s]; ok {
			return i
		}
		strIndex[s] = uint64(len(strs))
		strs = append(strs, s)
		return strIndex[s]
	}
	type fn struct{ name, file string }
	fnIDs := map[fn]uint64{}
	var fns, locs, samples [][]byte
	locIDs := map[string]uint64{}

	var out []byte
	out = fieldBytes(out, 1, fieldVarint(fieldVarint(nil, 1, str("space")), 2, str("bytes")))
	for _, spec := range os.Args[2:] {
		eq := strings.IndexByte(spec, '=')
		value, err := strconv.ParseInt(spec[:eq], 10, 64)
		if eq < 0 || err != nil {
			fmt.Fprintln(os.Stderr, "bad sample:", spec)
			os.Exit(1)
		}
		var ids []byte
		for _, frame := range strings.Split(spec[eq+1:], ";") {
			parts := strings.Split(frame, "|")
			if len(parts) != 3 {
				fmt.Fprintln(os.Stderr, "bad frame:", frame)
				os.Exit(1)
			}
			line, _ := strconv.ParseInt(parts[2], 10, 64)
			f := fn{parts[0], parts[1]}
			fid, ok := fnIDs[f]
			if !ok {
				fid = uint64(len(fns) + 1)
				fnIDs[f] = fid
				var m []byte
				m = fieldVarint(m, 1, fid)
				m = fieldVarint(m, 2, str(f.name))
				m = fieldVarint(m, 3, str(f.name))
				m = fieldVarint(m, 4, str(f.file))
				fns = append(fns, m)
			}
			lid, ok := locIDs[frame]
			if !ok {
				lid = uint64(len(locs) + 1)
				locIDs[frame] = lid
				var m []byte
				m = fieldVarint(m, 1, lid)
				m = fieldVarint(m, 3, 0x1000*lid)
				m = fieldBytes(m, 4, fieldVarint(fieldVarint(nil, 1, fid), 2, uint64(line)))
				locs = append(locs, m)
			}
			ids = varint(ids, lid)
		}
		s := fieldBytes(nil, 1, ids)
		s = fieldBytes(s, 2, varint(nil, uint64(value)))
		samples = append(samples, s)
	}
	for _, s := range samples {
		out = fieldBytes(out, 2, s)
	}
	for _, l := range locs {
		out = fieldBytes(out, 4, l)
	}
	for _, f := range fns {
		out = fieldBytes(out, 5, f)
	}
	for _, s := range strs {
		out = fieldBytes(out, 6, []byte(s))
	}
	f, err := os.Create(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	z := gzip.NewWriter(f)
	z.Write(out)
	if err := z.Close(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	if err := f.Close(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
