#!/bin/sh
# Copyright (c) 2026 The tcpconform developers.  SPDX-License-Identifier: ISC
#
# tcp_interop.sh: the peer's TCP (tcp.h) against the Linux stack over a veth
# link in phantom-address mode, IPv4 and IPv6:
#  - 64 MiB each way through 2% loss and reordering, content compared by
#    hash; IPv4 with the peer half-closing first (data then flows to it in
#    FIN-WAIT-2), IPv6 with Linux half-closing first (the peer sends from
#    CLOSE-WAIT);
#  - simultaneous open (both sides send a bare SYN while in SYN-SENT);
#  - simultaneous close (both sides receive a FIN in FIN-WAIT-1).
# Loss and reordering come from tc netem when the kernel has it.  Without
# sch_netem, an nftables rule in the target drops 2% of the flow's segments
# both ways in the kernel (numgen random) and the driver reorders 2% of the
# segments both ways by holding them back 1 ms; the test says which.
set -eu
. "$(dirname "$0")/lib.sh"

tc_init "tcti$$"
tester=$tc_lab-tester
target=$tc_lab-target
bytes=$((64 * 1024 * 1024))
drv=$bindir/tcp_interop
[ -x "$drv" ] || tc_fail "$drv not built (make)"
reorder=0

impair() {
	if ip netns exec "$tester" tc qdisc add dev veth0 root netem \
	    loss 2% delay 100us reorder 2% 50% 2>/dev/null &&
	    ip netns exec "$target" tc qdisc add dev veth0 root netem \
	    loss 2% delay 100us reorder 2% 50% 2>/dev/null; then
		impairment="tc netem: 2% loss, 2% reordering, both ways"
		return
	fi
	ip netns exec "$tester" tc qdisc del dev veth0 root 2>/dev/null || true
	ip netns exec "$target" nft -f - <<-EOF
	table inet tcti_loss {
		chain in {
			type filter hook input priority 0;
			tcp sport 18000-18999 numgen random mod 100 < 2 drop
		}
		chain out {
			type filter hook output priority 0;
			tcp dport 18000-18999 numgen random mod 100 < 2 drop
		}
	}
	EOF
	reorder=20
	impairment="no sch_netem: nftables drops 2%, the driver reorders 2%"
}

unimpair() {
	ip netns exec "$tester" tc qdisc del dev veth0 root 2>/dev/null || true
	ip netns exec "$target" tc qdisc del dev veth0 root 2>/dev/null || true
	ip netns exec "$target" nft delete table inet tcti_loss 2>/dev/null ||
	    true
	reorder=0
}

# hash_of LOG sent|received: "N 0xHASH"
hash_of() {
	sed -n "s/^$2 \([0-9]*\) bytes fnv1a \(0x[0-9a-f]*\)$/\1 \2/p" "$1"
}

# same LOGA WHAT LOGB WHAT2: one side's WHAT is the other's WHAT2.
same() {
	a=$(hash_of "$1" "$2") b=$(hash_of "$3" "$4")
	[ -n "$a" ] && [ "$a" = "$b" ]
}

# bulk FAMILY PHANTOM TARGET FIRST
bulk() {
	fam=$1 out=$tc_tmp/bulk$1
	tc_bg "$target" "$out.linux" "$drv" linux bulk -"$fam" --target "$3" \
	    --port 9000 --bytes $bytes --first "$4" --timeout 240
	lpid=$tc_lastpid
	tc_wait_for "$out.linux" listening 5 || tc_fail "linux side not up"
	if ! ip netns exec "$tester" timeout 250 "$drv" peer bulk -"$fam" \
	    --ifname veth0 --peer "$2" --target "$3" --port 9000 \
	    --bytes $bytes --first "$4" --reorder $reorder --timeout 240 \
	    >"$out.peer" 2>&1; then
		cat "$out.peer" "$out.linux"
		tc_fail "IPv$fam bulk ($4 first): the peer failed"
	fi
	wait "$lpid" || { cat "$out.linux"; tc_fail "IPv$fam: linux failed"; }
	sed 's/^/    /' "$out.peer"
	same "$out.peer" sent "$out.linux" received ||
	    tc_fail "IPv$fam: Linux read other bytes than the peer sent"
	same "$out.linux" sent "$out.peer" received ||
	    tc_fail "IPv$fam: the peer read other bytes than Linux sent"
	[ "$(hash_of "$out.peer" received | cut -d' ' -f1)" = $bytes ] ||
	    tc_fail "IPv$fam: not $bytes bytes"
	if [ "$4" = peer ]; then
		grep -q "^states: .*FIN-WAIT-2 TIME-WAIT" "$out.peer" ||
		    tc_fail "IPv$fam: no half-close through FIN-WAIT-2"
	else
		grep -q "^states: .*CLOSE-WAIT LAST-ACK" "$out.peer" ||
		    tc_fail "IPv$fam: no half-close through CLOSE-WAIT"
	fi
	tc_pass "IPv$fam: 64 MiB each way, $4 half-closing first, hashes" \
	    "equal both ways ($impairment); $(grep '^stats:' "$out.peer")"
}

# simopen FAMILY PHANTOM TARGET
simopen() {
	fam=$1 out=$tc_tmp/simopen$1
	tc_sniff "$tester" veth0 "$out.pcap"
	tc_bg "$tester" "$out.peer" "$drv" peer simopen -"$fam" --ifname veth0 \
	    --peer "$2" --target "$3" --port 9001 --lport 18500 --timeout 20
	ppid=$tc_lastpid
	tc_wait_for "$out.peer" ready 5 || tc_fail "IPv$fam: peer not up"
	ip netns exec "$target" timeout 25 "$drv" linux simopen -"$fam" \
	    --target "$3" --port 9001 --peer "$2" --lport 18500 --timeout 20 \
	    >"$out.linux" 2>&1 ||
	    { cat "$out.peer" "$out.linux"; tc_fail "IPv$fam: linux failed"; }
	wait "$ppid" || { cat "$out.peer"; tc_fail "IPv$fam: peer failed"; }
	tc_stop "$tc_sniff_pid"
	sed 's/^/    /' "$out.peer"
	grep -q "^states: SYN-SENT SYN-RECEIVED ESTABLISHED" "$out.peer" ||
	    tc_fail "IPv$fam: the peer did not pass SYN-RECEIVED"
	same "$out.peer" sent "$out.linux" received &&
	    same "$out.linux" sent "$out.peer" received ||
	    tc_fail "IPv$fam: data not exchanged after the open"
	# On the wire: a bare SYN and a SYN-ACK from each side, which only
	# a simultaneous open produces.
	for dir in "tcp.srcport == 9001" "tcp.dstport == 9001"; do
		n=$(tshark -r "$out.pcap" -Y "$dir && tcp.flags.syn == 1 &&
		    tcp.flags.ack == 0" 2>/dev/null | wc -l)
		m=$(tshark -r "$out.pcap" -Y "$dir && tcp.flags.syn == 1 &&
		    tcp.flags.ack == 1" 2>/dev/null | wc -l)
		[ "$n" -ge 1 ] && [ "$m" -ge 1 ] ||
		    tc_fail "IPv$fam: $dir: $n SYN, $m SYN-ACK"
	done
	tc_pass "IPv$fam: simultaneous open with Linux: each side sent a" \
	    "bare SYN and a SYN-ACK; the peer went SYN-SENT, SYN-RECEIVED," \
	    "ESTABLISHED; data exchanged"
}

# simclose FAMILY PHANTOM TARGET
simclose() {
	fam=$1 out=$tc_tmp/simclose$1
	tc_bg "$target" "$out.linux" "$drv" linux simclose -"$fam" \
	    --target "$3" --port 9002 --timeout 20
	lpid=$tc_lastpid
	tc_wait_for "$out.linux" listening 5 || tc_fail "linux side not up"
	ip netns exec "$tester" timeout 25 "$drv" peer simclose -"$fam" \
	    --ifname veth0 --peer "$2" --target "$3" --port 9002 \
	    --timeout 20 >"$out.peer" 2>&1 ||
	    { cat "$out.peer" "$out.linux"; tc_fail "IPv$fam: peer failed"; }
	wait "$lpid" || { cat "$out.linux"; tc_fail "IPv$fam: linux failed"; }
	sed 's/^/    /' "$out.peer" "$out.linux"
	grep -q "^states: .*FIN-WAIT-1 CLOSING TIME-WAIT" "$out.peer" ||
	    tc_fail "IPv$fam: the peer did not pass CLOSING"
	grep -q "^linux states:.* CLOSING" "$out.linux" ||
	    tc_fail "IPv$fam: Linux did not pass CLOSING"
	tc_pass "IPv$fam: simultaneous close with Linux: both sides went" \
	    "through CLOSING"
}

impair
bulk 4 198.18.0.3 198.18.0.2 peer
bulk 6 2001:db8::3 2001:db8::2 linux
unimpair
simopen 4 198.18.0.3 198.18.0.2
simopen 6 2001:db8::3 2001:db8::2
simclose 4 198.18.0.3 198.18.0.2
simclose 6 2001:db8::3 2001:db8::2
