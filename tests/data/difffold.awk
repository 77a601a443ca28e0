# difffold.awk: joins two collapsed files (made by fold-raw.awk from the
# base and the later profile) into "STACK BEFORE AFTER" lines, the form of
# FlameGraph's difffolded.pl: every stack of either side, 0 where a side
# lacks it.
#
#   awk -f difffold.awk BASE.folded LATER.folded | LC_ALL=C sort
{
  n = $NF
  st = substr($0, 1, length($0) - length(n) - 1)
  if (FILENAME == ARGV[1]) before[st] = n; else after[st] = n
  seen[st] = 1
}
END {
  for (st in seen) printf "%s %d %d\n", st, before[st] + 0, after[st] + 0
}
