#!/bin/sh
# Copyright (c) 2026 The tcpconform developers.  SPDX-License-Identifier: ISC
#
# run_loopback.sh: "tcpconform run --loopback" against the Linux stack of a
# fresh network namespace, with tcpconform-agent, IPv4 and IPv6, on the
# runner's own cases (tests/cases-run).  Checks the exit-status contract
# (0 all pass, 1 a MUST failed, 2 set-up or usage, 3 --strict with only
# SHOULDs), the verdicts and diff written to results.json, xfail from an
# --expect baseline, the pcaps (read by tcpdump), TAP, -j, an agentless run
# on a plain server, the one-message sanity failure, and that the guard's
# table is gone afterwards.
set -eu
. "$(dirname "$0")/lib.sh"

tc_init "tcrl$$"
ns=$tc_lab-lo
tcbin=${BUILDDIR:-.}/tcpconform
agbin=${BUILDDIR:-.}/tcpconform-agent
cases=$srcdir/tests/cases-run
for b in "$tcbin" "$agbin"; do
	[ -x "$b" ] || tc_fail "$b not built (make)"
done

# A setting of the namespace's own, which the report must show as the
# target's (the agent reads it where the target's stack lives).
ip netns exec "$ns" sysctl -qw net.ipv4.tcp_fin_timeout=37 ||
    tc_fail "cannot set tcp_fin_timeout in the namespace"
tc_bg "$ns" "$tc_tmp/agent.log" "$agbin" -p 7447
tc_wait_for "$tc_tmp/agent.log" "listening on" 5 ||
    { cat "$tc_tmp/agent.log"; tc_fail "tcpconform-agent did not start"; }

# run NAME STATUS ARGS...: tcpconform run in the namespace; exit STATUS.
run() {
	name=$1 want=$2
	shift 2
	out=$tc_tmp/$name
	st=0
	ip netns exec "$ns" timeout 300 "$tcbin" run --loopback --no-progress \
	    -o "$out" "$@" >"$out.log" 2>&1 || st=$?
	if [ "$st" -ne "$want" ]; then
		cat "$out.log"
		tc_fail "$name: exit status $st, expected $want"
	fi
}

# verdicts DIR: "verdict" values in results.json, sorted, one a line.
verdicts() {
	sed -n 's/^          "verdict": "\([a-z-]*\)",*$/\1/p' "$1/results.json" |
	    sort | uniq -c | awk '{ printf "%s=%s ", $2, $1 }'
}

# Everything that should pass on Linux, 4 at a time, with TAP.
run pass 0 --agent 127.0.0.1 -j 4 --skip-tag expect-fail \
    --skip-tag expect-warn --tap "$tc_tmp/pass.tap" "$cases"
v=$(verdicts "$tc_tmp/pass")
[ "$v" = "info=2 not-applicable=2 pass=10 " ] || tc_fail "pass: verdicts $v"
for f in index.html junit.xml results.json; do
	[ -s "$tc_tmp/pass/$f" ] || tc_fail "pass: no $f"
done
head -1 "$tc_tmp/pass.tap" | grep -q "TAP version 13" ||
    tc_fail "pass: TAP file does not start with its version"
n=$(ls "$tc_tmp"/pass/pcaps/v4/*.pcap "$tc_tmp"/pass/pcaps/v6/*.pcap | wc -l)
[ "$n" -eq 12 ] || tc_fail "pass: $n pcaps, expected 12"
for p in "$tc_tmp"/pass/pcaps/v*/*.pcap; do
	tcpdump -nr "$p" >/dev/null 2>&1 || tc_fail "tcpdump cannot read $p"
done
rst=$(tcpdump -nr "$tc_tmp/pass/pcaps/v4/close-unread-rst.pcap" 2>/dev/null |
    grep -c "Flags \[R" || true)
[ "$rst" -ge 1 ] || tc_fail "pass: no RST in close-unread-rst's pcap"
tc_no_table "$ns" || tc_fail "the guard's table outlived the run"
# The target's identity, from the agent's INFO, in results.json (both
# families) and on the report's target cards.
rel=$(ip netns exec "$ns" uname -r)
n=$(grep -c "^        \"release\": \"$rel\",*$" "$tc_tmp/pass/results.json" ||
    true)
[ "$n" -eq 2 ] || tc_fail "pass: release $rel in $n targets' identity, not 2"
n=$(grep -c '^        "net.ipv4.tcp_fin_timeout": "37",*$' \
    "$tc_tmp/pass/results.json" || true)
[ "$n" -eq 2 ] || tc_fail "pass: the namespace's tcp_fin_timeout 37 is in" \
    "$n targets' identity, not 2"
grep -q "<dt>Identity</dt><dd class=\"mono\">os=Linux release=$rel " \
    "$tc_tmp/pass/index.html" ||
    tc_fail "pass: the report's target card does not show the identity"
tc_pass "run --loopback --agent -j 4: $v; 12 pcaps read by tcpdump, TAP," \
    "report files, guard gone, identity release=$rel tcp_fin_timeout=37"

# Ids that slugify alike ("x y", "x-y", "x/y") get a pcap and a page each,
# and each page links its own pcap.
mkdir -p "$tc_tmp/alike/cases/x"
for f in "x y" x-y x/y; do
	cp "$cases/passive-open.case" "$tc_tmp/alike/cases/$f.case"
done
run alike 0 -4 --agent 127.0.0.1 "$tc_tmp/alike/cases"
n=$(ls "$tc_tmp"/alike/pcaps/v4/*.pcap | wc -l)
p=$(sed -n 's/^ *"pcap": "\(.*\)",*$/\1/p' "$tc_tmp/alike/results.json" |
    sort -u | tr '\n' ' ')
[ "$n" -eq 3 ] && [ "$p" = "pcaps/v4/x-y-2.pcap pcaps/v4/x-y-3.pcap \
pcaps/v4/x-y.pcap " ] || tc_fail "alike: $n pcaps, named $p"
for k in "" -2 -3; do
	grep -q "href=\"../../pcaps/v4/x-y$k.pcap\"" \
	    "$tc_tmp/alike/cases/t1/x-y$k.html" ||
	    tc_fail "alike: page x-y$k.html does not link pcap x-y$k.pcap"
done
tc_pass "ids that slugify alike: 3 pcaps and 3 pages, each page its own pcap"

# Text from the target's side reaches the terminal escaped: an agent whose
# every error string carries terminal sequences (a window title, clear
# screen, an 8-bit CSI), in HELLO and in the cases' calls.
cat >"$tc_tmp/evil_agent.py" <<'PY'
import socket, sys, threading
EVIL = b"\x1b]0;pwned\x07\x1b[2J\x9b31m evil"
def serve(c, refuse):
    f = c.makefile("rb")
    for line in f:
        if line.upper().startswith(b"HELLO") and not refuse:
            c.sendall(b"OK version=1 agent=evil/1 os=Linux handles=64 "
                      b"linemax=8192 hexmax=1024\n")
        else:
            c.sendall(b"ERR EIO " + EVIL + b"\n")
    c.close()
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", int(sys.argv[1])))
s.listen(16)
print("listening", flush=True)
while True:
    c, _ = s.accept()
    threading.Thread(target=serve, args=(c, sys.argv[2] == "refuse"),
                     daemon=True).start()
PY
if command -v python3 >/dev/null 2>&1; then
	tc_bg "$ns" "$tc_tmp/evil1.log" python3 -u "$tc_tmp/evil_agent.py" 7451 \
	    refuse
	tc_bg "$ns" "$tc_tmp/evil2.log" python3 -u "$tc_tmp/evil_agent.py" 7452 \
	    errors
	tc_wait_for "$tc_tmp/evil1.log" listening 5 &&
	    tc_wait_for "$tc_tmp/evil2.log" listening 5 ||
	    tc_fail "the hostile agent did not start"
	run evil1 2 -4 --agent 127.0.0.1:7451 "$cases/close-unread-rst.case"
	# Which verdict an agent's failure deserves is not the point here.
	ip netns exec "$ns" timeout 300 "$tcbin" run --loopback --no-progress \
	    -o "$tc_tmp/evil2" -4 -v --agent 127.0.0.1:7452 --no-sanity \
	    "$cases/close-unread-rst.case" "$cases/half-close.case" \
	    >"$tc_tmp/evil2.log" 2>&1 || true
	for l in evil1 evil2; do
		if tr -d '\n' <"$tc_tmp/$l.log" | od -An -tx1 |
		    grep -qE '1b|9b|07'; then
			cat -v "$tc_tmp/$l.log"
			tc_fail "$l: a raw control byte of the agent reached" \
			    "the terminal"
		fi
		grep -qF '\x1b]0;pwned\x07\x1b[2J\x9b31m evil' \
		    "$tc_tmp/$l.log" || { cat -v "$tc_tmp/$l.log"
		    tc_fail "$l: the agent's words are not shown escaped"; }
	done
	tc_pass "a hostile agent's error strings are shown escaped" \
	    "(\\x1b, \\x07, \\x9b), in set-up and in -v and the summary"
fi

# The progress line as a terminal gets it (script(1) gives a pty): it
# names the case that is running with its own time, which ticks while the
# case runs (a 2.5 s sleep), and an estimate once a case has finished;
# NO_COLOR takes the colours, not the line; TERM=dumb gets no escape byte.
mkdir -p "$tc_tmp/slow/cases"
cp "$cases/passive-open.case" "$tc_tmp/slow/cases/a-fast.case"
{ cat "$cases/passive-open.case"; echo "sleep 2500ms"; } \
    >"$tc_tmp/slow/cases/b-slow.case"
# tty NAME ENV...: the run on a pty, every byte it wrote in $tc_tmp/NAME.tty.
tty() {
	name=$1
	shift
	script -qec "env $* ip netns exec $ns $tcbin run --loopback -4 -v \
	    --agent 127.0.0.1 -o $tc_tmp/$name $tc_tmp/slow/cases" /dev/null \
	    >"$tc_tmp/$name.tty" 2>&1 </dev/null ||
	    { cat -v "$tc_tmp/$name.tty"; tc_fail "$name: the run failed"; }
}
if command -v script >/dev/null 2>&1; then
	tty colour TERM=xterm
	tty nocolor TERM=xterm NO_COLOR=1
	tty dumb TERM=dumb
	esc=$(printf '\033')
	for t in colour nocolor dumb; do
		f=$tc_tmp/$t.tty
		grep -aq "running b-slow 0:01" "$f" &&
		    grep -aq "running b-slow 0:02" "$f" ||
		    { cat -v "$f"; tc_fail "$t: no ticking 'running b-slow'"; }
		grep -aqE '\[1/2 v4\] 0:0[0-9], ~0:0[0-9] left' "$f" ||
		    { cat -v "$f"; tc_fail "$t: no estimate of the time left"; }
		grep -aq "$(printf '\r')\[" "$f" ||
		    { cat -v "$f"; tc_fail "$t: the line is not redrawn with CR"; }
	done
	grep -aq "$esc\[32mPASS" "$tc_tmp/colour.tty" ||
	    { cat -v "$tc_tmp/colour.tty"; tc_fail "colour: no colour"; }
	grep -aq "$esc\[[0-9;]*m" "$tc_tmp/nocolor.tty" &&
	    { cat -v "$tc_tmp/nocolor.tty"; tc_fail "NO_COLOR: a colour"; }
	grep -aq "$esc" "$tc_tmp/dumb.tty" &&
	    { cat -v "$tc_tmp/dumb.tty"; tc_fail "TERM=dumb: an escape byte"; }
	tc_pass "progress on a pty: the running case ticks, an estimate;" \
	    "NO_COLOR keeps the line without colour; TERM=dumb: no escape"
else
	tc_note "script(1) missing: the progress line was not checked"
fi

# A MUST broken on purpose: exit 1, the diff in the results.
run fail 1 -v --agent 127.0.0.1 --tag expect-fail --tap "$tc_tmp/fail.tap" \
    "$cases"
v=$(verdicts "$tc_tmp/fail")
[ "$v" = "fail=2 " ] || tc_fail "fail: verdicts $v"
grep -q '"field": "flags"' "$tc_tmp/fail/results.json" &&
    grep -q '"expected": "F."' "$tc_tmp/fail/results.json" &&
    grep -q '"observed": "R."' "$tc_tmp/fail/results.json" ||
    tc_fail "fail: no 'flags: expected F., observed R.' diff"
grep -q "flags: expected F., observed R." "$tc_tmp/fail.log" ||
    tc_fail "fail: the recap does not show the diff"
# The summary names the failing line (file:line), and -v quotes the case's
# own comment on the rule under the failing case.
grep -Eq "^  FAIL +expect-fail/unread-fin \[IPv4\] [^ ]*/expect-fail/unread-fin\.case:[0-9]+: " \
    "$tc_tmp/fail.log" ||
    { cat "$tc_tmp/fail.log"; tc_fail "fail: the summary names no file:line"; }
grep -q "^    # Deliberately wrong: expects a FIN where Linux sends RST" \
    "$tc_tmp/fail.log" ||
    { cat "$tc_tmp/fail.log"; tc_fail "fail: -v does not show the case's comment"; }
grep -q '<p class="about"><strong>What the case checks:</strong> Deliberately wrong' \
    "$tc_tmp"/fail/cases/t1/expect-fail-unread-fin.html ||
    tc_fail "fail: the case page does not show the case's comment"
# CI's TAP harness reads the TAP of a run with failures: no parse error,
# the two failures failed.
if command -v prove >/dev/null 2>&1; then
	prove --exec cat "$tc_tmp/fail.tap" >"$tc_tmp/fail.prove" 2>&1 || true
	! grep -q "Parse errors" "$tc_tmp/fail.prove" &&
	    grep -q "(Wstat: 0 Tests: 2 Failed: 2)" "$tc_tmp/fail.prove" ||
	    { cat "$tc_tmp/fail.tap" "$tc_tmp/fail.prove"
	    tc_fail "fail: prove cannot read the TAP"; }
fi
tc_pass "a MUST failure: exit 1, 'flags: expected F., observed R.'," \
    "TAP read by prove"

# The same with a baseline that knows it: xfail, exit 0.
printf '# Linux\nexpect-fail/unread-fin fail Linux sends RST\n' \
    >"$tc_tmp/linux.expect"
run xfail 0 --agent 127.0.0.1 --tag expect-fail \
    --expect "$tc_tmp/linux.expect" "$cases"
[ "$(verdicts "$tc_tmp/xfail")" = "xfail=2 " ] ||
    tc_fail "xfail: verdicts $(verdicts "$tc_tmp/xfail")"
tc_pass "--expect: the known failure is xfail, exit 0"

# Only a SHOULD missed: exit 0, and 3 with --strict.
run warn 0 --agent 127.0.0.1 --tag expect-warn "$cases"
[ "$(verdicts "$tc_tmp/warn")" = "warn=2 " ] ||
    tc_fail "warn: verdicts $(verdicts "$tc_tmp/warn")"
run strict 3 --agent 127.0.0.1 --tag expect-warn --strict "$cases"
tc_pass "a SHOULD missed: warn, exit 0; with --strict exit 3"

# Agentless, on a plain server (socat echo): agent cases not applicable.
if command -v socat >/dev/null 2>&1; then
	tc_bg "$ns" "$tc_tmp/socat.log" socat TCP6-LISTEN:8080,ipv6only=0,fork,reuseaddr \
	    EXEC:cat
	sleep 0.3
	run agentless 0 --port 8080 --skip-tag expect-fail \
	    --skip-tag expect-warn "$cases"
	v=$(verdicts "$tc_tmp/agentless")
	[ "$v" = "info=2 not-applicable=8 pass=4 " ] ||
	    tc_fail "agentless: verdicts $v"
	tc_pass "agentless on --port: $v"

	# A target by name stands for each of its addresses, each a column
	# of its own: a name of this namespace's own /etc/hosts (ip netns
	# exec mounts /etc/netns/NS/hosts over it).
	tc_etc_netns=/etc/netns/$ns
	mkdir -p "$tc_etc_netns"
	printf '127.0.0.1 tc-dual.test\n::1 tc-dual.test\n' \
	    >"$tc_etc_netns/hosts"
	# Any other name is asked of a resolver on the namespace's own
	# loopback, where none listens: no query leaves the namespace.
	printf 'nameserver 127.0.0.1\n' >"$tc_etc_netns/resolv.conf"
	st=0
	ip netns exec "$ns" "$tcbin" run --target tc-nowhere.test \
	    --port 8080 "$cases" >"$tc_tmp/noname.log" 2>&1 || st=$?
	[ "$st" -eq 2 ] && grep -q "^tcpconform run: --target: cannot resolve 'tc-nowhere.test': " "$tc_tmp/noname.log" ||
	    { cat "$tc_tmp/noname.log"; tc_fail "an unknown name: exit $st"; }
	st=0
	ip netns exec "$ns" timeout 120 "$tcbin" run --target tc-dual.test \
	    --port 8080 --no-progress --name passive-open -o "$tc_tmp/byname" \
	    "$cases" >"$tc_tmp/byname.log" 2>&1 || st=$?
	[ "$st" -eq 0 ] || { cat "$tc_tmp/byname.log"; tc_fail \
	    "--target tc-dual.test: exit status $st"; }
	a=$(sed -n 's/^      "address": "\(.*\)",$/\1/p' \
	    "$tc_tmp/byname/results.json" | sort | tr '\n' ' ')
	[ "$a" = "127.0.0.1 ::1 " ] ||
	    tc_fail "--target tc-dual.test: targets '$a', not 127.0.0.1 and ::1"
	[ "$(verdicts "$tc_tmp/byname")" = "pass=2 " ] ||
	    tc_fail "--target tc-dual.test: $(verdicts "$tc_tmp/byname")"
	ip netns exec "$ns" "$tcbin" run --target tc-dual.test -4 --agent \
	    127.0.0.1 --no-progress -o "$tc_tmp/byname4" --name passive-open \
	    "$cases" >"$tc_tmp/byname4.log" 2>&1 ||
	    { cat "$tc_tmp/byname4.log"; tc_fail "--target NAME -4 --agent"; }
	tc_pass "--target by name: its IPv4 and IPv6 addresses, a column" \
	    "each; with -4 and the agent, its IPv4 address alone"
else
	tc_note "socat missing: agentless run skipped"
fi

# The HTTP profile, on a web server (python3 -m http.server).
if command -v python3 >/dev/null 2>&1; then
	mkdir -p "$tc_tmp/www"
	echo "hello from the lab" >"$tc_tmp/www/index.html"
	tc_bg "$ns" "$tc_tmp/http.log" python3 -u -m http.server --bind :: \
	    --directory "$tc_tmp/www" 8000
	tc_wait_for "$tc_tmp/http.log" "Serving HTTP" 10 ||
	    { cat "$tc_tmp/http.log"; tc_fail "http.server did not start"; }
	run http 0 --port 8000 --service http --tag http "$cases"
	[ "$(verdicts "$tc_tmp/http")" = "pass=2 " ] ||
	    tc_fail "http: verdicts $(verdicts "$tc_tmp/http")"
	tc_pass "the HTTP profile on --port --service http: both families pass"
else
	tc_note "python3 missing: HTTP run skipped"
fi

# Nothing listens on the port: one message about the set-up, exit 2.
run sanity 2 -4 --port 9 "$cases/passive-open.case"
[ "$(grep -c "set-up failed" "$tc_tmp/sanity.log")" -eq 1 ] &&
    grep -q "refused" "$tc_tmp/sanity.log" ||
    { cat "$tc_tmp/sanity.log"; tc_fail "sanity: not one clear message"; }
# Skipping the check cannot help when nothing listens: not suggested.
! grep -q -- "--no-sanity" "$tc_tmp/sanity.log" ||
    { cat "$tc_tmp/sanity.log"; tc_fail "sanity: suggests --no-sanity"; }
[ ! -e "$tc_tmp/sanity/results.json" ] ||
    tc_fail "sanity: results written after a set-up failure"
tc_pass "closed port: '$(head -1 "$tc_tmp/sanity.log")', exit 2"

# Usage errors: exit 2 before anything is sent.
st=0
"$tcbin" run --target 198.18.0.2 "$cases" >"$tc_tmp/usage.log" 2>&1 ||
    st=$?
[ "$st" -eq 2 ] && grep -q "refusing to send" "$tc_tmp/usage.log" ||
    tc_fail "usage: a non-loopback target without --remote ran ($st)"
st=0
"$tcbin" run >/dev/null 2>&1 || st=$?
[ "$st" -eq 2 ] || tc_fail "usage: run with no target exited $st"
"$tcbin" list --skip-tag passive "$cases" >"$tc_tmp/list" ||
    tc_fail "list failed"
n=$(wc -l <"$tc_tmp/list")
[ "$n" -eq 9 ] && grep -q '^isn-spacing .*\[MUST-8 SHLD-1\]' "$tc_tmp/list" ||
    { cat "$tc_tmp/list"; tc_fail "list: $n lines, or no requirement IDs"; }
if command -v python3 >/dev/null 2>&1; then
	"$tcbin" list --json "$cases" | python3 -c 'import json, sys
l = json.load(sys.stdin)
c = [e for e in l if e["kind"] == "case"]
p = [e for e in l if e["kind"] == "passive"]
assert len(c) == 9 and c[0]["reqs"][0]["id"], l
assert len(p) >= 12 and all(e["reqs"][0]["id"] and e["faults"] for e in p), p' ||
	    tc_fail "list --json is not the catalogue"
fi
tc_pass "usage errors exit 2; list shows 9 cases with requirement IDs"
