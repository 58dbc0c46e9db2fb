#!/bin/sh
# scripts/quickstart.sh: the main job.  Install what is needed, build, and run
# the conformance suite against the Linux stack on loopback, inside a
# throwaway network namespace, with tcpconform-agent playing the target's
# application; the HTML report's path is printed at the end.
#
#   scripts/quickstart.sh [RUN-OPTIONS...]     e.g. --tag handshake, -6
#
# Environment: TC_SKIP_DEPS=1 skips apt-get; TC_OUT=DIR chooses the report
# folder (default reports/out/run-DATE); TC_ALL=1 also runs the slow cases
# (the 60-second TIME-WAIT measurement); TC_BIN=DIR uses tcpconform and
# tcpconform-agent as already built in DIR instead of building.  tcpconform
# run prints the report's path last.  Exit status: that of tcpconform run.
# Interrupted (Ctrl-C), it still removes its namespace and stops the agent.
set -eu
cd "$(dirname "$0")/.."
top=$(pwd)
jobs=$(nproc 2>/dev/null || echo 2)

if [ "$(id -u)" -ne 0 ]; then
	echo "quickstart.sh: must run as root (raw sockets, nftables, netns)" >&2
	exit 2
fi
if [ "${TC_SKIP_DEPS:-0}" != 1 ]; then
	scripts/install-deps.sh
fi

if [ -n "${TC_BIN:-}" ]; then
	bin=$(cd "$TC_BIN" && pwd)
else
	echo "=== building"
	./autogen.sh >/dev/null
	mkdir -p build/release
	(cd build/release && "$top/configure" -q && make -s -j"$jobs")
	bin=$top/build/release
fi
log=$bin/agent.log

ns=tcq$$
agent_pid=
# Under set -e a failing command here (kill of an agent that Ctrl-C has
# already stopped) would end the shell before the namespace is removed:
# the clean-up runs with set +e, and every step of it is tried.
cleanup() {
	set +e
	# A second Ctrl-C (or the first, when the run had just ended) must
	# not stop the clean-up half-way: ignored until it is done.
	trap '' INT TERM HUP
	trap - EXIT
	if [ -n "$agent_pid" ]; then
		kill "$agent_pid" 2>/dev/null
		wait "$agent_pid" 2>/dev/null
	fi
	ip netns del "$ns" 2>/dev/null
	return 0
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

echo "=== network namespace $ns (loopback only)"
ip netns add "$ns"
ip -n "$ns" link set lo up

# -m 64: one control connection per parallel case (-j 32), with room.
ip netns exec "$ns" "$bin/tcpconform-agent" -l 127.0.0.1 -m 64 \
    >"$log" 2>&1 &
agent_pid=$!
i=0
until grep -q "listening on" "$log" 2>/dev/null; do
	i=$((i + 1))
	if [ $i -gt 100 ]; then
		cat "$log" >&2
		echo "quickstart.sh: tcpconform-agent did not start" >&2
		exit 2
	fi
	sleep 0.05
done

out=${TC_OUT:-reports/out/run-$(date +%Y%m%d-%H%M%S)}
skip="--skip-tag slow"
[ "${TC_ALL:-0}" = 1 ] && skip=
echo "=== tcpconform run --loopback (report in $out)"
set +e
# shellcheck disable=SC2086
ip netns exec "$ns" "$bin/tcpconform" run --loopback --agent 127.0.0.1 \
    --kind linux -j 32 -o "$out" $skip "$@" cases/
status=$?
set -e
exit $status
