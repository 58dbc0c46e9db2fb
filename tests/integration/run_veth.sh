#!/bin/sh
# Copyright (c) 2026 The tcpconform developers.  SPDX-License-Identifier: ISC
#
# run_veth.sh: "tcpconform run" over a veth link (scripts/lab.sh): the
# tester namespace drives the target namespace's Linux stack, with
# tcpconform-agent there, in host-address mode (IPv4 and IPv6) and in
# phantom-address mode; then against "tcpconform serve" in the target
# namespace, fault-free (every case passes) and with each fault a case of
# tests/cases-run names (that case fails, or warns at SHOULD level): proof
# that each of those cases can fail.
set -eu
. "$(dirname "$0")/lib.sh"

tc_init "tcrv$$"
tester=$tc_lab-tester
target=$tc_lab-target
tcbin=${BUILDDIR:-.}/tcpconform
agbin=${BUILDDIR:-.}/tcpconform-agent
cases=$srcdir/tests/cases-run
for b in "$tcbin" "$agbin"; do
	[ -x "$b" ] || tc_fail "$b not built (make)"
done

# run NAME STATUS TARGET ARGS...: tcpconform run in the tester namespace.
run() {
	name=$1 want=$2 addr=$3
	shift 3
	out=$tc_tmp/$name
	st=0
	ip netns exec "$tester" timeout 300 "$tcbin" run --target "$addr" \
	    --remote --rate 5000 --no-progress -o "$out" "$@" \
	    --skip-tag expect-fail --skip-tag expect-warn "$cases" \
	    >"$out.log" 2>&1 || st=$?
	if [ "$st" -ne "$want" ]; then
		cat "$out.log"
		tc_fail "$name: exit status $st, expected $want"
	fi
}

# verdict DIR ID: the verdict of case ID in DIR/results.json.
verdict() {
	awk -v id="$2" 'index($0, "\"id\": \"" id "\"") { f = 1 }
	    f && /^          "verdict":/ { sub(/.*"verdict": "/, ""); sub(/".*/, "");
	    print; exit }' "$1/results.json"
}

# counts DIR: how many cases got each verdict.
counts() {
	sed -n 's/^          "verdict": "\([a-z-]*\)",*$/\1/p' "$1/results.json" |
	    sort | uniq -c | awk '{ printf "%s=%s ", $2, $1 }'
}

# Linux in the target namespace, with the agent trusting the tester.
tc_bg "$target" "$tc_tmp/agent.log" "$agbin" -p 7447 -a 198.18.0.1 \
    -a 2001:db8::1 -l 198.18.0.2 -l 2001:db8::2
tc_wait_for "$tc_tmp/agent.log" "listening on" 5 ||
    { cat "$tc_tmp/agent.log"; tc_fail "tcpconform-agent did not start"; }
agent_pid=$tc_lastpid
run linux4 0 198.18.0.2 --agent 198.18.0.2
[ "$(counts "$tc_tmp/linux4")" = "info=1 not-applicable=1 pass=5 " ] ||
    tc_fail "linux4: $(counts "$tc_tmp/linux4")"
run linux6 0 2001:db8::2 --agent "[2001:db8::2]"
[ "$(counts "$tc_tmp/linux6")" = "info=1 not-applicable=1 pass=5 " ] ||
    tc_fail "linux6: $(counts "$tc_tmp/linux6")"
run phantom 0 198.18.0.2 --agent 198.18.0.2 --mode phantom --iface veth0 \
    --phantom-addr 198.18.0.3
[ "$(counts "$tc_tmp/phantom")" = "info=1 not-applicable=1 pass=5 " ] ||
    tc_fail "phantom: $(counts "$tc_tmp/phantom")"
tc_pass "Linux over veth: host mode IPv4 and IPv6, phantom mode: all pass"
tc_stop "$agent_pid"

# serve FAULT...: tcpconform serve as the target (host mode on veth0).
serve() {
	log=$tc_tmp/serve.$1.log
	tc_bg "$target" "$log" "$tcbin" serve --addr 198.18.0.2 \
	    --client 198.18.0.1 --iface veth0 "$@"
	serve_pid=$tc_lastpid
	tc_wait_for "$log" "tcpconform serve: ready" 10 ||
	    { cat "$log"; tc_fail "serve $* did not start"; }
}

serve --msl 1
run serve 0 198.18.0.2 --agent 198.18.0.2
tc_stop "$serve_pid"
[ "$(counts "$tc_tmp/serve")" = "info=1 not-applicable=1 pass=5 " ] ||
    tc_fail "serve without faults: $(counts "$tc_tmp/serve")"

# FAULT CASE VERDICT: with the fault, the case gets VERDICT.
while read -r fault id expv; do
	serve --fault "$fault"
	st=1
	[ "$expv" = fail ] || st=0
	run "$fault" $st 198.18.0.2 --agent 198.18.0.2 --no-sanity
	tc_stop "$serve_pid"
	[ -f "$tc_tmp/$fault/results.json" ] ||
	    { cat "$tc_tmp/$fault.log"; tc_fail "$fault: no results"; }
	got=$(verdict "$tc_tmp/$fault" "$id")
	[ "$got" = "$expv" ] ||
	    { cat "$tc_tmp/$fault.log"; tc_fail "$fault: $id is $got"; }
	tc_note "$fault: $id $got"
done <<EOF
synack-ack-off-by-one passive-open fail
fin-on-unread-close close-unread-rst warn
fin-no-seq active-close fail
no-send-after-peer-fin half-close fail
predictable-isn isn-spacing warn
rst-accept-out-of-window rst-challenge fail
EOF
tc_pass "tcpconform serve: no fault, every case passes; each named fault" \
    "makes its case fail (or warn at SHOULD level)"
