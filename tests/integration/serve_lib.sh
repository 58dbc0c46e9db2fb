# Copyright (c) 2026 The tcpconform developers.  SPDX-License-Identifier: ISC
#
# serve_lib.sh: helpers of the "tcpconform serve" integration tests
# (sourced after lib.sh, not run): start the target in the lab's target
# namespace, talk to it with socat from the tester namespace.

tcbin=${BUILDDIR:-.}/tcpconform

# sv_init: what the serve tests need beyond lib.sh's tools.
sv_init() {
	[ -x "$tcbin" ] || tc_fail "$tcbin not built (make)"
	command -v socat >/dev/null 2>&1 ||
	    tc_fail "socat is missing (scripts/install-deps.sh installs it)"
	tester=$tc_lab-tester
	target=$tc_lab-target
}

# sv_start LOGNAME ARGS...: "tcpconform serve ARGS" in the target
# namespace, verbose; returns once it is ready (pid in sv_pid).
sv_start() {
	sv_log=$tc_tmp/$1.serve.log
	shift
	tc_bg "$target" "$sv_log" "$tcbin" serve -v "$@"
	sv_pid=$tc_lastpid
	if ! tc_wait_for "$sv_log" "tcpconform serve: ready" 10; then
		cat "$sv_log"
		tc_fail "tcpconform serve $* did not start"
	fi
}

# sv_stop: stop the target; it must exit cleanly on SIGINT.
sv_stop() {
	kill -INT "$sv_pid" 2>/dev/null || true
	st=0
	wait "$sv_pid" 2>/dev/null || st=$?
	[ "$st" -eq 0 ] || { tail -20 "$sv_log"; tc_fail "serve exited $st"; }
}

# sv_client HOST PORT [SOCAT-OPTIONS]: a Linux client in the tester
# namespace; stdin is sent, what comes back goes to stdout.
sv_client() {
	ip netns exec "$tester" timeout 20 socat -t 2 - \
	    "TCP:$(sv_bracket "$1"):$2,connect-timeout=3${3:+,$3}"
}

sv_bracket() {
	case $1 in
	*:*)	echo "[$1]" ;;
	*)	echo "$1" ;;
	esac
}

# sv_flags PCAP SRC SPORT: the flags of every segment from SRC:SPORT, as
# tshark prints them ("0x0012" ...), one a line.
sv_flags() {
	tshark -r "$1" -Y "$(sv_ipsrc "$2")" -T fields -e tcp.srcport \
	    -e tcp.flags 2>/dev/null | awk -v p="$3" '$1 == p { print $2 }'
}

# sv_ipsrc ADDR: a display filter for datagrams from ADDR.
sv_ipsrc() {
	case $1 in
	*:*)	echo "ipv6.src == $1" ;;
	*)	echo "ip.src == $1" ;;
	esac
}
