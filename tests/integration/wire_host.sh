#!/bin/sh
# Copyright (c) 2026 The tcpconform developers.  SPDX-License-Identifier: ISC
#
# wire_host.sh: host-address mode on loopback, in a fresh network namespace,
# IPv4 and IPv6.  A Linux listener (tc_sink) accepts a connection that the
# peer builds segment by segment (wire_handshake): handshake, data, FIN
# both ways.  Proves that the listener's application read exactly the bytes
# sent, that no RST from the host kernel reached the wire (an independent
# tcpdump capture is searched with tshark), that the pcap file the wire
# layer wrote is read by tcpdump and tshark, and that the guard's table is
# gone once the tester has exited.  Then the same without the guard, to
# show that the RST check does catch the kernel's RST.
set -eu
. "$(dirname "$0")/lib.sh"

tc_init "tcwh$$"
ns=$tc_lab-lo
port=8080

# run FAMILY ADDR: one connection, every check.
run() {
	fam=$1 addr=$2 out=$tc_tmp/host$1
	tc_bg "$ns" "$out.sink" "$bindir/tc_sink" "$addr" $port 20
	sink=$tc_lastpid
	tc_wait_for "$out.sink" listening 5 || tc_fail "tc_sink did not start"
	tc_sniff "$ns" lo "$out.indep.pcap"
	if ! ip netns exec "$ns" timeout 30 "$bindir/wire_handshake" -"$fam" \
	    --peer "$addr" --port $port --bytes 20000 \
	    --pcap "$out.pcap" >"$out.log" 2>&1; then
		cat "$out.log"
		tc_fail "IPv$fam: wire_handshake failed"
	fi
	wait "$sink" || { cat "$out.sink"; tc_fail "IPv$fam: tc_sink failed"; }
	tc_stop "$tc_sniff_pid"
	sed 's/^/    /' "$out.log"
	tc_same_bytes "$out.log" "$out.sink" ||
	    tc_fail "IPv$fam: the listener read other bytes: $(cat "$out.sink")"
	rsts=$(tc_peer_rsts "$out.indep.pcap")
	[ "$rsts" -eq 0 ] || tc_fail "IPv$fam: $rsts RSTs from the peer's ports"
	segs=$(tshark -r "$out.indep.pcap" 2>/dev/null | wc -l)
	[ "$segs" -ge 8 ] || tc_fail "IPv$fam: only $segs segments captured"
	ours=$(tcpdump -r "$out.pcap" -n 2>/dev/null | wc -l)
	theirs=$(tshark -r "$out.pcap" 2>/dev/null | wc -l)
	[ "$ours" -eq "$segs" ] && [ "$theirs" -eq "$segs" ] ||
	    tc_fail "IPv$fam: pcap holds $ours (tcpdump) / $theirs (tshark)" \
	    "segments, tcpdump on lo saw $segs"
	tc_no_table "$ns" || tc_fail "IPv$fam: guard table left behind"
	tc_pass "host mode IPv$fam on loopback: handshake, 20000 bytes read" \
	    "by the listener with the same hash, FIN both ways, no RST from" \
	    "the host kernel in an independent capture ($segs segments)," \
	    "pcap read by tcpdump and tshark, guard table gone after exit"
}

# unguarded FAMILY ADDR: without the guard the kernel's RST is seen.
unguarded() {
	fam=$1 addr=$2 out=$tc_tmp/bare$1
	tc_bg "$ns" "$out.sink" "$bindir/tc_sink" "$addr" $port 5
	sink=$tc_lastpid
	tc_wait_for "$out.sink" listening 5 || tc_fail "tc_sink did not start"
	tc_sniff "$ns" lo "$out.indep.pcap"
	if ip netns exec "$ns" timeout 30 "$bindir/wire_handshake" -"$fam" \
	    --peer "$addr" --port $port --no-guard --timeout 1 \
	    >"$out.log" 2>&1; then
		cat "$out.log"
		tc_fail "IPv$fam: without the guard the connection survived"
	fi
	tc_stop "$sink"
	tc_stop "$tc_sniff_pid"
	rsts=$(tc_peer_rsts "$out.indep.pcap")
	[ "$rsts" -ge 1 ] ||
	    tc_fail "IPv$fam: no kernel RST seen although unguarded"
	grep -q "(host kernel, from the peer's address)" "$out.log" ||
	    tc_fail "IPv$fam: the wire layer did not flag the kernel's RST"
	tc_pass "host mode IPv$fam without the guard: the host kernel's RST" \
	    "is on the wire ($rsts) and flagged by the wire layer, so the" \
	    "check above can fail"
}

run 4 127.0.0.1
run 6 ::1
unguarded 4 127.0.0.1
unguarded 6 ::1
