#!/bin/sh
# Copyright (c) 2026 The tcpconform developers.  SPDX-License-Identifier: ISC
#
# lab_lwip.sh: the suite of cases/ against another TCP stack, lwIP 2.1.3
# (Debian liblwip), run by tests/lab/lwip_target on a TAP device with the
# agent protocol on lwIP's own sockets, so that every case runs, not only
# the agentless ones.  IPv4 and IPv6, host-address mode (the TAP's kernel
# side is the tester's address), then phantom-address mode, then IPv4
# without the agent; then the services.
# Every verdict must be the one cases/baselines/lwip.expect records (a
# listed failure is xfail; a pass of a listed case is xpass and fails).
# Cases tagged "slow" are left out.
#
#   tester namespace: lwtap0 198.18.1.1/24 2001:db8:1::1/64 (kernel)
#   lwIP:             198.18.1.2/24 2001:db8:1::2/64, agent on port 7447,
#                     echo on 7, discard on 9, banner on 13, HTTP on 80;
#                     phantom peer 198.18.1.3, 2001:db8:1::3
set -eu
. "$(dirname "$0")/lib.sh"

if [ ! -x "${BUILDDIR:-.}/tests/lab/lwip_target" ]; then
	echo "SKIP: $tc_name: tests/lab/lwip_target not built (liblwip-dev" \
	    "missing at configure time)"
	exit 77
fi
tc_init "tclw$$"
ns=$tc_lab-tester
tcbin=${BUILDDIR:-.}/tcpconform
lwbin=${BUILDDIR:-.}/tests/lab/lwip_target
cases=$srcdir/cases
expect=$srcdir/cases/baselines/lwip.expect
for b in "$tcbin" "$lwbin"; do
	[ -x "$b" ] || tc_fail "$b not built (make check builds it)"
done
[ -r "$expect" ] || tc_fail "$expect is missing"

# The TAP device, in the tester's namespace (removed with it).
ip -n "$ns" tuntap add dev lwtap0 mode tap
ip -n "$ns" addr add 198.18.1.1/24 dev lwtap0
ip -n "$ns" addr add 2001:db8:1::1/64 dev lwtap0 nodad
ip -n "$ns" link set lwtap0 up

tc_bg "$ns" "$tc_tmp/lwip.log" "$lwbin" -i lwtap0 -4 198.18.1.2/24 \
    -6 2001:db8:1::2/64 -a 198.18.1.1 -a 2001:db8:1::1
lwip_pid=$tc_lastpid
tc_wait_for "$tc_tmp/lwip.log" "lwip_target: ready" 10 ||
    { cat "$tc_tmp/lwip.log"; tc_fail "lwip_target did not start"; }

# verdicts DIR: "id verdict" for every result in DIR/results.json.
verdicts() {
	tc_verdicts "$1"
}

# The cases not tagged slow (files and matrix cells).
tc_catalogue "$tcbin" "$cases"
ncases=$tc_ncases
nonslow="$cases --skip-tag slow"

# against NAME ADDR ARGS...: the suite against lwIP; every verdict must be
# pass, info or xfail (the baseline's), or not applicable where ARGS give
# no agent; and lwIP must still run.
against() {
	name=$1 addr=$2
	shift 2
	st=0
	ip netns exec "$ns" timeout 300 "$tcbin" run --target "$addr" \
	    --remote --intrusive --rate 5000 --kind lwip $svcs \
	    --expect "$expect" --no-progress -j 4 -o "$tc_tmp/$name" "$@" \
	    $nonslow >"$tc_tmp/$name.log" 2>&1 || st=$?
	kill -0 "$lwip_pid" 2>/dev/null ||
	    { cat "$tc_tmp/lwip.log"; tc_fail "$name: lwip_target died"; }
	[ -r "$tc_tmp/$name/results.json" ] ||
	    { cat "$tc_tmp/$name.log"; tc_fail "$name: no results"; }
	verdicts "$tc_tmp/$name" >"$tc_tmp/$name.v"
	n=$(wc -l <"$tc_tmp/$name.v")
	[ "$n" -eq "$ncases" ] ||
	    { cat "$tc_tmp/$name.log"; tc_fail "$name: $n results"; }
	bad=$(awk -v na="$na" '$2 != "pass" && $2 != "info" &&
	    $2 != "xfail" && $2 != "other-family" &&
	    ($2 != "not-applicable" || na == "")' \
	    "$tc_tmp/$name.v")
	if [ -n "$bad" ] || [ "$st" -ne 0 ]; then
		cat "$tc_tmp/$name.log"
		tc_fail "$name: exit status $st; not as the baseline: $bad"
	fi
	tc_note "$name: $(awk '{ print $2 }' "$tc_tmp/$name.v" | sort |
	    uniq -c | awk '{ printf "%s=%s ", $2, $1 }')"
}

# lwip_target's services, for the agentless service cases.
svcs="--service echo:7 --service discard:9 --service banner:13"
svcs="$svcs --service http:80"
na=
against lwip4 198.18.1.2 --agent 198.18.1.2
against lwip6 2001:db8:1::2 --agent "[2001:db8:1::2]"
# The report names the stack and the build options its agent tells.
for r in lwip4 lwip6; do
	grep -q '^        "stack": "lwIP",*$' "$tc_tmp/$r/results.json" &&
	    grep -q '^        "TCP_MSS": "[0-9]*",*$' "$tc_tmp/$r/results.json" ||
	    tc_fail "$r: the target's identity lacks lwIP's build options"
done
tc_pass "suite against lwIP 2.1.3 on a TAP, IPv4 and IPv6: $ncases cases" \
    "each, every verdict as cases/baselines/lwip.expect records; identity" \
    "with lwIP's build options"

# The lwIP column of docs/cases.md is this run's.  The results stay in
# tests/lab/ of the build, for scripts/case-table.sh to remake the table.
cp "$tc_tmp/lwip4/results.json" "${BUILDDIR:-.}/tests/lab/lwip4.json"
cp "$tc_tmp/lwip6/results.json" "${BUILDDIR:-.}/tests/lab/lwip6.json"
sh "$srcdir/scripts/case-table.sh" "$tcbin" "$cases" \
    lwIP="$tc_tmp/lwip4/results.json" lwIP="$tc_tmp/lwip6/results.json" \
    >"$tc_tmp/cases.md"
sh "$srcdir/scripts/case-table.sh" --only Case,lwIP "$srcdir/docs/cases.md" \
    >"$tc_tmp/cases.doc" || tc_fail "docs/cases.md has no lwIP column"
sh "$srcdir/scripts/case-table.sh" --only Case,lwIP "$tc_tmp/cases.md" |
    grep -v 'not run (tagged slow)' | while IFS= read -r row; do
	grep -Fxq -- "$row" "$tc_tmp/cases.doc" || echo "$row"
done >"$tc_tmp/stale"
[ ! -s "$tc_tmp/stale" ] || { cat "$tc_tmp/stale"; tc_fail \
    "the lwIP column of docs/cases.md is stale (rows above): remake it" \
    "with scripts/case-table.sh ... lwIP=tests/lab/lwip4.json" \
    "lwIP=tests/lab/lwip6.json"; }
tc_pass "the lwIP column of docs/cases.md matches this run"
against phantom4 198.18.1.2 --agent 198.18.1.2 --mode phantom \
    --iface lwtap0 --phantom-addr 198.18.1.3
against phantom6 2001:db8:1::2 --agent "[2001:db8:1::2]" --mode phantom \
    --iface lwtap0 --phantom-addr 2001:db8:1::3
tc_pass "suite against lwIP in phantom-address mode, IPv4 and IPv6: as" \
    "the baseline"

# One report, both families: the matrix of lwIP v4 and v6.
"$tcbin" report -o "$tc_tmp/matrix" "$tc_tmp/lwip4/results.json" \
    "$tc_tmp/lwip6/results.json" >"$tc_tmp/matrix.log" 2>&1 ||
    { cat "$tc_tmp/matrix.log"; tc_fail "tcpconform report failed"; }

# Agentless, on lwIP's discard service as the open port and its other
# services: the cases that need no agent run (and agree with the
# baseline); those that need the agent are not applicable.
na=1
against agentless4 198.18.1.2 --port 9 --service discard
n=$(awk '$2 != "not-applicable"' "$tc_tmp/agentless4.v" | wc -l)
nagent=$(grep -c ' needs=[^ ]*agent' "$tc_tmp/catalogue" || true)
[ "$n" -eq $((ncases - nagent)) ] ||
    tc_fail "agentless4: $n cases ran, expected $((ncases - nagent))"
tc_pass "suite against lwIP without the agent (its services):" \
    "$n agentless cases as the baseline, the others not applicable"

# Each service answers (the lab's probes, tests/lab/cases/).  No sanity
# case: the runs above proved the set-up, and its close races the banner's
# own (the banner closes at once, so the peer may never see FIN-WAIT-2).
for fam in 4 6; do
	addr=198.18.1.2
	[ $fam = 4 ] || addr=2001:db8:1::2
	for s in echo:7:echo discard:9:discard banner:13:any http:80:http; do
		IFS=: read -r sv port prof <<EOF
$s
EOF
		st=0
		ip netns exec "$ns" timeout 60 "$tcbin" run --target "$addr" \
		    --remote --intrusive --rate 5000 --port "$port" --service "$prof" \
		    --no-sanity --no-progress -o "$tc_tmp/$sv$fam" \
		    "$srcdir/tests/lab/cases/$sv.case" \
		    >"$tc_tmp/$sv$fam.log" 2>&1 || st=$?
		v=none
		[ ! -r "$tc_tmp/$sv$fam/results.json" ] ||
		    v=$(verdicts "$tc_tmp/$sv$fam")
		[ "$st" -eq 0 ] && [ "$v" = "$sv pass" ] ||
		    { cat "$tc_tmp/$sv$fam.log"; tc_fail "IPv$fam: the" \
		    "$sv service on port $port: $v"; }
	done
done
tc_pass "lwIP's echo (7), discard (9), banner (13) and HTTP (80) answer," \
    "IPv4 and IPv6"
tc_stop "$lwip_pid"
