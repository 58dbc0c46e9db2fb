#!/bin/sh
# Copyright (c) 2026 The tcpconform developers.  SPDX-License-Identifier: ISC
#
# lab.sh: a network lab of named network namespaces for tcpconform's
# integration tests, quickstart and benchmark.
#
#   lab.sh up NAME      create the lab (again: nothing changes)
#   lab.sh up-path NAME the same, with a middle namespace on the link
#   lab.sh down NAME    remove it, stopping (SIGTERM) what still runs in
#                       its namespaces (a missing lab is fine)
#   lab.sh status NAME  show what exists
#
# The lab NAME is three network namespaces:
#   NAME-tester   veth0 198.18.0.1/24 2001:db8::1/64, where tcpconform runs
#   NAME-target   veth0 198.18.0.2/24 2001:db8::2/64, where the target stack
#                 (a Linux listener) runs; the two veth0 are one link
#   NAME-lo       only loopback (127.0.0.1, ::1), for host-address mode
# 198.18.0.3 and 2001:db8::3 are left free on the link for the phantom
# peer (phantom-address mode, run in NAME-tester on veth0).
#
# With up-path, the two veth0 are not one link: each is joined to a port of
# a fourth namespace, NAME-path (ports vt, to the tester, and vg, to the
# target; no addresses, IPv6 off), where a bridge program moves frames
# between the ports: tests/lab/impair.py loses, duplicates and reorders
# them.  Nothing passes until the bridge runs.
#
# Addresses come from 198.18.0.0/15 (RFC 2544) and 2001:db8::/32 (RFC 3849)
# only.  IPv6 addresses are "nodad", so usable at once.  Segmentation and
# receive offloads (TSO, GSO, GRO) and checksum offload are off on the
# veths, so that captures show segments as they are on the wire, with
# their real checksums.  NAME-lo's loopback keeps its offloads, as users
# have them: the tester reads the size of the segments an offload frame
# stands for from the capture (tcpconform(1)).  Needs root, ip(8) and
# ethtool(8).
set -eu

prog=lab.sh
V4_TESTER=198.18.0.1
V4_TARGET=198.18.0.2
V4_PHANTOM=198.18.0.3
V6_TESTER=2001:db8::1
V6_TARGET=2001:db8::2
V6_PHANTOM=2001:db8::3

usage() {
	echo "usage: $prog up|up-path|down|status NAME" >&2
	exit 2
}

say() {
	echo "$prog: $*"
}

die() {
	echo "$prog: $*" >&2
	exit 1
}

ns_exists() {
	ip netns list | awk '{print $1}' | grep -qx "$1"
}

# Create a namespace with loopback up, unless it exists.
ns_up() {
	if ns_exists "$1"; then
		say "namespace $1 exists"
	else
		ip netns add "$1"
		say "created namespace $1"
	fi
	ip -n "$1" link set lo up
}

# Add an address unless the interface has it already.
addr_add() {
	ns=$1 dev=$2 addr=$3
	shift 3
	if ! ip -n "$ns" addr show dev "$dev" | grep -q " ${addr%/*}/"; then
		ip -n "$ns" addr add "$addr" dev "$dev" "$@"
		say "$ns: $dev $addr"
	fi
}

offloads_off() {
	ip netns exec "$1" ethtool -K veth0 tso off gso off gro off \
	    tx off rx off >/dev/null 2>&1 ||
	    die "$1: ethtool -K veth0 failed (is ethtool installed?)"
}

lab_up() {
	name=$1
	ns_up "$name-tester"
	ns_up "$name-target"
	ns_up "$name-lo"
	if ! ip -n "$name-tester" link show veth0 >/dev/null 2>&1; then
		# A half-made lab: a veth0 left alone on the other side.
		ip -n "$name-target" link del veth0 2>/dev/null || true
		ip link add veth0 netns "$name-tester" type veth \
		    peer name veth0 netns "$name-target"
		say "veth link $name-tester/veth0 <-> $name-target/veth0"
	fi
	addr_add "$name-tester" veth0 "$V4_TESTER/24"
	addr_add "$name-tester" veth0 "$V6_TESTER/64" nodad
	addr_add "$name-target" veth0 "$V4_TARGET/24"
	addr_add "$name-target" veth0 "$V6_TARGET/64" nodad
	for ns in "$name-tester" "$name-target"; do
		offloads_off "$ns"
		ip -n "$ns" link set veth0 up
	done
	say "lab $name is up: tester $V4_TESTER $V6_TESTER," \
	    "target $V4_TARGET $V6_TARGET, phantom $V4_PHANTOM $V6_PHANTOM"
}

# The lab with NAME-path between tester and target.
lab_up_path() {
	name=$1
	ns_up "$name-tester"
	ns_up "$name-target"
	ns_up "$name-lo"
	ns_up "$name-path"
	ip netns exec "$name-path" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 \
	    net.ipv6.conf.default.disable_ipv6=1
	if ! ip -n "$name-tester" link show veth0 >/dev/null 2>&1; then
		ip -n "$name-path" link del vt 2>/dev/null || true
		ip link add veth0 netns "$name-tester" type veth \
		    peer name vt netns "$name-path"
	fi
	if ! ip -n "$name-target" link show veth0 >/dev/null 2>&1; then
		ip -n "$name-path" link del vg 2>/dev/null || true
		ip link add veth0 netns "$name-target" type veth \
		    peer name vg netns "$name-path"
	fi
	say "veth links $name-tester/veth0 <-> $name-path/vt," \
	    "$name-path/vg <-> $name-target/veth0"
	addr_add "$name-tester" veth0 "$V4_TESTER/24"
	addr_add "$name-tester" veth0 "$V6_TESTER/64" nodad
	addr_add "$name-target" veth0 "$V4_TARGET/24"
	addr_add "$name-target" veth0 "$V6_TARGET/64" nodad
	for ns in "$name-tester" "$name-target"; do
		offloads_off "$ns"
		ip -n "$ns" link set veth0 up
	done
	for dev in vt vg; do
		ip netns exec "$name-path" ethtool -K "$dev" tso off gso off \
		    gro off tx off rx off >/dev/null 2>&1 ||
		    die "$name-path: ethtool -K $dev failed"
		ip -n "$name-path" link set "$dev" promisc on up
	done
	say "lab $name is up with $name-path between tester and target"
}

lab_down() {
	name=$1
	for ns in "$name-tester" "$name-target" "$name-lo" "$name-path"; do
		if ns_exists "$ns"; then
			# What still runs there would be left with no network.
			pids=$(ip netns pids "$ns" 2>/dev/null || true)
			if [ -n "$pids" ]; then
				# shellcheck disable=SC2086
				kill $pids 2>/dev/null || true
				say "stopped $(echo "$pids" | wc -w) process(es) in $ns"
			fi
			ip netns del "$ns"
			say "removed namespace $ns"
		fi
	done
	say "lab $name is down"
}

lab_status() {
	name=$1 missing=0
	for ns in "$name-tester" "$name-target" "$name-lo"; do
		if ns_exists "$ns"; then
			echo "$ns:"
			ip -n "$ns" -brief addr show | sed 's/^/  /'
		else
			echo "$ns: missing"
			missing=1
		fi
	done
	return $missing
}

[ $# -eq 2 ] || usage
case $2 in
'' | -* | *[!A-Za-z0-9_.-]*)
	die "NAME must be letters, digits, '_', '.' or '-': \"$2\"" ;;
esac
[ "$(id -u)" -eq 0 ] || die "must run as root (it creates namespaces)"
case $1 in
up)	lab_up "$2" ;;
up-path) lab_up_path "$2" ;;
down)	lab_down "$2" ;;
status)	lab_status "$2" ;;
*)	usage ;;
esac
