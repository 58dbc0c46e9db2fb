/*
 * Copyright (c) 2026 The tcpconform developers.  SPDX-License-Identifier: ISC
 *
 * run_agentst.c: agent statements ("agent listen", "agent close", ...): the
 * request each one sends to tcpconform-agent, and what its reply does to
 * the connection's handles; check_agent_reply() judges the reply against
 * the "= RESULT" the case wrote.
 *
 * Requests are asynchronous: the case blocks on the reply while the event
 * loop keeps the peer running, since the target's socket call (accept, a
 * read of data still to come) often waits for the peer.  After an agent
 * statement, the next relative time counts from the reply for calls that
 * wait on the target (accept, read), and from the request for the others
 * (connect, close, shutdown, write, ...), whose effect on the wire may come
 * before their reply does.  "agent connect" never waits for the handshake
 * (its timeout is the target's connect(2) timeout): the case's own lines
 * may have to answer the target's SYN.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "errmsg.h"
#include "run_int.h"
#include "hex.h"

static int	handle_of(const struct rconn *);
static int	ag_fail(struct rcase *, const struct case_stmt *, const char *,
		    ...) __attribute__((format(printf, 3, 4)));
static int	ag_write(struct rcase *, const struct case_stmt *, int, int);
static int	ag_apply(struct rcase *, const struct case_stmt *,
		    struct check_agent *, struct agent_read_result *,
		    struct agent_write_result *);
static int	ag_result(struct rcase *, const struct case_stmt *);
static int	blocking_op(const struct case_stmt *);
static int	slow_answer(const struct rcase *);

/* Send one request line; the reply comes to rcase_agent_poll(). */
int
ragent_request(struct rcase *rc, const char *fmt, ...)
{
	char *line, *err = NULL;
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = vasprintf(&line, fmt, ap);
	va_end(ap);
	if (r < 0)
		abort();
	r = rc->rn->agops->send(rc->agent, line, &err);
	free(line);
	if (r == -1) {
		rcase_finish(rc, FIND_ERROR, "agent: %s",
		    err != NULL ? err : "request failed");
		free(err);
		return -1;
	}
	rc->ag_busy = 1;
	rc->ag_sent = runner_now(rc->rn);
	rc->ag_have = 0;
	return 0;
}

/* Collect a reply, if one came. */
void
rcase_agent_poll(struct rcase *rc)
{
	char *err = NULL;
	int r;

	if (rc->done || !rc->ag_busy || rc->agent == NULL)
		return;
	r = rc->rn->agops->recv(rc->agent, &rc->ag_reply, &err);
	if (r == 0)
		return;
	rc->ag_busy = 0;
	if (r == -1) {
		rcase_finish(rc, FIND_ERROR, "agent "
		    "unreachable mid-case: %s", err != NULL ? err : "?");
		free(err);
		return;
	}
	rc->ag_have = 1;
	rc->ag_t = runner_now(rc->rn);
	rc->dirty = 1;
}

static int
handle_of(const struct rconn *c)
{
	return c->ag_sock != 0 ? c->ag_sock : c->ag_listen;
}

static int
ag_fail(struct rcase *rc, const struct case_stmt *st, const char *fmt, ...)
{
	char *msg;
	va_list ap;

	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) < 0)
		msg = NULL;
	va_end(ap);
	rcase_fail(rc, st, FIND_ERROR, "%s", msg != NULL ? msg : "?");
	free(msg);
	return RS_END;
}

/* WRITE N, or WRITEHEX for given bytes (they must fit in one line). */
static int
ag_write(struct rcase *rc, const struct case_stmt *st, int h, int tmo)
{
	const struct case_data *d = &st->u.agent.data;
	char *hex;
	int r;

	if (d->bytes == NULL)
		return ragent_request(rc, "WRITE %d %u timeout=%d", h, d->count,
		    tmo);
	if ((size_t)d->count * 2 + 64 > AGENT_LINE_MAX) {
		ag_fail(rc, st, "%u bytes are too many for one agent request; "
		    "write a count instead", d->count);
		return -1;
	}
	hex = xmalloc((size_t)d->count * 2 + 1);
	hex_encode(hex, d->bytes, d->count);
	r = ragent_request(rc, "WRITEHEX %d %s timeout=%d", h, hex, tmo);
	free(hex);
	return r;
}

int
ragent_begin(struct rcase *rc, const struct case_stmt *st)
{
	const struct case_agent *a = &st->u.agent;
	struct rconn *c = &rc->conns[st->conn];
	static const char *const how[] = { "rd", "wr", "rdwr" };
	int h = handle_of(c), fam = rc->rn->tgt.family == AF_INET ? 4 : 6;
	int tmo = st->timeout >= 0 ? (int)(st->timeout / 1000) :
	    AGENT_TIMEOUT_DEFAULT, r;
	char addr[64];

	if (rc->agent == NULL)
		return ag_fail(rc, st, "an agent statement, but no agent");
	if (h == 0 && a->op == CASE_AG_RCVBUF) {
		/* Before "agent listen": the listener gets it, so that the
		 * SYN-ACK's window and window scale follow it. */
		c->ag_rcvbuf = a->value;
		return RS_DONE;
	}
	if (h == 0 && a->op != CASE_AG_LISTEN && a->op != CASE_AG_CONNECT)
		return ag_fail(rc, st, "no target socket yet on this "
		    "connection (\"agent listen\" or \"agent connect\" "
		    "first)");
	switch (a->op) {
	case CASE_AG_LISTEN:
		if (c->ag_rcvbuf != 0)
			r = ragent_request(rc, "LISTEN %d 0 backlog=8 rcvbuf=%u",
			    fam, c->ag_rcvbuf);
		else
			r = ragent_request(rc, "LISTEN %d 0 backlog=8", fam);
		break;
	case CASE_AG_CONNECT:
		seg_addr_str(c->tuple.family, c->tuple.laddr, addr,
		    sizeof(addr));
		if (c->ag_rcvbuf != 0)
			r = ragent_request(rc, "CONNECT %s %u timeout=%d wait=0 "
			    "rcvbuf=%u", addr, c->tuple.lport, tmo,
			    c->ag_rcvbuf);
		else
			r = ragent_request(rc, "CONNECT %s %u timeout=%d wait=0",
			    addr, c->tuple.lport, tmo);
		break;
	case CASE_AG_ACCEPT:
		r = ragent_request(rc, "ACCEPT %d timeout=%d", c->ag_listen,
		    tmo);
		break;
	case CASE_AG_READ:
		/* "all" is what is queued now; with a timeout, what comes
		 * first within it (data, the end, or an error such as a
		 * reset still on its way to a remote target). */
		if (a->read.mode == CASE_RD_ALL)
			r = ragent_request(rc, "READ %d %u mode=some "
			    "timeout=%d", h, 1U << 20, st->timeout >= 0 ?
			    tmo : 0);
		else
			r = ragent_request(rc, "READ %d %lu mode=full "
			    "timeout=%d", h, a->read.mode == CASE_RD_EOF ?
			    AGENT_READ_MAX : (unsigned long)a->read.count, tmo);
		break;
	case CASE_AG_WRITE:
		r = ag_write(rc, st, h, tmo);
		break;
	case CASE_AG_SHUTDOWN:
		r = ragent_request(rc, "SHUTDOWN %d %s", h, how[a->how]);
		break;
	case CASE_AG_CLOSE:
		r = ragent_request(rc, "CLOSE %d", h);
		break;
	case CASE_AG_LINGER:
		r = a->linger_on ? ragent_request(rc, "LINGER %d on %u", h,
		    a->value) : ragent_request(rc, "LINGER %d off", h);
		break;
	case CASE_AG_RCVBUF:
		r = ragent_request(rc, "RCVBUF %d %u", h, a->value);
		break;
	case CASE_AG_NODELAY:
		r = ragent_request(rc, "NODELAY %d %u", h, a->value);
		break;
	case CASE_AG_KEEPALIVE:
		r = a->value != 0 ? ragent_request(rc, "KEEPALIVE %d %u", h,
		    a->value) : ragent_request(rc, "KEEPALIVE %d off", h);
		break;
	case CASE_AG_URGENT:
		r = ragent_request(rc, "URGENT %d %u", h, a->value);
		break;
	default:
		return ag_fail(rc, st, "unknown agent action");
	}
	if (r == -1)
		return RS_END;
	rc->deadline = rc->rn->now + (uint64_t)tmo * 1000 +
	    RUN_AGENT_TIMEOUT_MS * 1000ULL;
	rc->wait_for = RW_AGENT;
	rc->wake = rc->deadline;
	return RS_BLOCK;
}

/* Calls that wait on the target's socket: time counts from the reply. */
static int
blocking_op(const struct case_stmt *st)
{
	const struct case_agent *a = &st->u.agent;

	return a->op == CASE_AG_ACCEPT || a->op == CASE_AG_READ;
}

int
ragent_check(struct rcase *rc, const struct case_stmt *st)
{
	if (!rc->ag_have) {
		if (rc->rn->now < rc->deadline) {
			rc->wake = rc->deadline;
			return RS_BLOCK;
		}
		rcase_trouble(rc, RUN_TR_AGENT);
		rcase_finish(rc, FIND_ERROR, "line %d: the "
		    "agent did not answer in time", st->loc.line);
		return RS_END;
	}
	rc->ag_have = 0;
	if (!blocking_op(st) && slow_answer(rc))
		rcase_trouble(rc, RUN_TR_AGENT);
	rc->tprev = blocking_op(st) ? rc->ag_t : rc->act_cur;
	return ag_result(rc, st);
}

/*
 * The answer to a request that does not wait (write, close, shutdown)
 * came late: the request, or the answer, took a while on the control
 * connection (a segment of it lost and sent again, 200 ms on), so the
 * target's application acted later than the line's time, where the case
 * counts from.  What the target did meanwhile (a loss probe that sends
 * data it held, a retransmission) may fall where the next line forbids
 * it: a failure there is tried again (rcase_end()), and a target that
 * fails it every time still fails every attempt.
 */
static int
slow_answer(const struct rcase *rc)
{
	uint64_t lim = 2 * (uint64_t)rc->rn->tol.late_us +
	    (uint64_t)rc->rn->tol.abs_us;

	if (lim < RUN_AGENT_SLOW_US)
		lim = RUN_AGENT_SLOW_US;
	return rc->ag_t > rc->ag_sent && rc->ag_t - rc->ag_sent > lim;
}

/*
 * What the reply did: the handles and port it gives the connection, and
 * for a read or write its count and end, into o.  -1: the reply could not
 * be read (the attempt ended with an error).
 */
static int
ag_apply(struct rcase *rc, const struct case_stmt *st, struct check_agent *o,
    struct agent_read_result *rd, struct agent_write_result *wr)
{
	const struct case_agent *a = &st->u.agent;
	struct rconn *c = &rc->conns[st->conn];
	struct agent_endpoints ep;
	char *err = NULL;
	int h, end = AGENT_END_NONE;

	switch (a->op) {
	case CASE_AG_LISTEN:
	case CASE_AG_ACCEPT:
	case CASE_AG_CONNECT:
		if (agent_reply_endpoints(&rc->ag_reply, &h, &ep, &err) == -1)
			break;
		if (a->op == CASE_AG_LISTEN) {
			int i;

			c->ag_listen = h;
			c->tuple.rport = ep.port;
			c->rport_set = 1;
			/* A connection with no port yet connects to this
			 * listener too (several in its accept queue). */
			for (i = 0; i < rc->nconns; i++)
				if (!rc->conns[i].rport_set) {
					rc->conns[i].tuple.rport = ep.port;
					rc->conns[i].rport_set = 1;
				}
		} else
			c->ag_sock = h;
		return 0;
	case CASE_AG_READ:
		if (agent_reply_read(&rc->ag_reply, rd, &err) == -1)
			break;
		o->n = rd->count;
		end = rd->end;
		o->end_errname = rd->errname;
		goto rw;
	case CASE_AG_WRITE:
		if (agent_reply_write(&rc->ag_reply, wr, &err) == -1)
			break;
		o->n = wr->count;
		end = wr->end;
		o->end_errname = wr->errname;
		goto rw;
	case CASE_AG_CLOSE:
		if (c->ag_sock != 0)
			c->ag_sock = 0;
		else
			c->ag_listen = 0;
		return 0;
	default:
		return 0;
	}
	ag_fail(rc, st, "the agent's reply: %s", err != NULL ? err : "?");
	free(err);
	return -1;
rw:
	o->rw = 1;
	o->end_name = agent_end_name(end);
	o->end_eof = end == AGENT_END_EOF;
	o->end_error = end == AGENT_END_ERROR;
	return 0;
}

/* A reply: what it did, then check_agent_reply() against "= RESULT". */
static int
ag_result(struct rcase *rc, const struct case_stmt *st)
{
	const struct agent_reply *r = &rc->ag_reply;
	struct agent_read_result rd;
	struct agent_write_result wr;
	struct check_agent o;
	struct finding f;

	memset(&o, 0, sizeof(o));
	o.ok = r->ok;
	o.errname = r->errname;
	o.text = r->text;
	if (r->ok && ag_apply(rc, st, &o, &rd, &wr) == -1)
		return RS_END;
	if (check_agent_reply(rc->prog, st, &o, &f) == CHECK_OK)
		return RS_DONE;
	rcase_record(rc, &f);
	return RS_END;
}
