#!/bin/sh
# Copyright (c) 2026 The tcpconform developers.  SPDX-License-Identifier: ISC
#
# services.sh: the audit of a server with no agent (README's "audit my
# server", as scripts/audit-lab.sh rehearses it):
#   1. the whole catalogue against lighttpd and inetd's echo, discard and
#      daytime in a lab namespace, over veth, as a remote host, with four
#      --service options, both families of the host as two targets: at
#      least 20 cases run, each of the five seed families among them,
#      every one passes; the cases that need the agent are not
#      applicable, and the headline says so, and so is the one whose
#      behaviour lighttpd's lingering close prevents (with that reason);
#   2. --loopback against a service that listens on IPv4 only: IPv4 runs,
#      IPv6 is skipped with the reason, on the terminal and in results.json.
set -eu
. "$(dirname "$0")/lib.sh"

tc_init "tcv$$"
tcbin=${BUILDDIR:-.}/tcpconform
[ -x "$tcbin" ] || tc_fail "$tcbin not built (make)"
for b in /usr/sbin/lighttpd /usr/sbin/inetd; do
	[ -x "$b" ] || tc_fail "$b is missing (scripts/install-deps.sh)"
done

# verdicts DIR: "id verdict" for each case of DIR/results.json (its own
# fields, indented ten spaces: not those of its requirements or of the
# attempts a retried case lists).
verdicts() {
	awk '/^          "id":/ { sub(/.*"id": "/, ""); sub(/".*/, "");
	    id = $0 }
	    /^          "verdict":/ { sub(/.*"verdict": "/, ""); sub(/".*/, "");
	    print id, $0 }' "$1/results.json"
}

# 1. The audit, as the README shows it.
st=0
TC_BIN=$(cd "${BUILDDIR:-.}" && pwd) TC_OUT=$tc_tmp/audit timeout 600 \
    sh "$srcdir/scripts/audit-lab.sh" --no-progress >"$tc_tmp/audit.log" \
    2>&1 || st=$?
[ "$st" -eq 0 ] || { cat "$tc_tmp/audit.log"; tc_fail "audit-lab.sh:" \
    "exit status $st"; }
verdicts "$tc_tmp/audit" >"$tc_tmp/audit.v"
ran=$(awk '$2 != "not-applicable"' "$tc_tmp/audit.v")
bad=$(echo "$ran" | awk '$2 != "pass" && $2 != "info"')
[ -z "$bad" ] || { cat "$tc_tmp/audit.log"; tc_fail "audit: $bad"; }
n=$(echo "$ran" | wc -l)
[ "$n" -ge 20 ] || tc_fail "audit: only $n cases ran"
for fam in handshake close half-close simultaneous-close rst-unread; do
	echo "$ran" | grep -q "^$fam/.* pass" ||
	    tc_fail "audit: no case of $fam ran"
done
# Every case that did not run needs the agent, or is intrusive (a remote
# audit is safe by default: no --intrusive), and says so.
nna=$(grep -c '"verdict": "not-applicable"' "$tc_tmp/audit/results.json")
nagent=$(grep -A1 '"verdict": "not-applicable"' \
    "$tc_tmp/audit/results.json" | grep -c '"reason": "needs the agent')
nintr=$(grep -A1 '"verdict": "not-applicable"' \
    "$tc_tmp/audit/results.json" | grep -c '"reason": "intrusive: ')
# lighttpd drains what follows its response (a lingering close), so
# rst-unread/http-unread-at-close ran and is not applicable on both targets,
# with that reason; nothing else ran to no verdict.
nling=$(grep -A1 '"verdict": "not-applicable"' \
    "$tc_tmp/audit/results.json" | grep -c '"reason": "the server.s application reads after its FIN (a lingering close')
[ "$nling" -eq 2 ] || tc_fail "audit: rst-unread/http-unread-at-close" \
    "is not applicable with lighttpd's lingering close on $nling of 2 targets"
[ "$nna" -eq $((nagent + nintr + nling)) ] ||
    tc_fail "audit: $((nna - nagent - nintr - nling)) cases did not run, yet" \
    "need no agent, are not intrusive and were not kept from their" \
    "behaviour by the server's application"
[ "$nintr" -gt 0 ] && grep -q "cases ran; .* are intrusive (--intrusive)" \
    "$tc_tmp/audit.log" ||
    { cat "$tc_tmp/audit.log"; tc_fail "audit: the intrusive cases ran" \
    "without --intrusive, or the headline does not count them"; }
# Both families of the dual-stack lab host, each a target of its own.
[ "$(grep -c '"name": "target ' "$tc_tmp/audit/results.json")" -eq 2 ] &&
    grep -q '"name": "target 2001:db8::2"' "$tc_tmp/audit/results.json" ||
    tc_fail "audit: not the two targets 198.18.0.2 and 2001:db8::2"
[ -d "$tc_tmp/audit/pcaps/t2-v6" ] || tc_fail "audit: no pcaps/t2-v6"
# "Run it again" on a case page names that page's target and the services.
grep -rlq -- "run --target 2001:db8::2 --remote --service http:80 --service echo:7 --service discard:9 --service banner:13" \
    "$tc_tmp/audit" --include='*.html' ||
    tc_fail "audit: no case page reruns 2001:db8::2 with its services"
grep -q "cases ran; .* need the agent" "$tc_tmp/audit.log" ||
    { cat "$tc_tmp/audit.log"; tc_fail "audit: the headline does not" \
    "say what needs the agent"; }
tc_pass "audit of lighttpd and inetd, both families, no agent: $n results, every" \
    "seed family among them, all pass; the others need the agent"

# 2. --loopback, a service on IPv4 only: IPv6 is skipped, and says why.
lo=$tc_lab-lo
tc_bg "$lo" "$tc_tmp/v4only.log" socat TCP4-LISTEN:8081,bind=127.0.0.1,fork \
    SYSTEM:cat
i=0
until ip netns exec "$lo" ss -Hltn | grep -q ':8081 '; do
	i=$((i + 1))
	[ $i -le 100 ] || tc_fail "socat did not listen"
	sleep 0.05
done
st=0
ip netns exec "$lo" "$tcbin" run --loopback --service echo:8081 \
    --no-progress -o "$tc_tmp/v4only" \
    "$srcdir/cases/half-close/echo-after-our-fin.case" \
    >"$tc_tmp/run.log" 2>&1 || st=$?
[ "$st" -eq 0 ] || { cat "$tc_tmp/run.log"; tc_fail "IPv4-only service:" \
    "exit status $st"; }
grep -q "IPv6 skipped: ::1 refused a connection on port 8081 with RST" \
    "$tc_tmp/run.log" || { cat "$tc_tmp/run.log"; tc_fail "no word on" \
    "why IPv6 was skipped"; }
grep -q '"skipped IPv6": "::1 refused' "$tc_tmp/v4only/results.json" ||
    tc_fail "results.json does not say why IPv6 was skipped"
[ "$(verdicts "$tc_tmp/v4only")" = "half-close/echo-after-our-fin pass" ] ||
    tc_fail "IPv4-only service: $(verdicts "$tc_tmp/v4only")"
[ "$(grep -c '"family": ' "$tc_tmp/v4only/results.json")" -eq 1 ] ||
    tc_fail "IPv4-only service: not one target in the results"
tc_pass "--loopback, a service on IPv4 only: IPv4 runs, IPv6 is skipped" \
    "and says why"
