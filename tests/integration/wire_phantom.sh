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
# An address another host owns is refused (ARP probe / DAD answered).
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

# taken FAMILY ADDRESS TARGET WHO: a phantom address a host owns (the
# tester host itself, or another host on the link that answers the ARP
# probe or duplicate address detection) is refused.
taken() {
	fam=$1 addr=$2 out=$tc_tmp/taken$1$4
	if ip netns exec "$tester" timeout 30 "$bindir/wire_handshake" \
	    -"$fam" --mode phantom --ifname veth0 --peer "$addr" \
	    --target "$3" --port $port >"$out.log" 2>&1; then
		tc_fail "IPv$fam: phantom $addr accepted though $4 owns it"
	fi
	grep -q "wire: $addr is in use on " "$out.log" ||
	    { cat "$out.log"; tc_fail "IPv$fam: conflict not reported"; }
	tc_pass "phantom mode IPv$fam refuses $addr, which $4 owns:" \
	    "$(sed -n 's/^wire_handshake: wire: //p' "$out.log")"
}

run 4 198.18.0.3 198.18.0.2
run 6 2001:db8::3 2001:db8::2
taken 4 198.18.0.1 198.18.0.2 "the tester host"
taken 6 2001:db8::1 2001:db8::2 "the tester host"
ip -n "$target" addr add 198.18.0.4/24 dev veth0
ip -n "$target" addr add 2001:db8::4/64 dev veth0 nodad
taken 4 198.18.0.4 198.18.0.2 "another host on the link"
taken 6 2001:db8::4 2001:db8::2 "another host on the link"
