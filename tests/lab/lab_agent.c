/*
 * Copyright (c) 2026 The tcpconform developers.  SPDX-License-Identifier: ISC
 *
 * lab_agent.c: the agent control protocol (agent_proto.h) over a back end
 * (lab_agent.h), for the lab targets of the tests.  It answers as
 * tcpconform-agent does, request by request: requests are parsed and
 * replies formatted by the agent's own agent_req.c; a request that must wait
 * (ACCEPT, CONNECT, a foreground READ or WRITE, POLL) parks in the control
 * connection's wait and the loop finishes it, so that one waiting case
 * never stops the others.
 *
 * This is the lab's private copy of the dispatch while tcpconform-agent and
 * the fault target have their own; it is meant to go once the shared
 * protocol engine exists, the back end (struct lab_be) staying as it is.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lab_agent.h"

#ifndef PACKAGE_VERSION
#define PACKAGE_VERSION	"unknown"
#endif

#define CTL_MAX		64		/* control connections at once */
#define OUT_MAX		(4 * AGENT_REPLY_MAX)
#define IO_CHUNK	16384
#define IO_BURST	16

struct lio {
	int		 active;
	int		 fg;
	int		 mode;
	size_t		 want;
	size_t		 done;
	int		 end;
	int		 error;
	uint64_t	 sum;
	int64_t		 deadline;
	const unsigned char *data;	/* WRITEHEX bytes; NULL: the pattern */
};

struct lhandle {
	int		 s;		/* -1: free */
	int		 listening;
	uint64_t	 wpos;
	struct lio	 rd;
	struct lio	 wr;
};

struct lctl {
	int		 s;
	char		 name[64];
	char		 in[AGENT_LINE_MAX];
	size_t		 inlen;
	int		 overlong;
	int		 peer_eof;
	int		 dead;
	int		 hello;
	int		 closing;
	char		 out[OUT_MAX];
	size_t		 outlen;
	size_t		 outoff;
	struct lhandle	 h[AGENT_MAX_HANDLES + 1];
	struct {
		enum agent_verb	verb;
		int		handle;
		short		events;
		int64_t		deadline;
	} wait;
	struct agent_req req;
	unsigned char	 rdata[AGENT_HEX_MAX];
	size_t		 rdatalen;
};

struct lab_agent {
	const struct lab_agent_cfg *cfg;
	const struct lab_be *be;
	struct lctl	*ctl[CTL_MAX];
	int		 nctl;
};

static int64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void
put(struct lab_agent *ag, struct lctl *c, const char *line, size_t len)
{
	if (ag->cfg->verbose)
		fprintf(stderr, "lab agent: %s < %.*s", c->name, (int)len,
		    line);
	if (len > sizeof(c->out) - c->outlen)
		len = sizeof(c->out) - c->outlen;
	memcpy(c->out + c->outlen, line, len);
	c->outlen += len;
}

static void reply_ok(struct lab_agent *, struct lctl *, const char *, ...)
    __attribute__((format(printf, 3, 4)));
static void reply_err(struct lab_agent *, struct lctl *, int, const char *,
    ...) __attribute__((format(printf, 4, 5)));

static void
reply_ok(struct lab_agent *ag, struct lctl *c, const char *fmt, ...)
{
	char body[AGENT_REPLY_MAX], line[AGENT_REPLY_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(body, sizeof(body), fmt, ap);
	va_end(ap);
	put(ag, c, line, agent_fmt_ok(line, sizeof(line), "%s", body));
}

static void
reply_err(struct lab_agent *ag, struct lctl *c, int code, const char *fmt,
    ...)
{
	char body[AGENT_MSG_MAX], line[AGENT_REPLY_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(body, sizeof(body), fmt, ap);
	va_end(ap);
	put(ag, c, line, agent_fmt_err(line, sizeof(line), code, "%s", body));
}

static void
reply_e(struct lab_agent *ag, struct lctl *c, const struct agent_err *e)
{
	reply_err(ag, c, e->code, "%s", e->msg);
}

static void
reply_io(struct lab_agent *ag, struct lctl *c, const struct lio *io,
    int is_read)
{
	struct agent_io_report r;
	char line[AGENT_REPLY_MAX];

	memset(&r, 0, sizeof(r));
	r.is_read = is_read;
	r.n = io->done;
	r.end = io->end;
	r.error = io->error;
	r.sum = io->sum;
	r.data = c->rdata;
	r.datalen = io->fg ? c->rdatalen : 0;
	put(ag, c, line, agent_fmt_io(line, sizeof(line), &r));
}

/* " addr=A port=P [peer=A peerport=P]" of handle h into body. */
static void
fmt_names(struct lab_agent *ag, const struct lhandle *hd, char *body,
    size_t size)
{
	struct sockaddr_storage ss;

	if (ag->be->sockname(hd->s, 0, &ss) == 0)
		agent_fmt_sockaddr(body, size, "addr", "port",
		    (struct sockaddr *)&ss);
	if (!hd->listening && ag->be->sockname(hd->s, 1, &ss) == 0)
		agent_fmt_sockaddr(body, size, "peer", "peerport",
		    (struct sockaddr *)&ss);
}

static void
reply_handle(struct lab_agent *ag, struct lctl *c, int h, int inprogress)
{
	char body[AGENT_REPLY_MAX];

	snprintf(body, sizeof(body), "handle=%d", h);
	fmt_names(ag, &c->h[h], body, sizeof(body));
	if (inprogress >= 0)
		snprintf(body + strlen(body), sizeof(body) - strlen(body),
		    " inprogress=%d", inprogress);
	reply_ok(ag, c, "%s", body);
}

static struct lhandle *
get(struct lab_agent *ag, struct lctl *c, int h, int listening)
{
	struct lhandle *hd = &c->h[h];

	if (hd->s == -1) {
		reply_err(ag, c, EBADF, "handle %d is not open", h);
		return NULL;
	}
	if (listening == 1 && !hd->listening) {
		reply_err(ag, c, EINVAL, "handle %d is not listening", h);
		return NULL;
	}
	if (listening == 0 && hd->listening) {
		reply_err(ag, c, EINVAL, "handle %d is a listening socket", h);
		return NULL;
	}
	return hd;
}

static int
hnew(struct lab_agent *ag, struct lctl *c, int s, int listening)
{
	int h;

	for (h = 1; h <= AGENT_MAX_HANDLES; h++)
		if (c->h[h].s == -1) {
			c->h[h].s = s;
			c->h[h].listening = listening;
			return h;
		}
	ag->be->close(s);
	reply_err(ag, c, EMFILE, "all %d handles are in use",
	    AGENT_MAX_HANDLES);
	return -1;
}

static void
hfree(struct lab_agent *ag, struct lctl *c, int h)
{
	if (c->h[h].s != -1)
		ag->be->close(c->h[h].s);
	memset(&c->h[h], 0, sizeof(c->h[h]));
	c->h[h].s = -1;
}

static void
do_hello(struct lab_agent *ag, struct lctl *c, const struct agent_req *r)
{
	if (r->version != AGENT_PROTO_VERSION) {
		reply_err(ag, c, EPROTONOSUPPORT, "protocol version %d is "
		    "not supported; this agent speaks %d", r->version,
		    AGENT_PROTO_VERSION);
		return;
	}
	c->hello = 1;
	reply_ok(ag, c, "version=%d agent=%s/%s os=%s handles=%d linemax=%d "
	    "hexmax=%d", AGENT_PROTO_VERSION, ag->be->name, PACKAGE_VERSION,
	    ag->be->os, AGENT_MAX_HANDLES, AGENT_LINE_MAX, AGENT_HEX_MAX);
}

static void
do_listen(struct lab_agent *ag, struct lctl *c, const struct agent_req *r)
{
	struct agent_err e;
	int s, h;

	if (r->port != 0 && r->port == ag->cfg->ctl_port) {
		reply_err(ag, c, EACCES, "port %u is the agent's control port",
		    r->port);
		return;
	}
	if (ag->be->listen(r, &s, &e) == -1) {
		reply_e(ag, c, &e);
		return;
	}
	if ((h = hnew(ag, c, s, 1)) != -1)
		reply_handle(ag, c, h, -1);
}

/* 1: accepted (or failed) and answered; 0: nothing queued yet. */
static int
try_accept(struct lab_agent *ag, struct lctl *c, int lh)
{
	struct agent_err e;
	int s, h, rc;

	if ((rc = ag->be->accept(c->h[lh].s, &s, NULL, &e)) == 0)
		return 0;
	if (rc == -1)
		reply_e(ag, c, &e);
	else if ((h = hnew(ag, c, s, 0)) != -1)
		reply_handle(ag, c, h, -1);
	return 1;
}

static void
do_accept(struct lab_agent *ag, struct lctl *c, const struct agent_req *r)
{
	if (get(ag, c, r->handle, 1) == NULL || try_accept(ag, c, r->handle))
		return;
	c->wait.verb = AV_ACCEPT;
	c->wait.handle = r->handle;
	c->wait.deadline = now_ms() + r->timeout_ms;
}

static void
do_connect(struct lab_agent *ag, struct lctl *c, const struct agent_req *r)
{
	struct agent_err e;
	int s, h, inprogress;

	if (r->port == ag->cfg->ctl_port || r->lport == ag->cfg->ctl_port) {
		reply_err(ag, c, EACCES, "port %u is the agent's control port",
		    ag->cfg->ctl_port);
		return;
	}
	if (ag->be->connect(r, &s, &inprogress, &e) == -1) {
		reply_e(ag, c, &e);
		return;
	}
	if ((h = hnew(ag, c, s, 0)) == -1)
		return;
	if (!inprogress || !r->wait) {
		reply_handle(ag, c, h, inprogress);
		return;
	}
	c->wait.verb = AV_CONNECT;
	c->wait.handle = h;
	c->wait.deadline = now_ms() + r->timeout_ms;
}

static void
connect_done(struct lab_agent *ag, struct lctl *c, int h)
{
	struct agent_err e;

	c->wait.verb = AV_NONE;
	if (ag->be->connect_result(c->h[h].s, &e) == -1) {
		reply_e(ag, c, &e);
		hfree(ag, c, h);
		return;
	}
	reply_handle(ag, c, h, 0);
}

static int
ended(struct lio *io, int end)
{
	io->end = end;
	return 1;
}

/* 1 when the read has ended, 0 to wait for more. */
static int
io_read(struct lab_agent *ag, struct lctl *c, struct lhandle *hd,
    struct lio *io)
{
	unsigned char buf[IO_CHUNK];
	size_t want, keep;
	ssize_t n;
	int i, err;

	for (i = 0; i < IO_BURST; i++) {
		if (io->done == io->want)
			return ended(io, AGENT_END_COUNT);
		want = io->want - io->done;
		n = ag->be->read(hd->s, buf, want < sizeof(buf) ? want :
		    sizeof(buf), &err);
		if (n == 0)
			return ended(io, AGENT_END_EOF);
		if (n < 0 && (err == EAGAIN || err == EWOULDBLOCK)) {
			if (io->mode == AGENT_READ_SOME && io->done > 0)
				return ended(io, AGENT_END_DRAINED);
			return 0;
		}
		if (n < 0) {
			io->error = err;
			return ended(io, AGENT_END_ERROR);
		}
		io->sum = agent_sum(io->sum, buf, (size_t)n);
		if (io->fg && c->rdatalen < AGENT_HEX_MAX) {
			keep = AGENT_HEX_MAX - c->rdatalen;
			keep = (size_t)n < keep ? (size_t)n : keep;
			memcpy(c->rdata + c->rdatalen, buf, keep);
			c->rdatalen += keep;
		}
		io->done += (size_t)n;
	}
	return io->done == io->want ? ended(io, AGENT_END_COUNT) : 0;
}

static int
io_write(struct lab_agent *ag, struct lhandle *hd, struct lio *io)
{
	unsigned char buf[IO_CHUNK];
	const unsigned char *src;
	size_t chunk, i;
	ssize_t n;
	int burst, err;

	for (burst = 0; burst < IO_BURST; burst++) {
		if (io->done == io->want)
			return ended(io, AGENT_END_COUNT);
		chunk = io->want - io->done;
		if (chunk > sizeof(buf))
			chunk = sizeof(buf);
		if (io->data != NULL)
			src = io->data + io->done;
		else {
			for (i = 0; i < chunk; i++)
				buf[i] = agent_pattern_byte(hd->wpos + i);
			src = buf;
		}
		n = ag->be->write(hd->s, src, chunk, &err);
		if (n < 0 && (err == EAGAIN || err == EWOULDBLOCK))
			return 0;
		if (n < 0) {
			io->error = err;
			return ended(io, AGENT_END_ERROR);
		}
		io->done += (size_t)n;
		hd->wpos += (uint64_t)n;
	}
	return io->done == io->want ? ended(io, AGENT_END_COUNT) : 0;
}

static void
io_finish(struct lab_agent *ag, struct lctl *c, struct lio *io, int end,
    int is_read)
{
	if (end != AGENT_END_NONE)
		io->end = end;
	io->active = 0;
	io->data = NULL;
	if (io->fg) {
		reply_io(ag, c, io, is_read);
		c->wait.verb = AV_NONE;
	}
}

static void
io_progress(struct lab_agent *ag, struct lctl *c, int h, struct lio *io)
{
	struct lhandle *hd = &c->h[h];
	int is_read = io == &hd->rd;

	if (!io->active)
		return;
	if (is_read ? io_read(ag, c, hd, io) : io_write(ag, hd, io))
		io_finish(ag, c, io, AGENT_END_NONE, is_read);
	else if (io->fg) {
		c->wait.verb = is_read ? AV_READ : AV_WRITE;
		c->wait.handle = h;
		c->wait.deadline = io->deadline;
	}
}

static void
do_io(struct lab_agent *ag, struct lctl *c, const struct agent_req *r)
{
	struct lhandle *hd;
	struct lio *io;

	if ((hd = get(ag, c, r->handle, 0)) == NULL)
		return;
	io = r->verb == AV_READ ? &hd->rd : &hd->wr;
	if (io->active) {
		reply_err(ag, c, EBUSY, "handle %d: a background %s is "
		    "running", r->handle, r->verb == AV_READ ? "read" :
		    "write");
		return;
	}
	memset(io, 0, sizeof(*io));
	io->active = 1;
	io->fg = !r->bg;
	io->mode = r->mode;
	io->want = r->count;
	io->sum = AGENT_SUM_INIT;
	io->deadline = now_ms() + r->timeout_ms;
	io->data = r->verb == AV_WRITEHEX ? r->data : NULL;
	if (io == &hd->rd)
		c->rdatalen = 0;
	io_progress(ag, c, r->handle, io);
	if (r->bg)
		reply_io(ag, c, io, io == &hd->rd);
}

static void
do_setopt(struct lab_agent *ag, struct lctl *c, const struct agent_req *r)
{
	struct lhandle *hd;
	struct agent_err e;
	int got, rc, opt;

	if ((hd = get(ag, c, r->handle, r->verb == AV_NODELAY ? 0 : -1)) ==
	    NULL)
		return;
	switch (r->verb) {
	case AV_SHUTDOWN:
		rc = ag->be->shutdown(hd->s, r->how, &e);
		break;
	case AV_LINGER:
		rc = ag->be->linger(hd->s, r->on, r->seconds, &e);
		break;
	case AV_NODELAY:
		rc = ag->be->nodelay(hd->s, r->on, &e);
		break;
	default:
		opt = r->verb == AV_RCVBUF ? SO_RCVBUF : SO_SNDBUF;
		if (ag->be->setbuf(hd->s, opt, r->size, &got, &e) == -1) {
			reply_e(ag, c, &e);
			return;
		}
		reply_ok(ag, c, "%s=%d", opt == SO_RCVBUF ? "rcvbuf" :
		    "sndbuf", got);
		return;
	}
	if (rc == -1)
		reply_e(ag, c, &e);
	else
		reply_ok(ag, c, "%s", "");
}

static void
status_io(char *buf, size_t size, const char *key, const struct lio *io,
    int is_read)
{
	size_t len = strlen(buf);

	if (io->fg || (!io->active && io->end == AGENT_END_NONE)) {
		snprintf(buf + len, size - len, " %s=none", key);
		return;
	}
	snprintf(buf + len, size - len, " %s=%s %s_n=%zu", key,
	    io->active ? "running" : agent_end_name(io->end), key, io->done);
	len = strlen(buf);
	if (is_read)
		snprintf(buf + len, size - len, " %s_sum=%016" PRIx64, key,
		    io->sum);
	len = strlen(buf);
	if (io->end == AGENT_END_ERROR)
		snprintf(buf + len, size - len, " %s_errno=%s", key,
		    agent_errno_name(io->error));
}

static void
do_status(struct lab_agent *ag, struct lctl *c, const struct agent_req *r)
{
	struct lab_sockinfo si;
	struct lhandle *hd;
	char body[AGENT_REPLY_MAX];

	if ((hd = get(ag, c, r->handle, -1)) == NULL)
		return;
	snprintf(body, sizeof(body), "handle=%d kind=%s", r->handle,
	    hd->listening ? "listen" : "stream");
	fmt_names(ag, hd, body, sizeof(body));
	ag->be->info(hd->s, &si);
	snprintf(body + strlen(body), sizeof(body) - strlen(body),
	    " rcvbuf=%d sndbuf=%d unread=%d", si.rcvbuf, si.sndbuf,
	    hd->listening ? 0 : si.unread);
	if (si.state[0] != '\0')
		snprintf(body + strlen(body), sizeof(body) - strlen(body),
		    " state=%s", si.state);
	if (!hd->listening) {
		status_io(body, sizeof(body), "bgread", &hd->rd, 1);
		status_io(body, sizeof(body), "bgwrite", &hd->wr, 0);
	}
	reply_ok(ag, c, "%s", body);
}

static void
poll_done(struct lab_agent *ag, struct lctl *c, short revents)
{
	char body[64] = "";

	c->wait.verb = AV_NONE;
	if (revents & POLLIN)
		strcat(body, ",in");
	if (revents & POLLOUT)
		strcat(body, ",out");
	if (revents & POLLHUP)
		strcat(body, ",hup");
	if (revents & POLLERR)
		strcat(body, ",err");
	reply_ok(ag, c, "revents=%s", body[0] != '\0' ? body + 1 : "none");
}

static void
do_poll(struct lab_agent *ag, struct lctl *c, const struct agent_req *r)
{
	struct pollfd p;
	struct lhandle *hd;

	if ((hd = get(ag, c, r->handle, -1)) == NULL)
		return;
	p.fd = hd->s;
	p.events = (short)r->events;
	p.revents = 0;
	if (ag->be->poll(&p, 1, 0) == -1) {
		reply_err(ag, c, errno, "poll: %s", strerror(errno));
		return;
	}
	if (p.revents != 0 || r->timeout_ms == 0) {
		poll_done(ag, c, p.revents);
		return;
	}
	c->wait.verb = AV_POLL;
	c->wait.handle = r->handle;
	c->wait.events = p.events;
	c->wait.deadline = now_ms() + r->timeout_ms;
}

static void
request(struct lab_agent *ag, struct lctl *c, const char *line, size_t len)
{
	struct agent_req *r = &c->req;
	struct agent_err e;

	if (agent_req_parse(line, len, r, &e) == -1) {
		reply_e(ag, c, &e);
		return;
	}
	if (!c->hello && r->verb != AV_HELLO && r->verb != AV_QUIT) {
		reply_err(ag, c, EPROTO, "send HELLO %d first",
		    AGENT_PROTO_VERSION);
		return;
	}
	switch (r->verb) {
	case AV_HELLO:
		do_hello(ag, c, r);
		break;
	case AV_LISTEN:
		do_listen(ag, c, r);
		break;
	case AV_ACCEPT:
		do_accept(ag, c, r);
		break;
	case AV_CONNECT:
		do_connect(ag, c, r);
		break;
	case AV_READ:
	case AV_WRITE:
	case AV_WRITEHEX:
		do_io(ag, c, r);
		break;
	case AV_CLOSE:
		if (get(ag, c, r->handle, -1) != NULL) {
			hfree(ag, c, r->handle);
			reply_ok(ag, c, "%s", "");
		}
		break;
	case AV_STATUS:
		do_status(ag, c, r);
		break;
	case AV_POLL:
		do_poll(ag, c, r);
		break;
	case AV_QUIT:
		reply_ok(ag, c, "bye");
		c->closing = 1;
		break;
	default:
		do_setopt(ag, c, r);
		break;
	}
}

/* What to poll handle h for. */
static short
pollevents(const struct lctl *c, int h)
{
	const struct lhandle *hd = &c->h[h];
	short ev = 0;

	if (hd->s == -1)
		return 0;
	if (hd->rd.active)
		ev |= POLLIN;
	if (hd->wr.active)
		ev |= POLLOUT;
	if (c->wait.verb != AV_NONE && c->wait.handle == h) {
		if (c->wait.verb == AV_ACCEPT)
			ev |= POLLIN;
		else if (c->wait.verb == AV_CONNECT)
			ev |= POLLOUT;
		else if (c->wait.verb == AV_POLL)
			ev |= c->wait.events;
	}
	return ev;
}

static void
events(struct lab_agent *ag, struct lctl *c, int h, short rev)
{
	struct lhandle *hd = &c->h[h];
	short hup = rev & (POLLHUP | POLLERR | POLLNVAL);

	if (c->wait.verb == AV_POLL && c->wait.handle == h &&
	    (rev & (c->wait.events | POLLHUP | POLLERR | POLLNVAL)))
		poll_done(ag, c, rev & (short)(c->wait.events | POLLHUP |
		    POLLERR | POLLNVAL));
	else if (c->wait.verb == AV_ACCEPT && c->wait.handle == h &&
	    ((rev & POLLIN) || hup)) {
		if (try_accept(ag, c, h))
			c->wait.verb = AV_NONE;
	} else if (c->wait.verb == AV_CONNECT && c->wait.handle == h &&
	    ((rev & POLLOUT) || hup))
		connect_done(ag, c, h);
	if (hd->s != -1 && hd->rd.active && ((rev & POLLIN) || hup))
		io_progress(ag, c, h, &hd->rd);
	if (hd->s != -1 && hd->wr.active && ((rev & POLLOUT) || hup))
		io_progress(ag, c, h, &hd->wr);
}

static void
timers(struct lab_agent *ag, struct lctl *c, int64_t now)
{
	struct lhandle *hd;
	int h;

	for (h = 1; h <= AGENT_MAX_HANDLES; h++) {
		hd = &c->h[h];
		if (hd->rd.active && now >= hd->rd.deadline)
			io_finish(ag, c, &hd->rd, AGENT_END_TIMEOUT, 1);
		if (hd->wr.active && now >= hd->wr.deadline)
			io_finish(ag, c, &hd->wr, AGENT_END_TIMEOUT, 0);
	}
	if (c->wait.verb == AV_NONE || now < c->wait.deadline)
		return;
	h = c->wait.handle;
	switch (c->wait.verb) {
	case AV_ACCEPT:
		c->wait.verb = AV_NONE;
		reply_err(ag, c, ETIMEDOUT, "no connection to accept on "
		    "handle %d", h);
		break;
	case AV_CONNECT:
		c->wait.verb = AV_NONE;
		reply_err(ag, c, ETIMEDOUT, "connect: no answer in time");
		hfree(ag, c, h);
		break;
	case AV_POLL:
		poll_done(ag, c, 0);
		break;
	default:
		break;
	}
}

static int64_t
deadline(const struct lctl *c)
{
	int64_t d = INT64_MAX;
	int h;

	for (h = 1; h <= AGENT_MAX_HANDLES; h++) {
		if (c->h[h].rd.active && c->h[h].rd.deadline < d)
			d = c->h[h].rd.deadline;
		if (c->h[h].wr.active && c->h[h].wr.deadline < d)
			d = c->h[h].wr.deadline;
	}
	if (c->wait.verb != AV_NONE && c->wait.deadline < d)
		d = c->wait.deadline;
	return d;
}

static int
busy(const struct lctl *c)
{
	return c->wait.verb != AV_NONE;
}

/* A new control connection on listening socket ls. */
static void
ctl_accept(struct lab_agent *ag, int ls)
{
	struct sockaddr_storage ss;
	struct agent_err e;
	struct lctl *c;
	char line[AGENT_REPLY_MAX];
	size_t n;
	int s, h, err;

	memset(&ss, 0, sizeof(ss));
	if (ag->be->accept(ls, &s, &ss, &e) != 1)
		return;
	if (!ag->cfg->trusted(&ss) || ag->nctl == CTL_MAX ||
	    (c = calloc(1, sizeof(*c))) == NULL) {
		n = agent_fmt_err(line, sizeof(line), EACCES, "control "
		    "connection refused (not trusted, or too many)");
		(void)ag->be->write(s, line, n, &err);
		ag->be->close(s);
		return;
	}
	c->s = s;
	agent_fmt_sockaddr(c->name, sizeof(c->name), "from", "port",
	    (struct sockaddr *)&ss);
	for (h = 0; h <= AGENT_MAX_HANDLES; h++)
		c->h[h].s = -1;
	c->wait.verb = AV_NONE;
	ag->ctl[ag->nctl++] = c;
	if (ag->cfg->verbose)
		fprintf(stderr, "lab agent: control connection%s\n", c->name);
}

static void
ctl_free(struct lab_agent *ag, int i)
{
	struct lctl *c = ag->ctl[i];
	int h;

	for (h = 1; h <= AGENT_MAX_HANDLES; h++)
		hfree(ag, c, h);
	ag->be->close(c->s);
	free(c);
	ag->ctl[i] = ag->ctl[--ag->nctl];
}

static void
ctl_input(struct lab_agent *ag, struct lctl *c)
{
	ssize_t n;
	int err;

	if (c->overlong || c->inlen == sizeof(c->in)) {
		c->overlong = 1;
		c->inlen = 0;
	}
	n = ag->be->read(c->s, c->in + c->inlen, sizeof(c->in) - c->inlen,
	    &err);
	if (n == 0)
		c->peer_eof = 1;
	else if (n < 0 && err != EAGAIN && err != EWOULDBLOCK && err != EINTR)
		c->dead = 1;
	else if (n > 0)
		c->inlen += (size_t)n;
}

static void
ctl_output(struct lab_agent *ag, struct lctl *c)
{
	ssize_t n;
	int err;

	if (c->outoff == c->outlen)
		return;
	n = ag->be->write(c->s, c->out + c->outoff, c->outlen - c->outoff,
	    &err);
	if (n < 0 && err != EAGAIN && err != EWOULDBLOCK && err != EINTR)
		c->dead = 1;
	else if (n > 0)
		c->outoff += (size_t)n;
	if (c->outoff == c->outlen)
		c->outoff = c->outlen = 0;
}

static void
ctl_drain(struct lab_agent *ag, struct lctl *c)
{
	char reply[AGENT_REPLY_MAX], *lf;
	size_t len;

	while (!busy(c) && !c->closing &&
	    sizeof(c->out) - c->outlen >= AGENT_REPLY_MAX) {
		if ((lf = memchr(c->in, '\n', c->inlen)) == NULL)
			break;
		len = (size_t)(lf - c->in);
		if (c->overlong) {
			c->overlong = 0;
			put(ag, c, reply, agent_fmt_err(reply, sizeof(reply),
			    E2BIG, "request longer than %d bytes",
			    AGENT_LINE_MAX - 1));
		} else {
			if (len > 0 && c->in[len - 1] == '\r')
				len--;
			if (ag->cfg->verbose)
				fprintf(stderr, "lab agent: %s > %.*s\n",
				    c->name, (int)len, c->in);
			request(ag, c, c->in, len);
		}
		c->inlen -= (size_t)(lf - c->in) + 1;
		memmove(c->in, lf + 1, c->inlen);
	}
	if (c->peer_eof && !busy(c) && memchr(c->in, '\n', c->inlen) == NULL)
		c->closing = 1;
}

struct slot {
	struct lctl	*c;	/* NULL: a control listener */
	int		 h;	/* 0: the control connection itself */
};

static int
poll_build(struct lab_agent *ag, struct pollfd *pfd, struct slot *slot)
{
	struct lctl *c;
	short ev;
	int i, h, n = 0;

	for (i = 0; i < 2; i++) {
		if (ag->cfg->ctl_listen[i] == -1)
			continue;
		pfd[n].fd = ag->cfg->ctl_listen[i];
		pfd[n].events = POLLIN;
		slot[n].c = NULL;
		slot[n++].h = 0;
	}
	for (i = 0; i < ag->nctl; i++) {
		c = ag->ctl[i];
		ev = 0;
		if (c->outlen > c->outoff)
			ev = POLLOUT;
		else if (!busy(c) && !c->peer_eof && !c->closing)
			ev = POLLIN;
		pfd[n].fd = c->s;
		pfd[n].events = ev;
		slot[n].c = c;
		slot[n++].h = 0;
		for (h = 1; h <= AGENT_MAX_HANDLES; h++) {
			if ((ev = pollevents(c, h)) == 0)
				continue;
			pfd[n].fd = c->h[h].s;
			pfd[n].events = ev;
			slot[n].c = c;
			slot[n++].h = h;
		}
	}
	for (i = 0; i < n; i++)
		pfd[i].revents = 0;
	return n;
}

static void
poll_dispatch(struct lab_agent *ag, struct pollfd *pfd, struct slot *slot,
    int n)
{
	struct lctl *c;
	short rev;
	int k;

	for (k = 0; k < n; k++) {
		if ((rev = pfd[k].revents) == 0)
			continue;
		c = slot[k].c;
		if (c == NULL)
			ctl_accept(ag, pfd[k].fd);
		else if (slot[k].h != 0) {
			if (c->h[slot[k].h].s == pfd[k].fd)
				events(ag, c, slot[k].h, rev);
		} else if (rev & POLLOUT)
			ctl_output(ag, c);
		else if (rev & POLLIN)
			ctl_input(ag, c);
		else if (rev & (POLLERR | POLLHUP | POLLNVAL))
			c->dead = 1;
	}
}

static void
sweep(struct lab_agent *ag)
{
	struct lctl *c;
	int64_t now = now_ms();
	int i;

	for (i = 0; i < ag->nctl; i++) {
		c = ag->ctl[i];
		timers(ag, c, now);
		ctl_drain(ag, c);
		ctl_output(ag, c);
		if (c->dead || (c->closing && c->outlen == 0))
			ctl_free(ag, i--);
	}
}

static int
poll_timeout(struct lab_agent *ag)
{
	int64_t now = now_ms(), d = now + 200, t;
	int i;

	/* At most 200 ms, so that a stop request is seen. */
	for (i = 0; i < ag->nctl; i++)
		if ((t = deadline(ag->ctl[i])) < d)
			d = t;
	return d <= now ? 0 : (int)(d - now);
}

int
lab_agent_serve(const struct lab_agent_cfg *cfg)
{
	struct lab_agent ag;
	struct pollfd *pfd;
	struct slot *slot;
	size_t max = 2 + CTL_MAX * (AGENT_MAX_HANDLES + 1);
	int n, rc = 0;

	memset(&ag, 0, sizeof(ag));
	ag.cfg = cfg;
	ag.be = cfg->be;
	pfd = calloc(max, sizeof(*pfd));
	slot = calloc(max, sizeof(*slot));
	if (pfd == NULL || slot == NULL)
		rc = -1;
	while (rc == 0 && !*cfg->stop) {
		n = poll_build(&ag, pfd, slot);
		if (ag.be->poll(pfd, (nfds_t)n, poll_timeout(&ag)) == -1 &&
		    errno != EINTR) {
			fprintf(stderr, "lab agent: poll: %s\n",
			    strerror(errno));
			rc = -1;
			break;
		}
		poll_dispatch(&ag, pfd, slot, n);
		sweep(&ag);
	}
	while (ag.nctl > 0)
		ctl_free(&ag, 0);
	free(pfd);
	free(slot);
	return rc;
}
