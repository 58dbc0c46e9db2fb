#!/usr/bin/env python3
# Copyright (c) 2026 The tcpconform developers.  SPDX-License-Identifier: ISC
#
# check_schema.py SCHEMA FILE...: validate each results.json against the
# published JSON Schema (reports/results.schema.json) with python3-jsonschema
# (Debian), checking the schema itself first.  Prints one line per error,
# with the path of the field; exit 0 when every file is valid, 1 when one is
# not, 77 when jsonschema is missing (automake's SKIP).
import json
import sys

try:
    import jsonschema
except ImportError:
    print("SKIP: python3-jsonschema not installed (scripts/install-deps.sh)")
    sys.exit(77)


def main(argv):
    if len(argv) < 3:
        print("usage: check_schema.py SCHEMA FILE...", file=sys.stderr)
        return 2
    with open(argv[1], encoding="utf-8") as f:
        schema = json.load(f)
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    validator = cls(schema)
    bad = 0
    for path in argv[2:]:
        with open(path, encoding="utf-8") as f:
            doc = json.load(f)
        errors = sorted(validator.iter_errors(doc), key=lambda e: list(e.path))
        for e in errors[:20]:
            where = "".join("[%r]" % p for p in e.path) or "(top)"
            print("%s: %s: %s" % (path, where, e.message[:300]))
        if errors:
            bad = 1
    return bad


sys.exit(main(sys.argv))
