#!/bin/sh
# Copyright (c) 2026 The tcpconform developers.  SPDX-License-Identifier: ISC
#
# run_valgrind.sh: the whole run of the suite (cases/, both families, four
# cases at a time) against Linux on loopback, with tcpconform and the agent
# under valgrind: no invalid access, no leak (tests/valgrind.supp names the
# one thing it suppresses, padding in libnftables' netlink messages).
set -eu
. "$(dirname "$0")/lib.sh"

command -v valgrind >/dev/null 2>&1 ||
    { echo "SKIP: valgrind is missing"; exit 77; }
tc_init "tcv$$"
lo=$tc_lab-lo
tcbin=${BUILDDIR:-.}/tcpconform
agbin=${BUILDDIR:-.}/tcpconform-agent
vg="valgrind -q --suppressions=$srcdir/tests/valgrind.supp --leak-check=full
    --errors-for-leak-kinds=definite,indirect --error-exitcode=9"

# Sanitizer builds cannot run under valgrind.
if nm "$tcbin" 2>/dev/null | grep -q __asan_init; then
	echo "SKIP: $tc_name: an AddressSanitizer build (valgrind runs on plain ones)"
	exit 77
fi

tc_bg "$lo" "$tc_tmp/agent.log" $vg "$agbin" -l 127.0.0.1 -m 64
agent_pid=$tc_lastpid
tc_wait_for "$tc_tmp/agent.log" "listening on" 20 ||
    { cat "$tc_tmp/agent.log"; tc_fail "tcpconform-agent did not start"; }
st=0
# --kind linux: the cases' own "linux" lines (Linux's recorded deviations,
# such as the matrix's RST at RCV.NXT - 1 after a FIN) are the xfails they
# are, so that the exit status says whether anything else went wrong.
ip netns exec "$lo" timeout 600 $vg "$tcbin" run --loopback --kind linux \
    --agent 127.0.0.1 -j 4 --skip-tag slow --no-progress \
    -o "$tc_tmp/out" "$srcdir/cases" >"$tc_tmp/run.log" 2>&1 || st=$?
[ "$st" -eq 0 ] || { cat "$tc_tmp/run.log"; tc_fail "run: exit status $st"; }
kill -TERM "$agent_pid"
st=0
wait "$agent_pid" || st=$?
[ "$st" -eq 0 ] || { cat "$tc_tmp/agent.log"; tc_fail "agent: exit status $st"; }
if grep -q "^==[0-9]*==" "$tc_tmp/run.log" "$tc_tmp/agent.log"; then
	cat "$tc_tmp/run.log" "$tc_tmp/agent.log"
	tc_fail "valgrind reported errors"
fi
tc_pass "the suite against Linux under valgrind: tcpconform and" \
    "tcpconform-agent without invalid access or leak"
