# Copyright (c) 2026 The tcpconform developers.  SPDX-License-Identifier: ISC
#
# lib.sh: shared helpers of the integration tests (sourced, not run).  Each
# test makes its own lab of network namespaces with scripts/lab.sh under a
# name unique to its process, and removes it and every process it started
# on every exit path.
#
# Run by "make check" from the build directory, where automake exports
# srcdir; run by hand, the paths are found from the script's location and
# BUILDDIR (default: the current directory).

tc_name=${0##*/}
tc_pids=
tc_lab=
tc_labs=
tc_tmp=

tc_fail() {
	echo "FAIL: $tc_name: $*"
	exit 1
}

tc_pass() {
	echo "PASS: $*"
}

tc_note() {
	echo "  $*"
}

# tc_check_schema: every results.json the test wrote (anywhere under
# tc_tmp) is valid against the published schema, reports/results.schema.json
# (python3-jsonschema); a note, not a failure, when jsonschema is missing.
tc_check_schema() {
	[ -n "$tc_tmp" ] && [ -d "$tc_tmp" ] || return 0
	[ -n "$(find "$tc_tmp" -name results.json -type f | head -1)" ] ||
	    return 0
	py=python3
	if ! python3 -c 'import jsonschema' 2>/dev/null &&
	    /usr/bin/python3 -c 'import jsonschema' 2>/dev/null; then
		py=/usr/bin/python3
	fi
	st=0
	find "$tc_tmp" -name results.json -type f -exec "$py" \
	    "$srcdir/tests/report/check_schema.py" \
	    "$srcdir/reports/results.schema.json" {} + >"$tc_tmp/schema.log" \
	    2>&1 || st=$?
	case $st in
	0)	;;
	77)	tc_note "python3-jsonschema missing: results.json not validated" ;;
	*)	cat "$tc_tmp/schema.log"
		echo "FAIL: $tc_name: a results.json does not follow" \
		    "reports/results.schema.json"
		return 1 ;;
	esac
}

tc_cleanup() {
	tc_schema_st=0
	tc_check_schema || tc_schema_st=1
	for p in $tc_pids; do
		kill "$p" 2>/dev/null || true
	done
	# The labs go before the wait: lab.sh down stops what still runs
	# in them, as a run a worker of the test waits on (suite.sh).
	for l in $tc_lab $tc_labs; do
		"$tc_labsh" down "$l" >/dev/null 2>&1 || true
	done
	for p in $tc_pids; do
		wait "$p" 2>/dev/null || true
	done
	# /etc/netns/NS (files ip netns exec mounts over /etc) of a test's own
	[ -z "${tc_etc_netns:-}" ] || rm -rf "$tc_etc_netns"
	if [ -n "$tc_tmp" ]; then
		rm -rf "$tc_tmp"
	fi
	[ "$tc_schema_st" -eq 0 ] || exit 1
}

# tc_init LABNAME: skip unless root, find the programs, make the lab.
tc_init() {
	if [ "$(id -u)" -ne 0 ]; then
		echo "SKIP: $tc_name: needs root (network namespaces, raw sockets)"
		exit 77
	fi
	: "${srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
	bindir=${BUILDDIR:-.}/tests/integration
	tc_labsh=$srcdir/scripts/lab.sh
	for t in ip nft tcpdump tshark ethtool timeout; do
		command -v "$t" >/dev/null 2>&1 ||
		    tc_fail "$t is missing (scripts/install-deps.sh installs it)"
	done
	for b in wire_handshake tc_sink; do
		[ -x "$bindir/$b" ] || tc_fail "$bindir/$b not built (make)"
	done
	tc_tmp=$(mktemp -d "${TMPDIR:-/tmp}/tc-integration.XXXXXX")
	trap tc_cleanup EXIT
	trap 'exit 1' INT TERM HUP
	tc_lab=$1
	"$tc_labsh" up "$tc_lab" >"$tc_tmp/lab.log" 2>&1 ||
	    { cat "$tc_tmp/lab.log"; tc_fail "lab.sh up $tc_lab failed"; }
}

# tc_bg NS LOG CMD...: run CMD in namespace NS in the background; its pid
# (ip netns exec execs CMD) goes to tc_lastpid and the cleanup list.
tc_bg() {
	ns=$1 log=$2
	shift 2
	# Empty the log before the background job starts, not in it: a
	# tc_wait_for right after could otherwise still read the words of an
	# earlier process that wrote the same log (a "ready" that is stale).
	: >"$log"
	ip netns exec "$ns" "$@" >>"$log" 2>&1 &
	tc_lastpid=$!
	tc_pids="$tc_pids $tc_lastpid"
}

# tc_catalogue TCPCONFORM DIR [all|serve|long]: the cases of DIR not tagged
# slow (with "all", the slow ones too; with "serve", those too but for the
# ones tagged long, which wait minutes even against serve; with "long",
# only those), .case files and the cells of .matrix files alike, from
# "tcpconform list --json".  Sets tc_ncases, and writes $tc_tmp/catalogue:
# one line per case, "ID needs=a,b faults=f,g claim=NAME" (claim= empty
# for a case without one).  A run takes them as: DIR --skip-tag slow (DIR
# with "all"; DIR --skip-tag long with "serve"; DIR --tag long with
# "long").
tc_catalogue() {
	if [ "${3:-}" = all ]; then
		"$1" list --json --skip-tag passive "$2" >"$tc_tmp/catalogue.json"
	elif [ "${3:-}" = serve ]; then
		"$1" list --json --skip-tag passive --skip-tag long "$2" \
		    >"$tc_tmp/catalogue.json"
	elif [ "${3:-}" = long ]; then
		"$1" list --json --skip-tag passive --tag long "$2" \
		    >"$tc_tmp/catalogue.json"
	else
		"$1" list --json --skip-tag passive --skip-tag slow "$2" >"$tc_tmp/catalogue.json"
	fi || tc_fail "tcpconform list $2 failed"
	python3 - "$tc_tmp/catalogue.json" >"$tc_tmp/catalogue" <<-'EOF'
	import json, sys
	for c in json.load(open(sys.argv[1])):
	    print(c["id"], "needs=" + ",".join(c["needs"]),
	          "faults=" + ",".join(c["faults"]),
	          "claim=" + (c.get("claim") or ""))
	EOF
	tc_ncases=$(wc -l <"$tc_tmp/catalogue")
	[ "$tc_ncases" -gt 0 ] || tc_fail "no case in $2"
}

# tc_verdicts DIR: "id verdict" for every result in DIR/results.json (the
# writer puts one key per line).  A case that runs over one family only
# (needs ipv4, needs ipv6) is "other-family" in the other family's run, not
# "not-applicable", so that a check can take it without taking a case that
# did not run for want of an agent.
tc_verdicts() {
	awk '/^          "id":/ { sub(/.*"id": "/, ""); sub(/".*/, ""); id = $0 }
	    /^          "verdict":/ { sub(/.*"verdict": "/, ""); sub(/".*/, "");
	    v = $0 }
	    /^          "reason":/ { if (v == "not-applicable" &&
	    $0 ~ /"runs over IPv[46] only"/) v = "other-family"; print id, v }' \
	    "$1/results.json"
}

# tc_with_fault FAULT: "--name ID" for each case of the catalogue that
# names FAULT; tc_faults: every fault the catalogue names.
tc_with_fault() {
	awk -v f="$1" '{ sub(/^faults=/, "", $3); n = split($3, v, ",");
	    for (i = 1; i <= n; i++) if (v[i] == f) print "--name", $1 }' \
	    "$tc_tmp/catalogue"
}
tc_faults() {
	awk '{ sub(/^faults=/, "", $3); n = split($3, v, ",");
	    for (i = 1; i <= n; i++) if (v[i] != "") print v[i] }' \
	    "$tc_tmp/catalogue" | sort -u
}

# tc_wait_for FILE PATTERN SECONDS: wait until FILE holds PATTERN.
tc_wait_for() {
	i=0
	while ! grep -q "$2" "$1" 2>/dev/null; do
		i=$((i + 1))
		[ $i -le $(($3 * 20)) ] || return 1
		sleep 0.05
	done
}

# tc_stop PID: stop a background process and wait for it.
tc_stop() {
	kill -INT "$1" 2>/dev/null || true
	wait "$1" 2>/dev/null || true
}

# tc_sniff NS IF FILE: an independent capture (tcpdump) of all TCP on IF.
tc_sniff() {
	tc_bg "$1" "$3.log" tcpdump -i "$2" --immediate-mode -U -n -s 0 \
	    -w "$3" tcp
	tc_sniff_pid=$tc_lastpid
	tc_wait_for "$3.log" "listening on" 5 ||
	    tc_fail "tcpdump did not start on $2 in $1"
}

# tc_peer_rsts PCAP: RSTs from the peer's ports (18000-18999) in PCAP.
tc_peer_rsts() {
	tshark -r "$1" -Y "tcp.flags.reset == 1 && tcp.srcport >= 18000 &&
	    tcp.srcport <= 18999" 2>/dev/null | wc -l
}

# tc_no_table NS: the guard's table is absent from NS.
tc_no_table() {
	! ip netns exec "$1" nft list tables 2>/dev/null |
	    grep -q "table inet tcpconform"
}

# tc_same_bytes TESTER_LOG SINK_LOG: the sink read what the peer sent.
tc_same_bytes() {
	sent=$(sed -n 's/^sent \([0-9]*\) bytes fnv1a \(0x[0-9a-f]*\)$/\1 \2/p' "$1")
	got=$(sed -n 's/^received \([0-9]*\) bytes fnv1a \(0x[0-9a-f]*\)$/\1 \2/p' "$2")
	[ -n "$sent" ] && [ "$sent" = "$got" ]
}
