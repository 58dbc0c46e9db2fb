/*
 * Copyright (c) 2026 The tcpconform developers.  SPDX-License-Identifier: ISC
 *
 * case_covered.c: coverage as the fault runs measured it.  A requirement
 * is covered only when a fault of "tcpconform serve" made a case, or a
 * passive check, report it: the case failed (or warned, or found its claim
 * absent) against the fault, and names the requirement; or the passive
 * check fired with it.  tests/integration/suite.sh works that out from its
 * fault runs and fails unless cases/coverage.txt records exactly the same,
 * so the record stays true as cases come and go.  This file reads the
 * record and turns it into the two figures "tcpconform list" prints:
 *
 *   - RFC 9293's labels a peer can see on the wire (MUST-n, SHLD-n, MAY-n
 *     not marked "no" in case_cover.c: the 100 rows of the coverage map's
 *     table 1.2), covered;
 *   - the key rules of RFC 5961, 7323, 2018, 6298, 5681, 6528 and RFC 1122
 *     4.2 (the coverage map's table 1.4, 50 rows), covered.  Each row is
 *     one rule of the map; it counts as covered when one of the
 *     requirement IDs that state that rule is (RFC 9293's labels carry
 *     RFC 1122's requirements, so the RFC 1122 rows name them).
 *
 * The record: one line per covered requirement, "ID FAULT[,FAULT...]", the
 * faults whose runs reported it; '#' starts a comment.
 */
#include <stdlib.h>
#include <string.h>

#include "case.h"
#include "errmsg.h"

/*
 * The key rules: the coverage map's table 1.4, the rows of RFC 5961, 7323,
 * 2018, 6298, 5681, 6528 and RFC 1122 4.2, each with the IDs that state
 * its rule (up to four).
 */
static const struct case_key_row key_rows[] = {
	{ "RFC 5961 3.2", "RST: exact, in-window challenge, out-of-window "
	    "drop", { "RFC5961-3.2" } },
	{ "RFC 5961 4.2", "SYN in a synchronized state: challenge ACK",
	    { "RFC5961-4.2" } },
	{ "RFC 5961 5.2", "ACK acceptability (blind data injection)",
	    { "RFC5961-5.2", "MAY-12" } },
	{ "RFC 5961 7", "challenge ACK rate limiting", { "RFC5961-7" } },
	{ "RFC 7323 2.2", "WS sent only in a SYN", { "RFC7323-2.2" } },
	{ "RFC 7323 2.3", "scaling only if both SYNs had WS",
	    { "RFC7323-2.3" } },
	{ "RFC 7323 2.4", "window retraction with scaling",
	    { "RFC7323-2.4" } },
	{ "RFC 7323 3.2", "TSopt negotiated, then on every non-RST segment",
	    { "RFC7323-3.2" } },
	{ "RFC 7323 4.3", "which TSval to echo", { "RFC7323-4.3" } },
	{ "RFC 7323 5.3", "PAWS", { "RFC7323-5.3" } },
	{ "RFC 7323 5.5", "outdated timestamps after a long idle",
	    { "RFC7323-5.5" } },
	{ "RFC 2018 2", "SACK-permitted only in a SYN, only if both offered",
	    { "RFC2018-2" } },
	{ "RFC 2018 3", "SACK option format", { "RFC2018-3" } },
	{ "RFC 2018 4", "receiver: blocks for out-of-order data, newest first",
	    { "RFC2018-4" } },
	{ "RFC 2018 8", "reneging, D-SACK", { "RFC2018-8" } },
	{ "RFC 6298 2", "initial RTO, minimum RTO", { "RFC6298-2" } },
	{ "RFC 6298 3", "Karn's rule", { "RFC6298-3" } },
	{ "RFC 6298 5.4", "retransmit the earliest unacknowledged segment",
	    { "RFC6298-5" } },
	{ "RFC 6298 5.5", "exponential back-off", { "RFC6298-5.5" } },
	{ "RFC 6298 5.7", "RTO of 3 s after a SYN timed out",
	    { "RFC6298-5.7" } },
	{ "RFC 5681 3.1 (IW)", "initial window", { "RFC5681-3.1" } },
	{ "RFC 5681 3.1 (SS)", "slow start, congestion avoidance",
	    { "MUST-19" } },
	{ "RFC 5681 3.2", "fast retransmit, fast recovery",
	    { "RFC5681-3.2" } },
	{ "RFC 5681 4.1", "restart after idle", { "RFC5681-4.1" } },
	{ "RFC 5681 4.2", "ACK generation", { "RFC5681-4.2" } },
	{ "RFC 6528 3", "ISN = M + F(4-tuple, secret)",
	    { "RFC6528-3", "SHLD-1" } },
	{ "RFC 1122 4.2.2.2", "PSH on the last segment of a write",
	    { "MUST-60", "MUST-61" } },
	{ "RFC 1122 4.2.2.3", "Window field unsigned", { "MUST-1" } },
	{ "RFC 1122 4.2.2.4", "urgent pointer", { "MUST-62", "RFC6093" } },
	{ "RFC 1122 4.2.2.5", "options on any segment, unknown ones ignored",
	    { "MUST-5", "MUST-6" } },
	{ "RFC 1122 4.2.2.6", "MSS option, default 536",
	    { "RFC1122-4.2.2.6", "MUST-14", "MUST-15" } },
	{ "RFC 1122 4.2.2.7", "checksum required", { "MUST-2", "MUST-3" } },
	{ "RFC 1122 4.2.2.8", "SYN-RECEIVED to LISTEN on RST",
	    { "MUST-11" } },
	{ "RFC 1122 4.2.2.9", "clock-driven ISN", { "MUST-8" } },
	{ "RFC 1122 4.2.2.10", "simultaneous open", { "MUST-10" } },
	{ "RFC 1122 4.2.2.11", "recovery from an old duplicate SYN",
	    { "RFC9293-3.5.1" } },
	{ "RFC 1122 4.2.2.12", "RST may carry data", { "SHLD-2" } },
	{ "RFC 1122 4.2.2.13", "closing: half-duplex close, RST, TIME-WAIT "
	    "reopen", { "RFC1122-4.2.2.13", "SHLD-3", "MAY-2" } },
	{ "RFC 1122 4.2.2.15", "retransmission timeout", { "MUST-18" } },
	{ "RFC 1122 4.2.2.16", "managing the window (no shrinking)",
	    { "SHLD-14" } },
	{ "RFC 1122 4.2.2.17", "probing zero windows",
	    { "RFC1122-4.2.2.17", "MUST-35", "MUST-36", "MUST-37" } },
	{ "RFC 1122 4.2.2.19", "TTL", { "MUST-49" } },
	{ "RFC 1122 4.2.2.20", "event processing",
	    { "RFC1122-4.2.2.20", "SHLD-31" } },
	{ "RFC 1122 4.2.2.21", "acknowledging queued segments",
	    { "MUST-58", "MUST-59", "MAY-13" } },
	{ "RFC 1122 4.2.3.2", "when to send an ACK",
	    { "RFC1122-4.2.3.2", "MUST-40", "SHLD-18", "SHLD-19" } },
	{ "RFC 1122 4.2.3.3", "window updates (receiver SWS)",
	    { "MUST-39" } },
	{ "RFC 1122 4.2.3.4", "when to send data (Nagle, sender SWS)",
	    { "MUST-38", "SHLD-7" } },
	{ "RFC 1122 4.2.3.5", "connection failures (R1, R2)",
	    { "MUST-20", "MUST-22", "MUST-23", "SHLD-11" } },
	{ "RFC 1122 4.2.3.6", "keep-alives",
	    { "RFC1122-4.2.3.6", "MUST-26", "MUST-28", "SHLD-12" } },
	{ "RFC 1122 4.2.3.9", "ICMP messages",
	    { "MUST-54", "MUST-55", "MUST-56", "SHLD-26" } },
};
#define NKEY	(sizeof(key_rows) / sizeof(key_rows[0]))

static int	covered(char *const *, size_t, const char *);

const struct case_key_row *
case_key_rows(size_t *n)
{
	*n = NKEY;
	return key_rows;
}

static int
covered(char *const *ids, size_t n, const char *id)
{
	size_t i;

	for (i = 0; id != NULL && i < n; i++)
		if (strcmp(ids[i], id) == 0)
			return 1;
	return 0;
}

/*
 * Read a record: the IDs of its lines, in order, into *ids (free each and
 * the array).  A line that is not "ID FAULT[,FAULT...]" is an error.
 */
int
case_covered_parse(const char *buf, size_t len, char ***ids, size_t *n,
    char **err)
{
	const char *p = buf, *end = buf + len, *nl, *sp;
	char **v = NULL;
	size_t k = 0;
	int line = 0;

	while (p < end) {
		line++;
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		if (nl > p && *p != '#') {
			sp = memchr(p, ' ', (size_t)(nl - p));
			if (sp == NULL || sp == p || sp + 1 >= nl ||
			    memchr(sp + 1, ' ', (size_t)(nl - sp - 1)) != NULL) {
				while (k > 0)
					free(v[--k]);
				free(v);
				return tc_seterr(err, "line %d: not \"ID "
				    "FAULT[,FAULT...]\"", line);
			}
			v = xreallocarray(v, k + 1, sizeof(*v));
			v[k] = xmalloc((size_t)(sp - p) + 1);
			memcpy(v[k], p, (size_t)(sp - p));
			v[k++][sp - p] = '\0';
		}
		p = nl + 1;
	}
	*ids = v;
	*n = k;
	return 0;
}

void
case_covered_figs(char *const *ids, size_t n, struct case_figs *f)
{
	const struct case_req *all;
	size_t nall, i;
	int j, any;

	memset(f, 0, sizeof(*f));
	all = case_req_all(&nall);
	for (i = 0; i < nall; i++) {
		if (strcmp(all[i].rfc, "RFC 9293") != 0 ||
		    strncmp(all[i].id, "RFC", 3) == 0 ||
		    strncmp(all[i].id, "REC-", 4) == 0 ||
		    case_req_wire(&all[i]) == CASE_WIRE_NO)
			continue;
		f->rfc9293_total++;
		if (covered(ids, n, all[i].id))
			f->rfc9293_covered++;
	}
	for (i = 0; i < NKEY; i++) {
		f->key_total++;
		for (j = 0, any = 0; j < CASE_KEY_IDS && !any; j++)
			any = covered(ids, n, key_rows[i].ids[j]);
		if (any)
			f->key_covered++;
	}
}
