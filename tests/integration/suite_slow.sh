#!/bin/sh
# Copyright (c) 2026 The tcpconform developers.  SPDX-License-Identifier: ISC
#
# suite_slow.sh ("make check-slow"): the cases tagged slow, those that wait
# out an RFC timer of more than 10 s (TIME-WAIT, judged against the default
# MSL of 2 minutes), against Linux on loopback in a fresh namespace, both
# families: each gets the verdict its "linux" line records (Linux's 60 s
# TIME-WAIT is an xfail with its reason).  tests/integration/suite.sh runs
# the same cases against tcpconform serve and the faults they name, where
# they are quick.
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
