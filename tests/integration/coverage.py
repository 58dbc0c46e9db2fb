#!/usr/bin/env python3
# Copyright (c) 2026 The tcpconform developers.  SPDX-License-Identifier: ISC
#
# coverage.py FAULT RESULTS.json CATALOGUE.json [passive]: the requirements the fault
# run of FAULT reported, one "ID FAULT" line each (suite.sh gathers them
# into the record cases/coverage.txt; tester/case/case_covered.c reads it).
# A result reports the requirements its case names when the case's own
# lines failed against the fault (fail, warn, or a claim found absent or
# half-done), and the requirement of each passive check that fired in it
# ("passive check ID (REQ)" in its reason).  A case that fails only
# because a passive check fired does not report its own requirements.
# With "passive" (a passive check's fault, run with cases that do not name
# it), only what the passive checks reported counts.
import json
import re
import sys

fault, results, catalogue = sys.argv[1:4]
passive_only = sys.argv[4:5] == ["passive"]
reqs = {c["id"]: [r["id"] for r in c["reqs"]]
        for c in json.load(open(catalogue)) if c.get("kind", "case") == "case"}
out = set()
for t in json.load(open(results))["targets"]:
    for c in t["cases"]:
        v = c.get("verdict")
        reason = c.get("reason") or ""
        claim = c.get("claim_status")
        if not (v in ("fail", "warn") or
                (v == "info" and claim in ("absent", "half-done"))):
            continue
        for m in re.finditer(r"passive check \S+ \(([^)]+)\)", reason):
            out.add(m.group(1))
        before = reason.split("passive check")[0]
        if passive_only:
            continue
        if "passive check" not in reason or re.search(r"line \d+ \(", before):
            out.update(reqs.get(c["id"], []))
for r in sorted(out):
    print(r, fault)
