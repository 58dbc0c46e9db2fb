#!/bin/sh
# Copyright (c) 2026 The tcpconform developers.  SPDX-License-Identifier: ISC
#
# mutation.sh: the suite's own truth.  Every '>' line of every case and
# matrix file (slow ones left out; a matrix line is mutated in the cells
# that use it, each cell a mutant of its own) is mutated by mutants.py
# (sequence and acknowledgment numbers +-1, each flag toggled, the window
# moved past the time Linux answered, a "> !" line turned into a demand),
# and each mutant is run against Linux on loopback, IPv4, in one run with
# -j.  A mutant is killed
# when its outcome differs from that of the case it came from: another
# verdict, or the same non-pass verdict decided at another line.  The
# test prints the mutation score and fails below 95 %; each surviving
# mutant is listed with the reason it cannot be caught:
#   - the line comes after the one where Linux already departs from the
#     case (a case with a "linux" baseline ends there), so it never runs;
#   - the line is that one: a mutant of it departs there too;
#   - a reason recorded in mutation-survivors (the case, the kind of
#     mutant and the mutated line, then the reason, separated by tabs),
#     for survivors that were looked at and cannot be caught on Linux;
#   - otherwise "not explained": a gap in the suite, to be looked at.
# The service cases run against stock servers on the loopback (lighttpd,
# inetd's echo, discard and daytime: stock_lib.sh), as in suite.sh; a case
# still not applicable is left out, and counted.
set -eu
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/stock_lib.sh"

tc_init "tcm$$"
tcbin=${BUILDDIR:-.}/tcpconform
agbin=${BUILDDIR:-.}/tcpconform-agent
here=$srcdir/tests/integration
min=${TC_MUTATION_MIN:-95}
for b in "$tcbin" "$agbin"; do
	[ -x "$b" ] || tc_fail "$b not built (make)"
done
command -v python3 >/dev/null 2>&1 ||
    tc_fail "python3 is missing (scripts/install-deps.sh installs it)"

# verdicts DIR: "id<TAB>verdict<TAB>reason" for every result of the run.
verdicts() {
	python3 -c 'import json, sys
for t in json.load(open(sys.argv[1]))["targets"]:
    for c in t["cases"]:
        print("%s\t%s\t%s" % (c["id"], c["verdict"],
              (c["reason"] or "").replace("\t", " ")))' "$1/results.json"
}

cases=$(for f in $(find "$srcdir/cases" -name '*.case' -o -name '*.matrix' | sort); do
	awk '$1 == "tags" { for (i = 2; i <= NF; i++) if ($i == "slow") s = 1 }
	    END { exit s }' "$f" && echo "$f"
done)

lo=$tc_lab-lo
stock_up "$lo"
tc_bg "$lo" "$tc_tmp/agent.log" "$agbin" -l 127.0.0.1 -m 64
tc_wait_for "$tc_tmp/agent.log" "listening on" 5 ||
    { cat "$tc_tmp/agent.log"; tc_fail "tcpconform-agent did not start"; }

# run OUT FILES...: the cases against Linux, IPv4, without a baseline.
run() {
	out=$1
	shift
	ip netns exec "$lo" timeout 1500 "$tcbin" run --loopback -4 \
	    --agent 127.0.0.1 $(stock_services) \
	    -j "${TC_MUTATION_JOBS:-32}" --no-progress \
	    -o "$tc_tmp/$out" "$@" >"$tc_tmp/$out.log" 2>&1 || true
	[ -f "$tc_tmp/$out/results.json" ] ||
	    { cat "$tc_tmp/$out.log"; tc_fail "$out: no results"; }
}

run orig $cases
verdicts "$tc_tmp/orig" >"$tc_tmp/orig.v"
mkdir "$tc_tmp/mutants"
n=$(python3 "$here/mutants.py" "$tc_tmp/orig/results.json" "$tc_tmp/mutants" \
    $cases)
[ "$n" -gt 0 ] || tc_fail "no mutants"
run mut "$tc_tmp/mutants/cases"
verdicts "$tc_tmp/mut" >"$tc_tmp/mut.v"
[ "$(wc -l <"$tc_tmp/mut.v")" -eq "$n" ] ||
    tc_fail "$(wc -l <"$tc_tmp/mut.v") results for $n mutants"

awk -F '\t' -v ov="$tc_tmp/orig.v" \
    -v mv="$tc_tmp/mut.v" -v known="$here/mutation-survivors" -v min="$min" '
BEGIN {
	while ((getline l < ov) > 0) {
		split(l, a, "\t")
		orig[a[1]] = a[2]
		# "line 21 (...": where the case departs on Linux.
		if (a[2] != "pass" && match(a[3], /line [0-9]+ \(/))
			stop[a[1]] = substr(a[3], RSTART + 5, RLENGTH - 7) + 0
	}
	while ((getline l < mv) > 0) {
		split(l, a, "\t")
		mut[a[1]] = a[2]
		if (a[2] != "pass" && match(a[3], /line [0-9]+ \(/))
			mstop[a[1]] = substr(a[3], RSTART + 5, RLENGTH - 7) + 0
	}
	while ((getline l < known) > 0) {
		if (l ~ /^#/ || l == "")
			continue
		split(l, a, "\t")
		why[a[1] "\t" a[2] "\t" a[3]] = a[4]
	}
}
{
	id = $1; cid = $2; line = $3; kind = $4
	# A case that cannot run here shows nothing about its checks.
	if (orig[cid] == "not-applicable") {
		na++
		next
	}
	total++
	if (!(id in mut)) {
		printf "  no result: %s\n", id
		surv++
		next
	}
	ms = (id in mstop) ? mstop[id] : 0
	os = (cid in stop) ? stop[cid] : 0
	if (mut[id] != orig[cid] || ms != os) {
		killed++
		next
	}
	surv++
	k = cid "\t" kind "\t" $5
	if (os > 0 && line > os)
		r = "never runs: the case departs from Linux at line " \
		    stop[cid] " (" orig[cid] "), before this line"
	else if (os > 0 && line == os)
		r = "Linux already departs from the case at this line (" \
		    orig[cid] "): a mutant of it departs there too"
	else if (k in why)
		r = why[k]
	else
		r = "not explained: a gap in the suite"

	if (r ~ /^not explained/)
		unexplained++
	printf "  survivor %s (%s line %d, %s: %s): %s\n", id, cid, line, kind,
	    $5, r
}
END {
	score = total ? 100 * killed / total : 0
	if (na > 0)
		printf "  %d mutants of cases not applicable here left " \
		    "out\n", na
	printf "mutation score: %d of %d mutants killed (%.1f %%), %d " \
	    "survivors (%d not explained)\n", killed, total, score, surv,
	    unexplained
	exit score < min ? 1 : 0
}' "$tc_tmp/mutants/manifest" >"$tc_tmp/score" || st=$?
cat "$tc_tmp/score"
[ -z "${TC_MUTATION_SAVE:-}" ] || cp -r "$tc_tmp" "$TC_MUTATION_SAVE"
[ "${st:-0}" -eq 0 ] || tc_fail "mutation score below $min %"
tc_pass "$(tail -n 1 "$tc_tmp/score")"
