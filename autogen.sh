#!/bin/sh
# Generate configure and Makefile.in from configure.ac and Makefile.am.
die() { echo "autogen.sh: $*" >&2; exit 1; }
cd "$(dirname "$0")" || die "cannot enter the source directory"
autoreconf -fi || die "autoreconf failed (install autoconf, automake, pkg-config: scripts/install-deps.sh)"
