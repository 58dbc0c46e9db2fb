#!/bin/sh
# Copyright (c) 2026 The tcpconform developers.  SPDX-License-Identifier: ISC
#
# test_docs.sh: the documentation says what the code does: every long option
# that a subcommand's --help lists is described in tcpconform(1), every
# option of tcpconform-agent's -h in tcpconform-agent(1), every fault of
# "tcpconform serve --list-faults" in tcpconform(1), every subcommand of
# "tcpconform --help" in tcpconform(1) and (but version) in the README, and
# the verdict table of tcpconform(1) (exit status, JUnit, TAP) is the one
# the code writes into every report's legend.
set -eu
: "${srcdir:=$(cd "$(dirname "$0")/.." && pwd)}"
tc=${BUILDDIR:-.}/tcpconform
ag=${BUILDDIR:-.}/tcpconform-agent
man1=$srcdir/man/tcpconform.1
agman=$srcdir/man/tcpconform-agent.1
fail=0

bad() {
	echo "FAIL: $*"
	fail=1
}

# In mdoc an option "--foo" is written "Fl -foo".
for c in run list check report serve; do
	for o in $("$tc" "$c" --help 2>&1 | grep -o -- '--[a-z][a-z0-9-]*' |
	    sort -u); do
		grep -q -- "Fl ${o#-}\\>" "$man1" ||
		    bad "tcpconform $c $o is not in tcpconform(1)"
	done
done
for o in $("$ag" -h 2>&1 | sed -n 's/^  \(-[a-zA-Z]\)[ ,].*/\1/p') \
    $("$ag" -h 2>&1 | grep -o -- ' --[a-z][a-z-]*' | sort -u); do
	grep -q -- "Fl ${o#-}\\>" "$agman" ||
	    bad "tcpconform-agent $o is not in tcpconform-agent(1)"
done
for f in $("$tc" serve --list-faults | awk '{ print $1 }'); do
	grep -q "^\\.It Cm $f\$" "$man1" ||
	    bad "fault $f is not in tcpconform(1)"
done
for c in $("$tc" --help | sed -n 's/^  \([a-z][a-z]*\) .*/\1/p'); do
	grep -q "^\\.It Cm $c\\>" "$man1" ||
	    bad "command $c is not in tcpconform(1)"
	[ "$c" = version ] || grep -q "tcpconform $c" "$srcdir/README.md" ||
	    bad "command $c is not in README.md"
done
# The verdict table of tcpconform(1), EXIT STATUS, says what the code does:
# each row's exit statuses (plain, --strict, --complete), JUnit outcome and
# TAP line are those of the legend the report writes from the code.
tmp=$(mktemp -d "${TMPDIR:-/tmp}/tc-docs.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
if "$tc" report -o "$tmp/r" "$srcdir/tests/report/sample.json" >/dev/null
then
	# One legend row a line: "verdict|exit|strict|complete|junit|tap".
	sed -n 's/^<tr><td><span class="badge v-\([a-z-]*\)">.*<\/td><td>[^<]*<\/td>\(.*\)<\/tr>$/\1\2/p' \
	    "$tmp/r/index.html" | sed 's/&lt;//g; s/&gt;//g' | awk -F'<td>' '
	function first(c) { sub(/^<code>/, "", c); sub(/<\/code>.*/, "", c)
		return c }
	function with(c, opt,  d, k, m) { d = first(c); m = "with " opt " <code>"
		if ((k = index(c, m)) > 0) {
			d = substr(c, k + length(m)); sub(/<\/code>.*/, "", d) }
		return d }
	{ printf "%s|%s|%s|%s|%s|%s\n", $1, first($2), with($2, "--strict"),
	    with($2, "--complete"), first($3), first($4) }' | sort >"$tmp/legend"
	sed -n 's/^\.It \([a-z-]*\)\( (\*\*)\)\{0,1\} Ta \(.*\)$/\1 Ta \3/p' "$man1" |
	    sed 's/ (\*)//g; s/failure type=[a-z]*/failure/' |
	    awk -F' Ta ' 'NF == 6 { printf "%s|%s|%s|%s|%s|%s\n", $1, $2,
	    $3, $4, $5, $6 }' | sort >"$tmp/man"
	[ "$(wc -l <"$tmp/legend")" -eq 11 ] ||
	    bad "the report's legend has not 11 verdict rows"
	[ "$(wc -l <"$tmp/man")" -eq 11 ] ||
	    bad "tcpconform(1) EXIT STATUS has not 11 verdict rows"
	if ! diff "$tmp/man" "$tmp/legend" >"$tmp/diff"; then
		bad "tcpconform(1)'s verdict table is not the code's (< man, > legend):"
		cat "$tmp/diff"
	fi
else
	bad "tcpconform report failed on tests/report/sample.json"
fi

[ $fail -eq 0 ] && echo "PASS: --help, the man pages and the README agree"
exit $fail
