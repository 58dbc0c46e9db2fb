#!/bin/sh
# Copyright (c) 2026 The tcpconform developers.  SPDX-License-Identifier: ISC
#
# ci_outputs.sh: the files CI systems read, read by the tools CI systems
# use.  "tcpconform report" rewrites the fixtures (one with every verdict,
# one with hostile text, one with failures), with and without --strict
# recorded in them; then:
#   - prove (Perl's TAP harness, as CI runs it) reads every results.tap
#     with no parse error, counts the plan's tests, and fails exactly the
#     test points the exit status counts (fail, xpass, error; with --strict
#     also warn, flaky, inconclusive);
#   - junit.xml counts the same failures;
#   - results.json, as the writer writes it, is valid against the
#     published JSON Schema (reports/results.schema.json, python3-jsonschema).
# Exit 77 (SKIP) when prove is missing (Debian: perl).
set -eu

srcdir=${srcdir:-.}
fix=$srcdir/tests/report
bin=./tcpconform
if ! command -v prove >/dev/null 2>&1; then
	echo "SKIP: prove not installed (perl; scripts/install-deps.sh)"
	exit 77
fi
[ -x "$bin" ] || { echo "FAIL: $bin not built"; exit 1; }

tmp=$(mktemp -d /tmp/tc-ci.XXXXXX)
trap 'rm -rf "$tmp"' EXIT INT TERM HUP
fail=0
bad() { echo "FAIL: $*"; fail=1; }

# check NAME JSON STRICT FAILS: the TAP and JUnit of JSON, written with
# "strict" set to STRICT, fail FAILS tests, and prove reads the TAP.
check() {
	name=$1 json=$2 strict=$3 want=$4
	sed "s/\"strict\": false/\"strict\": $strict/" "$json" \
	    >"$tmp/$name.json"
	"$bin" report -o "$tmp/$name" --tap "$tmp/$name/results.tap" \
	    "$tmp/$name.json" >/dev/null ||
	    { bad "$name: tcpconform report failed"; return; }
	tap=$tmp/$name/results.tap
	plan=$(sed -n 's/^1\.\.\([0-9]*\)$/\1/p' "$tap")
	st=0
	prove --exec cat "$tap" >"$tmp/$name.prove" 2>&1 || st=$?
	if grep -q "Parse errors" "$tmp/$name.prove"; then
		bad "$name: prove cannot parse the TAP"
		cat "$tmp/$name.prove"
		return
	fi
	if [ "$want" -eq 0 ]; then
		[ "$st" -eq 0 ] && grep -q "^Result: PASS" "$tmp/$name.prove" ||
		    { bad "$name: prove did not pass"; cat "$tmp/$name.prove"; }
	else
		grep -q "(Wstat: 0 Tests: $plan Failed: $want)" \
		    "$tmp/$name.prove" ||
		    { bad "$name: prove did not count $plan tests, $want" \
		    "failed"; cat "$tmp/$name.prove"; }
	fi
	f=$(grep -o '<testsuites [^>]*' "$tmp/$name/junit.xml" |
	    sed 's/.* failures="\([0-9]*\)" errors="\([0-9]*\)".*/\1 \2/' |
	    awk '{ print $1 + $2 }')
	[ "$f" = "$want" ] ||
	    bad "$name: junit.xml counts $f failures and errors, not $want"
}

# sample.json has one case of each verdict.
check every-strict "$fix/sample.json" true 7
check hostile "$fix/hostile.json" false 5
check fault "$fix/fault.json" false 4
check every "$fix/sample.json" false 4

# A warn is a passing test point, and a failing one under --strict.
grep -q '^ok [0-9]* - close/ack-delay$' "$tmp/every/results.tap" ||
    bad "every: warn is not 'ok'"
grep -q '^not ok [0-9]* - close/ack-delay$' \
    "$tmp/every-strict/results.tap" || bad "every-strict: warn is not 'not ok'"

# results.json follows the published schema: the writer's (a merged
# report of the three fixtures) and the fixtures themselves; and the check
# can fail: a file with a verdict no reader knows is refused.
py=python3
if ! python3 -c 'import jsonschema' 2>/dev/null &&
    /usr/bin/python3 -c 'import jsonschema' 2>/dev/null; then
	py=/usr/bin/python3
fi
schema=$srcdir/reports/results.schema.json
if "$py" -c 'import jsonschema' 2>/dev/null; then
	"$bin" report -o "$tmp/merged" "$fix/sample.json" "$fix/hostile.json" \
	    "$fix/fault.json" >/dev/null || bad "merged: tcpconform report failed"
	grep -q '"schema_version": "1\.[0-9]*"' "$tmp/merged/results.json" ||
	    bad "merged: results.json has no schema_version"
	"$py" "$srcdir/tests/report/check_schema.py" "$schema" \
	    "$tmp/merged/results.json" "$fix/sample.json" "$fix/hostile.json" \
	    "$fix/fault.json" || bad "a results.json does not follow the schema"
	sed 's/"verdict": "warn"/"verdict": "sort-of"/' \
	    "$tmp/merged/results.json" >"$tmp/wrong.json"
	! "$py" "$srcdir/tests/report/check_schema.py" "$schema" \
	    "$tmp/wrong.json" >"$tmp/wrong.log" 2>&1 &&
	    grep -q "'sort-of' is not one of" "$tmp/wrong.log" ||
	    { bad "the schema let an unknown verdict through"; cat "$tmp/wrong.log"; }
else
	echo "note: python3-jsonschema missing, results.json not validated"
fi

[ $fail -eq 0 ] && echo "PASS: prove reads the TAP; TAP and JUnit fail" \
    "what the exit status fails (with and without --strict);" \
    "results.json follows reports/results.schema.json"
exit $fail
