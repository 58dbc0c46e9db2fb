#!/bin/sh
# Copyright (c) 2026 The tcpconform developers.  SPDX-License-Identifier: ISC
#
# bench_suite.sh: how long the conformance suite takes against Linux on
# loopback, run by "make bench" from the build directory.  In a network
# namespace of its own, with tcpconform-agent (-m 64) as the application,
# it runs the cases of cases/ not tagged slow, both families, with -j 32,
# and prints:
#   - the wall time of the run and the longest single case (duration_us of
#     results.json), and their ratio: the cases run in parallel, so the
#     run should take little more than its longest case (aim: 1.2 or less);
#   - the peak RSS of tcpconform (GNU time's "Maximum resident set size",
#     or, without /usr/bin/time, the last VmHWM read from /proc; aim: 16 MiB
#     or less) and the capture's drops (the "capture" counts of every
#     target in results.json; aim: 0).
# Figures only: it fails only when the run cannot be made.  Needs root;
# without it, says so and does nothing.  BENCH_JOBS changes -j.
set -eu

if [ "$(id -u)" -ne 0 ]; then
	echo "bench_suite: skipped (needs root for a network namespace)"
	exit 0
fi
srcdir=$(cd "$(dirname "$0")/.." && pwd)
tc=${BENCH_TCPCONFORM:-./tcpconform}
agent=${BENCH_AGENT:-./tcpconform-agent}
jobs=${BENCH_JOBS:-32}
for b in "$tc" "$agent"; do
	[ -x "$b" ] || { echo "bench_suite: $b not built"; exit 1; }
done
ns=tcbs$$
tmp=$(mktemp -d "${TMPDIR:-/tmp}/tc-bench-suite.XXXXXX")
agent_pid=

# With set +e: under set -e the kill of an agent that Ctrl-C has already
# stopped ended the shell before the namespace was removed.
cleanup() {
	set +e
	# A second Ctrl-C (or the first, when the run had just ended) must
	# not stop the clean-up half-way: ignored until it is done.
	trap '' INT TERM HUP
	trap - EXIT
	if [ -n "$agent_pid" ]; then
		kill "$agent_pid" 2>/dev/null
		wait "$agent_pid" 2>/dev/null
	fi
	ip netns del "$ns" 2>/dev/null
	rm -rf "$tmp"
	return 0
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

echo "bench_suite: namespace $ns"
ip netns add "$ns"
ip -n "$ns" link set lo up
ip netns exec "$ns" "$agent" -l 127.0.0.1 -m 64 >"$tmp/agent.log" 2>&1 &
agent_pid=$!
i=0
until grep -q "listening on" "$tmp/agent.log" 2>/dev/null; do
	i=$((i + 1))
	[ $i -lt 100 ] || { cat "$tmp/agent.log"; exit 1; }
	sleep 0.05
done

# The run, under GNU time when there is one, else watched through /proc.
set -- ip netns exec "$ns" "$tc" run --loopback --agent 127.0.0.1 \
    --kind linux -j "$jobs" --skip-tag slow --no-progress -o "$tmp/out" \
    "$srcdir/cases"
start=$(date +%s%N)
st=0
if [ -x /usr/bin/time ]; then
	/usr/bin/time -v -o "$tmp/time" "$@" >"$tmp/run.log" 2>&1 || st=$?
	rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$tmp/time")
	how="GNU time"
else
	"$@" >"$tmp/run.log" 2>&1 &
	pid=$!
	rss=0
	while kill -0 "$pid" 2>/dev/null; do
		# ip netns exec execs tcpconform: the pid is tcpconform's.
		h=$(sed -n 's/^VmHWM: *\([0-9]*\) kB/\1/p' \
		    "/proc/$pid/status" 2>/dev/null || true)
		[ -n "$h" ] && rss=$h
		sleep 0.02
	done
	wait "$pid" || st=$?
	how="VmHWM, sampled"
fi
end=$(date +%s%N)
[ -f "$tmp/out/results.json" ] ||
    { cat "$tmp/run.log"; echo "bench_suite: no results"; exit 1; }

wall_us=$(((end - start) / 1000))
n=$(grep -c '"duration_us":' "$tmp/out/results.json")
longest=$(sed -n 's/.*"duration_us": *\([0-9]*\).*/\1/p' \
    "$tmp/out/results.json" | sort -n | tail -1)
which=$(awk -v m="$longest" '/^          "id":/ { id = $0; sub(/.*"id": "/, "", id);
    sub(/".*/, "", id) } /^          "verdict":/ { c = id }
    /"duration_us":/ { d = $0; sub(/.*"duration_us": */, "", d);
    sub(/[^0-9].*/, "", d); if (d == m) { print c; exit } }' \
    "$tmp/out/results.json")

echo "bench_suite: the suite (not slow) against Linux on loopback," \
    "-j $jobs, agent -m 64: $n results, exit status $st"
# Each family is a target of its own in results.json, with its own span.
awk '/^      "family":/ { f = $0; sub(/.*: */, "", f); sub(/,.*/, "", f) }
    /^      "started_us":/ { s = $0; sub(/.*: */, "", s); sub(/,.*/, "", s) }
    /^      "ended_us":/ { e = $0; sub(/.*: */, "", e); sub(/,.*/, "", e);
	printf "  IPv%s target span     %8.3f s\n", f, (e - s) / 1e6 }' \
    "$tmp/out/results.json"
cap=$(awk '/^ *"received":/ { v = $0; sub(/.*: */, "", v); r += v }
    /^ *"dropped":/ { v = $0; sub(/.*: */, "", v); d += v }
    END { printf "%d %d", r, d }' "$tmp/out/results.json")
awk -v w="$wall_us" -v l="$longest" -v c="$which" -v r="$rss" -v h="$how" \
    -v cap="$cap" \
    'BEGIN {
	printf "  wall time            %8.3f s\n", w / 1e6
	printf "  longest case         %8.3f s  (%s)\n", l / 1e6, c
	printf "  wall / longest       %8.2f    (aim: <= 1.2)\n", (l > 0 ? w / l : 0)
	printf "  peak RSS tcpconform  %8d KiB (%s; aim: <= 16384)\n", r, h
	split(cap, n, " ")
	printf "  capture drops        %8d    of %d datagrams (aim: 0)\n", n[2], n[1]
    }'
