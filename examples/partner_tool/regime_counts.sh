#!/bin/sh
# regime-counts: a partner's command-line tool, the README's "Add your component" example.
# Not Python on purpose: a POSIX shell script with awk, built into its own image stage
# (Dockerfile, target partner-tool) and wrapped as a Flyte ContainerTask by
# tasks/partner.py with daikiri's container_component helper.
#
#   regime-counts --table FILE.csv --column NAME --out DIR
#
# Counts the rows of a CSV file (header first, comma-separated, no quoted commas) per value of
# column NAME and writes two outputs into DIR, one file each, as Flyte's raw containers do:
#   DIR/counts   CSV "value,rows", one line per value, in order of first appearance
#   DIR/groups   the number of distinct values (an integer)
# Errors go to stderr in one line and exit 2.
set -eu
table="" column="" out=""
while [ $# -gt 0 ]; do
  case "$1" in
    --table) table="$2"; shift 2 ;;
    --column) column="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    --help|-h) sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "regime-counts: unknown argument '$1' (expected --table, --column, --out)" >&2; exit 2 ;;
  esac
done
[ -n "$table" ] && [ -n "$column" ] && [ -n "$out" ] \
  || { echo "regime-counts: --table, --column and --out are required" >&2; exit 2; }
[ -f "$table" ] || { echo "regime-counts: table file '$table' does not exist" >&2; exit 2; }
mkdir -p "$out"
awk -F, -v column="$column" -v out="$out" '
  NR == 1 {
    for (i = 1; i <= NF; i++) if ($i == column) index_ = i
    if (!index_) {
      printf "regime-counts: column '\''%s'\'' is not in the header of the table (%s)\n", column, $0 > "/dev/stderr"
      failed = 1; exit 2
    }
    next
  }
  { value = $index_; if (!(value in rows)) order[++n] = value; rows[value]++ }
  END {
    if (failed) exit 2
    print "value,rows" > (out "/counts")
    for (i = 1; i <= n; i++) print order[i] "," rows[order[i]] > (out "/counts")
    printf "%d", n > (out "/groups")
    printf "regime-counts: %d rows, %d distinct values of %s\n", NR - 1, n, column > "/dev/stderr"
  }' "$table"
