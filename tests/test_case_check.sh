#!/bin/sh
# Copyright (c) 2026 The tcpconform developers.  SPDX-License-Identifier: ISC
#
# test_case_check.sh: "tcpconform check" exits 0 on good case files and
# prints one summary line each, exits 2 on a broken one with its messages on
# standard error, and 2 on a usage error.
set -u
: "${srcdir:=.}"
bin=./tcpconform
good=$srcdir/tests/cases-good
bad=$srcdir/tests/cases-bad
tmp=${TMPDIR:-/tmp}/tc-check.$$
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp" || exit 99
fail=0
no() { echo "FAIL: $*"; fail=1; }

# Every good example parses: exit 0, one "ok" line per file, no stderr.
n=$(ls "$good"/*.case | wc -l)
$bin check "$good"/*.case >"$tmp/out" 2>"$tmp/err"; rc=$?
[ $rc -eq 0 ] || no "check on good files exited $rc"
[ "$(grep -c ': ok: "' "$tmp/out")" -eq "$n" ] || no "expected $n ok lines"
[ -s "$tmp/err" ] && no "stderr on good files: $(cat "$tmp/err")"
grep -q '^.*/passive-open.case: ok: "Passive open: the SYN-ACK acknowledges ISN + 1" \[RFC9293-3.5 RFC9293-3.10.7.2 RFC5961-3.2\] 11 statements$' \
    "$tmp/out" || no "summary line of passive-open.case: $(cat "$tmp/out")"

# A directory stands for the files under it, in path order.
$bin check "$good" >"$tmp/dir" 2>&1 || no "check on the good directory failed"
[ "$(grep -c ': ok: "' "$tmp/dir")" -eq "$n" ] || no "directory: expected $n ok lines"

# -p prints a canonical form that check accepts again.
$bin check -p "$good/http-and-misc.case" >"$tmp/canon.case" || no "check -p failed"
$bin check -q "$tmp/canon.case" >"$tmp/out2" 2>&1 || no "canonical form does not parse: $(cat "$tmp/out2")"
[ -s "$tmp/out2" ] && no "-q printed on success"

# A broken file: exit 2 and its exact messages, even next to a good one.
(cd "$bad" && $OLDPWD/$bin check end-mismatch.case) >/dev/null 2>"$tmp/err"; rc=$?
[ $rc -eq 2 ] || no "check on a broken file exited $rc"
cmp -s "$tmp/err" "$bad/end-mismatch.err" || no "messages differ: $(cat "$tmp/err")"
$bin check "$good/passive-open.case" "$bad/empty.case" >/dev/null 2>&1; rc=$?
[ $rc -eq 2 ] || no "good + broken exited $rc, expected 2"

# Usage errors.
$bin check >/dev/null 2>&1; rc=$?
[ $rc -eq 2 ] || no "no arguments exited $rc"
$bin check -x "$good" >/dev/null 2>&1; rc=$?
[ $rc -eq 2 ] || no "unknown option exited $rc"
$bin check "$tmp/no-such.case" 2>"$tmp/err"; rc=$?
[ $rc -eq 2 ] || no "missing file exited $rc"
grep -q 'no-such.case: error: No such file or directory' "$tmp/err" || no "missing file message: $(cat "$tmp/err")"

# A hostile case title (terminal sequences written as \x escapes in the
# file) reaches the terminal escaped in "list" and "check", never raw.
mkdir -p "$tmp/evil"
sed 's/^title .*/title "\\x1b]0;pwned\\x07\\x1b[2J\\xc2\\x9b31m evil"/' \
    "$good/passive-open.case" >"$tmp/evil/evil.case"
$bin list "$tmp/evil" >"$tmp/list" 2>&1 || no "list of the hostile case failed"
$bin check "$tmp/evil" >>"$tmp/list" 2>&1 || no "check of the hostile case failed"
if tr -d '\n' <"$tmp/list" | od -An -tx1 | grep -qE '1b|07|9b'; then
	no "a raw control byte of a case title reached the terminal: $(cat -v "$tmp/list")"
fi
[ "$(grep -c 'x1b]0;pwned' "$tmp/list")" -eq 2 ] ||
    no "the hostile title is not shown escaped: $(cat -v "$tmp/list")"

exit $fail
