#!/usr/bin/env python3
# Copyright (c) 2026 The tcpconform developers.  SPDX-License-Identifier: ISC
#
# mutants.py: mutants of the suite's '>' lines, for mutation.sh.
#
#   mutants.py RESULTS.JSON OUTDIR CASE...
#
# For every '>' line of every case, each mutant changes one thing the line
# checks, so that a suite whose checks bite sees Linux fail the mutant:
#   seq+1, seq-1    the start (and end) of every alternative's sequence range
#                   (of "start:*(max N)" the start)
#   max-1           a length bound "(max N)" or "(max mss)" made "(max 1)"
#   ack+1, ack-1    every alternative's acknowledgment number
#   flag-X          flag X (S F R P .) toggled in every alternative
#   time            the window moved past the time the segment was seen
#                   (from RESULTS.JSON, a run of the same cases against
#                   Linux): "+D~+D+50ms" with D = 1.25 x the observed delay
#                   since the previous packet line's segment + 50 ms, which
#                   the runner's early tolerance cannot reach back over
#   unnegate        for a "> !" line: the forbidden segment demanded
#                   (not for "past N", which has no positive form: no
#                   '>' line demands "some segment that ends beyond N")
# A mutant whose alternatives are the line's own (toggling the ACK bit of
# "R 1:1(0) | R. 1:1(0)") is no mutant and is not written.  Mutants go to
# OUTDIR/cases/TOPIC/NAME.mNNN.case; OUTDIR/manifest has one line each:
# "ID<TAB>CASE<TAB>LINE<TAB>KIND<TAB>the mutated line".
#
# A matrix file (tcpconform-case(5), MATRIX FILES) is mutated at its own
# lines: a '>' line of a state's preamble, of an event or of a cell.  The
# mutant file keeps only the cells that use the line (the state's, the
# event's, or that cell), blanking the others so that line numbers stay
# those of the original, and the manifest has one line per cell it holds:
# "ID/STATE/EVENT<TAB>CASE/STATE/EVENT<TAB>...", each judged on its own.
import json
import os
import re
import sys

FLAGS = "SFRP."
SEG_RE = re.compile(r"^(?P<flags>\S+)(?P<rest>.*)$")
RANGE_RE = re.compile(r"(-?\d+):(-?\d+)\((\d+)\)")
BOUND_RE = re.compile(r"(-?\d+):\*\(max (\w+)\)")
ACK_RE = re.compile(r"\back (-?\d+)")


def u32(v):
    return v % (1 << 32)


def fmt_num(v, neg):
    """Keep the case's own style: "-n" stays below the ISN."""
    v = u32(v)
    if neg and v > (1 << 31):
        return "-%d" % ((1 << 32) - v)
    return "%d" % v


def split_line(line):
    """(prefix up to and including '>' [!], [alternatives], comment)."""
    code, sep, comment = line.partition("//")
    code = code.rstrip("\n")
    m = re.match(r"^(\s*(?:\S+\s+)?(?:@\S+\s+)?>\s*(!\s*)?)(.*)$", code)
    if m is None or not re.match(r"^\s*(\*|~|\+|[0-9]|@|>)", code):
        return None
    prefix, negate, body = m.group(1), m.group(2), m.group(3)
    alts = [a.strip() for a in body.split("|")]
    return prefix, negate is not None, alts, (sep + comment).rstrip("\n")


def toggle(flags, f):
    if flags == "*":
        return None
    s = set(flags) - {"-"}
    s ^= {f}
    if not s:
        return "-"
    return "".join(c for c in "SFRPUEWA" if c in s) + ("." if "." in s
                                                        else "")


def mutate_alt(alt, kind, delta=0, flag=None):
    m = SEG_RE.match(alt)
    flags, rest = m.group("flags"), m.group("rest")
    if kind == "seq" and RANGE_RE.search(rest) is None:
        r = BOUND_RE.search(rest)
        if r is None:
            return None
        new = "%s:*(max %s)" % (fmt_num(int(r.group(1)) + delta,
                                r.group(1).startswith("-")), r.group(2))
        return flags + rest[:r.start()] + new + rest[r.end():]
    if kind == "max":
        r = BOUND_RE.search(rest)
        if r is None or r.group(2) == "1":
            return None
        new = "%s:*(max 1)" % r.group(1)
        return flags + rest[:r.start()] + new + rest[r.end():]
    if kind == "seq":
        r = RANGE_RE.search(rest)
        if r is None:
            return None
        a, b, n = int(r.group(1)), int(r.group(2)), r.group(3)
        neg = r.group(1).startswith("-")
        new = "%s:%s(%s)" % (fmt_num(a + delta, neg), fmt_num(b + delta,
                             neg), n)
        return flags + rest[:r.start()] + new + rest[r.end():]
    if kind == "ack":
        r = ACK_RE.search(rest)
        if r is None:
            return None
        v = int(r.group(1))
        new = "ack " + fmt_num(v + delta, r.group(1).startswith("-"))
        return flags + rest[:r.start()] + new + rest[r.end():]
    if kind == "flag":
        nf = toggle(flags, flag)
        return None if nf is None else nf + rest
    return None


def canon(alt):
    m = SEG_RE.match(alt)
    return ("".join(sorted(m.group("flags"))), m.group("rest").strip())


def observed_delays(results):
    """{(case id, line): seconds from the previous segment to it}."""
    out = {}
    with open(results) as f:
        run = json.load(f)
    for t in run["targets"]:
        for c in t["cases"]:
            # From the previous segment of a packet line (sent by a '<'
            # line or matched by a '>' one): the previous statement's
            # event is that one or later, so the delay is at most this.
            prev = 0
            for s in c.get("segments") or []:
                e = s.get("expect")
                if e and s.get("kind") == "observed":
                    if s.get("dir") == "target>peer":
                        key = (c["id"], e["line"])
                        d = (s["t_us"] - prev) / 1e6
                        out[key] = max(out.get(key, 0), d)
                    prev = s["t_us"]
    return out


def case_id(path):
    p = path.replace("\\", "/")
    if "/cases/" in p:
        p = p.split("/cases/")[-1]
    elif p.startswith("cases/"):
        p = p[6:]
    return p[:-5] if p.endswith(".case") else p


TOP_RE = re.compile(r"^(state|event|cell)\s+(.*)$")


def matrix_blocks(lines):
    """For each line, the top-level block it is in: (kind, header index)
    or None; and the cells: [(header index, [states], [events])]."""
    owner, cells, cur = [], [], None
    for i, line in enumerate(lines):
        m = TOP_RE.match(line)
        if m:
            cur = (m.group(1), i)
            if m.group(1) == "cell":
                st, _, ev = m.group(2).partition(" x ")
                cells.append((i, st.split(), ev.split()))
        elif line.strip() and not line.startswith((" ", "\t", "#")):
            cur = None
        owner.append(cur)
    return owner, cells


def matrix_keep(lines, owner, cells, block):
    """The matrix's lines with only the cells that use block's line;
    the others blanked.  Returns (lines, [(state, event)])."""
    kind, hi = block
    name = lines[hi].split()[1] if kind != "cell" else None
    out, held = list(lines), []
    for ci, states, events in cells:
        if kind == "cell":
            ks, ke = (states, events) if ci == hi else ([], [])
        elif kind == "state":
            ks, ke = [s for s in states if s == name], events
        else:
            ks, ke = states, [e for e in events if e == name]
        if ks and ke:
            out[ci] = "cell %s x %s\n" % (" ".join(ks), " ".join(ke))
            held += [(s, e) for s in ks for e in ke]
            continue
        for j in range(ci, len(lines)):
            if j > ci and owner[j] != ("cell", ci):
                break
            out[j] = "\n"
    return out, held


def main():
    results, outdir, files = sys.argv[1], sys.argv[2], sys.argv[3:]
    delays = observed_delays(results)
    manifest = open(os.path.join(outdir, "manifest"), "w")
    n = 0
    for path in files:
        matrix = path.endswith(".matrix")
        cid = case_id(path[:-len(".matrix")] if matrix else path)
        with open(path) as f:
            lines = f.readlines()
        if matrix:
            owner, cells = matrix_blocks(lines)
        for i, line in enumerate(lines):
            sp = split_line(line)
            if sp is None or (matrix and owner[i] is None):
                continue
            prefix, negate, alts, comment = sp
            lineno = i + 1
            muts = []
            if negate:
                if not any(re.search(r"\bpast\b", a) for a in alts):
                    muts.append(("unnegate", prefix.replace("!", "", 1) +
                                 " | ".join(alts)))
            else:
                for kind, delta in (("seq", 1), ("seq", -1), ("ack", 1),
                                    ("ack", -1), ("max", -1)):
                    new = [mutate_alt(a, kind, delta) for a in alts]
                    if any(x is not None for x in new):
                        new = [x if x is not None else a
                               for x, a in zip(new, alts)]
                        muts.append(("%s%+d" % (kind, delta),
                                     prefix + " | ".join(new)))
                for fl in FLAGS:
                    new = [mutate_alt(a, "flag", flag=fl) for a in alts]
                    if any(x is None for x in new):
                        continue
                    if sorted(map(canon, new)) == sorted(map(canon, alts)):
                        continue
                    muts.append(("flag-" + ("ACK" if fl == "." else fl),
                                 prefix + " | ".join(new)))
                if matrix:
                    d = max([v for (c, ln), v in delays.items()
                             if ln == lineno and c.startswith(cid + "/")],
                            default=None)
                else:
                    d = delays.get((cid, lineno))
                if d is not None:
                    lo = 1.25 * d + 0.05
                    m = re.match(r"^\s*(?:[*~+0-9.]\S*\s+)?"
                                 r"(?:(@\S+)\s+)?(>.*)$", prefix)
                    conn = m.group(1) + " " if m.group(1) else ""
                    indent = re.match(r"^\s*", prefix).group(0)
                    muts.append(("time", "%s+%.3f~+%.3f %s%s" % (
                        indent, lo, lo + 0.05, conn, m.group(2) +
                        " | ".join(alts))))
            for kind, text in muts:
                n += 1
                mid = "%s.m%03d" % (cid, n)
                body = list(lines)
                held = [None]
                if matrix:
                    body, held = matrix_keep(lines, owner, cells, owner[i])
                body[i] = text + (" " + comment if comment else "") + "\n"
                out = os.path.join(outdir, "cases", mid +
                                   (".matrix" if matrix else ".case"))
                os.makedirs(os.path.dirname(out), exist_ok=True)
                with open(out, "w") as g:
                    g.writelines(body)
                for cell in held:
                    sfx = "" if cell is None else "/%s/%s" % (
                        cell[0].lower(), cell[1])
                    manifest.write("%s\t%s\t%d\t%s\t%s\n" % (
                        mid + sfx, cid + sfx, lineno, kind, text))
    manifest.close()
    with open(os.path.join(outdir, "manifest")) as f:
        print(sum(1 for _ in f))


if __name__ == "__main__":
    main()
