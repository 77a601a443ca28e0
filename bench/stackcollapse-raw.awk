# stackcollapse-go.pl's stand-in for bench/run.sh (it is not packaged in
# Debian either): `pprof -raw` text to folded stacks, one sample type.
#
#   pprof -raw PROFILE | awk -v col=2 -f bench/stackcollapse-raw.awk
#
# col is the 1-based column of the sample value (alloc_space: 2 in a Go
# heap profile). Samples list location ids leaf first; a location's lines
# are listed leaf (innermost inlined call) first; the output is root first,
# summed per stack. Names are taken between "M=N " (or the address) and the
# trailing "file:line s=N", so names with spaces survive.
function name_of(start,    n, i, s) {
	n = NF - 2 # drop "file:line" and "s=N"
	s = $start
	for (i = start + 1; i <= n; i++)
		s = s " " $i
	return s
}
/^Samples:/ { sec = "samples"; hdr = 1; next }
/^Locations/ { sec = "locations"; next }
/^Mappings/ { sec = "mappings"; next }
sec == "samples" {
	if (hdr) { hdr = 0; next }
	c = index($0, ":")
	if (c == 0 || $0 ~ /^ *[a-z_]+:\[/) next # label lines (bytes:[...])
	split(substr($0, 1, c - 1), v, " ")
	ns++
	sval[ns] = v[col]
	sids[ns] = substr($0, c + 1)
	next
}
sec == "locations" {
	if ($1 ~ /^[0-9]+:$/) {
		loc = substr($1, 1, length($1) - 1)
		start = ($3 ~ /^M=/) ? 4 : 3
		nl[loc] = 1
		line[loc, 1] = name_of(start)
	} else if (NF >= 3) {
		nl[loc]++
		line[loc, nl[loc]] = name_of(1)
	}
}
END {
	for (s = 1; s <= ns; s++) {
		if (sval[s] == 0) continue
		k = split(sids[s], ids, " ")
		st = ""
		for (i = k; i >= 1; i--)
			for (j = nl[ids[i]]; j >= 1; j--)
				st = st == "" ? line[ids[i], j] : st ";" line[ids[i], j]
		sum[st] += sval[s]
	}
	for (st in sum)
		printf "%s %.0f\n", st, sum[st]
}
