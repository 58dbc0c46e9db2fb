#!/bin/sh
# Copyright (c) 2026 The tcpconform developers.  SPDX-License-Identifier: ISC
#
# scripts/audit-lab.sh: "audit my server", rehearsed in a lab.  A stock web
# server (lighttpd) and inetd's echo, discard and daytime services run in a
# namespace of their own (the lab's target, 198.18.0.2 and 2001:db8::2), and
# tcpconform audits both families of that dual-stack host from another
# namespace over a veth link, as a remote host, with no agent: the agentless
# cases of every family run on the services' protocols, each family a
# column of the report's matrix.
# The HTML report's path is printed at the end.
#
#   scripts/audit-lab.sh [RUN-OPTIONS...]          e.g. --tag close
#
# Environment: TC_BIN=DIR uses tcpconform as built in DIR (default: on the
# PATH); TC_OUT=DIR chooses the report folder.  Needs root, lighttpd and
# openbsd-inetd (scripts/install-deps.sh).  Exit status: that of tcpconform
# run.  Interrupted, it still stops the servers and removes the lab.
set -eu
tc=tcpconform
[ -z "${TC_BIN:-}" ] || tc=$(cd "$TC_BIN" && pwd)/tcpconform
cd "$(dirname "$0")/.."
top=$(pwd)

if [ "$(id -u)" -ne 0 ]; then
	echo "audit-lab.sh: must run as root (raw sockets, nftables, netns)" >&2
	exit 2
fi
for b in /usr/sbin/lighttpd /usr/sbin/inetd; do
	[ -x "$b" ] || { echo "audit-lab.sh: $b is missing" \
	    "(scripts/install-deps.sh installs it)" >&2; exit 2; }
done

lab=tca$$
tmp=$(mktemp -d "${TMPDIR:-/tmp}/audit-lab.XXXXXX")
pids=
cleanup() {
	set +e
	# A second Ctrl-C (or the first, when the run had just ended) must
	# not stop the clean-up half-way: ignored until it is done.
	trap '' INT TERM HUP
	trap - EXIT
	for p in $pids; do
		kill "$p" 2>/dev/null
		wait "$p" 2>/dev/null
	done
	sh "$top/scripts/lab.sh" down "$lab" >/dev/null 2>&1
	rm -rf "$tmp"
	return 0
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

sh scripts/lab.sh up "$lab" >/dev/null
mkdir -p "$tmp/www"
echo "tcpconform audit lab" >"$tmp/www/index.html"
cat >"$tmp/lighttpd.conf" <<EOF
server.document-root = "$tmp/www"
server.port = 80
server.bind = "0.0.0.0"
\$SERVER["socket"] == "[::]:80" { }
server.pid-file = "$tmp/lighttpd.pid"
server.errorlog = "$tmp/lighttpd.err"
index-file.names = ( "index.html" )
EOF
cat >"$tmp/inetd.conf" <<EOF
echo	stream	tcp	nowait	root	internal
discard	stream	tcp	nowait	root	internal
daytime	stream	tcp	nowait	root	internal
EOF
ip netns exec "$lab-target" /usr/sbin/lighttpd -D -f "$tmp/lighttpd.conf" \
    >"$tmp/lighttpd.log" 2>&1 &
pids="$pids $!"
ip netns exec "$lab-target" /usr/sbin/inetd -i "$tmp/inetd.conf" \
    >"$tmp/inetd.log" 2>&1 &
pids="$pids $!"
i=0
while [ "$(ip netns exec "$lab-target" ss -Hltn |
    awk '$4 ~ /:(80|7|9|13)$/' | wc -l)" -lt 8 ]; do
	i=$((i + 1))
	[ $i -le 100 ] || { echo "audit-lab.sh: the servers did not start" >&2;
	    exit 2; }
	sleep 0.05
done

echo "=== auditing 198.18.0.2 and 2001:db8::2 (lighttpd, inetd) from" \
    "$lab-tester, no agent"
st=0
ip netns exec "$lab-tester" "$tc" run --target 198.18.0.2 \
    --target 2001:db8::2 --remote \
    --service http:80 --service echo:7 --service discard:9 \
    --service banner:13 -j 4 ${TC_OUT:+-o "$TC_OUT"} "$@" "$top/cases" ||
    st=$?
exit "$st"
