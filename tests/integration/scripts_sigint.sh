#!/bin/sh
# Copyright (c) 2026 The tcpconform developers.  SPDX-License-Identifier: ISC
#
# scripts_sigint.sh: Ctrl-C in the middle of scripts/quickstart.sh and of
# bench/bench_suite.sh leaves no network namespace and no agent behind.
# Each script runs in a process group of its own (setsid), as a terminal's
# foreground job would, and gets SIGINT to the whole group once its run of
# the suite has started (its agent having ended first, as it may on a real
# Ctrl-C); then its namespace must be gone and its processes ended.  And
# a Ctrl-C that comes while quickstart's clean-up runs does not stop it.
set -eu
if [ "$(id -u)" -ne 0 ]; then
	echo "SKIP: ${0##*/}: needs root (network namespaces)"
	exit 77
fi
: "${srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
build=$(cd "${BUILDDIR:-.}" && pwd)
for b in tcpconform tcpconform-agent; do
	[ -x "$build/$b" ] || { echo "FAIL: $build/$b not built"; exit 1; }
done
for t in setsid pgrep python3; do
	command -v $t >/dev/null || { echo "FAIL: $t missing"; exit 1; }
done
tmp=$(mktemp -d "${TMPDIR:-/tmp}/tc-sigint.XXXXXX")
pid=
ns=
fail=0
cleanup() {
	set +e
	[ -n "$pid" ] && kill -KILL "-$pid" 2>/dev/null
	[ -n "$ns" ] && ip netns del "$ns" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

# start_group LOG CMD...: start CMD in a process group of its own, its
# output in LOG, and set pid.  A background job of a non-interactive shell
# starts with SIGINT ignored, and a shell cannot trap a signal ignored on
# entry: the default is put back, as a terminal's foreground job has it.
start_group() {
	_log=$1
	shift
	setsid python3 -c 'import os, signal, sys
signal.signal(signal.SIGINT, signal.SIG_DFL)
os.execvp(sys.argv[1], sys.argv[1:])' "$@" >"$_log" 2>&1 &
	pid=$!
}

# ns_left NS: is namespace NS still there?  If so it is removed (0).
ns_left() {
	ip netns list | grep -q "^$1\\>" || return 1
	ip netns del "$1" 2>/dev/null || true
	return 0
}

# interrupt NAME PATTERN CMD...: start CMD in a group of its own, wait for
# the line "PATTERN<namespace>" in its output and for its tcpconform run to
# start, interrupt the group, and check what is left.  try counts the
# tries of one scenario (set to 1 before the first).
interrupt() {
	name=$1 pat=$2
	shift 2
	log=$tmp/$(echo "$name" | tr -c 'a-z_\n' _).log
	start_group "$log" "$@"
	ns=
	i=0
	while [ -z "$ns" ] || ! pgrep -g "$pid" -x tcpconform >/dev/null; do
		i=$((i + 1))
		if [ $i -gt 600 ] || ! kill -0 "$pid" 2>/dev/null; then
			cat "$log"
			echo "FAIL: $name: its run did not start"
			fail=1
			return
		fi
		ns=$(sed -n "s/^$pat\\([a-z0-9]*\\).*/\\1/p" "$log" 2>/dev/null || true)
		sleep 0.05
	done
	ip netns list | grep -q "^$ns\\>" ||
	    { echo "FAIL: $name: namespace $ns not seen"; fail=1; }
	sleep 0.3
	# Ctrl-C reaches the agent too, and it may end (and be reaped by the
	# script's shell) before the shell runs its clean-up; stopping it a
	# moment earlier makes that order certain.
	# (The kernel keeps 15 characters of a process name.)
	for a in $(pgrep -g "$pid" -x tcpconform-agen); do
		kill -TERM "$a"
		# Until the script's shell has reaped it (a zombie would
		# still take the clean-up's kill).
		i=0
		while [ -e "/proc/$a" ] && [ $i -lt 40 ]; do
			i=$((i + 1))
			sleep 0.05
		done
	done
	# With its agent gone, the run may end before the interrupt comes
	# (every case stops at once): nothing was interrupted, so the
	# scenario is run again, up to three times in all.
	if ! kill -INT "-$pid" 2>/dev/null; then
		wait "$pid" || true
		pid=
		if ns_left "$ns"; then
			echo "FAIL: $name: namespace $ns left behind after" \
			    "its run ended"
			fail=1
		fi
		if [ "$try" -lt 3 ]; then
			echo "note: $name: its run ended before SIGINT; again"
			try=$((try + 1))
			interrupt "$name" "$pat" "$@"
			return
		fi
		echo "FAIL: $name: its run ended before SIGINT in 3 tries"
		fail=1
		ns=
		return
	fi
	st=0
	timeout 30 sh -c "while kill -0 $pid 2>/dev/null; do sleep 0.1; done" ||
	    { echo "FAIL: $name: still running 30 s after SIGINT"; fail=1; }
	wait "$pid" || st=$?
	if ns_left "$ns"; then
		echo "FAIL: $name: namespace $ns left behind after SIGINT" \
		    "(exit $st)"
		fail=1
	else
		echo "PASS: $name: SIGINT mid-run (exit $st), namespace $ns removed"
		[ -z "${V:-}" ] || cat "$log"
	fi
	if pgrep -g "$pid" >/dev/null; then
		echo "FAIL: $name: processes of its group still run:" \
		    "$(pgrep -g "$pid" -l | tr '\n' ' ')"
		fail=1
	fi
	pid=
	ns=
}

# With /bin/sh, and with bash (where set -e also ends the shell when the
# last command of an && list fails, as the clean-up's kill did).
for sh in sh bash; do
	command -v $sh >/dev/null || continue
	try=1
	interrupt "quickstart ($sh)" '=== network namespace ' env \
	    TC_SKIP_DEPS=1 TC_BIN="$build" TC_OUT="$tmp/report-$sh" \
	    $sh "$srcdir/scripts/quickstart.sh"
	try=1
	interrupt "bench_suite ($sh)" 'bench_suite: namespace ' env \
	    BENCH_TCPCONFORM="$build/tcpconform" \
	    BENCH_AGENT="$build/tcpconform-agent" \
	    $sh "$srcdir/bench/bench_suite.sh"
done

# Ctrl-C during the clean-up itself (the run had just ended on its own):
# the clean-up must still remove the namespace.  Stand-ins for the two
# programs: a run that ends at once, and an agent that takes 2 s to stop,
# so that the clean-up is waiting for it when the SIGINT comes.
fake=$tmp/fakebin
mkdir -p "$fake"
cat >"$fake/tcpconform-agent" <<'EOF2'
#!/bin/sh
trap 'sleep 2; exit 0' TERM
echo "listening on 127.0.0.1"
while :; do sleep 0.1; done
EOF2
printf '#!/bin/sh\nexit 0\n' >"$fake/tcpconform"
chmod +x "$fake/tcpconform-agent" "$fake/tcpconform"
for sh in sh bash; do
	command -v $sh >/dev/null || continue
	log=$tmp/cleanup-$sh.log
	start_group "$log" env TC_SKIP_DEPS=1 TC_BIN="$fake" \
	    TC_OUT="$tmp/report-c-$sh" $sh "$srcdir/scripts/quickstart.sh"
	i=0
	until grep -q "=== tcpconform run" "$log" 2>/dev/null; do
		i=$((i + 1))
		if [ $i -gt 200 ] || ! kill -0 "$pid" 2>/dev/null; then
			break
		fi
		sleep 0.05
	done
	ns=$(sed -n 's/^=== network namespace \([a-z0-9]*\).*/\1/p' "$log")
	sleep 0.3
	kill -INT "-$pid" 2>/dev/null || true
	timeout 10 sh -c "while kill -0 $pid 2>/dev/null; do sleep 0.1; done" ||
	    { echo "FAIL: clean-up ($sh): still running 10 s after SIGINT"; fail=1; }
	wait "$pid" 2>/dev/null || true
	if [ -z "$ns" ]; then
		cat "$log"
		echo "FAIL: clean-up ($sh): no namespace in its output"
		fail=1
	elif ns_left "$ns"; then
		echo "FAIL: clean-up ($sh): SIGINT during the clean-up left" \
		    "namespace $ns behind"
		fail=1
	else
		echo "PASS: clean-up ($sh): SIGINT during the clean-up," \
		    "namespace $ns removed"
	fi
	pid=
	ns=
done
exit $fail
