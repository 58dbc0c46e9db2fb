#!/bin/sh
# Copyright (c) 2026 The tcpconform developers.  SPDX-License-Identifier: ISC
#
# path.sh: remote runs tell the target's truth.
#   1. "Run it again": a case run against Linux over veth in phantom mode,
#      IPv6, with the agent, is run again with the command its case page
#      gives; the second run reaches the same target the same way (address,
#      mode, family, agent) and gives the same verdict.
#   2. An interrupt during set-up never yields exit 0 or a pass banner.
#   3. The short version of bench/bench_path.sh (one run of each part): the
#      suite at the default rate with -j 32 on a clean path (every result
#      pass or info) and with 5 % loss, 5 % duplication and 5 % reordering
#      (no false fail, at most 5 % inconclusive), and each fault of the
#      fault target still failing its cases under that impairment.
set -eu
. "$(dirname "$0")/lib.sh"

tc_init "tcpa$$"
tester=$tc_lab-tester
target=$tc_lab-target
tcbin=${BUILDDIR:-.}/tcpconform
agbin=${BUILDDIR:-.}/tcpconform-agent
for b in "$tcbin" "$agbin"; do
	[ -x "$b" ] || tc_fail "$b not built (make)"
done

tc_bg "$target" "$tc_tmp/agent.log" "$agbin" -p 7447 -a 2001:db8::1 \
    -a 198.18.0.1 -C 2001:db8::3 -C 198.18.0.3 -l 2001:db8::2 -l 198.18.0.2
tc_wait_for "$tc_tmp/agent.log" "listening on" 5 ||
    { cat "$tc_tmp/agent.log"; tc_fail "tcpconform-agent did not start"; }
agent_pid=$tc_lastpid

# 1. Run it again.
case=$srcdir/cases/close/active-close-by-target.case
ip netns exec "$tester" timeout 120 "$tcbin" run --target 2001:db8::2 \
    --remote --rate 1000 --agent "[2001:db8::2]" --mode phantom \
    --iface veth0 --phantom-addr 2001:db8::3 --no-progress \
    -o "$tc_tmp/first" "$case" >"$tc_tmp/first.log" 2>&1 ||
    { cat "$tc_tmp/first.log"; tc_fail "the first run failed"; }
page=$(grep -l 'class="rerun"' "$tc_tmp/first"/cases/*.html 2>/dev/null |
    head -n 1)
[ -n "$page" ] || page=$(grep -rl 'class="rerun"' "$tc_tmp/first" | head -n 1)
[ -n "$page" ] || tc_fail "no case page with a 'run it again' command"
cmd=$(sed -n 's/.*<code class="rerun">\([^<]*\)<\/code>.*/\1/p' "$page" |
    sed -e "s/&#39;/'/g" -e 's/&quot;/"/g' -e 's/&lt;/</g' \
    -e 's/&gt;/>/g' -e 's/&amp;/\&/g')
tc_note "run it again: $cmd"
for want in "--target 2001:db8::2" "--remote" "--mode phantom" \
    "--iface veth0" "--phantom-addr 2001:db8::3" "--agent '[2001:db8::2]'" \
    "--rate 1000" " -6 " "$case"; do
	case $cmd in
	*"$want"*) ;;
	*) tc_fail "the command lacks '$want': $cmd" ;;
	esac
done
bindir=$(cd "${BUILDDIR:-.}" && pwd)
ip netns exec "$tester" timeout 120 env PATH="$bindir:$PATH" sh -c "$cmd \
    -o '$tc_tmp/again' --no-progress" >"$tc_tmp/again.log" 2>&1 ||
    { cat "$tc_tmp/again.log"; tc_fail "running it again failed"; }
for k in address mode family; do
	a=$(grep -m 1 "\"$k\":" "$tc_tmp/first/results.json")
	b=$(grep -m 1 "\"$k\":" "$tc_tmp/again/results.json")
	[ "$a" = "$b" ] || tc_fail "run it again: $k was $a, is $b"
done
v1=$(grep -m 1 '"verdict":' "$tc_tmp/first/results.json")
v2=$(grep -m 1 '"verdict":' "$tc_tmp/again/results.json")
[ "$v1" = "$v2" ] && case $v2 in *pass*) true ;; *) false ;; esac ||
    tc_fail "run it again: the verdict was $v1, is $v2"
tc_pass "the case page's command runs the case again against the same" \
    "target, mode, family and agent, with the same verdict"

# 2. An interrupt while the run sets up (the sanity case waits for an
# address on the link that no host holds): exit status 2, and no pass in
# the report.
ip netns exec "$tester" "$tcbin" run --target 198.18.0.9 --remote \
    --port 80 --no-progress -o "$tc_tmp/int" "$srcdir/cases" \
    >"$tc_tmp/int.log" 2>&1 &
pid=$!
sleep 1
kill -INT $pid 2>/dev/null || tc_fail "interrupt: the run had ended"
st=0
wait $pid || st=$?
[ "$st" -eq 2 ] || { cat "$tc_tmp/int.log"; tc_fail "interrupt: exit $st"; }
if [ -f "$tc_tmp/int/index.html" ] &&
    grep -q '>Conformant<' "$tc_tmp/int/index.html"; then
	tc_fail "interrupt: the report says Conformant"
fi
tc_pass "an interrupt during set-up exits $st, with no pass banner"
tc_stop "$agent_pid"

# 2b. The agent dies in the middle of the run (three times, at different
# moments): the cases it leaves are the tester's error, never the
# target's failure, and the run exits 2.
for d in 2 3 4; do
	tc_bg "$target" "$tc_tmp/agent.log" "$agbin" -p 7447 -a 198.18.0.1 \
	    -l 198.18.0.2
	tc_wait_for "$tc_tmp/agent.log" "listening on" 5 ||
	    tc_fail "tcpconform-agent did not start"
	agent_pid=$tc_lastpid
	(sleep "$d"; kill "$agent_pid" 2>/dev/null) &
	st=0
	# --kind linux: a case's recorded Linux deviation (its "linux" line)
	# is an xfail, not a warn this test would take for the target's.
	ip netns exec "$tester" timeout 120 "$tcbin" run --target 198.18.0.2 \
	    --remote --rate 1000 --agent 198.18.0.2 -j 2 --no-progress \
	    --kind linux \
	    --skip-tag slow -o "$tc_tmp/dead$d" "$srcdir/cases" \
	    >"$tc_tmp/dead$d.log" 2>&1 || st=$?
	wait
	tc_stop "$agent_pid"
	if grep -Eq '^  (FAIL|WARN) ' "$tc_tmp/dead$d.log"; then
		cat "$tc_tmp/dead$d.log"
		tc_fail "the agent died after ${d}s: a failure blamed on the target"
	fi
	[ "$st" -eq 2 ] || { cat "$tc_tmp/dead$d.log";
	    tc_fail "the agent died after ${d}s: exit $st"; }
	tc_note "agent killed after ${d}s: $(sed -n 2p "$tc_tmp/dead$d.log")"
done
tc_pass "a dead agent's cases are errors, never the target's failures"

# 3. The figures of bench_path.sh, one run of each part.  The clean path
# (part 1) is held to its figures: no false fail, warn or error, nothing
# flaky or inconclusive.  One run over the randomly lossy path (parts 2 and
# 3) is a sample too small to judge, so its figures are printed only: the
# judgement is bench_path.sh --check over 10 runs (make bench), whose
# figures README gives.
(cd "${BUILDDIR:-.}" && "$srcdir/bench/bench_path.sh" --check --runs 1 \
    --part 1) >"$tc_tmp/bench.log" 2>&1 || { cat "$tc_tmp/bench.log";
    tc_fail "bench_path.sh --runs 1 --part 1: a figure is not met"; }
grep '^bench_path: part 1' "$tc_tmp/bench.log" | sed 's/^/  /'
tc_pass "remote runs at the default rate with -j 32 on a clean path give" \
    "the target's verdicts (host and phantom mode, IPv4 and IPv6)"
(cd "${BUILDDIR:-.}" && "$srcdir/bench/bench_path.sh" --runs 1 --part 2 \
    --part 3) >"$tc_tmp/bench23.log" 2>&1 || true
grep '^bench_path: part [23]' "$tc_tmp/bench23.log" | sed 's/^/  /'
tc_note "(one run over 5 % loss, duplication and reordering: figures only)"
