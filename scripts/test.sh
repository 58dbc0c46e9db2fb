#!/bin/sh
# scripts/test.sh: install what is needed, build, and pass every test.
#
#   1. a build with AddressSanitizer + UndefinedBehaviorSanitizer and -Werror,
#      then "make check": the cmocka unit tests, and, when run as root, the
#      integration tests in network namespaces;
#   2. the libFuzzer targets (clang), each run briefly on its corpus;
#   3. a plain build whose unit tests run again under valgrind.
#
# Set TC_SKIP_DEPS=1 to skip the apt-get step (packages already installed).
set -eu
cd "$(dirname "$0")/.."
top=$(pwd)
jobs=$(nproc 2>/dev/null || echo 2)

step() { printf '\n=== %s\n' "$*"; }

if [ "${TC_SKIP_DEPS:-0}" != 1 ]; then
	step "installing Debian packages"
	scripts/install-deps.sh
fi

step "autogen"
./autogen.sh

step "build with ASan+UBSan, make check"
mkdir -p build/asan
(cd build/asan && "$top/configure" -q --enable-sanitizers --enable-werror &&
    make -s -j"$jobs" && make -s -j"$jobs" check) || {
	for f in build/asan/tests/*.log build/asan/tests/*/*.log; do
		[ -f "$f" ] && case "$f" in *test-suite.log) cat "$f";; esac
	done
	exit 1
}

step "fuzz targets (clang, libFuzzer)"
mkdir -p build/fuzz
(cd build/fuzz && "$top/configure" -q CC=clang --enable-fuzzers --enable-werror &&
    make -s -j"$jobs" && make -s fuzz-run)

step "plain build, unit tests under valgrind"
mkdir -p build/plain
(cd build/plain && "$top/configure" -q --enable-werror &&
    make -s -j"$jobs" && make -s check-valgrind)

step "all tests passed"
