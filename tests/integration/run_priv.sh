#!/bin/sh
# Copyright (c) 2026 The tcpconform developers.  SPDX-License-Identifier: ISC
#
# run_priv.sh: what "tcpconform run" keeps of root once its network set-up
# is done.  Under sudo (SUDO_UID and SUDO_GID of an unprivileged user), the
# running tester's /proc status shows that user's uid and gid and no
# capability beyond CAP_NET_RAW and CAP_NET_ADMIN (CAP_NET_ADMIN alone once
# the wires are open), and every file of the report belongs to that user.
# As root without sudo, it keeps uid 0 with those capabilities only.  As
# root it refuses a symbolic link as -o.  SIGHUP stops a run as SIGINT does:
# the report is written, the run marked as interrupted, exit status 2.  A
# SIGKILLed run's folder says PARTIAL; a folder reused with -o holds the
# second run's pages and pcaps only; a folder of other files is refused.
set -eu
. "$(dirname "$0")/lib.sh"

tc_init "tcpv$$"
ns=$tc_lab-lo
tcbin=$(cd "${BUILDDIR:-.}" && pwd)/tcpconform
agbin=${BUILDDIR:-.}/tcpconform-agent
cases=$srcdir/cases
NET_RAW=$((1 << 13)) NET_ADMIN=$((1 << 12))

tc_bg "$ns" "$tc_tmp/agent.log" "$agbin" -p 7447 -m 64
tc_wait_for "$tc_tmp/agent.log" "listening on" 5 ||
    { cat "$tc_tmp/agent.log"; tc_fail "tcpconform-agent did not start"; }

# watch NAME DIR ENV...: run the suite (sequentially, so that it lasts) in the
# lab with ENV, and sample its /proc status while it runs: every distinct
# "uid gid CapEff CapPrm" goes to $tc_tmp/NAME.caps.
watch() {
	name=$1 dir=$2
	shift 2
	tc_bg "$ns" "$tc_tmp/$name.log" env "$@" "$tcbin" run --loopback \
	    --agent 127.0.0.1 --skip-tag slow --no-progress \
	    -o "$dir/$name" "$cases"
	pid=$tc_lastpid
	: >"$tc_tmp/$name.caps"
	while kill -0 "$pid" 2>/dev/null; do
		awk '/^Uid:/ { u = $2 } /^Gid:/ { g = $2 }
		    /^CapEff:/ { e = $2 } /^CapPrm:/ { p = $2 }
		    END { if (u != "") print u, g, e, p }' \
		    "/proc/$pid/status" 2>/dev/null >>"$tc_tmp/$name.caps" || true
		sleep 0.02
	done
	st=0
	wait "$pid" || st=$?
	awk '!seen[$0]++' "$tc_tmp/$name.caps" >"$tc_tmp/$name.c2"
	mv "$tc_tmp/$name.c2" "$tc_tmp/$name.caps"
	[ -f "$dir/$name/results.json" ] ||
	    { cat "$tc_tmp/$name.log"; tc_fail "$name: no results (exit $st)"; }
}

# A folder the unprivileged user may write in.
chmod 711 "$tc_tmp"
mkdir "$tc_tmp/u"
chown 65534:65534 "$tc_tmp/u"

# Under sudo as nobody (65534).
watch sudo "$tc_tmp/u" SUDO_UID=65534 SUDO_GID=65534 SUDO_USER=nobody
seen=0
while read -r u g e p; do
	[ "$u" = 0 ] && continue	# before the drop (the guard is made)
	seen=1
	[ "$u" = 65534 ] && [ "$g" = 65534 ] ||
	    tc_fail "sudo: uid/gid $u/$g, expected 65534/65534"
	ev=$((0x$e)) pv=$((0x$p))
	[ $((ev & ~(NET_RAW | NET_ADMIN))) -eq 0 ] &&
	    [ $((pv & ~(NET_RAW | NET_ADMIN))) -eq 0 ] ||
	    tc_fail "sudo: capabilities CapEff=$e CapPrm=$p beyond NET_RAW, NET_ADMIN"
done <"$tc_tmp/sudo.caps"
[ $seen -eq 1 ] || { cat "$tc_tmp/sudo.caps"; tc_fail "sudo: never saw uid 65534"; }
grep -q "^65534 65534 0*1000 0*1000$" "$tc_tmp/sudo.caps" ||
    { cat "$tc_tmp/sudo.caps"; tc_fail "sudo: never down to CAP_NET_ADMIN alone"; }
others=$(find "$tc_tmp/u/sudo" ! -user 65534 | head -3)
[ -z "$others" ] || tc_fail "sudo: files not owned by the user: $others"
n=$(find "$tc_tmp/u/sudo" -name '*.pcap' | wc -l)
[ "$n" -gt 10 ] || tc_fail "sudo: only $n pcaps"
tc_pass "under sudo: uid/gid 65534 with at most CAP_NET_RAW+CAP_NET_ADMIN" \
    "while running ($(tr '\n' ';' <"$tc_tmp/sudo.caps")), report and" \
    "$n pcaps owned by the user"

# As root without sudo: uid 0, but the same two capabilities at most.
watch root "$tc_tmp" SUDO_UID= SUDO_GID=
# (Before the guard exists it has every capability: samples with more
# than the two are allowed only while it has never had fewer.)
fewer=0
while read -r u g e p; do
	ev=$((0x$e))
	if [ $((ev & ~(NET_RAW | NET_ADMIN))) -eq 0 ]; then
		fewer=1
	elif [ $fewer -eq 1 ]; then
		tc_fail "root: CapEff=$e again after the drop"
	fi
done <"$tc_tmp/root.caps"
grep -q "^0 0 0*1000 0*1000$" "$tc_tmp/root.caps" ||
    { cat "$tc_tmp/root.caps"; tc_fail "root: never down to CAP_NET_ADMIN alone"; }
tc_pass "as root: uid 0 with CAP_NET_ADMIN alone once the wires are open"

# As root, -o a symbolic link: refused, nothing written where it points.
mkdir "$tc_tmp/elsewhere"
ln -s "$tc_tmp/elsewhere" "$tc_tmp/link"
st=0
ip netns exec "$ns" "$tcbin" run --loopback --agent 127.0.0.1 \
    --no-progress -o "$tc_tmp/link" "$cases" >"$tc_tmp/link.log" 2>&1 || st=$?
[ $st -eq 2 ] || { cat "$tc_tmp/link.log"; tc_fail "-o symlink: exit $st"; }
grep -q "symbolic link" "$tc_tmp/link.log" ||
    { cat "$tc_tmp/link.log"; tc_fail "-o symlink: no message"; }
[ -z "$(ls -A "$tc_tmp/elsewhere")" ] ||
    tc_fail "-o symlink: wrote into its target"
tc_pass "as root, -o a symbolic link is refused: '$(tail -1 "$tc_tmp/link.log")'"

# SIGHUP mid-run: a report marked interrupted, exit 2.
tc_bg "$ns" "$tc_tmp/hup.log" "$tcbin" run --loopback --agent 127.0.0.1 \
    --skip-tag slow --no-progress -o "$tc_tmp/hup" "$cases"
pid=$tc_lastpid
i=0
while [ -z "$(ls "$tc_tmp/hup/pcaps/v4" 2>/dev/null)" ] && [ $i -lt 200 ]; do
	i=$((i + 1))
	sleep 0.05
done
kill -HUP "$pid"
st=0
wait "$pid" || st=$?
[ $st -eq 2 ] || { cat "$tc_tmp/hup.log"; tc_fail "SIGHUP: exit $st"; }
grep -q '"stopped": "interrupted' "$tc_tmp/hup/results.json" ||
    tc_fail "SIGHUP: results.json not marked as interrupted"
tc_pass "SIGHUP mid-run: report written, marked interrupted, exit 2"

# SIGKILL mid-run: the folder is marked PARTIAL (and a whole run is not).
[ ! -e "$tc_tmp/hup/PARTIAL" ] || tc_fail "a finished run left PARTIAL"
tc_bg "$ns" "$tc_tmp/kill.log" "$tcbin" run --loopback --agent 127.0.0.1 \
    --skip-tag slow --no-progress -o "$tc_tmp/killed" "$cases"
pid=$tc_lastpid
i=0
while [ -z "$(ls "$tc_tmp/killed/pcaps/v4" 2>/dev/null)" ] && [ $i -lt 200 ]; do
	i=$((i + 1))
	sleep 0.05
done
kill -KILL "$pid"
wait "$pid" 2>/dev/null || true
grep -q "unfinished run" "$tc_tmp/killed/PARTIAL" ||
    tc_fail "SIGKILL: the folder is not marked PARTIAL"
tc_pass "SIGKILL mid-run: the folder says PARTIAL"

# -o reused: first the whole suite, then one topic (and over the killed
# run's folder): only the second run's pages and pcaps remain.
for dir in "$tc_tmp/hup" "$tc_tmp/killed"; do
	st=0
	ip netns exec "$ns" "$tcbin" run --loopback --agent 127.0.0.1 \
	    --no-progress --name handshake/passive -o "$dir" "$cases" \
	    >"$tc_tmp/reuse.log" 2>&1 || st=$?
	[ $st -eq 0 ] || { cat "$tc_tmp/reuse.log"; tc_fail "reuse: exit $st"; }
	pages=$(find "$dir/cases" -name '*.html' | wc -l)
	pcaps=$(find "$dir/pcaps" -name '*.pcap' | wc -l)
	n=$(grep -c '"verdict":' "$dir/results.json")
	[ "$pcaps" -eq "$n" ] && [ "$pages" -eq "$n" ] ||
	    tc_fail "reuse of $dir: $pages pages and $pcaps pcaps for $n results"
	[ ! -e "$dir/PARTIAL" ] || tc_fail "reuse of $dir: PARTIAL left"
done
tc_pass "-o reused: $n results, $pages pages, $pcaps pcaps (the first run's gone)"

# -o a folder with other files: refused, the files untouched.
mkdir "$tc_tmp/mine"
echo keep >"$tc_tmp/mine/notes.txt"
st=0
ip netns exec "$ns" "$tcbin" run --loopback --agent 127.0.0.1 --no-progress \
    -o "$tc_tmp/mine" "$cases" >"$tc_tmp/mine.log" 2>&1 || st=$?
[ $st -eq 2 ] && grep -q "no tcpconform results" "$tc_tmp/mine.log" ||
    { cat "$tc_tmp/mine.log"; tc_fail "-o a folder of other files: exit $st"; }
[ "$(cat "$tc_tmp/mine/notes.txt")" = keep ] && [ "$(ls "$tc_tmp/mine")" = notes.txt ] ||
    tc_fail "-o a folder of other files: it was changed"
tc_pass "-o a folder of other files is refused and left alone"
