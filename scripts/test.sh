#!/bin/sh
# scripts/test.sh: install what is needed, build, and pass every test.
#
#   1. a build with AddressSanitizer + UndefinedBehaviorSanitizer and -Werror,
#      then "make check": the cmocka unit tests, and, when run as root, the
#      integration tests in network namespaces (the conformance suite against
#      Linux and against every fault of "tcpconform serve" among them);
#   2. the libFuzzer targets (clang), each run briefly on its corpus;
#   3. a plain build whose unit tests run again under valgrind, and (as
#      root) a whole run of the suite with tcpconform under valgrind and
#      the suite's peak RSS and capture drops at -j 32 (suite_memory.sh);
#   4. make distcheck (the tarball builds and its unit tests pass).
#
# Set TC_SKIP_DEPS=1 to skip the apt-get step (packages already installed).
# The last line counts every test: "tests: N passed, N failed".
set -eu
cd "$(dirname "$0")/.."
top=$(pwd)
jobs=$(nproc 2>/dev/null || echo 2)
log=$top/build/test.log

step() { printf '\n=== %s\n' "$*" | tee -a "$log"; }

summary() {
	st=$?
	p=$(grep -c '^PASS:' "$log" 2>/dev/null || true)
	f=$(grep -c '^FAIL:\|^ERROR:' "$log" 2>/dev/null || true)
	[ "$st" -eq 0 ] || [ "$f" -gt 0 ] || f=1
	echo "tests: ${p:-0} passed, ${f:-0} failed"
	exit "$st"
}

# run CMD...: run a step's command, its output both shown and kept in the
# log (for the count), failing with the command's own status.
run() {
	rc=$top/build/.rc
	echo 1 >"$rc"
	{ set +e; "$@"; echo $? >"$rc"; } 2>&1 | tee -a "$log"
	return "$(cat "$rc")"
}

mkdir -p build
: >"$log"
trap summary EXIT

if [ "${TC_SKIP_DEPS:-0}" != 1 ]; then
	step "installing Debian packages"
	run scripts/install-deps.sh
fi

step "autogen"
run ./autogen.sh

step "build with ASan+UBSan, make check"
mkdir -p build/asan
asan_check() {
	cd build/asan && "$top/configure" -q --enable-sanitizers \
	    --enable-werror && make -s -j"$jobs" && make -s -j"$jobs" check
}
if ! run asan_check; then
	cat build/asan/test-suite.log 2>/dev/null
	exit 1
fi
cd "$top"

step "fuzz targets (clang, libFuzzer)"
mkdir -p build/fuzz
fuzz() {
	cd build/fuzz && "$top/configure" -q CC=clang --enable-fuzzers \
	    --enable-werror && make -s -j"$jobs" && make -s fuzz-run
}
run fuzz
cd "$top"

step "plain build, unit tests and a whole run under valgrind"
mkdir -p build/plain
valgrind_check() {
	cd build/plain && "$top/configure" -q --enable-werror &&
	    make -s -j"$jobs" && make -s check-valgrind &&
	    make -s check TESTS="tests/integration/run_valgrind.sh \
	    tests/integration/suite_memory.sh"
}
run valgrind_check
cd "$top"

step "make distcheck (unit tests of the tarball's build)"
distcheck() {
	cd build/plain && make -s distcheck TESTS='$(UNIT_TESTS)' \
	    DISTCHECK_CONFIGURE_FLAGS=--enable-werror
}
run distcheck
cd "$top"

step "all tests passed"
