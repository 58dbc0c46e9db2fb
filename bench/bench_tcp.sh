#!/bin/sh
# Copyright (c) 2026 The tcpconform developers.  SPDX-License-Identifier: ISC
#
# bench_tcp.sh: figures for the peer's TCP against Linux over a veth link in
# a lab of its own (scripts/lab.sh), run by "make bench" from the build
# directory.  Prints, with the environment's sizes (BENCH_BYTES, default
# 512 MiB; BENCH_CONNS, default 10000):
#   - bulk receive throughput of the peer (phantom-address mode, capture
#     and injection through the wire layer) and, in the same run, of a
#     kernel-to-kernel transfer over the same link, and their ratio; the
#     capture's drops, which must be zero;
#   - the time for BENCH_CONNS connections opened, given 1 KiB and closed,
#     one after another and 100 at a time;
#   - the peer's peak RSS in each run, and the size of one TCB.
# Needs root; without it, says so and does nothing.
set -eu

if [ "$(id -u)" -ne 0 ]; then
	echo "bench_tcp: skipped (needs root for network namespaces)"
	exit 0
fi
srcdir=$(cd "$(dirname "$0")/.." && pwd)
prog=${BENCH_TCP:-./bench/bench_tcp}
bytes=${BENCH_BYTES:-536870912}
count=${BENCH_CONNS:-10000}
[ -x "$prog" ] || { echo "bench_tcp: $prog not built"; exit 1; }
lab=tcb$$
tmp=$(mktemp -d "${TMPDIR:-/tmp}/tc-bench.XXXXXX")
pids=

cleanup() {
	for p in $pids; do kill "$p" 2>/dev/null || true; done
	for p in $pids; do wait "$p" 2>/dev/null || true; done
	"$srcdir/scripts/lab.sh" down "$lab" >/dev/null 2>&1 || true
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

"$srcdir/scripts/lab.sh" up "$lab" >"$tmp/lab.log" 2>&1 ||
    { cat "$tmp/lab.log"; exit 1; }
tester=$lab-tester
target=$lab-target

serve() {
	ip netns exec "$target" "$prog" serve -4 --target 198.18.0.2 \
	    --port "$1" --send "$2" >"$tmp/serve$1" 2>&1 &
	pids="$pids $!"
	i=0
	until grep -q listening "$tmp/serve$1" 2>/dev/null; do
		i=$((i + 1))
		[ $i -lt 100 ] || { echo "bench_tcp: server not up"; exit 1; }
		sleep 0.05
	done
}

# val FILE KEY
val() {
	sed -n "s/^$2 //p" "$1"
}

serve 9100 "$bytes"
serve 9101 0

ip netns exec "$tester" "$prog" kernel-recv -4 --target 198.18.0.2 \
    --port 9100 --bytes "$bytes" >"$tmp/kernel" ||
    { cat "$tmp/kernel"; exit 1; }
ip netns exec "$tester" "$prog" peer-recv -4 --ifname veth0 \
    --peer 198.18.0.3 --target 198.18.0.2 --port 9100 --bytes "$bytes" \
    >"$tmp/peer" || { cat "$tmp/peer"; exit 1; }
for j in 1 100; do
	ip netns exec "$tester" "$prog" peer-conns -4 --ifname veth0 \
	    --peer 198.18.0.3 --target 198.18.0.2 --port 9101 \
	    --count "$count" --parallel $j >"$tmp/conns$j" ||
	    { cat "$tmp/conns$j"; exit 1; }
done

k=$(val "$tmp/kernel" mbit_s)
p=$(val "$tmp/peer" mbit_s)
echo "bench_tcp: the peer's TCP against Linux over veth (offloads off)"
printf '  receive %d MiB:  peer %s Mbit/s, kernel-to-kernel %s Mbit/s,' \
    $((bytes / 1048576)) "$p" "$k"
echo " ratio $(awk "BEGIN { printf \"%.2f\", $p / $k }")"
echo "    capture: $(val "$tmp/peer" capture_datagrams) datagrams," \
    "$(val "$tmp/peer" capture_drops) dropped;" \
    "peak RSS $(val "$tmp/peer" peak_rss_kib) KiB"
for j in 1 100; do
	echo "  $count connections (open, 1 KiB, close), $j at a time:" \
	    "$(val "$tmp/conns$j" seconds) s," \
	    "$(val "$tmp/conns$j" conn_s) conn/s," \
	    "$(val "$tmp/conns$j" failed) failed;" \
	    "peak TCBs $(val "$tmp/conns$j" peak_tcbs)," \
	    "peak RSS $(val "$tmp/conns$j" peak_rss_kib) KiB"
done
echo "  one TCB: $(val "$tmp/conns1" tcb_bytes) bytes; buffers grow on" \
    "demand and are freed when empty"
[ "$(val "$tmp/peer" capture_drops)" = 0 ] ||
    echo "bench_tcp: WARNING: the capture dropped datagrams"
