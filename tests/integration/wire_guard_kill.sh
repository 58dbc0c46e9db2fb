#!/bin/sh
# Copyright (c) 2026 The tcpconform developers.  SPDX-License-Identifier: ISC
#
# wire_guard_kill.sh: the guard's nftables table never outlives the tester.
# In a fresh namespace, a tester holds an open connection (guard in place),
# a second tester must refuse to start, then the first is killed with
# SIGKILL and the table must be gone: removed by the kernel (owner table),
# and, in the fallback for kernels without owner tables, by the reaper
# process.  Also: a stale table left by a dead fallback run is replaced.
set -eu
. "$(dirname "$0")/lib.sh"

tc_init "tcwk$$"
ns=$tc_lab-lo
port=8080

# table_gone_within SECONDS
table_gone_within() {
	i=0
	while ! tc_no_table "$ns"; do
		i=$((i + 1))
		[ $i -le $(($1 * 20)) ] || return 1
		sleep 0.05
	done
}

# kill_test FAMILY ADDR WHAT [OPTION]
kill_test() {
	fam=$1 addr=$2 what=$3 out=$tc_tmp/kill$1$4
	tc_bg "$ns" "$out.sink" "$bindir/tc_sink" "$addr" $port 20
	sink=$tc_lastpid
	tc_wait_for "$out.sink" listening 5 || tc_fail "tc_sink did not start"
	tc_bg "$ns" "$out.log" "$bindir/wire_handshake" -"$fam" --peer "$addr" \
	    --port $port --hold 30 $4
	tester=$tc_lastpid
	tc_wait_for "$out.log" "^holding" 10 ||
	    { cat "$out.log"; tc_fail "IPv$fam: the tester did not connect"; }
	! tc_no_table "$ns" || tc_fail "IPv$fam: no guard table while running"
	if ip netns exec "$ns" "$bindir/wire_handshake" -"$fam" --peer "$addr" \
	    --port $port >"$out.second" 2>&1; then
		tc_fail "IPv$fam: a second tester ran beside the first"
	fi
	grep -q "table inet tcpconform" "$out.second" ||
	    { cat "$out.second"; tc_fail "IPv$fam: refusal does not name the table"; }
	kill -KILL "$tester"
	wait "$tester" 2>/dev/null || true
	table_gone_within 2 || tc_fail "IPv$fam: table left after SIGKILL ($what)"
	tc_stop "$sink"
	tc_pass "host mode IPv$fam: a second tester refused to start" \
	    "($(sed -n 's/^wire_handshake: guard: //p' "$out.second" | cut -c1-60)...);" \
	    "after SIGKILL mid-connection the table inet tcpconform is gone" \
	    "($what)"
}

kill_test 4 127.0.0.1 "removed by the kernel: flags owner" ""
kill_test 6 ::1 "removed by the kernel: flags owner" ""
kill_test 4 127.0.0.1 "fallback without owner flag: removed by the reaper" \
    --guard-no-owner

# A stale table from a fallback run whose process is gone is replaced.
ip netns exec "$ns" nft add table inet tcpconform \
    '{ comment "tcpconform guard pid 999999999"; }'
out=$tc_tmp/stale
tc_bg "$ns" "$out.sink" "$bindir/tc_sink" 127.0.0.1 $port 20
sink=$tc_lastpid
tc_wait_for "$out.sink" listening 5 || tc_fail "tc_sink did not start"
ip netns exec "$ns" timeout 30 "$bindir/wire_handshake" --port $port \
    >"$out.log" 2>&1 || { cat "$out.log"; tc_fail "stale table: run failed"; }
wait "$sink" || tc_fail "stale table: tc_sink failed"
grep -q "replaced the stale nftables table inet tcpconform left by process 999999999" \
    "$out.log" || { cat "$out.log"; tc_fail "stale table not reported"; }
tc_no_table "$ns" || tc_fail "stale table: table left after exit"
tc_pass "a stale table inet tcpconform (dead pid) is replaced with a note," \
    "the run completes, and no table remains"
