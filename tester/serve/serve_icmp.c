/*
 * Copyright (c) 2026 The tcpconform developers.  SPDX-License-Identifier: ISC
 *
 * serve_icmp.c: what the target does with an ICMP or ICMPv6 error that a
 * router (or an attacker) sends about one of its connections, and the
 * faults that do it wrong.
 *
 * RFC 9293 3.9.2.2 (after RFC 1122 4.2.3.9): act on the error, routed to
 * the connection its quoted TCP header names (MUST-54); ignore Source
 * Quench (MUST-55, RFC 6633); never abort on a soft error, Destination
 * Unreachable codes 0, 1 and 5, Time Exceeded and Parameter Problem and
 * their ICMPv6 equivalents (MUST-56); abort on a hard error, codes 2 to 4
 * (SHLD-26).  RFC 5927 narrows the last: the quoted sequence number must
 * be one in flight, SND.UNA =< SEG.SEQ < SND.NXT (4.1), and a hard error
 * in a synchronized state may be taken as a soft one (7.2, which RFC 1122
 * 4.2.3.9's "SHOULD abort" allows), since a blind attacker can forge it.
 * The target does what Linux does without IP_RECVERR: a hard error aborts
 * SYN-SENT and SYN-RECEIVED, and only there.  A soft error is kept for the
 * application (SHLD-25) in the log.  Packet Too Big (RFC 8201) and
 * fragmentation needed (RFC 1191) lower the connection's segment size to
 * what the MTU they carry lets through, and what is in flight goes again.
 */
#include <sys/types.h>
#include <sys/socket.h>

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "seq.h"
#include "serve_int.h"
#include "tcp_fsm.h"

enum icmp_class {
	IC_IGNORE,		/* not an error TCP acts on */
	IC_QUENCH,		/* Source Quench: ignored (MUST-55) */
	IC_SOFT,
	IC_HARD,
	IC_TOOBIG,		/* path MTU: the segment size falls */
};

static enum icmp_class classify(int family, uint8_t type, uint8_t code,
		    int *err);
static void	act(struct serve *, struct tcb *, enum icmp_class, int err,
		    uint32_t mtu, const char *what);
static int	any_conn(struct serve *, struct tcb *, enum icmp_class,
		    int err, uint32_t mtu, const char *what);
static void	say(const struct serve *, const char *, ...)
		    __attribute__((format(printf, 2, 3)));

static uint16_t
get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t
get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}

static void
say(const struct serve *sv, const char *fmt, ...)
{
	va_list ap;

	if (sv->cfg.log == NULL)
		return;
	fputs("serve: icmp: ", sv->cfg.log);
	va_start(ap, fmt);
	vfprintf(sv->cfg.log, fmt, ap);
	va_end(ap);
	fputc('\n', sv->cfg.log);
}

/*
 * RFC 1122 4.2.3.9 and RFC 9293 3.9.2.2 for IPv4; for ICMPv6 (RFC 4443),
 * the equivalents: no route (1/0) and address unreachable (1/3) are soft
 * like net and host unreachable, Time Exceeded and Parameter Problem are
 * soft, except "unrecognized Next Header" (4/1), ICMPv6's protocol
 * unreachable; port unreachable (1/4) is hard.  Administratively
 * prohibited (3/13, 1/1) is not in RFC 1122's list: soft, so never fatal.
 */
static enum icmp_class
classify(int family, uint8_t type, uint8_t code, int *err)
{
	*err = EHOSTUNREACH;
	if (family == AF_INET) {
		switch (type) {
		case 3:
			if (code == 2 || code == 3) {
				*err = code == 3 ? ECONNREFUSED : ENOPROTOOPT;
				return IC_HARD;
			}
			/* 4: fragmentation needed, the path MTU (RFC 1191). */
			return code == 4 ? IC_TOOBIG : IC_SOFT;
		case 4:
			return IC_QUENCH;
		case 11:
		case 12:
			return IC_SOFT;
		default:
			return IC_IGNORE;
		}
	}
	switch (type) {
	case 1:
		if (code == 4) {
			*err = ECONNREFUSED;
			return IC_HARD;
		}
		return IC_SOFT;
	case 3:
		return IC_SOFT;
	case 4:
		if (code == 1) {
			*err = ENOPROTOOPT;
			return IC_HARD;
		}
		return IC_SOFT;
	case 2:
		return IC_TOOBIG;	/* Packet Too Big (RFC 8201) */
	default:
		return IC_IGNORE;
	}
}

int
serve_icmp_input(struct serve *sv, const uint8_t *d, size_t len,
    uint64_t now)
{
	int v4 = sv->cfg.family == AF_INET, err;
	size_t hl, ihl, alen = v4 ? 4 : 16;
	const uint8_t *icmp, *q, *th;
	struct tcp_tuple t;
	struct tcb *tp;
	enum icmp_class cl;
	uint32_t seq, mtu;
	char what[48];

	if (now > sv->now)
		sv->now = now;
	/* The outer header, then the ICMP header's eight octets. */
	hl = v4 ? (size_t)(d[0] & 0x0f) * 4 : 40;
	if ((v4 && hl < 20) || len < hl + 8)
		return 0;
	icmp = d + hl;
	q = icmp + 8;
	/* The quote: an IP header of ours, TCP, and eight octets of the
	 * TCP header at least (RFC 792, RFC 4443 2.4 (c), RFC 5927 4). */
	if (v4) {
		if (len < hl + 8 + 20 || (q[0] >> 4) != 4)
			return 0;
		ihl = (size_t)(q[0] & 0x0f) * 4;
		if (ihl < 20 || q[9] != 6 || len < hl + 8 + ihl + 8)
			return 0;
	} else {
		ihl = 40;
		if (len < hl + 8 + ihl + 8 || (q[0] >> 4) != 6 || q[6] != 6)
			return 0;
	}
	th = q + ihl;
	if (memcmp(q + (v4 ? 12 : 8), sv->cfg.addr, alen) != 0)
		return 0;
	snprintf(what, sizeof(what), "type %u code %u", icmp[0], icmp[1]);
	cl = classify(sv->cfg.family, icmp[0], icmp[1], &err);
	/* RFC 1191 4: the next-hop MTU in the low 16 bits; RFC 4443 3.2. */
	mtu = v4 ? get16(icmp + 6) : get32(icmp + 4);
	serve_tuple(sv, &t, get16(th), q + (v4 ? 16 : 24), get16(th + 2));
	seq = get32(th + 4);
	if ((tp = tcp_lookup(sv->st, &t)) == NULL || tp->state == TCPS_LISTEN)
		return 0;
	/* RFC 5927 4.1: only an error about a segment in flight counts. */
	if (!(seq_ge(seq, tp->snd_una) && seq_lt(seq, tp->snd_max))) {
		if (!FAULT_ON(sv, SF_ICMP_NO_SEQ_CHECK)) {
			say(sv, "%s: seq %u outside SND.UNA %u .. SND.NXT %u: "
			    "ignored", what, seq, tp->snd_una, tp->snd_max);
			return 0;
		}
		serve_fault_note(sv, SF_ICMP_NO_SEQ_CHECK, "%s: seq %u outside"
		    " SND.UNA %u .. SND.NXT %u taken", what, seq,
		    tp->snd_una, tp->snd_max);
	}
	if (FAULT_ON(sv, SF_ICMP_ANY_CONN))
		return any_conn(sv, tp, cl, err, mtu, what);
	act(sv, tp, cl, err, mtu, what);
	return 1;
}

/*
 * icmp-any-conn: the error is taken by every connection to the same host,
 * as a stack that routed errors by address alone would.
 */
static int
any_conn(struct serve *sv, struct tcb *tp, enum icmp_class cl, int err,
    uint32_t mtu, const char *what)
{
	struct tcb *v[16];
	struct serve_conn *c;
	size_t alen = sv->cfg.family == AF_INET6 ? 16 : 4;
	int i, n = 0;

	v[n++] = tp;
	for (c = sv->conns; c != NULL && n < 16; c = c->next)
		if (c->tcb != NULL && c->tcb != tp && !c->listener &&
		    c->tcb->state != TCPS_LISTEN &&
		    memcmp(c->tuple.raddr, tp->tuple.raddr, alen) == 0) {
			serve_fault_note(sv, SF_ICMP_ANY_CONN, "%s about port "
			    "%u taken by the connection of port %u too", what,
			    tp->tuple.lport, c->tcb->tuple.lport);
			v[n++] = c->tcb;
		}
	/* Hold none: act() may delete; the list was taken first. */
	for (i = 0; i < n; i++)
		act(sv, v[i], cl, err, mtu, what);
	return 1;
}

static void
act(struct serve *sv, struct tcb *tp, enum icmp_class cl, int err,
    uint32_t mtu, const char *what)
{
	struct serve_conn *c = serve_conn_of(tp);
	int abort_it = 0;

	switch (cl) {
	case IC_IGNORE:
		say(sv, "%s: not acted on", what);
		return;
	case IC_TOOBIG:
		if (mtu == 0) {
			/* A router from before RFC 1191: no MTU to go by. */
			say(sv, "%s: no next-hop MTU: not acted on", what);
			return;
		}
		if (FAULT_ON(sv, SF_ICMP_PTB_IGNORED)) {
			serve_fault_note(sv, SF_ICMP_PTB_IGNORED, "%s: MTU %u "
			    "ignored", what, mtu);
			return;
		}
		say(sv, "%s: path MTU %u: %s", what, mtu, tcp_pmtu(tp, mtu) ?
		    "segments shrink, the data in flight goes again" :
		    "no smaller than the segments already");
		return;
	case IC_QUENCH:
		if (FAULT_ON(sv, SF_ICMP_QUENCH_ABORTS)) {
			serve_fault_note(sv, SF_ICMP_QUENCH_ABORTS, "%s: "
			    "Source Quench aborts the connection", what);
			abort_it = 1;
		} else
			say(sv, "%s: Source Quench ignored", what);
		break;
	case IC_SOFT:
		if (FAULT_ON(sv, SF_ICMP_SOFT_ABORTS)) {
			serve_fault_note(sv, SF_ICMP_SOFT_ABORTS, "%s: a soft "
			    "error aborts the connection", what);
			abort_it = 1;
		} else
			say(sv, "%s: soft error, kept for the application",
			    what);
		break;
	case IC_HARD:
		/* The handshake done: synchronized in RFC 5927's sense. */
		if (tcps_have_established(tp->state)) {
			say(sv, "%s: hard error in a synchronized state, "
			    "taken as soft (RFC 5927 7.2)", what);
			break;
		}
		if (FAULT_ON(sv, SF_ICMP_HARD_IGNORED)) {
			serve_fault_note(sv, SF_ICMP_HARD_IGNORED, "%s: hard "
			    "error ignored", what);
			break;
		}
		say(sv, "%s: hard error: connection aborted", what);
		abort_it = 1;
		break;
	}
	if (!abort_it)
		return;
	if (c != NULL && c->error == 0)
		c->error = err;
	tcp_abort(tp);
}
