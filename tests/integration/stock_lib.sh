# Copyright (c) 2026 The tcpconform developers.  SPDX-License-Identifier: ISC
#
# stock_lib.sh: stock servers as agentless targets, for the service
# profiles: lighttpd for HTTP (80) and openbsd-inetd's internal echo (7),
# discard (9) and daytime (13, the banner profile), both families.
# Sourced after lib.sh.  stock_up NS starts them in namespace NS (their
# pids go to tc_pids, so tc_cleanup stops them); stock_services prints the
# run options that name them.

stock_up() {
	ns=$1
	for b in lighttpd inetd; do
		[ -x "/usr/sbin/$b" ] ||
		    tc_fail "$b is missing (scripts/install-deps.sh installs it)"
	done
	mkdir -p "$tc_tmp/www"
	printf 'tcpconform lab page\n' >"$tc_tmp/www/index.html"
	cat >"$tc_tmp/lighttpd.conf" <<CONF
server.document-root = "$tc_tmp/www"
server.port = 80
server.bind = "0.0.0.0"
\$SERVER["socket"] == "[::]:80" { }
server.pid-file = "$tc_tmp/lighttpd.pid"
server.errorlog = "$tc_tmp/lighttpd.err"
index-file.names = ( "index.html" )
CONF
	tc_bg "$ns" "$tc_tmp/lighttpd.log" /usr/sbin/lighttpd -D \
	    -f "$tc_tmp/lighttpd.conf"
	cat >"$tc_tmp/inetd.conf" <<CONF
echo	stream	tcp	nowait	root	internal
discard	stream	tcp	nowait	root	internal
daytime	stream	tcp	nowait	root	internal
CONF
	tc_bg "$ns" "$tc_tmp/inetd.log" /usr/sbin/inetd -i "$tc_tmp/inetd.conf"
	# Ready when all four ports listen in both families.
	i=0
	while [ "$(ip netns exec "$ns" ss -Hltn 2>/dev/null |
	    awk '$4 ~ /:(80|7|9|13)$/' | wc -l)" -lt 8 ]; do
		i=$((i + 1))
		[ $i -le 100 ] || { ip netns exec "$ns" ss -ltn;
		    cat "$tc_tmp/lighttpd.log" "$tc_tmp/inetd.log";
		    tc_fail "lighttpd and inetd did not listen in $ns"; }
		sleep 0.05
	done
}

stock_services() {
	echo --service http:80 --service echo:7 --service discard:9 \
	    --service banner:13
}
