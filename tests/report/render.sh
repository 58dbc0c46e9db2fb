#!/bin/sh
# Copyright (c) 2026 The tcpconform developers.  SPDX-License-Identifier: ISC
#
# render.sh: the HTML report checked as a person would meet it.
# "tcpconform report" writes reports from the fixtures (one target, two
# targets as a matrix, and a hostile results file); then:
#   - every page validates with tidy (HTML5, no warning) and junit.xml is
#     well-formed and valid against tests/report/junit.xsd (xmllint);
#   - headless Chromium loads pages with no console message (a script error,
#     or a script refused by the page's Content-Security-Policy, would log);
#   - in the DOM Chromium built, the ladder of a case has as many arrows as
#     the case has segments, and the hostile pages hold no script element
#     and no event-handler attribute;
#   - screenshots are kept in tests/report/ of the build tree for a look.
# Exit 77 (SKIP) when chromium or tidy is missing.
set -eu

srcdir=${srcdir:-.}
fix=$srcdir/tests/report
bin=./tcpconform
out=tests/report
for tool in chromium tidy; do
	if ! command -v $tool >/dev/null 2>&1; then
		echo "SKIP: $tool not installed (scripts/install-deps.sh)"
		exit 77
	fi
done
[ -x "$bin" ] || { echo "FAIL: $bin not built"; exit 1; }

tmp=$(mktemp -d /tmp/tc-render.XXXXXX)
trap 'rm -rf "$tmp"' EXIT INT TERM
mkdir -p "$out"
fail=0
bad() { echo "FAIL: $*"; fail=1; }

# chromium FLAGS... URL: headless, isolated, quiet; stderr to $tmp/log.
browse() {
	timeout 120 chromium --headless --no-sandbox --disable-gpu \
	    --disable-quic --no-first-run --disable-background-networking \
	    --disable-component-update --disable-sync \
	    --user-data-dir="$tmp/profile" --enable-logging=stderr --v=0 \
	    "$@" 2>"$tmp/log"
	if grep ':CONSOLE' "$tmp/log"; then
		bad "console messages while loading $*"
	fi
}

"$bin" report -o "$tmp/one" --tap "$tmp/one/results.tap" "$fix/sample.json" \
    >/dev/null
"$bin" report -o "$tmp/two" "$fix/sample.json" "$fix/fault.json" >/dev/null
"$bin" report -o "$tmp/evil" "$fix/hostile.json" >/dev/null

# 1. Every page is valid HTML5 for tidy: no error, no warning.
for f in "$tmp"/one/index.html "$tmp"/one/cases/t1/*.html \
    "$tmp"/two/index.html "$tmp"/evil/index.html "$tmp"/evil/cases/t1/*.html
do
	if ! tidy -q -e "$f" >"$tmp/tidy" 2>&1; then
		bad "tidy: $f"
		cat "$tmp/tidy"
	fi
done

# 2. junit.xml: well-formed, and valid against the surefire/Jenkins shape.
if command -v xmllint >/dev/null 2>&1; then
	for d in one two evil; do
		xmllint --noout --schema "$fix/junit.xsd" "$tmp/$d/junit.xml" \
		    >"$tmp/xml" 2>&1 || { bad "junit.xml of $d"; cat "$tmp/xml"; }
	done
else
	echo "note: xmllint missing, junit.xml not validated"
fi

# 3. The ladder in Chromium's DOM: one arrow per segment, for each case
#    page: the segment table's rows say how many segments the case has.
for f in "$tmp"/one/cases/t1/*.html; do
	browse --dump-dom "file://$f" >"$tmp/dom"
	arrows=$(grep -o '<line class="arw"' "$tmp/dom" | wc -l)
	segs=$(grep -o '<tr id="seg-' "$f" | wc -l)
	[ "$arrows" -eq "$segs" ] ||
	    bad "$(basename "$f"): $arrows arrows for $segs segments"
done
# ... and the known fixture case has exactly its 5.
browse --dump-dom "file://$tmp/one/cases/t1/close-fin-consumes-sequence.html" \
    >"$tmp/dom"
[ "$(grep -o '<line class="arw"' "$tmp/dom" | wc -l)" -eq 5 ] ||
    bad "close-fin-consumes-sequence: not 5 arrows"
grep -q 'ack: expected 1002, observed 1000' "$tmp/dom" ||
    bad "close-fin-consumes-sequence: mismatch not shown"

# 4. The hostile report: nothing interpreted, in the browser's own view.
for f in "$tmp"/evil/index.html "$tmp"/evil/cases/t1/*.html; do
	browse --dump-dom "file://$f" >"$tmp/dom"
	# The serialiser writes text '<' as &lt;, so a '<' here opens an
	# element: any script or img element, or any on*= attribute, is real.
	if grep -qiE '<script|<img|<[a-z][^>]*[[:space:]]on[a-z]+=' \
	    "$tmp/dom"; then
		bad "hostile markup became markup in $(basename "$f")"
	fi
done

# 5. Screenshots, for a person to look at.
browse --screenshot="$out/index.png" --window-size=1280,2000 \
    "file://$tmp/one/index.html" >/dev/null
browse --screenshot="$out/case.png" --window-size=1280,2000 \
    "file://$tmp/one/cases/t1/close-fin-consumes-sequence.html" >/dev/null
browse --screenshot="$out/matrix.png" --window-size=1280,2000 \
    "file://$tmp/two/index.html" >/dev/null
for p in index case matrix; do
	[ -s "$out/$p.png" ] || bad "no screenshot $p.png"
done

[ $fail -eq 0 ] && echo "PASS: report renders (screenshots in $out/)"
exit $fail
