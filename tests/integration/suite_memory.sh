#!/bin/sh
# Copyright (c) 2026 The tcpconform developers.  SPDX-License-Identifier: ISC
#
# suite_memory.sh: the memory aim of the suite, checked.  bench/bench_suite.sh
# runs the non-slow suite against Linux on loopback, both families at once,
# -j 32; its peak RSS must stay at 16 MiB or less (the capture is a packet
# socket whose queue is kernel memory, not a libpcap ring mapped into the
# tester: two 8 MiB rings made it 44 MiB) and the capture must drop nothing.
# Plain builds only: AddressSanitizer's shadow memory would be measured too.
set -eu
tc_name=${0##*/}
if [ "$(id -u)" -ne 0 ]; then
	echo "SKIP: $tc_name: needs root (network namespaces)"
	exit 77
fi
: "${srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
build=${BUILDDIR:-.}
if nm "$build/tcpconform" 2>/dev/null | grep -q __asan_init; then
	echo "SKIP: $tc_name: an AddressSanitizer build (RSS is measured on plain ones)"
	exit 77
fi
[ -x /usr/bin/time ] ||
    { echo "FAIL: $tc_name: GNU time missing (install-deps.sh installs it)"; exit 1; }
out=$(BENCH_TCPCONFORM="$build/tcpconform" \
    BENCH_AGENT="$build/tcpconform-agent" sh "$srcdir/bench/bench_suite.sh")
echo "$out"
rss=$(echo "$out" | sed -n 's/^  peak RSS tcpconform *\([0-9]*\) KiB.*/\1/p')
drops=$(echo "$out" | sed -n 's/^  capture drops *\([0-9]*\) .*/\1/p')
st=$(echo "$out" | sed -n 's/.* results, exit status \([0-9]*\)$/\1/p')
[ -n "$rss" ] && [ -n "$drops" ] ||
    { echo "FAIL: $tc_name: no figures from bench_suite.sh"; exit 1; }
[ "$st" = 0 ] || { echo "FAIL: $tc_name: the suite exited $st"; exit 1; }
[ "$rss" -le 16384 ] ||
    { echo "FAIL: $tc_name: peak RSS $rss KiB > 16 MiB"; exit 1; }
[ "$drops" -eq 0 ] ||
    { echo "FAIL: $tc_name: the capture dropped $drops datagrams"; exit 1; }
echo "PASS: the suite at -j 32, both families: peak RSS $rss KiB, 0 drops"
