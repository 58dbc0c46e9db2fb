#!/bin/sh
# Copyright (c) 2026 The tcpconform developers.  SPDX-License-Identifier: ISC
#
# slirp.sh: libslirp, a BSD-derived user-space TCP (QEMU's user networking),
# as a lab target.  tests/lab/slirp_target runs slirp on a TAP device in a
# namespace of this test; tcpconform plays slirp's guest on that TAP in
# phantom-address mode (198.18.0.3, 2001:db8::3) and talks to slirp's
# virtual host (198.18.0.2, 2001:db8::2).  slirp connects each of the
# guest's connections to the same port on the namespace's loopback, where
# the "application" is.
#   1. A hand-built connection in each family (wire_handshake): handshake,
#      20000 bytes, FIN both ways; the listener behind slirp read them all.
set -eu
. "$(dirname "$0")/lib.sh"

slirp_bin=${BUILDDIR:-.}/tests/lab/slirp_target
if [ ! -x "$slirp_bin" ]; then
	echo "SKIP: $tc_name: $slirp_bin not built (libslirp-dev missing at" \
	    "configure time)"
	exit 77
fi
tc_init "tcsl$$"
ns=$tc_lab-lo
tap=tcsl$$

# The guest's link: a TAP with no address of the host's on it (IPv6 off, so
# the kernel says nothing there); only slirp and the phantom peer talk.
ip -n "$ns" tuntap add dev "$tap" mode tap
ip netns exec "$ns" sysctl -qw "net.ipv6.conf.$tap.disable_ipv6=1"
ip -n "$ns" link set "$tap" up
tc_bg "$ns" "$tc_tmp/slirp.log" "$slirp_bin" "$tap"
tc_wait_for "$tc_tmp/slirp.log" "slirp_target: ready" 5 ||
    { cat "$tc_tmp/slirp.log"; tc_fail "slirp_target did not start"; }
slirp_pid=$tc_lastpid
tc_note "$(sed -n 's/^slirp_target: ready: //p' "$tc_tmp/slirp.log")"

# handshake FAMILY PHANTOM TARGET LISTEN
handshake() {
	out=$tc_tmp/hs$1
	tc_bg "$ns" "$out.sink" "$bindir/tc_sink" "$4" 8080 20
	sink=$tc_lastpid
	tc_wait_for "$out.sink" listening 5 || tc_fail "tc_sink did not start"
	if ! ip netns exec "$ns" timeout 30 "$bindir/wire_handshake" \
	    -"$1" --mode phantom --ifname "$tap" --peer "$2" \
	    --target "$3" --port 8080 --bytes 20000 --pcap "$out.pcap" \
	    >"$out.log" 2>&1; then
		cat "$out.log" "$tc_tmp/slirp.log"
		tc_fail "IPv$1: wire_handshake through slirp failed"
	fi
	wait "$sink" || { cat "$out.sink"; tc_fail "IPv$1: tc_sink failed"; }
	tc_same_bytes "$out.log" "$out.sink" ||
	    tc_fail "IPv$1: the listener read other bytes: $(cat "$out.sink")"
	tc_pass "slirp IPv$1: handshake with $3 on a TAP, 20000 bytes read by" \
	    "the listener on $4 behind slirp with the same hash, FIN both ways"
}

handshake 4 198.18.0.3 198.18.0.2 127.0.0.1
handshake 6 2001:db8::3 2001:db8::2 ::1
kill -0 "$slirp_pid" 2>/dev/null || tc_fail "slirp_target died"
