/*
 * Copyright (c) 2026 The tcpconform developers.  SPDX-License-Identifier: ISC
 *
 * agent_engine.c: the control protocol of the agent, once, for every back
 * end (agent_engine.h).  A request runs in request(): the handshake and
 * the handle are checked, the back end acts, and the reply is formatted
 * here.  One that must wait parks in ctl->wait (ACCEPT, CONNECT, POLL) or
 * in its handle's io (READ, WRITE); progress() retries it whenever the
 * back end says a socket may have news, and timers() ends it at its
 * deadline.  While a request waits, the next lines stay buffered: the
 * runner sees its replies in the order of its requests.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <sys/types.h>
#include <sys/socket.h>

#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agent_engine.h"

#ifndef PACKAGE_VERSION
#define PACKAGE_VERSION	"unknown"
#endif

/* A read or a write that runs until done, for a request or in background. */
struct agent_io {
	int			 active;
	int			 fg;	/* the control connection waits */
	int			 mode;	/* READ: enum agent_read_mode */
	size_t			 want;
	size_t			 done;
	int			 end;	/* enum agent_end once finished */
	int			 error;
	uint64_t		 sum;
	uint64_t		 deadline;
	const unsigned char	*data;	/* WRITEHEX bytes; NULL: pattern */
};

struct agent_handle {
	int			 open;
	int			 listening;
	union agent_sock	 s;
	uint64_t		 wpos;	/* bytes written: pattern offset */
	struct agent_io		 rd;
	struct agent_io		 wr;
};

struct agent_ctl {
	const struct agent_ops	*ops;
	void			*ctx;
	char			 in[AGENT_LINE_MAX];
	size_t			 inlen;
	int			 overlong;	/* dropping up to the next LF */
	int			 toolong;	/* E2BIG replies due first */
	int			 hello;
	int			 closing;	/* QUIT answered */
	int			 freeing;	/* no reply goes out */
	int			 running;	/* inside run(): no re-entry */
	int			 again;		/* news came meanwhile */
	/* h[0] is never used: handles count from 1. */
	struct agent_handle	 h[AGENT_MAX_HANDLES + 1];
	struct {
		enum agent_verb	 verb;		/* AV_NONE: nothing waits */
		int		 handle;
		int		 events;	/* POLL: AGENT_EV_* */
		uint64_t	 deadline;
	} wait;
	struct agent_req	 req;		/* the request being served */
	unsigned char		 rdata[AGENT_HEX_MAX];	/* a READ's first */
	size_t			 rdatalen;		/* bytes */
};

static void	reply_ok(struct agent_ctl *, const char *, ...)
		    __attribute__((format(printf, 2, 3)));
static void	reply_err(struct agent_ctl *, int, const char *, ...)
		    __attribute__((format(printf, 3, 4)));
static void	reply_e(struct agent_ctl *, const struct agent_err *);
static void	reply_io(struct agent_ctl *, const struct agent_io *, int);
static void	fmt_names(struct agent_ctl *, int, char *, size_t);
static void	reply_handle(struct agent_ctl *, int, int);
static struct agent_handle *get(struct agent_ctl *, int, int);
static int	hfind(struct agent_ctl *);
static void	hopen(struct agent_ctl *, int, union agent_sock, int);
static void	hfree(struct agent_ctl *, int);
static uint64_t	deadline_of(struct agent_ctl *, int);
static void	park(struct agent_ctl *, enum agent_verb, int, uint64_t);
static void	do_hello(struct agent_ctl *, const struct agent_req *);
static void	do_info(struct agent_ctl *);
static void	do_listen(struct agent_ctl *, const struct agent_req *);
static int	try_accept(struct agent_ctl *, int);
static void	do_accept(struct agent_ctl *, const struct agent_req *);
static void	do_connect(struct agent_ctl *, const struct agent_req *);
static int	connect_done(struct agent_ctl *, int);
static void	do_io(struct agent_ctl *, const struct agent_req *);
static int	ended(struct agent_io *, int);
static int	io_read(struct agent_ctl *, struct agent_handle *,
		    struct agent_io *);
static int	io_write(struct agent_ctl *, struct agent_handle *,
		    struct agent_io *);
static void	io_finish(struct agent_ctl *, struct agent_io *, int, int);
static void	io_progress(struct agent_ctl *, int, struct agent_io *);
static void	do_setopt(struct agent_ctl *, const struct agent_req *);
static void	status_io(char *, size_t, const char *,
		    const struct agent_io *, int);
static void	do_status(struct agent_ctl *, const struct agent_req *);
static void	poll_done(struct agent_ctl *, int);
static void	do_poll(struct agent_ctl *, const struct agent_req *);
static void	request(struct agent_ctl *, const char *, size_t);
static void	progress(struct agent_ctl *, int);
static int	next_line(struct agent_ctl *, char *, size_t *);
static int	may_serve(const struct agent_ctl *);

/*
 * Replies.
 */
static void
reply_ok(struct agent_ctl *c, const char *fmt, ...)
{
	char body[AGENT_REPLY_MAX], line[AGENT_REPLY_MAX];
	va_list ap;
	size_t n;

	va_start(ap, fmt);
	vsnprintf(body, sizeof(body), fmt, ap);
	va_end(ap);
	n = agent_fmt_ok(line, sizeof(line), "%s", body);
	if (!c->freeing)
		c->ops->reply(c->ctx, line, n);
}

static void
reply_err(struct agent_ctl *c, int code, const char *fmt, ...)
{
	char body[AGENT_MSG_MAX], line[AGENT_REPLY_MAX];
	va_list ap;
	size_t n;

	va_start(ap, fmt);
	vsnprintf(body, sizeof(body), fmt, ap);
	va_end(ap);
	n = agent_fmt_err(line, sizeof(line), code, "%s", body);
	if (!c->freeing)
		c->ops->reply(c->ctx, line, n);
}

static void
reply_e(struct agent_ctl *c, const struct agent_err *e)
{
	reply_err(c, e->code, "%s", e->msg);
}

static void
reply_io(struct agent_ctl *c, const struct agent_io *io, int is_read)
{
	struct agent_io_report r;
	char line[AGENT_REPLY_MAX];
	size_t n;

	memset(&r, 0, sizeof(r));
	r.is_read = is_read;
	r.n = io->done;
	r.end = io->end;
	r.error = io->error;
	r.sum = io->sum;
	r.data = c->rdata;
	r.datalen = io->fg ? c->rdatalen : 0;
	n = agent_fmt_io(line, sizeof(line), &r);
	if (!c->freeing)
		c->ops->reply(c->ctx, line, n);
}

/* " addr=A port=P [peer=A peerport=P]" of handle h, appended to body. */
static void
fmt_names(struct agent_ctl *c, int h, char *body, size_t size)
{
	struct sockaddr_storage local, peer;
	int got;

	memset(&local, 0, sizeof(local));
	memset(&peer, 0, sizeof(peer));
	got = c->ops->names(c->ctx, c->h[h].s, &local,
	    c->h[h].listening ? NULL : &peer);
	if (got & AGENT_NAME_LOCAL)
		agent_fmt_sockaddr(body, size, "addr", "port",
		    (struct sockaddr *)&local);
	if (!c->h[h].listening && (got & AGENT_NAME_PEER))
		agent_fmt_sockaddr(body, size, "peer", "peerport",
		    (struct sockaddr *)&peer);
}

/* "OK handle=H addr=A port=P [peer=A peerport=P] [inprogress=N]". */
static void
reply_handle(struct agent_ctl *c, int h, int inprogress)
{
	char body[AGENT_REPLY_MAX];

	snprintf(body, sizeof(body), "handle=%d", h);
	fmt_names(c, h, body, sizeof(body));
	if (inprogress >= 0)
		snprintf(body + strlen(body), sizeof(body) - strlen(body),
		    " inprogress=%d", inprogress);
	reply_ok(c, "%s", body);
}

/*
 * The handle table.
 */

/* The open handle h, listening or not as asked (-1: either); or an ERR. */
static struct agent_handle *
get(struct agent_ctl *c, int h, int listening)
{
	struct agent_handle *hd = &c->h[h];

	if (!hd->open) {
		reply_err(c, EBADF, "handle %d is not open", h);
		return NULL;
	}
	if (listening == 1 && !hd->listening) {
		reply_err(c, EINVAL, "handle %d is not listening", h);
		return NULL;
	}
	if (listening == 0 && hd->listening) {
		reply_err(c, EINVAL, "handle %d is a listening socket", h);
		return NULL;
	}
	return hd;
}

/*
 * A free handle, or an ERR.  It is looked for before the back end makes a
 * socket, so that a full table never costs a connection.
 */
static int
hfind(struct agent_ctl *c)
{
	int h;

	for (h = 1; h <= AGENT_MAX_HANDLES; h++)
		if (!c->h[h].open)
			return h;
	reply_err(c, EMFILE, "all %d handles are in use", AGENT_MAX_HANDLES);
	return -1;
}

static void
hopen(struct agent_ctl *c, int h, union agent_sock s, int listening)
{
	memset(&c->h[h], 0, sizeof(c->h[h]));
	c->h[h].open = 1;
	c->h[h].listening = listening;
	c->h[h].s = s;
}

/* close(2) of a handle; what waited on it waits no more. */
static void
hfree(struct agent_ctl *c, int h)
{
	union agent_sock s = c->h[h].s;
	int open = c->h[h].open;

	memset(&c->h[h], 0, sizeof(c->h[h]));
	if (c->wait.verb != AV_NONE && c->wait.handle == h)
		c->wait.verb = AV_NONE;
	/* The slot is free first: a back end that pokes finds it so. */
	if (open)
		c->ops->close(c->ctx, s);
}

static uint64_t
deadline_of(struct agent_ctl *c, int timeout_ms)
{
	return c->ops->now(c->ctx) + (uint64_t)timeout_ms * 1000;
}

static void
park(struct agent_ctl *c, enum agent_verb verb, int h, uint64_t deadline)
{
	c->wait.verb = verb;
	c->wait.handle = h;
	c->wait.deadline = deadline;
}

/*
 * The requests.
 */
static void
do_hello(struct agent_ctl *c, const struct agent_req *r)
{
	char os[64];
	size_t i;

	if (r->version != AGENT_PROTO_VERSION) {
		reply_err(c, EPROTONOSUPPORT, "protocol version %d is not "
		    "supported; this agent speaks %d", r->version,
		    AGENT_PROTO_VERSION);
		return;
	}
	snprintf(os, sizeof(os), "unknown");
	c->ops->os(c->ctx, os, sizeof(os));
	/* One word: key=value parsing must not split or misread it. */
	for (i = 0; os[i] != '\0'; i++)
		if (os[i] == ' ' || os[i] == '=')
			os[i] = '_';
	c->hello = 1;
	reply_ok(c, "version=%d agent=%s/%s os=%s handles=%d linemax=%d "
	    "hexmax=%d", AGENT_PROTO_VERSION, c->ops->name, PACKAGE_VERSION,
	    os, AGENT_MAX_HANDLES, AGENT_LINE_MAX, AGENT_HEX_MAX);
}

/*
 * INFO: the back end's words, each made one safe key=value: a value is
 * data read from the target's system, so whatever is not printable, a
 * blank or a second '=' becomes '_', and a word with no key is dropped.
 */
static void
do_info(struct agent_ctl *c)
{
	char buf[AGENT_INFO_MAX], out[AGENT_INFO_MAX], *w, *save = NULL;
	size_t n = 0, i, len;
	int eq;

	snprintf(buf, sizeof(buf), "os=unknown");
	c->ops->os(c->ctx, buf + 3, sizeof(buf) - 3);
	for (i = 3; buf[i] != '\0'; i++)
		if (buf[i] == ' ' || buf[i] == '=')
			buf[i] = '_';
	n = strlen(buf);
	if (c->ops->info != NULL && n + 1 < sizeof(buf)) {
		buf[n++] = ' ';
		buf[n] = '\0';
		c->ops->info(c->ctx, buf + n, sizeof(buf) - n);
	}
	n = 0;
	out[0] = '\0';
	for (w = strtok_r(buf, " \t\r\n", &save); w != NULL;
	    w = strtok_r(NULL, " \t\r\n", &save)) {
		len = strlen(w);
		if (w[0] == '=' || strchr(w, '=') == NULL ||
		    n + len + 2 > sizeof(out))
			continue;
		for (i = 0, eq = 0; i < len; i++) {
			if (w[i] == '=' && !eq)
				eq = 1;
			else if (w[i] <= ' ' || w[i] > '~' || w[i] == '=')
				w[i] = '_';
		}
		if (n > 0)
			out[n++] = ' ';
		memcpy(out + n, w, len + 1);
		n += len;
	}
	reply_ok(c, "%s", out);
}

static void
do_listen(struct agent_ctl *c, const struct agent_req *r)
{
	struct agent_err e;
	union agent_sock s;
	int h;

	if ((h = hfind(c)) == -1)
		return;
	memset(&e, 0, sizeof(e));
	if (c->ops->listen(c->ctx, r, &s, &e) == -1) {
		reply_e(c, &e);
		return;
	}
	hopen(c, h, s, 1);
	reply_handle(c, h, -1);
}

/* 1: accepted and answered (or failed); 0: nothing queued yet. */
static int
try_accept(struct agent_ctl *c, int lh)
{
	struct agent_err e;
	union agent_sock s;
	int h, rc;

	if ((h = hfind(c)) == -1)
		return 1;
	memset(&e, 0, sizeof(e));
	if ((rc = c->ops->accept(c->ctx, c->h[lh].s, &s, &e)) == 0)
		return 0;
	if (rc == -1) {
		reply_e(c, &e);
		return 1;
	}
	hopen(c, h, s, 0);
	reply_handle(c, h, -1);
	return 1;
}

static void
do_accept(struct agent_ctl *c, const struct agent_req *r)
{
	if (get(c, r->handle, 1) == NULL || try_accept(c, r->handle))
		return;
	/* timeout=0 "tries once and does not wait". */
	if (r->timeout_ms == 0) {
		reply_err(c, ETIMEDOUT, "no connection to accept on handle "
		    "%d", r->handle);
		return;
	}
	park(c, AV_ACCEPT, r->handle, deadline_of(c, r->timeout_ms));
}

static void
do_connect(struct agent_ctl *c, const struct agent_req *r)
{
	struct agent_err e;
	union agent_sock s;
	int h, inprogress = 0;

	if ((h = hfind(c)) == -1)
		return;
	memset(&e, 0, sizeof(e));
	if (c->ops->connect(c->ctx, r, &s, &inprogress, &e) == -1) {
		reply_e(c, &e);
		return;
	}
	hopen(c, h, s, 0);
	if (!inprogress || !r->wait) {
		reply_handle(c, h, inprogress);
		return;
	}
	park(c, AV_CONNECT, h, deadline_of(c, r->timeout_ms));
}

/* 1 when the handshake of handle h ended (and was answered). */
static int
connect_done(struct agent_ctl *c, int h)
{
	int rc;

	if (!c->h[h].open)
		return 1;
	if ((rc = c->ops->connected(c->ctx, c->h[h].s)) == EINPROGRESS)
		return 0;
	c->wait.verb = AV_NONE;
	if (rc != 0) {
		reply_err(c, rc, "connect: %s", strerror(rc));
		hfree(c, h);
		return 1;
	}
	reply_handle(c, h, 0);
	return 1;
}

static void
do_io(struct agent_ctl *c, const struct agent_req *r)
{
	struct agent_handle *hd;
	struct agent_io *io;
	int is_read = r->verb == AV_READ;

	if ((hd = get(c, r->handle, 0)) == NULL)
		return;
	io = is_read ? &hd->rd : &hd->wr;
	if (io->active) {
		reply_err(c, EBUSY, "handle %d: a background %s is running",
		    r->handle, is_read ? "read" : "write");
		return;
	}
	memset(io, 0, sizeof(*io));
	io->active = 1;
	io->fg = !r->bg;
	io->mode = r->mode;
	io->want = r->count;
	io->sum = AGENT_SUM_INIT;
	io->deadline = deadline_of(c, r->timeout_ms);
	io->data = r->verb == AV_WRITEHEX ? r->data : NULL;
	if (is_read)
		c->rdatalen = 0;
	if (io->fg)
		park(c, is_read ? AV_READ : AV_WRITE, r->handle, io->deadline);
	io_progress(c, r->handle, io);
	/* timeout=0 "tries once and does not wait". */
	if (io->active && r->timeout_ms == 0)
		io_finish(c, io, AGENT_END_TIMEOUT, is_read);
	/* A background activity answers now, with what it did so far. */
	if (r->bg)
		reply_io(c, io, is_read);
}

static int
ended(struct agent_io *io, int end)
{
	io->end = end;
	return 1;
}

/* Read what is queued: 1 when the read has ended, 0 to wait for more. */
static int
io_read(struct agent_ctl *c, struct agent_handle *hd, struct agent_io *io)
{
	unsigned char buf[AGENT_IO_CHUNK];
	size_t want, keep;
	ssize_t n;
	int i, err;

	for (i = 0; c->ops->io_burst == 0 || i < c->ops->io_burst; i++) {
		if (io->done == io->want)
			return ended(io, AGENT_END_COUNT);
		want = io->want - io->done;
		err = 0;
		n = c->ops->read(c->ctx, hd->s, buf, want < sizeof(buf) ?
		    want : sizeof(buf), &err);
		if (n == 0)
			return ended(io, AGENT_END_EOF);
		if (n < 0 && err == EAGAIN) {
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
		if (io->done == io->want)
			return ended(io, AGENT_END_COUNT);
	}
	return 0;
}

/* Write the pattern or the given bytes; as io_read. */
static int
io_write(struct agent_ctl *c, struct agent_handle *hd, struct agent_io *io)
{
	unsigned char buf[AGENT_IO_CHUNK];
	const unsigned char *src;
	size_t chunk, i;
	ssize_t n;
	int burst, err;

	for (burst = 0; c->ops->io_burst == 0 || burst < c->ops->io_burst;
	    burst++) {
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
		err = 0;
		n = c->ops->write(c->ctx, hd->s, src, chunk, &err);
		if (n == 0 || (n < 0 && err == EAGAIN))
			return 0;	/* the send buffer is full */
		if (n < 0) {
			io->error = err;
			return ended(io, AGENT_END_ERROR);
		}
		io->done += (size_t)n;
		hd->wpos += (uint64_t)n;
		if (io->done == io->want)
			return ended(io, AGENT_END_COUNT);
	}
	return 0;
}

static void
io_finish(struct agent_ctl *c, struct agent_io *io, int end, int is_read)
{
	if (end != AGENT_END_NONE)
		io->end = end;
	io->active = 0;
	io->data = NULL;
	if (io->fg) {
		c->wait.verb = AV_NONE;
		reply_io(c, io, is_read);
	}
}

static void
io_progress(struct agent_ctl *c, int h, struct agent_io *io)
{
	struct agent_handle *hd = &c->h[h];
	int is_read = io == &hd->rd;

	if (!io->active)
		return;
	if (is_read ? io_read(c, hd, io) : io_write(c, hd, io))
		io_finish(c, io, AGENT_END_NONE, is_read);
}

/*
 * URGENT: r->count bytes of the pattern in one send with MSG_OOB, so that
 * the last of them is the urgent byte (RFC 6093).  Not while a write runs
 * on the handle: the urgent bytes must follow what was written.
 */
static void
do_urgent(struct agent_ctl *c, const struct agent_req *r)
{
	unsigned char buf[AGENT_HEX_MAX];
	struct agent_handle *hd;
	size_t i;
	ssize_t n;
	int err = 0;

	if ((hd = get(c, r->handle, 0)) == NULL)
		return;
	if (c->ops->write_urgent == NULL) {
		reply_err(c, ENOSYS, "urgent data is not supported here");
		return;
	}
	if (hd->wr.active) {
		reply_err(c, EBUSY, "handle %d is writing", r->handle);
		return;
	}
	for (i = 0; i < r->count && i < sizeof(buf); i++)
		buf[i] = agent_pattern_byte(hd->wpos + i);
	n = c->ops->write_urgent(c->ctx, hd->s, buf, i, &err);
	if (n < 0) {
		reply_err(c, err, "send(MSG_OOB): %s", strerror(err));
		return;
	}
	hd->wpos += (uint64_t)n;
	reply_ok(c, "n=%zd", n);
}

/* SHUTDOWN, LINGER, RCVBUF, SNDBUF, NODELAY, KEEPALIVE. */
static void
do_setopt(struct agent_ctl *c, const struct agent_req *r)
{
	struct agent_handle *hd;
	struct agent_err e;
	int v = 0;

	if ((hd = get(c, r->handle, r->verb == AV_NODELAY ||
	    r->verb == AV_KEEPALIVE ? 0 : -1)) == NULL)
		return;
	memset(&e, 0, sizeof(e));
	if (c->ops->setopt(c->ctx, hd->s, r, &v, &e) == -1) {
		reply_e(c, &e);
		return;
	}
	/* RCVBUF, SNDBUF: answer what the system made of it. */
	if (r->verb == AV_RCVBUF || r->verb == AV_SNDBUF)
		reply_ok(c, "%s=%d", r->verb == AV_RCVBUF ? "rcvbuf" :
		    "sndbuf", v);
	else
		reply_ok(c, "%s", "");
}

/* bgread=... or bgwrite=...: a background activity, running or ended. */
static void
status_io(char *buf, size_t size, const char *key, const struct agent_io *io,
    int is_read)
{
	size_t len = strlen(buf);

	if (io->fg || (!io->active && io->end == AGENT_END_NONE)) {
		snprintf(buf + len, size - len, " %s=none", key);
		return;
	}
	len += (size_t)snprintf(buf + len, size - len, " %s=%s %s_n=%zu", key,
	    io->active ? "running" : agent_end_name(io->end), key, io->done);
	if (is_read && len < size)
		len += (size_t)snprintf(buf + len, size - len,
		    " %s_sum=%016" PRIx64, key, io->sum);
	if (io->end == AGENT_END_ERROR && len < size)
		snprintf(buf + len, size - len, " %s_errno=%s", key,
		    agent_errno_name(io->error));
}

static void
do_status(struct agent_ctl *c, const struct agent_req *r)
{
	struct agent_sockinfo si;
	struct agent_handle *hd;
	char body[AGENT_REPLY_MAX];
	size_t len;

	if ((hd = get(c, r->handle, -1)) == NULL)
		return;
	snprintf(body, sizeof(body), "handle=%d kind=%s", r->handle,
	    hd->listening ? "listen" : "stream");
	fmt_names(c, r->handle, body, sizeof(body));
	memset(&si, 0, sizeof(si));
	c->ops->status(c->ctx, hd->s, hd->listening, &si);
	len = strlen(body);
	snprintf(body + len, sizeof(body) - len, " rcvbuf=%lu sndbuf=%lu "
	    "unread=%zu", si.rcvbuf, si.sndbuf, si.unread);
	if (si.state != NULL) {
		len = strlen(body);
		snprintf(body + len, sizeof(body) - len, " state=%s",
		    si.state);
	}
	if (!hd->listening) {
		status_io(body, sizeof(body), "bgread", &hd->rd, 1);
		status_io(body, sizeof(body), "bgwrite", &hd->wr, 0);
	}
	reply_ok(c, "%s", body);
}

static void
poll_done(struct agent_ctl *c, int ev)
{
	char body[64] = "";

	c->wait.verb = AV_NONE;
	if (ev & AGENT_EV_IN)
		strcat(body, ",in");
	if (ev & AGENT_EV_OUT)
		strcat(body, ",out");
	if (ev & AGENT_EV_HUP)
		strcat(body, ",hup");
	if (ev & AGENT_EV_ERR)
		strcat(body, ",err");
	if (ev & AGENT_EV_RDHUP)
		strcat(body, ",rdhup");
	reply_ok(c, "revents=%s", body[0] != '\0' ? body + 1 : "none");
}

static void
do_poll(struct agent_ctl *c, const struct agent_req *r)
{
	struct agent_handle *hd;
	int events, ev;

	if ((hd = get(c, r->handle, -1)) == NULL)
		return;
	/* The request's events are poll(2)'s (agent_req.c). */
	events = ((r->events & POLLIN) ? AGENT_EV_IN : 0) |
	    ((r->events & POLLOUT) ? AGENT_EV_OUT : 0);
	ev = c->ops->poll(c->ctx, hd->s, events);
	if (ev != 0 || r->timeout_ms == 0) {
		poll_done(c, ev);
		return;
	}
	park(c, AV_POLL, r->handle, deadline_of(c, r->timeout_ms));
	c->wait.events = events;
}

static void
request(struct agent_ctl *c, const char *line, size_t len)
{
	struct agent_req *r = &c->req;
	struct agent_err e;

	if (c->ops->request != NULL)
		c->ops->request(c->ctx, line, len);
	if (agent_req_parse(line, len, r, &e) == -1) {
		reply_e(c, &e);
		return;
	}
	if (!c->hello && r->verb != AV_HELLO && r->verb != AV_QUIT) {
		reply_err(c, EPROTO, "send HELLO %d first",
		    AGENT_PROTO_VERSION);
		return;
	}
	switch (r->verb) {
	case AV_HELLO:
		do_hello(c, r);
		break;
	case AV_INFO:
		do_info(c);
		break;
	case AV_LISTEN:
		do_listen(c, r);
		break;
	case AV_ACCEPT:
		do_accept(c, r);
		break;
	case AV_CONNECT:
		do_connect(c, r);
		break;
	case AV_READ:
	case AV_WRITE:
	case AV_WRITEHEX:
		do_io(c, r);
		break;
	case AV_CLOSE:
		if (get(c, r->handle, -1) != NULL) {
			hfree(c, r->handle);
			reply_ok(c, "%s", "");
		}
		break;
	case AV_STATUS:
		do_status(c, r);
		break;
	case AV_POLL:
		do_poll(c, r);
		break;
	case AV_QUIT:
		reply_ok(c, "bye");
		c->closing = 1;
		break;
	case AV_SHUTDOWN:
	case AV_LINGER:
	case AV_RCVBUF:
	case AV_SNDBUF:
	case AV_NODELAY:
	case AV_KEEPALIVE:
		do_setopt(c, r);
		break;
	case AV_URGENT:
		do_urgent(c, r);
		break;
	default:
		reply_err(c, ENOSYS, "%s is not supported here",
		    agent_verb_name(r->verb));
		break;
	}
}

/* What the sockets did may finish the wait and the activities (h 0: all). */
static void
progress(struct agent_ctl *c, int h)
{
	struct agent_handle *hd;
	int i, ev;

	for (i = 1; i <= AGENT_MAX_HANDLES; i++) {
		hd = &c->h[i];
		if (!hd->open || (h != 0 && i != h))
			continue;
		io_progress(c, i, &hd->rd);
		io_progress(c, i, &hd->wr);
	}
	i = c->wait.handle;
	if (c->wait.verb == AV_NONE || (h != 0 && i != h) || !c->h[i].open)
		return;
	switch (c->wait.verb) {
	case AV_ACCEPT:
		if (try_accept(c, i))
			c->wait.verb = AV_NONE;
		break;
	case AV_CONNECT:
		connect_done(c, i);
		break;
	case AV_POLL:
		if ((ev = c->ops->poll(c->ctx, c->h[i].s,
		    c->wait.events)) != 0)
			poll_done(c, ev);
		break;
	default:
		/* READ and WRITE progress with their io above. */
		break;
	}
}

/*
 * Input.  A line longer than AGENT_LINE_MAX (with its LF) is dropped as it
 * comes, and answered with E2BIG in its turn: nothing is ahead of it when
 * it starts, since the buffer holds no LF then.
 */
size_t
agent_ctl_input(struct agent_ctl *c, const char *buf, size_t len)
{
	const char *lf;
	size_t took = 0, n;

	while (took < len) {
		if (c->overlong) {
			if ((lf = memchr(buf + took, '\n', len - took)) ==
			    NULL) {
				took = len;
				break;
			}
			took = (size_t)(lf - buf) + 1;
			c->overlong = 0;
			c->toolong++;
			continue;
		}
		if (c->inlen == sizeof(c->in))
			agent_ctl_run(c, 0);	/* serve what is complete */
		if ((n = sizeof(c->in) - c->inlen) == 0) {
			if (memchr(c->in, '\n', c->inlen) != NULL)
				break;	/* complete lines wait their turn */
			c->inlen = 0;
			c->overlong = 1;
			continue;
		}
		if (n > len - took)
			n = len - took;
		memcpy(c->in + c->inlen, buf + took, n);
		c->inlen += n;
		took += n;
	}
	agent_ctl_run(c, 0);
	return took;
}

size_t
agent_ctl_room(const struct agent_ctl *c)
{
	if (c->overlong || c->inlen < sizeof(c->in))
		return sizeof(c->in) - (c->overlong ? 0 : c->inlen);
	/* Full: a line too long (dropped as more comes), or lines waiting. */
	return memchr(c->in, '\n', c->inlen) != NULL ? 0 : sizeof(c->in);
}

/* Take one complete line out of the input (without LF or CR); 1 if one. */
static int
next_line(struct agent_ctl *c, char *line, size_t *len)
{
	char *lf;
	size_t n;

	if ((lf = memchr(c->in, '\n', c->inlen)) == NULL)
		return 0;
	n = (size_t)(lf - c->in);
	memcpy(line, c->in, n);
	memmove(c->in, lf + 1, c->inlen - n - 1);
	c->inlen -= n + 1;
	if (n > 0 && line[n - 1] == '\r')
		n--;
	*len = n;
	return 1;
}

/* The next request may run now. */
static int
may_serve(const struct agent_ctl *c)
{
	return !c->closing && !c->freeing && c->wait.verb == AV_NONE &&
	    (c->ops->can_reply == NULL || c->ops->can_reply(c->ctx));
}

void
agent_ctl_run(struct agent_ctl *c, int h)
{
	char line[AGENT_LINE_MAX];
	size_t len;

	if (c->running) {
		c->again = 1;
		return;
	}
	c->running = 1;
	do {
		c->again = 0;
		progress(c, h);
		h = 0;
		while (may_serve(c)) {
			if (c->toolong > 0) {
				c->toolong--;
				reply_err(c, E2BIG, "request longer than %d "
				    "bytes", AGENT_LINE_MAX - 1);
				continue;
			}
			if (!next_line(c, line, &len))
				break;
			request(c, line, len);
			progress(c, 0);
		}
	} while (c->again);
	c->running = 0;
}

/* Deadlines that have passed end their wait or activity. */
void
agent_ctl_timers(struct agent_ctl *c)
{
	struct agent_handle *hd;
	uint64_t now = c->ops->now(c->ctx);
	int h;

	c->running++;
	for (h = 1; h <= AGENT_MAX_HANDLES; h++) {
		hd = &c->h[h];
		if (!hd->open)
			continue;
		if (hd->rd.active && now >= hd->rd.deadline)
			io_finish(c, &hd->rd, AGENT_END_TIMEOUT, 1);
		if (hd->wr.active && now >= hd->wr.deadline)
			io_finish(c, &hd->wr, AGENT_END_TIMEOUT, 0);
	}
	if (c->wait.verb != AV_NONE && now >= c->wait.deadline) {
		h = c->wait.handle;
		switch (c->wait.verb) {
		case AV_ACCEPT:
			c->wait.verb = AV_NONE;
			reply_err(c, ETIMEDOUT, "no connection to accept on "
			    "handle %d", h);
			break;
		case AV_CONNECT:
			c->wait.verb = AV_NONE;
			reply_err(c, ETIMEDOUT, "connect: no answer in time");
			hfree(c, h);
			break;
		case AV_POLL:
			poll_done(c, 0);
			break;
		default:
			/* READ and WRITE ended with their io above. */
			break;
		}
	}
	c->running--;
	agent_ctl_run(c, 0);
}

uint64_t
agent_ctl_deadline(const struct agent_ctl *c)
{
	uint64_t d = AGENT_NO_DEADLINE;
	int h;

	for (h = 1; h <= AGENT_MAX_HANDLES; h++) {
		if (!c->h[h].open)
			continue;
		if (c->h[h].rd.active && c->h[h].rd.deadline < d)
			d = c->h[h].rd.deadline;
		if (c->h[h].wr.active && c->h[h].wr.deadline < d)
			d = c->h[h].wr.deadline;
	}
	if (c->wait.verb != AV_NONE && c->wait.deadline < d)
		d = c->wait.deadline;
	return d;
}

int
agent_ctl_busy(const struct agent_ctl *c)
{
	return c->wait.verb != AV_NONE;
}

int
agent_ctl_idle(const struct agent_ctl *c)
{
	return c->wait.verb == AV_NONE && c->toolong == 0 &&
	    memchr(c->in, '\n', c->inlen) == NULL;
}

int
agent_ctl_done(const struct agent_ctl *c)
{
	return c->closing;
}

int
agent_ctl_events(const struct agent_ctl *c, int out_pending, int peer_eof)
{
	if (out_pending)
		return AGENT_EV_OUT;
	if (!agent_ctl_busy(c) && !peer_eof && !agent_ctl_done(c) &&
	    agent_ctl_room(c) > 0)
		return AGENT_EV_IN;
	return 0;
}

int
agent_ctl_wants(const struct agent_ctl *c, int h, union agent_sock *s)
{
	const struct agent_handle *hd;
	int ev = 0;

	if (h < 1 || h > AGENT_MAX_HANDLES || !c->h[h].open)
		return 0;
	hd = &c->h[h];
	*s = hd->s;
	if (hd->rd.active)
		ev |= AGENT_EV_IN;
	if (hd->wr.active)
		ev |= AGENT_EV_OUT;
	if (c->wait.verb != AV_NONE && c->wait.handle == h) {
		if (c->wait.verb == AV_ACCEPT)
			ev |= AGENT_EV_IN;
		else if (c->wait.verb == AV_CONNECT)
			ev |= AGENT_EV_OUT;
		else if (c->wait.verb == AV_POLL)
			ev |= c->wait.events;
	}
	return ev;
}

struct agent_ctl *
agent_ctl_new(const struct agent_ops *ops, void *ctx)
{
	struct agent_ctl *c;

	if ((c = calloc(1, sizeof(*c))) == NULL)
		return NULL;
	c->ops = ops;
	c->ctx = ctx;
	c->wait.verb = AV_NONE;
	return c;
}

void
agent_ctl_free(struct agent_ctl *c)
{
	int h;

	if (c == NULL)
		return;
	c->freeing = 1;
	c->running = 1;		/* what the closes cause comes to no one */
	for (h = 1; h <= AGENT_MAX_HANDLES; h++)
		hfree(c, h);
	free(c);
}
