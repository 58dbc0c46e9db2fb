#!/bin/sh
# Copyright (c) 2026 The tcpconform developers.  SPDX-License-Identifier: ISC
#
# bench_path.sh: are the verdicts of a remote run the target's, whatever
# the path and the tester's pace?  In a lab whose tester and target are
# joined through a middle namespace (scripts/lab.sh up-path) where
# a bridge joins the link (the kernel's, or tests/lab/impair.py to lose,
# duplicate and reorder), it runs the suite (cases not tagged
# slow) at the default remote rate (100 datagrams/s) with -j 32:
#   1. against Linux with tcpconform-agent, on a clean path, in host-address
#      and phantom-address mode, IPv4 and IPv6: every result must be pass
#      or info (no fail, warn, error, flaky or inconclusive);
#   2. the same with 5 % loss, 5 % duplication and 5 % reordering on the
#      path: no fail, warn or error, and at most 5 % inconclusive (10 %
#      with fewer than 10 runs);
#   3. against "tcpconform serve" with each fault that a case names, under
#      the same impairment, IPv4 host mode: each such case must show the
#      fault (fail, warn at SHOULD level, info for a claim found absent,
#      as tests/integration/suite.sh counts) in at least 9 of 10 runs (with fewer than 10
#      runs, as in tests/integration/path.sh: 4 in 5 of all these results,
#      since one run of about 30 such results misses 9 in 10 by chance
#      when 3 come out inconclusive, about one time in seven).
# It prints the figures of each part; with --check it exits 1 when one is
# not met.  RUNS (default 10) runs of each part; --fault NAME (repeatable)
# limits part 3 to those faults; --slow takes the cases tagged slow too
# (the fault r2-63s's two: data-r2-100s waits 101 s, syn-retried-3min
# three minutes an attempt); --case FILE (repeatable) runs only those case
# files, to look at one result many times.  Needs
# root and python3; without root it says so and does nothing.
#
#   bench/bench_path.sh [--check] [--runs N] [--part 1|2|3]... [--fault F]...
#       [--slow] [--case FILE]...
set -eu

check=0
runs=10
parts=
only=
cases=
slow=0
while [ $# -gt 0 ]; do
	case $1 in
	--check) check=1 ;;
	--runs) runs=$2; shift ;;
	--part) parts="$parts $2"; shift ;;
	--fault) only="$only $2"; shift ;;
	--slow) slow=1 ;;
	--case) cases="$cases $2"; shift ;;
	*) echo "usage: bench_path.sh [--check] [--runs N] [--part P]" \
	       "[--fault F] [--slow] [--case FILE]" >&2
	   exit 2 ;;
	esac
	shift
done
[ -n "$parts" ] || parts="1 2 3"
# A run's time limit: the slow cases wait minutes (syn-retried-3min, three
# minutes an attempt, retried on a lossy path).
tmo=600
[ "$slow" = 0 ] || tmo=7200

if [ "$(id -u)" -ne 0 ]; then
	echo "bench_path: skipped (needs root for network namespaces)"
	exit 0
fi
srcdir=${BENCH_SRCDIR:-$(cd "$(dirname "$0")/.." && pwd)}
tc=${BENCH_TCPCONFORM:-./tcpconform}
agbin=${BENCH_AGENT:-./tcpconform-agent}
for b in "$tc" "$agbin"; do
	[ -x "$b" ] || { echo "bench_path: $b not built"; exit 1; }
done
command -v python3 >/dev/null || { echo "bench_path: python3 missing"; exit 1; }
lab=tcbp$$
tmp=$(mktemp -d "${TMPDIR:-/tmp}/tc-bench-path.XXXXXX")
bridge_pid=
agent_pid=
serve_pid=
bad=0

stop() {
	if [ -n "$1" ]; then
		kill "$1" 2>/dev/null
		wait "$1" 2>/dev/null
	fi
	return 0
}

cleanup() {
	set +e
	# A second Ctrl-C (or the first, when the run had just ended) must
	# not stop the clean-up half-way: ignored until it is done.
	trap '' INT TERM HUP
	trap - EXIT
	stop "$serve_pid"
	stop "$agent_pid"
	stop "$bridge_pid"
	"$srcdir/scripts/lab.sh" down "$lab" >/dev/null 2>&1
	[ -n "${BENCH_KEEP:-}" ] || rm -rf "$tmp"
	return 0
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

"$srcdir/scripts/lab.sh" up-path "$lab" >"$tmp/lab.log" 2>&1 ||
    { cat "$tmp/lab.log"; exit 1; }
tester=$lab-tester
target=$lab-target

# bridge LOSS DUP REORDER: (re)start the bridge of the path: the kernel's
# own bridge for a clean path (no scheduling delay of a program of ours in
# the figures), tests/lab/impair.py for an impaired one.
bridge() {
	stop "$bridge_pid"
	bridge_pid=
	ip -n "$lab-path" link del br0 2>/dev/null || true
	if [ "$1$2$3" = 000 ]; then
		ip -n "$lab-path" link add br0 type bridge
		ip -n "$lab-path" link set vt master br0
		ip -n "$lab-path" link set vg master br0
		ip -n "$lab-path" link set br0 up
	else
		ip netns exec "$lab-path" python3 \
		    "$srcdir/tests/lab/impair.py" --loss "$1" --dup "$2" \
		    --reorder "$3" vt vg 2>>"$tmp/bridge.log" &
		bridge_pid=$!
	fi
	i=0
	until ip netns exec "$tester" ping -c 1 -W 1 198.18.0.2 >/dev/null 2>&1
	do
		i=$((i + 1))
		[ $i -lt 20 ] || { echo "bench_path: the path is down"; exit 1; }
	done
}

wait_for() {
	i=0
	until grep -q "$2" "$1" 2>/dev/null; do
		i=$((i + 1))
		[ $i -lt 200 ] || { cat "$1"; exit 1; }
		sleep 0.05
	done
}

# run OUT FAMILY MODE [ARGS...]: one run of tcpconform in the tester
# (parts 1 and 2 name the target: --kind linux).
run() {
	out=$1 fam=$2 mode=$3
	shift 3
	if [ "$fam" = 4 ]; then
		set -- --target 198.18.0.2 --agent 198.18.0.2 "$@"
		ph=198.18.0.3
	else
		set -- --target 2001:db8::2 --agent "[2001:db8::2]" "$@"
		ph=2001:db8::3
	fi
	[ "$mode" = host ] ||
	    set -- --mode phantom --iface veth0 --phantom-addr "$ph" "$@"
	ip netns exec "$tester" timeout "$tmo" "$tc" run --remote --intrusive \
	    -j 32 --no-progress -o "$out" "$@" >"$out.log" 2>&1 || true
}

# tally DIR...: "VERDICT COUNT" lines over the results of every DIR.
tally() {
	python3 - "$@" <<'EOF'
import json, sys, collections
n = collections.Counter()
for d in sys.argv[1:]:
    try:
        r = json.load(open(d + "/results.json"))
    except (OSError, ValueError):
        n["missing-run"] += 1
        continue
    for t in r["targets"]:
        for c in t["cases"]:
            n[c["verdict"]] += 1
for k, v in sorted(n.items()):
    print(k, v)
EOF
}

count() {
	awk -v k="$1" '$1 == k { print $2; f = 1 } END { if (!f) print 0 }' \
	    "$2"
}

# The case files the bench runs: those not tagged slow, unless --slow; those
# of --case when it is given.
pool=$cases
[ -n "$pool" ] ||
pool=$(for f in $(find "$srcdir/cases" -name '*.case' | sort); do
	[ "$slow" = 1 ] ||
	awk '$1 == "tags" { for (i = 2; i <= NF; i++) if ($i == "slow") s = 1 }
	    END { exit s }' "$f" && echo "$f"
done)

agent_up() {
	ip netns exec "$target" "$agbin" -p 7447 -m 64 -a 198.18.0.1 \
	    -a 2001:db8::1 -C 198.18.0.1 -C 2001:db8::1 -C 198.18.0.3 \
	    -C 2001:db8::3 -l 198.18.0.2 -l 2001:db8::2 >"$tmp/agent.log" 2>&1 &
	agent_pid=$!
	wait_for "$tmp/agent.log" "listening on"
}

# linux PART LOSS DUP REORDER: parts 1 and 2.  The runs name the target's
# kind (--kind linux), so a case's recorded Linux deviation (its "linux"
# line: the 200 ms RTO floor of close/retransmission-rto-floor) is the
# xfail it is and not a false warn.
linux() {
	part=$1
	bridge "$2" "$3" "$4"
	for mode in host phantom; do
		for fam in 4 6; do
			dirs=
			k=0
			while [ $k -lt "$runs" ]; do
				k=$((k + 1))
				d=$tmp/p$part-$mode$fam-$k
				run "$d" "$fam" "$mode" --kind linux $pool
				dirs="$dirs $d"
			done
			tally $dirs >"$tmp/t"
			total=$(awk '{ s += $2 } END { print s + 0 }' "$tmp/t")
			f=$(($(count fail "$tmp/t") + $(count warn "$tmp/t") +
			    $(count error "$tmp/t") + $(count xpass "$tmp/t")))
			fl=$(count flaky "$tmp/t")
			inc=$(count inconclusive "$tmp/t")
			miss=$(count missing-run "$tmp/t")
			echo "bench_path: part $part ($2% loss, $3% dup, $4%" \
			    "reorder) $mode IPv$fam: $runs runs, $total results:" \
			    "$f false fail/warn/error, $fl flaky, $inc" \
			    "inconclusive ($(awk -v i="$inc" -v t="$total" \
			    'BEGIN { printf "%.1f", t ? 100 * i / t : 0 }')%)"
			miss_fig=$((miss + f))
			[ "$part" != 1 ] || miss_fig=$((miss_fig + fl + inc))
			# At most 5 % inconclusive (10 % in one run of ~50
			# results, where 3 of them come by chance).
			lim=20
			[ "$runs" -ge 10 ] || lim=10
			[ $((inc * lim)) -le "$total" ] ||
			    miss_fig=$((miss_fig + 1))
			if [ "$miss_fig" -ne 0 ]; then
				bad=1
				for d in $dirs; do
					grep -E "^  (FAIL|WARN|ERROR|XPASS|FLAKY|INCONC)" \
					    "$d.log" 2>/dev/null | cut -c1-200
				done | sort | uniq -c | sort -rn | head -20
			fi
		done
	done
}

# Part 3: each fault, under impairment, against the cases that name it.
# A case shows its fault as suite.sh counts it: fail or warn; info where
# the case reports a claim (a behaviour found absent, RFC 5961's challenge
# ACK: a MAY); other-family where the fault belongs to the other family.
# No --kind: serve is not Linux, and a case's "linux" line must not turn
# the fault's failure into an expected one.
f3=0
t3=0
faults() {
	claims=" $("$tc" list --json $pool | python3 -c 'import json, sys
print(" ".join(c["id"] for c in json.load(sys.stdin) if c.get("claim")))') "
	bridge 5 5 5
	for fault in $(awk '$1 == "fault" && $2 != "none" {
	    for (i = 2; i <= NF; i++) print $i }' $pool | sort -u); do
		case " $only " in
		"  ") ;;
		*" $fault "*) ;;
		*) continue ;;
		esac
		# The cases that name it on their "fault" line (not in the
		# reason of a "fault none" one).
		files=$(for f in $pool; do
			if awk -v f="$fault" '$1 == "fault" && $2 != "none" {
			    for (i = 2; i <= NF; i++) if ($i == f) n = 1 }
			    END { exit !n }' "$f"; then
				echo "$f"
			fi
		done)
		ip netns exec "$target" "$tc" serve --addr 198.18.0.2 \
		    --iface veth0 --client 198.18.0.1 --msl 1 --fault "$fault" \
		    >"$tmp/serve.log" 2>&1 &
		serve_pid=$!
		wait_for "$tmp/serve.log" "tcpconform serve: ready"
		k=0
		: >"$tmp/f.v"
		while [ $k -lt "$runs" ]; do
			k=$((k + 1))
			d=$tmp/p3-$fault-$k
			run "$d" 4 host --no-sanity $files
			python3 - "$d" >>"$tmp/f.v" <<'EOF'
import json, sys
r = json.load(open(sys.argv[1] + "/results.json"))
for t in r["targets"]:
    for c in t["cases"]:
        print(c["id"], c["verdict"])
EOF
		done
		stop "$serve_pid"
		serve_pid=
		need=$((runs * 9 / 10))
		# A case that cannot run here (it needs a service profile the
		# fault target does not offer) proves nothing either way.
		for id in $(awk '$2 != "not-applicable" { print $1 }' \
		    "$tmp/f.v" | sort -u); do
			shown='$2 == "fail" || $2 == "warn" ||
			    $2 == "other-family" ||
			    ($2 == "info" && index(claims, " " $1 " "))'
			n=$(awk -v id="$id" -v claims="$claims" "\$1 == id &&
			    ($shown) { n++ } END { print n + 0 }" "$tmp/f.v")
			other=$(awk -v id="$id" -v claims="$claims" "\$1 == id &&
			    !($shown) && \$2 != \"not-applicable\" {
			    printf \"%s \", \$2 }" "$tmp/f.v")
			ran=$(awk -v id="$id" '$1 == id &&
			    $2 != "not-applicable" { n++ } END { print n + 0 }' \
			    "$tmp/f.v")
			echo "bench_path: part 3 fault $fault: $id failed in" \
			    "$n of $ran runs${other:+ (else: $other)}"
			[ -z "$other" ] || grep -h -E "^  (INCONCLUSIVE|ERROR|FLAKY) +$id " \
			    "$tmp"/p3-"$fault"-*.log | cut -c1-200 | sort |
			    uniq -c | head -3
			[ "$runs" -lt 10 ] || [ "$n" -ge "$need" ] || bad=1
			f3=$((f3 + n))
			t3=$((t3 + ran))
		done
	done
	echo "bench_path: part 3: the faults' cases failed in $f3 of $t3" \
	    "results under 5% loss, 5% dup, 5% reorder"
	if [ "$runs" -ge 10 ]; then
		[ $((f3 * 10)) -ge $((t3 * 9)) ] || bad=1
	else
		[ $((f3 * 5)) -ge $((t3 * 4)) ] || bad=1
	fi
}

agent_up
for p in $parts; do
	case $p in
	1) linux 1 0 0 0 ;;
	2) linux 2 5 5 5 ;;
	3) stop "$agent_pid"; agent_pid=; faults; agent_up ;;
	esac
done
# impair.py's counts, one line for each part it bridged (written when it
# stops): frames lost, copied and reordered, and any the kernel dropped.
stop "$bridge_pid"
bridge_pid=
grep -h "^impair.py: [0-9]* frames" "$tmp/bridge.log" 2>/dev/null |
    sed 's/^/bench_path: /' || true
if [ $check -eq 1 ] && [ $bad -ne 0 ]; then
	echo "bench_path: FAIL: a figure above is not met"
	exit 1
fi
exit 0
