#!/bin/sh
# Copyright (c) 2026 The tcpconform developers.  SPDX-License-Identifier: ISC
#
# test_cli.sh: the command lines behave as users expect of any GNU tool
# (no root, no network): --help and --version on standard output with exit
# 0; a bad option gets one line on standard error that names it, and exit
# 2, from every command; --msl is a duration in run and serve alike;
# report takes --tap FILE as run does; serve refuses an --addr it cannot
# capture for; check refuses a FIFO, an empty folder and symbolic links out
# of the tree.
set -u
: "${srcdir:=.}"
tc=${BUILDDIR:-.}/tcpconform
ag=${BUILDDIR:-.}/tcpconform-agent
tmp=${TMPDIR:-/tmp}/tc-cli.$$
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp" || exit 99
fail=0
no() { echo "FAIL: $*"; fail=1; }

# expect STATUS OUT-PATTERN ERR-PATTERN CMD...: CMD exits STATUS, its first
# line of stdout matches OUT-PATTERN and its whole stderr ERR-PATTERN ("" =
# must be empty).
expect() {
	st=$1 op=$2 ep=$3
	shift 3
	"$@" >"$tmp/out" 2>"$tmp/err" </dev/null
	rc=$?
	[ $rc -eq "$st" ] || no "$*: exit $rc, expected $st ($(cat "$tmp/err"))"
	if [ -z "$op" ]; then
		[ -s "$tmp/out" ] && no "$*: printed on stdout: $(head -2 "$tmp/out")"
	else
		head -1 "$tmp/out" | grep -q -- "$op" ||
		    no "$*: stdout '$(head -1 "$tmp/out")' !~ '$op'"
	fi
	if [ -z "$ep" ]; then
		[ -s "$tmp/err" ] && no "$*: printed on stderr: $(cat "$tmp/err")"
	else
		[ "$(wc -l <"$tmp/err")" -eq 1 ] ||
		    no "$*: $(wc -l <"$tmp/err") lines on stderr, expected one: $(cat "$tmp/err")"
		grep -q -- "$ep" "$tmp/err" ||
		    no "$*: stderr '$(cat "$tmp/err")' !~ '$ep'"
	fi
}

# --help and --version, long and short.
for h in --help -h; do
	expect 0 '^usage: tcpconform-agent' "" "$ag" $h
	expect 0 '^usage: tcpconform ' "" "$tc" $h
done
for v in --version -V; do
	expect 0 '^tcpconform-agent [0-9]' "" "$ag" $v
	expect 0 '^tcpconform [0-9]' "" "$tc" $v
done
for c in run list check report serve; do
	expect 0 "^usage: tcpconform $c" "" "$tc" $c --help
done
# --help after other options still means help.
expect 0 '^usage: tcpconform check' "" "$tc" check -q --help
expect 0 '^usage: tcpconform-agent' "" "$ag" -v --help

# A bad option: one line naming it and the way out, exit 2, nothing on
# stdout (no getopt message, no page of help).
for c in run list check report serve; do
	expect 2 "" "^tcpconform $c: unknown option '--frob'.*--help" \
	    "$tc" $c --frob
	expect 2 "" "^tcpconform $c: unknown option '-Z'" "$tc" $c -Z
done
expect 2 "" "^tcpconform list: option '--tag' needs a value" "$tc" list --tag
expect 2 "" "^tcpconform report: option '-o' needs a value" "$tc" report -o
expect 2 "" "^tcpconform serve: option '--addr' needs a value" "$tc" serve --addr
expect 2 "" "unknown option -Z" "$ag" -Z
expect 2 "" "unknown option '--frob'" "$ag" --frob
expect 2 "" "option -p needs a value" "$ag" -p
expect 2 "" "unexpected argument 'x'" "$ag" x

# --msl: one parser for run and serve (500ms passes serve's option parsing
# and stops at the missing addresses; 5h is refused alike).
expect 2 "" "^tcpconform serve: --addr and --client are required" \
    "$tc" serve --msl 500ms
expect 2 "" "^tcpconform serve: --msl: expected a duration such as 30s" \
    "$tc" serve --msl 5h
expect 2 "" "^tcpconform run: --msl: expected a duration such as 30s" \
    "$tc" run --loopback --msl 5h
expect 2 "" "^tcpconform serve: --msl: expected a duration" \
    "$tc" serve --msl inf
expect 2 "" "^tcpconform run: --identity: expected KEY=VALUE (e.g. firmware=2.4), found 'lwip'" \
    "$tc" run --loopback --identity lwip
expect 2 "" "^tcpconform run: --identity: expected KEY=VALUE" \
    "$tc" run --loopback --identity =2.1.3

# --service NAME:PORT, several targets: refused before anything runs.
expect 2 "" "^tcpconform run: --service: expected any, http, echo, discard or banner" \
    "$tc" run --loopback --service gopher:70
expect 2 "" "^tcpconform run: --service: http given twice" \
    "$tc" run --loopback --service http:80 --service http:8080
expect 2 "" "^tcpconform run: --agent drives one target" \
    "$tc" run --remote --target 198.18.0.2 --target 2001:db8::2 \
    --agent 198.18.0.2
expect 2 "" "^tcpconform run: refusing to send to 198.18.0.9" \
    "$tc" run --target 127.0.0.1 --target 198.18.0.9
expect 2 "" "^tcpconform run: no target of the family -6 asks for" \
    "$tc" run --remote -6 --target 198.18.0.2 --target 198.18.0.3
printf '# two hosts\n\n198.18.0.2\n' >"$tmp/targets"
expect 2 "" "^tcpconform run: --targets: no address in" \
    "$tc" run --remote --targets /dev/null
expect 2 "" "^tcpconform run: --loopback and --target exclude each other" \
    "$tc" run --loopback --targets "$tmp/targets" --target 198.18.0.3

# report --tap FILE, as run --tap FILE.
fix=$srcdir/tests/report
if [ -f "$fix/sample.json" ]; then
	cp "$fix/sample.json" "$tmp/sample.json"
	expect 0 'index.html$' "" "$tc" report -o "$tmp/rep" --tap "$tmp/x.tap" \
	    "$tmp/sample.json"
	head -1 "$tmp/x.tap" 2>/dev/null | grep -q '^TAP version 13' ||
	    no "report --tap FILE did not write TAP to FILE"
fi

# serve in host mode without --iface, on an address this host does not
# hold: refused at once instead of a "ready" that never answers.
expect 2 "" "--addr 198.18.0.77 is not an address of this host" \
    "$tc" serve --addr 198.18.0.77 --client 198.18.0.1

# check: a FIFO is refused (not waited on), an empty folder is an error,
# a symbolic link out of the tree is not followed.
good=$srcdir/tests/cases-good
mkfifo "$tmp/fifo.case" || exit 99
expect 2 "" "fifo.case: error: expected a regular file, found a FIFO" \
    timeout 10 "$tc" check "$tmp/fifo.case"
mkdir "$tmp/empty" "$tmp/tree"
expect 2 "" "empty: error: no \*.case or \*.matrix file" "$tc" check "$tmp/empty"
cp "$good/passive-open.case" "$tmp/outside.case"
cp "$good/passive-open.case" "$tmp/tree/in.case"
ln -s "$tmp/outside.case" "$tmp/tree/out.case"
ln -s in.case "$tmp/tree/alias.case"
expect 0 "tree/alias.case: ok" "out.case: warning: a symbolic link out of" \
    "$tc" check "$tmp/tree"
grep -q 'out.case: ok' "$tmp/out" && no "check followed a link out of the tree"
[ "$(grep -c ': ok:' "$tmp/out")" -eq 2 ] ||
    no "check of the tree: $(cat "$tmp/out")"

[ $fail -eq 0 ] && echo "PASS: command lines: help, version, bad options," \
    "durations, --tap FILE, serve's interface, check's inputs"
exit $fail
