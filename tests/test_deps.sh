#!/bin/sh
# Copyright (c) 2026 The tcpconform developers.  SPDX-License-Identifier: ISC
#
# test_deps.sh: tester/'s modules keep to their declared dependencies
# (tests/check_deps.sh), and the check can fail: a planted include of the
# runner's header in tcp/, a planted libpcap include in check/, a planted
# call from tcp/ into run/ through a local prototype, and a planted cycle
# must each be caught, with the file and line or the symbol named.
#
# Run by "make check" from the build directory (automake exports srcdir).
set -eu
: "${srcdir:=$(cd "$(dirname "$0")/.." && pwd)}"
build=$(pwd)
chk=$srcdir/tests/check_deps.sh
tmp=$(mktemp -d "${TMPDIR:-/tmp}/tc-test-deps.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
fail=0

ok() { echo "PASS: deps: $*"; }
ko() { echo "FAIL: deps: $*"; fail=1; }

# expect_fail NAME PATTERN SRC [BUILD]: the checker must fail and print
# a line matching PATTERN.
expect_fail() {
	name=$1 pat=$2
	shift 2
	if sh "$chk" "$@" >"$tmp/out" 2>&1; then
		ko "$name: not caught"
		sed 's/^/  /' "$tmp/out"
	elif grep -q -- "$pat" "$tmp/out"; then
		ok "$name caught: $(grep -- "$pat" "$tmp/out" | head -n 1)"
	else
		ko "$name: failed without the expected message"
		sed 's/^/  /' "$tmp/out"
	fi
}

# The tree as it is, with the built libraries when they exist.
libs=
[ -f "$build/tester/tcp/libtc_tcp.a" ] && libs=$build
if sh "$chk" "$srcdir" $libs >"$tmp/out" 2>&1; then
	ok "$(tail -n 1 "$tmp/out")"
else
	ko "the tree breaks its dependency rules:"
	sed 's/^/  /' "$tmp/out"
fi

# A copy of the sources to plant faults in.
copy() {
	rm -rf "$tmp/src"
	mkdir -p "$tmp/src"
	cp -R "$srcdir/tester" "$tmp/src/"
	chmod -R u+w "$tmp/src"
}

copy
sed -i '0,/#include "tcp_var.h"/s//#include "tcp_var.h"\n#include "run_int.h"/' \
    "$tmp/src/tester/tcp/tcp_buf.c"
expect_fail "planted include of run_int.h in tcp/" \
    'tester/tcp/tcp_buf.c:[0-9]*: tcp/ includes run_int.h of run/' "$tmp/src"

copy
f=$(grep -l "^#include <stdio.h>" "$tmp"/src/tester/check/*.c | head -n 1)
sed -i '0,/#include <stdio.h>/s//#include <stdio.h>\n#include <pcap\/pcap.h>/' "$f"
expect_fail "planted libpcap include in check/" \
    'check/ includes a libpcap/libnet/libnftables header' "$tmp/src"

copy
sed -i 's/^# uses: codec lib$/# uses: codec lib case/' "$tmp/src/tester/tcp/tcp.am"
sed -i 's/^# uses: codec lib$/# uses: codec lib tcp/' "$tmp/src/tester/case/case.am"
expect_fail "planted cycle tcp <-> case" 'cycle' "$tmp/src"

# A call that no include shows: tcp/'s library with one more object that
# declares and calls a function of the runner.
if [ -n "$libs" ] && command -v "${CC:-cc}" >/dev/null 2>&1; then
	sym=$(nm -g --defined-only "$build/tester/run/libtc_run.a" |
	    awk '$2 == "T" { print $3; exit }')
	mkdir -p "$tmp/build"
	for m in "$build"/tester/*/; do
		m=$(basename "$m")
		[ -f "$build/tester/$m/libtc_$m.a" ] || continue
		mkdir -p "$tmp/build/tester/$m"
		cp "$build/tester/$m/libtc_$m.a" "$tmp/build/tester/$m/"
	done
	printf 'void %s(void);\nvoid planted(void) { %s(); }\n' "$sym" "$sym" \
	    >"$tmp/planted.c"
	${CC:-cc} -c -o "$tmp/planted.o" "$tmp/planted.c"
	ar rc "$tmp/build/tester/tcp/libtc_tcp.a" "$tmp/planted.o"
	expect_fail "planted call from tcp/ to $sym of run/" \
	    "libtc_tcp.a: tcp/ calls $sym of run/" "$srcdir" "$tmp/build"
else
	echo "  (no built libraries: the symbol check was not planted)"
fi

# README's module table says what the fragments declare.
for am in "$srcdir"/tester/*/*.am; do
	m=$(basename "$(dirname "$am")")
	[ "$(basename "$am" .am)" = "$m" ] || continue
	want=$(sed -n 's/^# uses://p' "$am" | tr -s ' ' | sed 's/^ //;s/ $//')
	[ -n "$want" ] || want="(none)"
	got=$(grep "^| \`$m/\` |" "$srcdir/README.md" | awk -F'|' '{print $4}' |
	    tr -d ',' | tr -s ' ' | sed 's/^ //;s/ $//')
	if [ "$got" = "$want" ]; then
		:
	else
		ko "README's module table: $m/ may use \"$got\", $m.am says \"$want\""
	fi
done
[ "$fail" -ne 0 ] || ok "README's module table matches the fragments"

exit "$fail"
