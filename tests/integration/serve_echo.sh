#!/bin/sh
# Copyright (c) 2026 The tcpconform developers.  SPDX-License-Identifier: ISC
#
# serve_echo.sh: "tcpconform serve" without faults, as a target for plain
# Linux clients (socat) in a fresh lab of network namespaces.  In phantom
# mode (IPv4 and IPv6, an unused address on the target's veth) and in host
# mode (the target namespace's own address, guarded): a client connects to
# the echo port, gets its bytes back and closes; the built-in agent on the
# target namespace's address answers HELLO like tcpconform-agent, listens
# on the peer TCP and moves data with a Linux client; an independent
# capture shows every connection ending with FIN, and no RST at all.
set -eu
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/serve_lib.sh"

tc_init "tcsv$$"
sv_init

# echo_and_agent FAMILY ADDR
echo_and_agent() {
	fam=$1 addr=$2
	out=$(printf 'hello, serve\n' | sv_client "$addr" 7) ||
	    tc_fail "IPv$fam: the echo client failed"
	[ "$out" = "hello, serve" ] ||
	    tc_fail "IPv$fam: echo returned \"$out\""
	# The agent listens on the peer TCP; a Linux client sends "xyz", the
	# agent reads it and writes the pattern "abcdef" back.
	(sleep 1; printf 'xyz' | sv_client "$addr" 5000 >"$tc_tmp/c$fam.out") &
	cpid=$!
	tc_pids="$tc_pids $cpid"
	{
		printf 'HELLO 1\nLISTEN %s 5000\n' "$fam"
		sleep 0.5
		printf 'ACCEPT 1 timeout=5000\nREAD 2 3\nWRITE 2 6\nCLOSE 2\n'
		printf 'QUIT\n'
	} | sv_client "$agent" 7447 >"$tc_tmp/a$fam.out" ||
	    tc_fail "IPv$fam: the agent's control connection failed"
	wait "$cpid" || tc_fail "IPv$fam: the client of the agent's port failed"
	grep -q '^OK version=1 agent=tcpconform-serve/' "$tc_tmp/a$fam.out" ||
	    tc_fail "IPv$fam: no HELLO reply: $(cat "$tc_tmp/a$fam.out")"
	grep -q '^OK n=3 end=count .*data=78797a' "$tc_tmp/a$fam.out" ||
	    tc_fail "IPv$fam: READ: $(cat "$tc_tmp/a$fam.out")"
	grep -q '^OK n=6 end=count' "$tc_tmp/a$fam.out" ||
	    tc_fail "IPv$fam: WRITE: $(cat "$tc_tmp/a$fam.out")"
	[ "$(cat "$tc_tmp/c$fam.out")" = "abcdef" ] ||
	    tc_fail "IPv$fam: the client read \"$(cat "$tc_tmp/c$fam.out")\""
}

# run MODE FAMILY ADDR CLIENT AGENT-ADDR
run() {
	mode=$1 fam=$2 addr=$3 client=$4 agent=$5
	pcap=$tc_tmp/$mode$fam.pcap
	tc_sniff "$tester" veth0 "$pcap"
	sv_start "$mode$fam" --mode "$mode" --iface veth0 --addr "$addr" \
	    --client "$client" --agent-addr "$agent"
	echo_and_agent "$fam" "$addr"
	sv_stop
	tc_stop "$tc_sniff_pid"
	rsts=$(tshark -r "$pcap" -Y "tcp.flags.reset == 1" 2>/dev/null | wc -l)
	[ "$rsts" -eq 0 ] || tc_fail "$mode IPv$fam: $rsts RSTs on the link"
	fins=$(sv_flags "$pcap" "$addr" 7 | grep -c 11$ || true)
	[ "$fins" -ge 1 ] || tc_fail "$mode IPv$fam: the echo port sent no FIN"
	tc_pass "serve $mode mode IPv$fam: echo through a Linux client, the" \
	    "built-in agent (HELLO, LISTEN, ACCEPT, READ, WRITE, CLOSE) with" \
	    "a Linux client on the peer TCP, FIN at the end, no RST on the link"
}

run phantom 4 198.18.0.5 198.18.0.1 198.18.0.2
run phantom 6 2001:db8::5 2001:db8::1 2001:db8::2
run host 4 198.18.0.2 198.18.0.1 198.18.0.2
run host 6 2001:db8::2 2001:db8::1 2001:db8::2

# Host mode without --iface: serve captures on the interface that holds
# --addr (veth0 here), not on lo where it would say "ready" and never answer.
sv_start hostauto --addr 198.18.0.2 --client 198.18.0.1 \
    --agent-addr 198.18.0.2
out=$(printf 'no iface given\n' | sv_client 198.18.0.2 7) ||
    tc_fail "host mode without --iface: the echo client failed"
[ "$out" = "no iface given" ] ||
    tc_fail "host mode without --iface: echo returned \"$out\""
sv_stop
tc_pass "serve host mode without --iface: captures on veth0 (the" \
    "interface of --addr) and answers"
