#!/bin/sh
# Copyright (c) 2026 The tcpconform developers.  SPDX-License-Identifier: ISC
#
# test_docs.sh: the documentation says what the code does: every long option
# that a subcommand's --help lists is described in tcpconform(1), every
# option of tcpconform-agent's -h in tcpconform-agent(1), every fault of
# "tcpconform serve --list-faults" in tcpconform(1), and every subcommand of
# "tcpconform --help" in tcpconform(1) and (but version) in the README.
set -eu
: "${srcdir:=$(cd "$(dirname "$0")/.." && pwd)}"
tc=${BUILDDIR:-.}/tcpconform
ag=${BUILDDIR:-.}/tcpconform-agent
man1=$srcdir/man/tcpconform.1
agman=$srcdir/man/tcpconform-agent.1
fail=0

bad() {
	echo "FAIL: $*"
	fail=1
}

# In mdoc an option "--foo" is written "Fl -foo".
for c in run list check report serve; do
	for o in $("$tc" "$c" --help 2>&1 | grep -o -- '--[a-z][a-z0-9-]*' |
	    sort -u); do
		grep -q -- "Fl ${o#-}\\>" "$man1" ||
		    bad "tcpconform $c $o is not in tcpconform(1)"
	done
done
for o in $("$ag" -h 2>&1 | sed -n 's/^  \(-[a-zA-Z]\)[ ,].*/\1/p') \
    $("$ag" -h 2>&1 | grep -o -- ' --[a-z][a-z-]*' | sort -u); do
	grep -q -- "Fl ${o#-}\\>" "$agman" ||
	    bad "tcpconform-agent $o is not in tcpconform-agent(1)"
done
for f in $("$tc" serve --list-faults | awk '{ print $1 }'); do
	grep -q "^\\.It Cm $f\$" "$man1" ||
	    bad "fault $f is not in tcpconform(1)"
done
for c in $("$tc" --help | sed -n 's/^  \([a-z][a-z]*\) .*/\1/p'); do
	grep -q "^\\.It Cm $c\\>" "$man1" ||
	    bad "command $c is not in tcpconform(1)"
	[ "$c" = version ] || grep -q "tcpconform $c" "$srcdir/README.md" ||
	    bad "command $c is not in README.md"
done
[ $fail -eq 0 ] && echo "PASS: --help, the man pages and the README agree"
exit $fail
