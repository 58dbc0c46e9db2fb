#!/bin/sh
# Copyright (c) 2026 The tcpconform developers.  SPDX-License-Identifier: ISC
#
# serve_fault.sh: "tcpconform serve" with faults, against plain Linux
# clients in a fresh lab of network namespaces, with an independent capture
# (tcpdump) as the witness.  Each fault is run next to the fault-free
# target, so that the difference is the fault's alone:
#   synack-ack-off-by-one: the SYN-ACK acknowledges the client's ISN, and
#     the Linux client's connect fails (it answers RST and gives up);
#   fin-on-unread-close: an HTTP request with "Connection: close" and a
#     second request pipelined behind it (left unread) ends in RST without
#     the fault and in FIN with it (RFC 1122 4.2.2.13);
#   --list-faults names every fault, and an unknown one is refused.
set -eu
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/serve_lib.sh"

tc_init "tcsf$$"
sv_init
addr=198.18.0.5

# synack FAULT-ARGS...: the client's SYN seq and the SYN-ACK's ack.
synack() {
	pcap=$tc_tmp/synack$#.pcap
	tc_sniff "$tester" veth0 "$pcap"
	sv_start "synack$#" --mode phantom --iface veth0 --addr $addr \
	    --client 198.18.0.1 --agent-port 0 "$@"
	if printf 'x\n' | sv_client $addr 7 >/dev/null 2>&1; then
		connected=1
	else
		connected=0
	fi
	sv_stop
	tc_stop "$tc_sniff_pid"
	syn=$(tshark -r "$pcap" -Y "tcp.flags == 0x002" -T fields \
	    -e tcp.seq_raw 2>/dev/null | head -1)
	ack=$(tshark -r "$pcap" -Y "tcp.flags == 0x012" -T fields \
	    -e tcp.ack_raw 2>/dev/null | head -1)
	[ -n "$syn" ] && [ -n "$ack" ] ||
	    tc_fail "no SYN or SYN-ACK in the capture ($*)"
}

synack
[ "$connected" -eq 1 ] || tc_fail "no fault: the client could not connect"
[ "$ack" -eq $(( (syn + 1) % 4294967296 )) ] ||
    tc_fail "no fault: SYN-ACK ack $ack for SYN seq $syn"
synack --fault synack-ack-off-by-one
[ "$connected" -eq 0 ] ||
    tc_fail "synack-ack-off-by-one: the Linux client connected"
[ "$ack" -eq "$syn" ] ||
    tc_fail "synack-ack-off-by-one: SYN-ACK ack $ack for SYN seq $syn"
tc_pass "synack-ack-off-by-one: SYN-ACK ack = ISN ($ack), the Linux" \
    "client's connect fails; without the fault ack = ISN+1 and it connects"

# unread FAULT-ARGS...: the flags the HTTP port sent (a set of lines).
unread() {
	pcap=$tc_tmp/unread$#.pcap
	tc_sniff "$tester" veth0 "$pcap"
	sv_start "unread$#" --mode phantom --iface veth0 --addr $addr \
	    --client 198.18.0.1 --agent-port 0 "$@"
	printf 'GET / HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\nGET /2 HTTP/1.1\r\n\r\n' |
	    sv_client $addr 80 >"$tc_tmp/http$#.out" 2>/dev/null || true
	sv_stop
	tc_stop "$tc_sniff_pid"
	grep -q '^HTTP/1.1 200 OK' "$tc_tmp/http$#.out" ||
	    tc_fail "no HTTP response ($*): $(cat "$tc_tmp/http$#.out")"
	flags=$(sv_flags "$pcap" $addr 80)
	rst=$(echo "$flags" | grep -c '0x001[4c]$' || true)
	fin=$(echo "$flags" | grep -c '0x001[19]$' || true)
}

unread
[ "$rst" -ge 1 ] && [ "$fin" -eq 0 ] ||
    tc_fail "no fault: close with unread data sent $fin FIN, $rst RST"
unread --fault fin-on-unread-close
[ "$rst" -eq 0 ] && [ "$fin" -ge 1 ] ||
    tc_fail "fin-on-unread-close: sent $fin FIN, $rst RST"
tc_pass "fin-on-unread-close: close with a pipelined request unread sends" \
    "FIN; without the fault it sends RST+ACK"

"$tcbin" serve --list-faults >"$tc_tmp/faults" ||
    tc_fail "serve --list-faults failed"
for f in synack-ack-off-by-one predictable-isn fin-no-seq no-fin-ack \
    refuse-data-after-fin fin-on-unread-close no-rst-after-close \
    no-time-wait rst-accept-out-of-window no-challenge-ack \
    synack-to-wrong-ack-no-rst simclose-no-ack; do
	grep -q "^$f " "$tc_tmp/faults" || tc_fail "--list-faults lacks $f"
done
if "$tcbin" serve --addr $addr --client 198.18.0.1 --fault no-such \
    >/dev/null 2>&1; then
	tc_fail "an unknown fault was accepted"
fi
tc_pass "serve --list-faults lists $(wc -l <"$tc_tmp/faults") faults;" \
    "an unknown fault is refused"
