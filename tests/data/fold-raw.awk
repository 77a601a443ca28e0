# fold-raw.awk: folds pprof's own text dump of a profile ("go tool pprof
# -raw PROFILE") into collapsed stacks, by the rule of
# ../shared/fixtures/README.md ("Folding rule"): for each sample the value
# of sample type number IDX (from 0), frames root first (the last location
# first, and within a location its last line first, so an inlined callee
# comes after its caller), Function.Name as stored, 0x%x of the address for
# a location without lines; equal stacks summed, zero sums left out, sorted
# by bytes (run with LC_ALL=C). With -v lines=1 each frame is NAME:LINE.
# Go function names have no spaces, which this parse relies on.
#
#   go tool pprof -raw P | awk -v idx=1 -f fold-raw.awk | LC_ALL=C sort
BEGIN { section = "" }
/^Samples:$/ { section = "samples"; header = 1; next }
/^Locations$/ { section = "locations"; next }
/^Mappings$/ { section = "mappings"; next }
section == "samples" && header { header = 0; next }
section == "samples" && /^ *-?[0-9][0-9]* .*: / {
  split($0, halves, ": ")
  nv = split(halves[1], values, " ")
  ns++
  value[ns] = values[idx + 1] + 0
  ids[ns] = halves[2]
  next
}
section == "locations" && /^ *[0-9][0-9]*: 0x[0-9a-f]* / {
  n = split($0, f, " ")
  loc = f[1]; sub(/:$/, "", loc)
  addr[loc] = f[2]
  nlines[loc] = 0
  i = 3
  if (f[i] ~ /^M=/) i++
  if (f[i] == "[F]") i++
  if (i <= n) add_line(loc, f[i], f[i + 1])
  next
}
section == "locations" && /^             [^ ]/ {
  n = split($0, f, " ")
  add_line(loc, f[1], f[2])
  next
}
function add_line(l, name, fileline,   k, ln) {
  k = ++nlines[l]
  ln = fileline; sub(/.*:/, "", ln)
  if (name == "??") ln = ""
  frame[l, k] = (lines && name != "??") ? name ":" ln : name
}
END {
  for (s = 1; s <= ns; s++) {
    m = split(ids[s], locs, " ")
    stack = ""
    for (j = m; j >= 1; j--) {
      l = locs[j]
      if (nlines[l] == 0) {
        stack = stack (stack == "" ? "" : ";") addr[l] # %#x, as pprof prints it
        continue
      }
      for (k = nlines[l]; k >= 1; k--)
        stack = stack (stack == "" ? "" : ";") frame[l, k]
    }
    sum[stack] += value[s]
  }
  for (st in sum)
    if (sum[st] != 0) printf "%s %d\n", st, sum[st]
}
