#!/bin/sh
# Copyright (c) 2026 The tcpconform developers.  SPDX-License-Identifier: ISC
#
# suite.sh: the conformance suite of cases/, run three ways, IPv4 and IPv6:
#   1. against Linux on loopback in a fresh namespace, with tcpconform-agent
#      and stock servers for the service profiles (lighttpd, inetd's echo,
#      discard and daytime: stock_lib.sh): every case gets the verdict it
#      records for Linux (pass, or the fail or warn of its "linux" line,
#      shown as xfail; measurements are info), the agentless ones too;
#   2. against "tcpconform serve" with no fault, over veth, with its
#      services: every case passes;
#   3. against "tcpconform serve" with each fault a case names: that case
#      fails (or warns, for a SHOULD; or, for a case with a "claim", gives
#      info with the claim absent or half-done): proof that every case can
#      fail;
#   4. against "tcpconform serve" with each passive check's fault (tcpconform
#      list --tag passive), two cases whose segments carry it: the check
#      fires, with its requirement.
# From the fault runs of 3 and 4, the requirements a fault made a case or a
# passive check report (coverage.py): the record cases/coverage.txt must
# claim nothing more (and, with TC_COVERAGE_STRICT=1, nothing less;
# TC_UPDATE_COVERAGE=1 rewrites it), and "tcpconform list" prints the
# coverage figures from it.
# After 1, the table of docs/cases.md is checked against the run.
# Cases tagged "slow" (those that wait out an RFC timer of more than 10 s:
# the TIME-WAIT measurement) are left out of 1 ("make check-slow" runs them
# against Linux, tests/integration/suite_slow.sh); against serve, whose MSL
# is 1 s, they are quick, so 2 and 3 run them, judged with --target-msl 1s;
# but not those also tagged long, whose RFC timer is minutes whatever the
# target (a SYN retried for 3 minutes): suite_slow.sh runs them against
# serve and their faults.
set -eu
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/stock_lib.sh"

tc_init "tcs$$"
tcbin=${BUILDDIR:-.}/tcpconform
agbin=${BUILDDIR:-.}/tcpconform-agent
cases=$srcdir/cases
for b in "$tcbin" "$agbin"; do
	[ -x "$b" ] || tc_fail "$b not built (make)"
done

# verdicts DIR: "id verdict" for every result in DIR/results.json
# ("other-family" for a case of the other family only: tc_verdicts).
verdicts() {
	tc_verdicts "$1"
}

# The cases not tagged slow (files and matrix cells).
tc_catalogue "$tcbin" "$cases"
ncases=$tc_ncases
nonslow="$cases --skip-tag slow"

# 1. Linux on loopback.
lo=$tc_lab-lo
tc_bg "$lo" "$tc_tmp/agent.log" "$agbin" -l 127.0.0.1
tc_wait_for "$tc_tmp/agent.log" "listening on" 5 ||
    { cat "$tc_tmp/agent.log"; tc_fail "tcpconform-agent did not start"; }
agent_pid=$tc_lastpid
stock_up "$lo"
st=0
# shellcheck disable=SC2046
ip netns exec "$lo" timeout 600 "$tcbin" run --loopback --agent 127.0.0.1 \
    $(stock_services) \
    --kind linux -j 4 --no-progress -o "$tc_tmp/linux" $nonslow \
    >"$tc_tmp/linux.log" 2>&1 || st=$?
tc_stop "$agent_pid"
[ "$st" -eq 0 ] || { cat "$tc_tmp/linux.log"; tc_fail "Linux: exit status $st"; }
# For remaking docs/cases.md (scripts/case-table.sh) from this very run.
[ -z "${TC_SUITE_SAVE:-}" ] || cp "$tc_tmp/linux/results.json" "$TC_SUITE_SAVE"
verdicts "$tc_tmp/linux" >"$tc_tmp/linux.v"
n=$(wc -l <"$tc_tmp/linux.v")
[ "$n" -eq $((ncases * 2)) ] ||
    tc_fail "Linux: $n results for $ncases cases in two families"
# lighttpd reads what comes with a request and drains what follows its
# response (a lingering close): the case that needs bytes of ours left
# unread in its TCP is not applicable there, and says why (its end line).
lingers=rst-unread/http-unread-at-close
bad=$(awk -v lingers="$lingers" '$2 != "pass" && $2 != "xfail" &&
    $2 != "info" && $2 != "other-family" &&
    !($2 == "not-applicable" && $1 == lingers)' "$tc_tmp/linux.v")
[ -z "$bad" ] || { cat "$tc_tmp/linux.log"; tc_fail "Linux: $bad"; }
[ "$(grep -c '"reason": "the server.s application reads after its FIN (a lingering close' \
    "$tc_tmp/linux/results.json")" -eq 2 ] || { cat "$tc_tmp/linux.log";
    tc_fail "Linux: $lingers is not applicable with lighttpd's lingering" \
    "close as the reason in both families"; }
# A measurement is info, and so is a record of an allowed branch; nothing
# else may be.
info=$(awk '$2 == "info" { print $1 }' "$tc_tmp/linux.v" | sort -u)
# (close/time-wait-rst records that Linux closes TIME-WAIT on an RST.)
[ "$info" = "$(printf '%s\n' close/time-wait-rst \
    congestion/initial-window handshake/isn-spacing)" ] ||
    tc_fail "Linux: info from $info"
tc_pass "suite against Linux on loopback: $ncases cases, IPv4 and IPv6," \
    "every verdict as recorded"
# The agentless cases, driven by the stock servers' protocols, ran and
# agree with the agent's cases on the same Linux: each passed.
svc=$(grep -rl --include='*.case' '^tags .*service' "$cases" | sort |
    sed 's|.*/cases/||; s|\.case$||' | grep -vx "$lingers")
nsvc=$(echo "$svc" | wc -l)
nok=$(echo "$svc" | while read -r id; do
	awk -v id="$id" '$1 == id && $2 == "pass"' "$tc_tmp/linux.v"
done | wc -l)
[ "$nok" -eq $((nsvc * 2)) ] ||
    tc_fail "Linux: $nok of $((nsvc * 2)) agentless service results pass"
tc_pass "Linux with lighttpd and inetd, no agent needed: $nsvc service" \
    "cases pass in both families, as the agent's cases do"

# docs/cases.md is up to date: each row this run can make is there as is,
# in the columns it can make (scripts/case-table.sh makes it; slow cases are
# not run here; the lab stacks' columns are checked by their own tests).
cols=Case,Requirements,Severity,Linux,Fault
sh "$srcdir/scripts/case-table.sh" "$tcbin" "$cases" \
    "$tc_tmp/linux/results.json" >"$tc_tmp/cases.md"
sh "$srcdir/scripts/case-table.sh" --only "$cols" "$srcdir/docs/cases.md" \
    >"$tc_tmp/cases.doc" || tc_fail "docs/cases.md: no column of $cols"
sh "$srcdir/scripts/case-table.sh" --only "$cols" "$tc_tmp/cases.md" |
    grep -v 'not run (tagged slow)' | while IFS= read -r row; do
	grep -Fxq -- "$row" "$tc_tmp/cases.doc" || echo "$row"
done >"$tc_tmp/stale"
[ ! -s "$tc_tmp/stale" ] || { cat "$tc_tmp/stale"; tc_fail \
    "docs/cases.md is stale: run scripts/case-table.sh (rows above)"; }
# ... and so is what decides each case (the case files' comments).
grep '^- \*\*' "$tc_tmp/cases.md" | while IFS= read -r row; do
	grep -Fxq -- "$row" "$srcdir/docs/cases.md" || echo "$row"
done >"$tc_tmp/stale"
[ ! -s "$tc_tmp/stale" ] || { cat "$tc_tmp/stale"; tc_fail \
    "docs/cases.md: 'What decides each case' is stale (rows above)"; }
tc_pass "docs/cases.md matches the catalogue and the verdicts on Linux"

# The runs against serve (2, 3 and 4) are independent of one another, and
# mostly wait on the target's timers: TC_SUITE_JOBS workers (default 4)
# share them, each in a lab of its own (NAME-wK: its own tester, target and
# link), each taking the next run not yet taken from one list (mkdir of a
# claim is atomic).  A run's verdicts, notes and coverage go to files of
# its own; they are read, in the list's order, once all are done.
workers=${TC_SUITE_JOBS:-4}
case $workers in
'' | *[!0-9]* | 0) tc_fail "TC_SUITE_JOBS must be a number of workers," \
    "1 or more: \"$workers\"" ;;
esac

# serve ADDR FAULT-ARGS...: tcpconform serve in the worker's target
# namespace.
serve() {
	addr=$1
	shift
	log=$tc_tmp/serve-w$wk.log
	tc_bg "$target" "$log" "$tcbin" serve --addr "$addr" --iface veth0 \
	    --client "$client" --msl 1 "$@"
	serve_pid=$tc_lastpid
	tc_wait_for "$log" "tcpconform serve: ready" 10 ||
	    { cat "$log"; tc_fail "serve $* did not start"; }
}

# against NAME ADDR AGENT FILES...: run the cases against serve.
against() {
	name=$1 addr=$2 agent=$3
	shift 3
	# shellcheck disable=SC2046
	ip netns exec "$tester" timeout 300 "$tcbin" run --target "$addr" \
	    --remote --intrusive --rate 5000 --agent "$agent" $(stock_services) \
	    --no-sanity --no-progress --target-msl 1s \
	    -j 4 -o "$tc_tmp/$name" "$@" >"$tc_tmp/$name.log" 2>&1 || true
	verdicts "$tc_tmp/$name" >"$tc_tmp/$name.v"
}

# Against serve: every case, the slow ones too (not those tagged long).
tc_catalogue "$tcbin" "$cases" serve
nall=$tc_ncases
cp "$tc_tmp/catalogue.json" "$tc_tmp/catalogue-all.json"
# The passive checks: "ID REQ FAULT" a line.
"$tcbin" list --json --tag passive "$cases" | python3 -c 'import json, sys
for c in json.load(sys.stdin):
    print(c["id"], c["reqs"][0]["id"], c["faults"][0])' >"$tc_tmp/passive" ||
    tc_fail "list --tag passive failed"
[ -s "$tc_tmp/passive" ] || tc_fail "no passive check in the catalogue"
# The cases a passive fault runs with: the target sends data and ACKs.
carriers="--name handshake/passive-open --name half-close/target-sends-after-our-fin"

# covered FAULT RUN [passive]: what the fault run RUN reported, into
# RUN.cov (gathered into covered.raw at the end; with passive: what its
# passive checks reported).
covered() {
	python3 "$srcdir/tests/integration/coverage.py" "$1" \
	    "$tc_tmp/$2/results.json" "$tc_tmp/catalogue-all.json" ${3:-} \
	    >"$tc_tmp/$2.cov" || tc_fail "coverage.py $2 failed"
}
claims=" $(awk '$4 != "claim=" { printf "%s ", $1 }' "$tc_tmp/catalogue")"

# The list of runs, "FAMILY KIND [FAULT [ID REQ]]" a line, the faults'
# runs by how many cases each runs, most first (the longest start first).
for fam in 4 6; do
	echo "$fam clean"
	for fault in $(tc_faults); do
		echo "$fam fault $fault $(tc_with_fault "$fault" | wc -w)"
	done | sort -k4,4nr -k3,3 | cut -d' ' -f1-3
	while read -r id req fault; do
		echo "$fam passive $fault $id $req"
	done <"$tc_tmp/passive"
done >"$tc_tmp/runs"

# run_one FAMILY KIND [FAULT [ID REQ]]: one run against serve, in the
# worker's lab; its note (what each case gave) into RUN.note.
run_one() {
	fam=$1 kind=$2 fault=${3:-} id=${4:-} req=${5:-}
	if [ "$fam" = 4 ]; then
		addr=198.18.0.2 client=198.18.0.1 agent=198.18.0.2
	else
		addr=2001:db8::2 client=2001:db8::1 agent="[2001:db8::2]"
	fi
	case $kind in
	clean)
		# 2. No fault: every case passes (measurements are info).
		serve "$addr"
		against "clean$fam" "$addr" "$agent" "$cases" --skip-tag long
		tc_stop "$serve_pid"
		bad=$(awk '$2 != "pass" && $2 != "info" &&
		    $2 != "other-family"' "$tc_tmp/clean$fam.v")
		[ -z "$bad" ] || { cat "$tc_tmp/clean$fam.log"; tc_fail \
		    "serve without faults, IPv$fam: $bad"; }
		n=$(wc -l <"$tc_tmp/clean$fam.v")
		[ "$n" -eq "$nall" ] || tc_fail "serve IPv$fam: $n results"
		# The report says which target this was: serve, no fault.
		grep -q '^        "faults": "none",*$' \
		    "$tc_tmp/clean$fam/results.json" || tc_fail \
		    "serve IPv$fam: the identity does not say faults none"
		: >"$tc_tmp/clean$fam.ok"
		;;
	fault)
		# 3. The fault: every case that names it fails.
		names=$(tc_with_fault "$fault")
		serve "$addr" --fault "$fault"
		# shellcheck disable=SC2086
		against "$fault$fam" "$addr" "$agent" $names "$cases"
		tc_stop "$serve_pid"
		grep -q "^        \"faults\": \"$fault\",*\$" \
		    "$tc_tmp/$fault$fam/results.json" ||
		    tc_fail "fault $fault: the identity does not name it"
		bad=$(awk -v claims="$claims" '$2 != "fail" && $2 != "warn" &&
		    $2 != "other-family" &&
		    !($2 == "info" && index(claims, " " $1 " "))' \
		    "$tc_tmp/$fault$fam.v")
		n=$(wc -l <"$tc_tmp/$fault$fam.v")
		if [ -n "$bad" ] || [ "$n" -ne "$(echo "$names" | wc -w | \
		    awk '{ print $1 / 2 }')" ]; then
			cat "$tc_tmp/$fault$fam.log"
			tc_fail "fault $fault, IPv$fam: did not fail: $bad"
		fi
		tc_note "IPv$fam $fault: $(awk '{ printf "%s %s; ", $1, $2 }' \
		    "$tc_tmp/$fault$fam.v")" >"$tc_tmp/$fault$fam.note"
		covered "$fault" "$fault$fam"
		;;
	passive)
		# 4. A passive check's fault: the check fires, with its
		# requirement, in a case whose segments carry it.
		serve "$addr" --fault "$fault"
		# shellcheck disable=SC2086
		against "pv-$fault$fam" "$addr" "$agent" $carriers "$cases"
		tc_stop "$serve_pid"
		grep -Fq "passive check $id ($req)" \
		    "$tc_tmp/pv-$fault$fam/results.json" || {
			cat "$tc_tmp/pv-$fault$fam.log"
			tc_fail "passive fault $fault, IPv$fam: $id did not fire"
		}
		covered "$fault" "pv-$fault$fam" passive
		;;
	esac
}

# worker K: take runs from the list until none is left (or another
# worker failed), in lab NAME-wK; a failure leaves the file "failed".
# Its own processes (serve) are stopped on every way out.
worker() {
	wk=$1
	tester=$tc_lab-w$wk-tester target=$tc_lab-w$wk-target
	tc_pids=
	trap 'st=$?; for p in $tc_pids; do kill "$p" 2>/dev/null || true
	    done; [ "$st" -eq 0 ] || : >"$tc_tmp/failed"' EXIT
	trap 'exit 1' INT TERM HUP
	wn=0
	# (The list on fd 3: what the runs start must not read it.)
	while read -r line <&3; do
		wn=$((wn + 1))
		[ ! -e "$tc_tmp/failed" ] || exit 1
		mkdir "$tc_tmp/claim.$wn" 2>/dev/null || continue
		# shellcheck disable=SC2086
		run_one $line </dev/null
	done 3<"$tc_tmp/runs"
}

wpids=
k=1
while [ "$k" -le "$workers" ]; do
	tc_labs="$tc_labs $tc_lab-w$k"
	"$tc_labsh" up "$tc_lab-w$k" >"$tc_tmp/lab-w$k.log" 2>&1 ||
	    { cat "$tc_tmp/lab-w$k.log"; tc_fail "lab.sh up $tc_lab-w$k failed"; }
	worker "$k" >"$tc_tmp/worker$k.out" 2>&1 &
	wpids="$wpids $!"
	tc_pids="$tc_pids $!"
	k=$((k + 1))
done
st=0
for p in $wpids; do
	wait "$p" || st=1
done
if [ "$st" -ne 0 ] || [ -e "$tc_tmp/failed" ]; then
	cat "$tc_tmp"/worker*.out
	tc_fail "a run against serve failed (above)"
fi

: >"$tc_tmp/covered.raw"
for fam in 4 6; do
	[ -e "$tc_tmp/clean$fam.ok" ] || tc_fail "serve IPv$fam: not run"
	tc_pass "suite against tcpconform serve without faults, IPv$fam:" \
	    "every case passes"
	for fault in $(tc_faults); do
		[ -f "$tc_tmp/$fault$fam.note" ] &&
		    [ -f "$tc_tmp/$fault$fam.cov" ] ||
		    tc_fail "fault $fault, IPv$fam: not run"
		cat "$tc_tmp/$fault$fam.note"
		cat "$tc_tmp/$fault$fam.cov" >>"$tc_tmp/covered.raw"
	done
	tc_pass "suite against tcpconform serve, IPv$fam: every case fails" \
	    "against the fault it names"
	while read -r id req fault; do
		cat "$tc_tmp/pv-$fault$fam.cov" >>"$tc_tmp/covered.raw" ||
		    tc_fail "passive fault $fault, IPv$fam: not run"
	done <"$tc_tmp/passive"
	tc_pass "passive checks, IPv$fam: each fires, with its requirement," \
	    "against its fault ($(wc -l <"$tc_tmp/passive") checks)"
done

# The record of what the fault runs covered claims no more than they show.
sort -u "$tc_tmp/covered.raw" | awk '
    $1 != id { if (id != "") print id, f; id = $1; f = $2; next }
    { f = f "," $2 }
    END { if (id != "") print id, f }' | sort -V >"$tc_tmp/coverage.new"
grep -v '^#' "$srcdir/cases/coverage.txt" 2>/dev/null >"$tc_tmp/coverage.old" ||
    true
# Each recorded line must be measured (its faults among the measured ones):
# a record that claims more than the runs show fails.  One that claims less
# (cases landed since it was written) is noted, and fails with
# TC_COVERAGE_STRICT=1.
python3 - "$tc_tmp/coverage.old" "$tc_tmp/coverage.new" \
    >"$tc_tmp/coverage.cmp" <<-'EOF'
	import sys
	def rd(p):
	    d = {}
	    for l in open(p):
	        if l.strip():
	            i, f = l.split()
	            d[i] = set(f.split(","))
	    return d
	old, new = rd(sys.argv[1]), rd(sys.argv[2])
	for i in sorted(old):
	    if i not in new or not old[i] <= new[i]:
	        print("over", i, ",".join(sorted(old[i] - new.get(i, set()))))
	for i in sorted(new):
	    if i not in old or new[i] != old[i]:
	        print("under", i, ",".join(sorted(new[i] - old.get(i, set()))))
	EOF
if [ -s "$tc_tmp/coverage.cmp" ]; then
	if [ "${TC_UPDATE_COVERAGE:-0}" = 1 ]; then
		{ sed -n '/^#/p' "$srcdir/cases/coverage.txt" 2>/dev/null
		  cat "$tc_tmp/coverage.new"; } >"$tc_tmp/coverage.txt"
		cp "$tc_tmp/coverage.txt" "$srcdir/cases/coverage.txt"
		tc_note "cases/coverage.txt rewritten from the fault runs"
	elif grep -q '^over' "$tc_tmp/coverage.cmp" ||
	    [ "${TC_COVERAGE_STRICT:-0}" = 1 ]; then
		cat "$tc_tmp/coverage.cmp"
		tc_fail "cases/coverage.txt is not what the fault runs covered" \
		    "(over: recorded, not measured; under: measured, not" \
		    "recorded; TC_UPDATE_COVERAGE=1 rewrites it)"
	else
		tc_note "cases/coverage.txt is behind the fault runs by" \
		    "$(wc -l <"$tc_tmp/coverage.cmp") requirements (new cases):" \
		    "TC_UPDATE_COVERAGE=1 rewrites it"
	fi
fi
tc_pass "cases/coverage.txt: $(wc -l <"$tc_tmp/coverage.new")" \
    "requirements, each reported by a case or passive check against a fault"
"$tcbin" list "$cases" | sed -n '/^Covered/,$p'
