#!/bin/sh
# Copyright (c) 2026 The tcpconform developers.  SPDX-License-Identifier: ISC
#
# test_verdict_owner.sh: only the checks module (tester/check/) assigns a
# verdict.  Everywhere else in tester/, a line may compare, print, count or
# store-as-given a verdict, but not make one: no assignment to a field or
# variable named *verdict*, and no VERDICT_* or CASE_V_* constant used as a
# value (after '=', 'return', '?' or ':').  Comments are not code.
#
# The few lines that store a verdict decided elsewhere, or that give a
# constant a meaning other than a case's verdict, are listed in ALLOWED (a
# file and a pattern of the line) with the reason.  The test first plants a violation in a copy of the tree and
# fails if the scan does not catch it, so the scan is shown to fail.
set -eu
: "${srcdir:=$(cd "$(dirname "$0")/.." && pwd)}"

# file<TAB>ERE the line (without its indent) matches<TAB>why it is not a
# verdict decided there
ALLOWED='tester/result/result.c	^} verdicts\[VERDICT_N\] = \{$	the table of verdict names
tester/result/result.c	^a->verdict = v;$	result_attempt_add() stores the verdict check/ gave the attempt
tester/case/case_print.c	^const char \*const case_verdict_names\[\] = \{$	the names a case'"'"'s "linux" line may use
tester/case/case_parse.c	^pr->linux_verdict = \(enum case_verdict\)k;$	the case file'"'"'s "linux" line: an expectation, parsed
tester/report/report_json.c	^\*dst = n;$	reading results.json back: verdicts made by an earlier run
tester/report/report_html_summary.c	^v = 	the banner'"'"'s badge: a style for the run'"'"'s headline (result_exit_status(), the counts), not a case'"'"'s verdict
tester/report/report_html_summary.c	^n\[VERDICT_[A-Z]+\]	the banner'"'"'s badge, continued'

# An assignment to a *verdict* field or variable, or a verdict constant as
# a value (comparisons are taken out of the line before the second look).
pat='verdict[A-Za-z_]*(\[[^]]*\])?[[:space:]]*=[^=]|(=|return|\?|:)[[:space:]]*(VERDICT|CASE_V)_[A-Z]+'

# Lines of the C files under $1/tester, but check/, that make a verdict.
scan() {
	(cd "$1" && find tester -name '*.[ch]' ! -path 'tester/check/*' |
	    sort | xargs grep -nE "$pat" |
	    grep -vE '^[^:]+:[0-9]+:[[:space:]]*(\*|/\*|//)' |
	    sed -E 's/(==|!=|<=|>=)[[:space:]]*(VERDICT|CASE_V)_[A-Z]+//g' |
	    grep -E "$pat" |
	    while IFS= read -r hit; do
		file=${hit%%:*}
		text=$(printf '%s\n' "${hit#*:*:}" | sed 's/^[[:space:]]*//')
		ok=0
		while IFS='	' read -r af at why; do
			if [ "$af" = "$file" ] &&
			    printf '%s\n' "$text" | grep -qE -- "$at"; then
				ok=1
			fi
		done <<EOF
$ALLOWED
EOF
		[ $ok = 1 ] || printf '%s\n' "$hit"
	    done) || true
}

fail=0
tmp=$(mktemp -d "${TMPDIR:-/tmp}/verdict-owner.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM

# The scan must catch a verdict planted outside check/.
cp -R "$srcdir/tester" "$tmp/tester"
printf '\nstatic void\nplanted(struct case_result *cr)\n{\n\tcr->verdict = VERDICT_PASS;\n}\n' \
    >>"$tmp/tester/run/run_sched.c"
printf '\nstatic enum verdict\nplanted2(int x)\n{\n\treturn x ? VERDICT_FAIL : VERDICT_PASS;\n}\n' \
    >>"$tmp/tester/report/report_tap.c"
out=$(scan "$tmp")
case $out in
*run_sched.c*"cr->verdict = VERDICT_PASS"*) ;;
*) echo "FAIL: the scan missed a verdict assigned in run/"; fail=1 ;;
esac
case $out in
*report_tap.c*"return x ? VERDICT_FAIL"*) ;;
*) echo "FAIL: the scan missed a verdict returned in report/"; fail=1 ;;
esac

# The tree itself.
out=$(scan "$srcdir")
if [ -n "$out" ]; then
	echo "FAIL: only tester/check/ may assign a verdict; these lines do:"
	printf '%s\n' "$out"
	fail=1
fi
[ $fail = 0 ] && echo "PASS: only tester/check/ assigns a verdict"
exit $fail
