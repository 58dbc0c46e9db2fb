#!/bin/sh
# Copyright (c) 2026 The tcpconform developers.  SPDX-License-Identifier: ISC
#
# suite_slow.sh ("make check-slow"): the cases tagged slow, those that wait
# out an RFC timer of more than 10 s (TIME-WAIT, judged against the default
# MSL of 2 minutes), against Linux on loopback in a fresh namespace, both
# families: each gets the verdict its "linux" line records (Linux's 60 s
# TIME-WAIT is an xfail with its reason).  tests/integration/suite.sh runs
# the same cases against tcpconform serve and the faults they name, where
# they are quick; but the cases also tagged long wait minutes whatever the
# target (a SYN retried for 3 minutes, R2 of 100 s), so they run against
# serve here, both families: without faults each passes, and each fault a
# case names makes it fail (or warn, for a SHOULD).
set -eu
. "$(dirname "$0")/lib.sh"

tc_init "tcw$$"
tcbin=${BUILDDIR:-.}/tcpconform
agbin=${BUILDDIR:-.}/tcpconform-agent
for b in "$tcbin" "$agbin"; do
	[ -x "$b" ] || tc_fail "$b not built (make)"
done
slow=$(for f in $(find "$srcdir/cases" -name '*.case' | sort); do
	awk '$1 == "tags" { for (i = 2; i <= NF; i++) if ($i == "slow") s = 1 }
	    END { exit !s }' "$f" && echo "$f" || true
done)
[ -n "$slow" ] || tc_fail "no case is tagged slow"

lo=$tc_lab-lo
tc_bg "$lo" "$tc_tmp/agent.log" "$agbin" -l 127.0.0.1
tc_wait_for "$tc_tmp/agent.log" "listening on" 5 ||
    { cat "$tc_tmp/agent.log"; tc_fail "tcpconform-agent did not start"; }
st=0
ip netns exec "$lo" timeout 900 "$tcbin" run --loopback --agent 127.0.0.1 \
    --kind linux -j 8 --no-progress -o "$tc_tmp/slow" $slow \
    >"$tc_tmp/slow.log" 2>&1 || st=$?
cat "$tc_tmp/slow.log"
[ "$st" -eq 0 ] || tc_fail "Linux, slow cases: exit status $st"
bad=$(python3 -c 'import json, sys
for t in json.load(open(sys.argv[1]))["targets"]:
    for c in t["cases"]:
        if c["verdict"] not in ("pass", "xfail", "info"):
            print(c["id"], t["family"], c["verdict"])' "$tc_tmp/slow/results.json")
[ -z "$bad" ] || tc_fail "Linux, slow cases: $bad"
tc_pass "slow cases against Linux on loopback: $(echo "$slow" | wc -l)" \
    "case(s), IPv4 and IPv6, every verdict as recorded"

# The cases tagged long against serve, over the lab's veth, and their faults.
tc_catalogue "$tcbin" "$srcdir/cases" long
tester=$tc_lab-tester
target=$tc_lab-target
verdicts() {
	python3 -c 'import json, sys
for t in json.load(open(sys.argv[1]))["targets"]:
    for c in t["cases"]:
        print(c["id"], c["verdict"])' "$1/results.json"
}
for fam in 4 6; do
	if [ $fam = 4 ]; then
		addr=198.18.0.2 client=198.18.0.1 agent=198.18.0.2
	else
		addr=2001:db8::2 client=2001:db8::1 agent="[2001:db8::2]"
	fi
	for fault in none $(tc_faults); do
		log=$tc_tmp/serve.log
		# shellcheck disable=SC2046
		tc_bg "$target" "$log" "$tcbin" serve --addr "$addr" \
		    --iface veth0 --client "$client" --msl 1 \
		    $([ "$fault" = none ] || echo --fault "$fault")
		serve_pid=$tc_lastpid
		tc_wait_for "$log" "tcpconform serve: ready" 10 ||
		    { cat "$log"; tc_fail "serve $fault did not start"; }
		# shellcheck disable=SC2046
		ip netns exec "$tester" timeout 600 "$tcbin" run \
		    --target "$addr" --remote --rate 5000 --agent "$agent" \
		    --no-sanity --no-progress -j 4 -o "$tc_tmp/$fault$fam" \
		    $([ "$fault" = none ] && echo --tag long ||
		    tc_with_fault "$fault") "$srcdir/cases" \
		    >"$tc_tmp/$fault$fam.log" 2>&1 || true
		tc_stop "$serve_pid"
		[ -f "$tc_tmp/$fault$fam/results.json" ] ||
		    { cat "$tc_tmp/$fault$fam.log"; tc_fail "serve $fault," \
		    "IPv$fam: no results"; }
		verdicts "$tc_tmp/$fault$fam" >"$tc_tmp/$fault$fam.v"
		if [ "$fault" = none ]; then
			bad=$(awk '$2 != "pass"' "$tc_tmp/$fault$fam.v")
		else
			bad=$(awk '$2 != "fail" && $2 != "warn"' \
			    "$tc_tmp/$fault$fam.v")
		fi
		[ -z "$bad" ] && [ -s "$tc_tmp/$fault$fam.v" ] ||
		    { cat "$tc_tmp/$fault$fam.log"; tc_fail "serve, fault" \
		    "$fault, IPv$fam: $bad"; }
		tc_note "IPv$fam serve $fault: $(tr '\n' ';' \
		    <"$tc_tmp/$fault$fam.v")"
	done
done
tc_pass "the cases tagged long against tcpconform serve, IPv4 and IPv6:" \
    "each passes without faults and fails against each fault it names"
