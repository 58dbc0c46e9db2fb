#!/bin/sh
# Copyright (c) 2026 The tcpconform developers.  SPDX-License-Identifier: ISC
#
# wire_phantom.sh: phantom-address mode over a veth link between two fresh
# namespaces, IPv4 and IPv6.  The peer claims 198.18.0.3 / 2001:db8::3,
# which no interface has, resolves the target's MAC, answers the target's
# ARP and neighbour solicitations itself, and runs a whole connection to a
# Linux listener in the other namespace.  Proves that the listener read
# exactly the bytes sent, that the target learnt the phantom's own MAC,
# that no RST from the tester host reached the link (independent capture),
# and that phantom mode leaves the host's firewall alone (no table at all).
set -eu
. "$(dirname "$0")/lib.sh"

tc_init "tcwp$$"
tester=$tc_lab-tester
target=$tc_lab-target
port=8080

# run FAMILY PHANTOM TARGET
run() {
	fam=$1 phantom=$2 addr=$3 out=$tc_tmp/phantom$1
	tc_bg "$target" "$out.sink" "$bindir/tc_sink" "$addr" $port 20
	sink=$tc_lastpid
	tc_wait_for "$out.sink" listening 5 || tc_fail "tc_sink did not start"
	tc_sniff "$tester" veth0 "$out.indep.pcap"
	if ! ip netns exec "$tester" timeout 30 "$bindir/wire_handshake" \
	    -"$fam" --mode phantom --ifname veth0 --peer "$phantom" \
	    --target "$addr" --port $port --bytes 20000 --pcap "$out.pcap" \
	    >"$out.log" 2>&1; then
		cat "$out.log"
		tc_fail "IPv$fam: wire_handshake failed"
	fi
	wait "$sink" || { cat "$out.sink"; tc_fail "IPv$fam: tc_sink failed"; }
	tc_stop "$tc_sniff_pid"
	sed 's/^/    /' "$out.log"
	tc_same_bytes "$out.log" "$out.sink" ||
	    tc_fail "IPv$fam: the listener read other bytes: $(cat "$out.sink")"
	mac=$(sed -n 's/^phantom MAC \([0-9a-f:]*\),.*/\1/p' "$out.log")
	ip -n "$target" neigh show "$phantom" | grep -q "lladdr $mac" ||
	    tc_fail "IPv$fam: the target has not learnt $phantom at $mac:" \
	    "$(ip -n "$target" neigh show "$phantom")"
	rsts=$(tc_peer_rsts "$out.indep.pcap")
	[ "$rsts" -eq 0 ] || tc_fail "IPv$fam: $rsts RSTs from the peer's ports"
	segs=$(tshark -r "$out.indep.pcap" 2>/dev/null | wc -l)
	theirs=$(tshark -r "$out.pcap" 2>/dev/null | wc -l)
	[ "$theirs" -eq "$segs" ] ||
	    tc_fail "IPv$fam: pcap holds $theirs segments, tcpdump saw $segs"
	[ -z "$(ip netns exec "$tester" nft list tables)" ] ||
	    tc_fail "IPv$fam: phantom mode created an nftables table"
	tc_pass "phantom mode IPv$fam over veth: $phantom answered" \
	    "$([ "$fam" = 4 ] && echo ARP || echo "neighbour solicitation")" \
	    "(target holds lladdr $mac), handshake, 20000 bytes read by the" \
	    "listener with the same hash, FIN both ways, no RST in an" \
	    "independent capture ($segs segments), no firewall change"
}

run 4 198.18.0.3 198.18.0.2
run 6 2001:db8::3 2001:db8::2
