/*
 * Copyright (c) 2026 The tcpconform developers.  SPDX-License-Identifier: ISC
 *
 * serve_agent.c: the built-in agent of "tcpconform serve": the control
 * protocol of tcpconform-agent (agent_proto.h), parsed and answered by the
 * agent's own code (agent_req.c), but acting on the target's connections
 * in the peer's TCP instead of on kernel sockets.  So the runner drives
 * Linux (with the real agent) and the fault target the same way.
 *
 * The agent's semantics are copied, not its code paths: a request that must
 * wait (ACCEPT, CONNECT, a foreground READ or WRITE, POLL) parks in the
 * control connection's wait, and the TCP's events (serve_agent_poke()) or
 * the timers finish it; while a request waits, the next lines stay
 * buffered, as the real agent reads no further.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>

#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agent_req.h"
#include "serve_int.h"

#ifndef PACKAGE_VERSION
#define PACKAGE_VERSION	"unknown"
#endif

#define IO_CHUNK	16384

/* A read or write that runs until done (agent.h struct io, in µs). */
struct sio {
	int		 active;
	int		 fg;
	int		 mode;
	size_t		 want;
	size_t		 done;
	int		 end;
	int		 error;
	uint64_t	 sum;
	uint64_t	 deadline;
	const unsigned char *data;	/* WRITEHEX bytes; NULL: pattern */
};

struct shandle {
	struct serve_conn *c;		/* NULL: free */
	uint64_t	 wpos;
	struct sio	 rd;
	struct sio	 wr;
};

struct serve_ctl {
	struct serve	*sv;
	serve_ctl_out_fn *out;
	void		*arg;
	struct serve_ctl *next;
	char		 in[AGENT_LINE_MAX];
	size_t		 inlen;
	int		 overlong;
	int		 hello;
	int		 closing;
	int		 running;	/* inside ctl_run(): no re-entry */
	int		 again;		/* a poke came meanwhile */
	struct shandle	 h[AGENT_MAX_HANDLES + 1];
	struct {
		enum agent_verb	verb;
		int		handle;
		int		events;
		uint64_t	deadline;
	} wait;
	struct agent_req req;
	unsigned char	 rdata[AGENT_HEX_MAX];
	size_t		 rdatalen;
};

static void	 reply_ok(struct serve_ctl *, const char *, ...)
		    __attribute__((format(printf, 2, 3)));
static void	 reply_err(struct serve_ctl *, int, const char *, ...)
		    __attribute__((format(printf, 3, 4)));
static void	 reply_io(struct serve_ctl *, const struct sio *, int);
static void	 fmt_ends(const struct serve_ctl *, const struct serve_conn *,
		    char *, size_t);
static void	 reply_handle(struct serve_ctl *, int, int);
static void	 sockaddr_of(const struct serve *, const uint8_t *, uint16_t,
		    struct sockaddr_storage *);
static struct shandle *get(struct serve_ctl *, int, int);
static int	 hnew(struct serve_ctl *, struct serve_conn *);
static void	 hfree(struct serve_ctl *, int);
static void	 ctl_run(struct serve_ctl *);
static int	 next_line(struct serve_ctl *, char *, size_t *);
static void	 request(struct serve_ctl *, const char *, size_t);
static void	 progress(struct serve_ctl *);
static void	 do_hello(struct serve_ctl *, const struct agent_req *);
static void	 do_listen(struct serve_ctl *, const struct agent_req *);
static int	 try_accept(struct serve_ctl *, int);
static void	 do_accept(struct serve_ctl *, const struct agent_req *);
static int	 connect_check(struct serve_ctl *, const struct agent_req *,
		    const uint8_t **);
static void	 do_connect(struct serve_ctl *, const struct agent_req *);
static int	 connect_done(struct serve_ctl *, int);
static void	 do_io(struct serve_ctl *, const struct agent_req *);
static void	 io_progress(struct serve_ctl *, int, struct sio *);
static int	 io_read(struct serve_ctl *, struct shandle *, struct sio *);
static int	 io_write(struct shandle *, struct sio *);
static void	 io_finish(struct serve_ctl *, struct sio *, int, int);
static void	 do_setopt(struct serve_ctl *, const struct agent_req *);
static void	 status_io(char *, size_t, const char *, const struct sio *,
		    int);
static void	 do_status(struct serve_ctl *, const struct agent_req *);
static short	 revents(const struct serve_conn *, int);
static void	 poll_done(struct serve_ctl *, short);
static void	 do_poll(struct serve_ctl *, const struct agent_req *);
static void	 ctl_timers(struct serve_ctl *, uint64_t);
static const uint8_t *req_addr(const struct sockaddr_storage *);
static int	 same_addr(const struct serve *, const uint8_t *);

struct serve_ctl *
serve_ctl_new(struct serve *sv, serve_ctl_out_fn *out, void *arg)
{
	struct serve_ctl *ctl;

	if ((ctl = calloc(1, sizeof(*ctl))) == NULL)
		return NULL;
	ctl->sv = sv;
	ctl->out = out;
	ctl->arg = arg;
	ctl->wait.verb = AV_NONE;
	ctl->next = sv->ctls;
	sv->ctls = ctl;
	return ctl;
}

/* The runner went away: its handles are closed, as the agent closes fds. */
void
serve_ctl_free(struct serve_ctl *ctl)
{
	struct serve_ctl **pp;
	int h;

	if (ctl == NULL)
		return;
	for (pp = &ctl->sv->ctls; *pp != NULL; pp = &(*pp)->next)
		if (*pp == ctl) {
			*pp = ctl->next;
			break;
		}
	ctl->out = NULL;
	ctl->running = 1;	/* what the closes cause comes to no one */
	for (h = 1; h <= AGENT_MAX_HANDLES; h++)
		hfree(ctl, h);
	free(ctl);
}

void
serve_agent_free_all(struct serve *sv)
{
	while (sv->ctls != NULL)
		serve_ctl_free(sv->ctls);
}

int
serve_ctl_done(const struct serve_ctl *ctl)
{
	return ctl->closing;
}

int
serve_ctl_busy(const struct serve_ctl *ctl)
{
	return ctl->wait.verb != AV_NONE;
}

static void
reply_ok(struct serve_ctl *ctl, const char *fmt, ...)
{
	char body[AGENT_REPLY_MAX], line[AGENT_REPLY_MAX];
	va_list ap;
	size_t n;

	va_start(ap, fmt);
	vsnprintf(body, sizeof(body), fmt, ap);
	va_end(ap);
	n = agent_fmt_ok(line, sizeof(line), "%s", body);
	if (ctl->out != NULL)
		ctl->out(ctl->arg, line, n);
}

static void
reply_err(struct serve_ctl *ctl, int code, const char *fmt, ...)
{
	char body[AGENT_MSG_MAX], line[AGENT_REPLY_MAX];
	va_list ap;
	size_t n;

	va_start(ap, fmt);
	vsnprintf(body, sizeof(body), fmt, ap);
	va_end(ap);
	n = agent_fmt_err(line, sizeof(line), code, "%s", body);
	if (ctl->out != NULL)
		ctl->out(ctl->arg, line, n);
}

static void
reply_io(struct serve_ctl *ctl, const struct sio *io, int is_read)
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
	r.data = ctl->rdata;
	r.datalen = io->fg ? ctl->rdatalen : 0;
	n = agent_fmt_io(line, sizeof(line), &r);
	if (ctl->out != NULL)
		ctl->out(ctl->arg, line, n);
}

static void
sockaddr_of(const struct serve *sv, const uint8_t *addr, uint16_t port,
    struct sockaddr_storage *ss)
{
	struct sockaddr_in *sin = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;

	memset(ss, 0, sizeof(*ss));
	if (sv->cfg.family == AF_INET) {
		sin->sin_family = AF_INET;
		sin->sin_port = htons(port);
		memcpy(&sin->sin_addr, addr, 4);
	} else {
		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons(port);
		memcpy(&sin6->sin6_addr, addr, 16);
	}
}

/* " addr=A port=P [peer=A peerport=P]" of c, appended to body. */
static void
fmt_ends(const struct serve_ctl *ctl, const struct serve_conn *c,
    char *body, size_t size)
{
	struct sockaddr_storage ss;

	sockaddr_of(ctl->sv, ctl->sv->cfg.addr, c->tuple.lport, &ss);
	agent_fmt_sockaddr(body, size, "addr", "port", (struct sockaddr *)&ss);
	if (!c->listener) {
		sockaddr_of(ctl->sv, c->tuple.raddr, c->tuple.rport, &ss);
		agent_fmt_sockaddr(body, size, "peer", "peerport",
		    (struct sockaddr *)&ss);
	}
}

/* "OK handle=H addr=A port=P [peer=A peerport=P] [inprogress=N]". */
static void
reply_handle(struct serve_ctl *ctl, int h, int inprogress)
{
	char body[AGENT_REPLY_MAX];

	snprintf(body, sizeof(body), "handle=%d", h);
	fmt_ends(ctl, ctl->h[h].c, body, sizeof(body));
	if (inprogress >= 0)
		snprintf(body + strlen(body), sizeof(body) - strlen(body),
		    " inprogress=%d", inprogress);
	reply_ok(ctl, "%s", body);
}

/* The open handle h, listening or not as asked (-1: either); or an ERR. */
static struct shandle *
get(struct serve_ctl *ctl, int h, int listening)
{
	struct shandle *hd = &ctl->h[h];

	if (hd->c == NULL) {
		reply_err(ctl, EBADF, "handle %d is not open", h);
		return NULL;
	}
	if (listening == 1 && !hd->c->listener) {
		reply_err(ctl, EINVAL, "handle %d is not listening", h);
		return NULL;
	}
	if (listening == 0 && hd->c->listener) {
		reply_err(ctl, EINVAL, "handle %d is a listening socket", h);
		return NULL;
	}
	return hd;
}

static int
hnew(struct serve_ctl *ctl, struct serve_conn *c)
{
	int h;

	for (h = 1; h <= AGENT_MAX_HANDLES; h++)
		if (ctl->h[h].c == NULL) {
			memset(&ctl->h[h], 0, sizeof(ctl->h[h]));
			ctl->h[h].c = c;
			c->ctl = ctl;
			c->handle = h;
			return h;
		}
	reply_err(ctl, EMFILE, "all %d handles are in use", AGENT_MAX_HANDLES);
	return -1;
}

/* close(2) of a handle: the application closes the connection. */
static void
hfree(struct serve_ctl *ctl, int h)
{
	struct serve_conn *c = ctl->h[h].c;

	memset(&ctl->h[h], 0, sizeof(ctl->h[h]));
	if (ctl->wait.verb != AV_NONE && ctl->wait.handle == h)
		ctl->wait.verb = AV_NONE;
	if (c == NULL)
		return;
	serve_conn_close(c);	/* c->ctl holds c meanwhile */
	c->ctl = NULL;
	serve_conn_release(c);
}

void
serve_ctl_input(struct serve_ctl *ctl, const char *buf, size_t len,
    uint64_t now)
{
	size_t room;

	if (now > ctl->sv->now)
		ctl->sv->now = now;
	while (len > 0) {
		room = sizeof(ctl->in) - ctl->inlen;
		if (room == 0) {
			/* A line longer than the limit: answer, then skip it. */
			reply_err(ctl, E2BIG, "request longer than %d bytes",
			    AGENT_LINE_MAX - 1);
			ctl->inlen = 0;
			ctl->overlong = 1;
			continue;
		}
		if (room > len)
			room = len;
		memcpy(ctl->in + ctl->inlen, buf, room);
		ctl->inlen += room;
		buf += room;
		len -= room;
		ctl_run(ctl);
	}
}

/* Take one complete line out of the input (without LF or CR); 1 if one. */
static int
next_line(struct serve_ctl *ctl, char *line, size_t *len)
{
	char *lf;
	size_t n;

	for (;;) {
		if ((lf = memchr(ctl->in, '\n', ctl->inlen)) == NULL)
			return 0;
		n = (size_t)(lf - ctl->in);
		memcpy(line, ctl->in, n);
		memmove(ctl->in, lf + 1, ctl->inlen - n - 1);
		ctl->inlen -= n + 1;
		if (ctl->overlong) {
			ctl->overlong = 0;	/* the tail of a long line */
			continue;
		}
		if (n > 0 && line[n - 1] == '\r')
			n--;
		*len = n;
		return 1;
	}
}

/*
 * Serve buffered requests while nothing waits.  Events the requests cause
 * come back here through serve_agent_poke(); they are noted and handled
 * by this loop rather than by a nested one.
 */
static void
ctl_run(struct serve_ctl *ctl)
{
	char line[AGENT_LINE_MAX];
	size_t len;

	if (ctl->running) {
		ctl->again = 1;
		return;
	}
	ctl->running = 1;
	do {
		ctl->again = 0;
		progress(ctl);
		while (!ctl->closing && ctl->wait.verb == AV_NONE &&
		    next_line(ctl, line, &len)) {
			request(ctl, line, len);
			progress(ctl);
		}
	} while (ctl->again);
	ctl->running = 0;
}

void
serve_agent_poke(struct serve_ctl *ctl)
{
	ctl_run(ctl);
}

static void
request(struct serve_ctl *ctl, const char *line, size_t len)
{
	struct agent_req *r = &ctl->req;
	struct agent_err e;

	if (agent_req_parse(line, len, r, &e) == -1) {
		reply_err(ctl, e.code, "%s", e.msg);
		return;
	}
	if (!ctl->hello && r->verb != AV_HELLO && r->verb != AV_QUIT) {
		reply_err(ctl, EPROTO, "send HELLO %d first",
		    AGENT_PROTO_VERSION);
		return;
	}
	switch (r->verb) {
	case AV_HELLO:
		do_hello(ctl, r);
		break;
	case AV_LISTEN:
		do_listen(ctl, r);
		break;
	case AV_ACCEPT:
		do_accept(ctl, r);
		break;
	case AV_CONNECT:
		do_connect(ctl, r);
		break;
	case AV_READ:
	case AV_WRITE:
	case AV_WRITEHEX:
		do_io(ctl, r);
		break;
	case AV_CLOSE:
		if (get(ctl, r->handle, -1) != NULL) {
			hfree(ctl, r->handle);
			reply_ok(ctl, "%s", "");
		}
		break;
	case AV_STATUS:
		do_status(ctl, r);
		break;
	case AV_POLL:
		do_poll(ctl, r);
		break;
	case AV_QUIT:
		reply_ok(ctl, "bye");
		ctl->closing = 1;
		break;
	case AV_SHUTDOWN:
	case AV_LINGER:
	case AV_RCVBUF:
	case AV_SNDBUF:
	case AV_NODELAY:
		do_setopt(ctl, r);
		break;
	default:
		reply_err(ctl, ENOSYS, "%s is not supported here",
		    agent_verb_name(r->verb));
		break;
	}
}

/* What the TCP did may finish the wait and the handles' activities. */
static void
progress(struct serve_ctl *ctl)
{
	struct shandle *hd;
	short ev;
	int h;

	for (h = 1; h <= AGENT_MAX_HANDLES; h++) {
		hd = &ctl->h[h];
		if (hd->c == NULL)
			continue;
		io_progress(ctl, h, &hd->rd);
		io_progress(ctl, h, &hd->wr);
	}
	h = ctl->wait.handle;
	switch (ctl->wait.verb) {
	case AV_ACCEPT:
		if (try_accept(ctl, h))
			ctl->wait.verb = AV_NONE;
		break;
	case AV_CONNECT:
		if (connect_done(ctl, h))
			ctl->wait.verb = AV_NONE;
		break;
	case AV_POLL:
		ev = revents(ctl->h[h].c, ctl->wait.events);
		if (ev != 0)
			poll_done(ctl, ev);
		break;
	default:
		break;
	}
}

static void
do_hello(struct serve_ctl *ctl, const struct agent_req *r)
{
	if (r->version != AGENT_PROTO_VERSION) {
		reply_err(ctl, EPROTONOSUPPORT, "protocol version %d is not "
		    "supported; this agent speaks %d", r->version,
		    AGENT_PROTO_VERSION);
		return;
	}
	ctl->hello = 1;
	reply_ok(ctl, "version=%d agent=tcpconform-serve/%s os=tcpconform "
	    "handles=%d linemax=%d hexmax=%d", AGENT_PROTO_VERSION,
	    PACKAGE_VERSION, AGENT_MAX_HANDLES, AGENT_LINE_MAX, AGENT_HEX_MAX);
}

/* The address bytes of a parsed sockaddr (family already checked). */
static const uint8_t *
req_addr(const struct sockaddr_storage *ss)
{
	if (ss->ss_family == AF_INET)
		return (const uint8_t *)&((const struct sockaddr_in *)ss)->
		    sin_addr;
	return (const uint8_t *)&((const struct sockaddr_in6 *)ss)->sin6_addr;
}

static int
same_addr(const struct serve *sv, const uint8_t *a)
{
	return memcmp(a, sv->cfg.addr, sv->cfg.family == AF_INET6 ? 16 : 4) ==
	    0;
}

static void
do_listen(struct serve_ctl *ctl, const struct agent_req *r)
{
	struct serve *sv = ctl->sv;
	struct serve_conn *l;
	char *err = NULL;
	static const uint8_t any[16];
	uint16_t port = r->port;
	int h;

	if (r->family != sv->cfg.family) {
		reply_err(ctl, EAFNOSUPPORT, "this target has only IPv%d",
		    sv->cfg.family == AF_INET ? 4 : 6);
		return;
	}
	if (r->addrlen != 0 && !same_addr(sv, req_addr(&r->addr)) &&
	    memcmp(req_addr(&r->addr), any, sv->cfg.family == AF_INET ?
	    4 : 16) != 0) {
		reply_err(ctl, EADDRNOTAVAIL, "not this target's address");
		return;
	}
	if (port != 0 && port == sv->cfg.agent_port) {
		reply_err(ctl, EACCES, "port %u is the agent's control port",
		    port);
		return;
	}
	if (port == 0) {
		for (port = sv->cfg.eph_lo; port < sv->cfg.eph_hi &&
		    serve_listener_find(sv, port) != NULL; port++)
			;
	}
	/* "Any open port" listeners give way to the application's. */
	if ((l = serve_listener_find(sv, port)) != NULL) {
		if (l->svc != SVC_ANY) {
			reply_err(ctl, EADDRINUSE, "port %u is in use", port);
			return;
		}
		serve_conn_drop(l);
	}
	if ((l = serve_listen(sv, port, SVC_AGENT, r->rcvbuf > 0 ?
	    (uint32_t)r->rcvbuf : 0, r->sndbuf > 0 ? (uint32_t)r->sndbuf : 0,
	    &err)) == NULL) {
		reply_err(ctl, EADDRINUSE, "listen on port %u: %s", port, err);
		free(err);
		return;
	}
	if ((h = hnew(ctl, l)) == -1) {
		serve_conn_drop(l);
		return;
	}
	reply_handle(ctl, h, -1);
}

/* 1: accepted and answered (or failed); 0: nothing queued yet. */
static int
try_accept(struct serve_ctl *ctl, int lh)
{
	struct serve_conn *l = ctl->h[lh].c, *c;
	int h;

	if (l == NULL || (c = l->aq_head) == NULL)
		return 0;
	if ((h = hnew(ctl, c)) == -1)
		return 1;
	l->aq_head = c->aq_next;
	c->aq_next = NULL;
	c->queued = 0;
	c->parent = NULL;
	reply_handle(ctl, h, -1);
	return 1;
}

static void
do_accept(struct serve_ctl *ctl, const struct agent_req *r)
{
	if (get(ctl, r->handle, 1) == NULL || try_accept(ctl, r->handle))
		return;
	if (r->timeout_ms == 0) {
		reply_err(ctl, ETIMEDOUT, "no connection to accept on handle "
		    "%d", r->handle);
		return;
	}
	ctl->wait.verb = AV_ACCEPT;
	ctl->wait.handle = r->handle;
	ctl->wait.deadline = ctl->sv->now + (uint64_t)r->timeout_ms * 1000;
}

/* The destination may be reached; *raddr set.  0 after an ERR reply. */
static int
connect_check(struct serve_ctl *ctl, const struct agent_req *r,
    const uint8_t **raddr)
{
	struct serve *sv = ctl->sv;
	static const uint8_t any[16];
	size_t alen = sv->cfg.family == AF_INET6 ? 16 : 4;

	if (r->family != sv->cfg.family) {
		reply_err(ctl, EAFNOSUPPORT, "this target has only IPv%d",
		    sv->cfg.family == AF_INET ? 4 : 6);
		return 0;
	}
	*raddr = req_addr(&r->addr);
	if (memcmp(sv->cfg.client, any, alen) != 0 &&
	    memcmp(*raddr, sv->cfg.client, alen) != 0) {
		reply_err(ctl, EACCES, "destination not allowed: this target "
		    "reaches only its tester");
		return 0;
	}
	if (r->laddrlen != 0 && !same_addr(sv, req_addr(&r->laddr))) {
		reply_err(ctl, EADDRNOTAVAIL, "laddr is not this target's");
		return 0;
	}
	if (r->lport != 0 && (r->lport == sv->cfg.agent_port ||
	    serve_listener_find(sv, r->lport) != NULL)) {
		reply_err(ctl, EADDRINUSE, "local port %u is in use",
		    r->lport);
		return 0;
	}
	return 1;
}

static void
do_connect(struct serve_ctl *ctl, const struct agent_req *r)
{
	struct serve_conn *c;
	const uint8_t *raddr;
	char *err = NULL;
	int h;

	if (!connect_check(ctl, r, &raddr))
		return;
	if ((c = serve_connect(ctl->sv, raddr, r->port, r->lport,
	    r->rcvbuf > 0 ? (uint32_t)r->rcvbuf : 0, r->sndbuf > 0 ?
	    (uint32_t)r->sndbuf : 0, &err)) == NULL) {
		reply_err(ctl, EADDRINUSE, "connect: %s", err);
		free(err);
		return;
	}
	if ((h = hnew(ctl, c)) == -1) {
		serve_conn_drop(c);
		return;
	}
	if (!r->wait) {
		reply_handle(ctl, h, 1);
		return;
	}
	ctl->wait.verb = AV_CONNECT;
	ctl->wait.handle = h;
	ctl->wait.deadline = ctl->sv->now + (uint64_t)r->timeout_ms * 1000;
}

/* 1 when the handshake of handle h ended (and was answered). */
static int
connect_done(struct serve_ctl *ctl, int h)
{
	struct serve_conn *c = ctl->h[h].c;

	if (c == NULL)
		return 1;
	if (c->tcb != NULL && !tcps_have_established(c->tcb->state))
		return 0;
	if (c->tcb == NULL) {
		ctl->wait.verb = AV_NONE;
		reply_err(ctl, c->error != 0 ? c->error : ECONNREFUSED,
		    "connect: %s", strerror(c->error != 0 ? c->error :
		    ECONNREFUSED));
		hfree(ctl, h);
		return 1;
	}
	reply_handle(ctl, h, 0);
	return 1;
}

static void
do_io(struct serve_ctl *ctl, const struct agent_req *r)
{
	struct shandle *hd;
	struct sio *io;

	if ((hd = get(ctl, r->handle, 0)) == NULL)
		return;
	io = r->verb == AV_READ ? &hd->rd : &hd->wr;
	if (io->active) {
		reply_err(ctl, EBUSY, "handle %d: a background %s is running",
		    r->handle, r->verb == AV_READ ? "read" : "write");
		return;
	}
	memset(io, 0, sizeof(*io));
	io->active = 1;
	io->fg = !r->bg;
	io->mode = r->mode;
	io->want = r->count;
	io->sum = AGENT_SUM_INIT;
	io->deadline = ctl->sv->now + (uint64_t)r->timeout_ms * 1000;
	io->data = r->verb == AV_WRITEHEX ? r->data : NULL;
	if (io == &hd->rd)
		ctl->rdatalen = 0;
	if (io->fg) {
		ctl->wait.verb = r->verb == AV_READ ? AV_READ : AV_WRITE;
		ctl->wait.handle = r->handle;
		ctl->wait.deadline = io->deadline;
	}
	io_progress(ctl, r->handle, io);
	/* timeout=0 "tries once and does not wait". */
	if (io->active && r->timeout_ms == 0)
		io_finish(ctl, io, AGENT_END_TIMEOUT, io == &hd->rd);
	/* A background activity answers now, with what it did so far. */
	if (r->bg)
		reply_io(ctl, io, io == &hd->rd);
}

static void
io_progress(struct serve_ctl *ctl, int h, struct sio *io)
{
	struct shandle *hd = &ctl->h[h];
	int is_read = io == &hd->rd;

	if (!io->active)
		return;
	if (is_read ? io_read(ctl, hd, io) : io_write(hd, io))
		io_finish(ctl, io, AGENT_END_NONE, is_read);
}

/* Read what is queued: 1 when the read has ended, 0 to wait for more. */
static int
io_read(struct serve_ctl *ctl, struct shandle *hd, struct sio *io)
{
	unsigned char buf[IO_CHUNK];
	struct serve_conn *c = hd->c;
	size_t want, n, keep;

	for (;;) {
		if (io->done == io->want) {
			io->end = AGENT_END_COUNT;
			return 1;
		}
		want = io->want - io->done;
		n = serve_conn_read(c, buf, want < sizeof(buf) ? want :
		    sizeof(buf));
		if (n == 0)
			break;
		io->sum = agent_sum(io->sum, buf, n);
		if (io->fg && ctl->rdatalen < AGENT_HEX_MAX) {
			keep = AGENT_HEX_MAX - ctl->rdatalen;
			keep = n < keep ? n : keep;
			memcpy(ctl->rdata + ctl->rdatalen, buf, keep);
			ctl->rdatalen += keep;
		}
		io->done += n;
	}
	/* Nothing more queued.  Why? */
	if (serve_conn_at_eof(c))
		io->end = AGENT_END_EOF;
	else if (c->tcb == NULL) {
		io->end = AGENT_END_ERROR;
		io->error = c->error != 0 ? c->error : ENOTCONN;
	} else if (io->mode == AGENT_READ_SOME && io->done > 0)
		io->end = AGENT_END_DRAINED;
	else
		return 0;
	return 1;
}

/* Queue the pattern or the given bytes; 1 when all are queued or failed. */
static int
io_write(struct shandle *hd, struct sio *io)
{
	unsigned char buf[IO_CHUNK];
	const unsigned char *src;
	struct tcb *tp = hd->c->tcb;
	size_t chunk, i;
	ssize_t n;
	char *err = NULL;

	while (io->done < io->want) {
		if (tp == NULL || hd->c->app_closed) {
			io->end = AGENT_END_ERROR;
			io->error = hd->c->error != 0 ? hd->c->error : EPIPE;
			return 1;
		}
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
		if ((n = tcp_send(tp, src, chunk, &err)) < 0) {
			free(err);
			io->end = AGENT_END_ERROR;
			io->error = EPIPE;	/* write(2) after shutdown */
			return 1;
		}
		if (n == 0)
			return 0;	/* the send buffer is full */
		io->done += (size_t)n;
		hd->wpos += (uint64_t)n;
	}
	io->end = AGENT_END_COUNT;
	return 1;
}

static void
io_finish(struct serve_ctl *ctl, struct sio *io, int end, int is_read)
{
	if (end != AGENT_END_NONE)
		io->end = end;
	io->active = 0;
	io->data = NULL;
	if (io->fg) {
		ctl->wait.verb = AV_NONE;
		reply_io(ctl, io, is_read);
	}
}

/* SHUTDOWN, LINGER, RCVBUF, SNDBUF, NODELAY. */
static void
do_setopt(struct serve_ctl *ctl, const struct agent_req *r)
{
	struct shandle *hd;
	struct serve_conn *c;
	char *err = NULL;

	if ((hd = get(ctl, r->handle, r->verb == AV_NODELAY ? 0 : -1)) == NULL)
		return;
	c = hd->c;
	switch (r->verb) {
	case AV_SHUTDOWN:
		if (c->tcb == NULL || c->listener) {
			reply_err(ctl, ENOTCONN, "shutdown: not connected");
			return;
		}
		if (r->how == SHUT_RD || r->how == SHUT_RDWR)
			c->rd_shut = 1;
		if ((r->how == SHUT_WR || r->how == SHUT_RDWR) &&
		    tcp_shutdown(c->tcb, &err) == -1) {
			reply_err(ctl, ENOTCONN, "shutdown: %s", err);
			free(err);
			return;
		}
		break;
	case AV_LINGER:
		c->linger_on = r->on;
		c->linger_sec = r->seconds;
		break;
	case AV_RCVBUF:
	case AV_SNDBUF:
		if (c->tcb != NULL && r->verb == AV_RCVBUF)
			c->tcb->rcvbuf_max = (uint32_t)r->size;
		else if (c->tcb != NULL)
			c->tcb->sndbuf_max = (uint32_t)r->size;
		reply_ok(ctl, "%s=%d", r->verb == AV_RCVBUF ? "rcvbuf" :
		    "sndbuf", r->size);
		return;
	default:
		break;		/* NODELAY: the peer's TCP has no Nagle */
	}
	reply_ok(ctl, "%s", "");
}

static void
status_io(char *buf, size_t size, const char *key, const struct sio *io,
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
		    " %s_sum=%016llx", key, (unsigned long long)io->sum);
	if (io->end == AGENT_END_ERROR && len < size)
		snprintf(buf + len, size - len, " %s_errno=%s", key,
		    agent_errno_name(io->error));
}

static void
do_status(struct serve_ctl *ctl, const struct agent_req *r)
{
	struct shandle *hd;
	struct serve_conn *c;
	struct tcb *tp;
	char body[AGENT_REPLY_MAX];
	size_t len;

	if ((hd = get(ctl, r->handle, -1)) == NULL)
		return;
	c = hd->c;
	tp = c->tcb;
	snprintf(body, sizeof(body), "handle=%d kind=%s", r->handle,
	    c->listener ? "listen" : "stream");
	fmt_ends(ctl, c, body, sizeof(body));
	len = strlen(body);
	snprintf(body + len, sizeof(body) - len, " rcvbuf=%u sndbuf=%u "
	    "unread=%zu state=%s", tp != NULL ? tp->rcvbuf_max : 0,
	    tp != NULL ? tp->sndbuf_max : 0, serve_conn_readable(c),
	    tp != NULL ? tcps_names[tp->state] : "CLOSED");
	if (!c->listener) {
		status_io(body, sizeof(body), "bgread", &hd->rd, 1);
		status_io(body, sizeof(body), "bgwrite", &hd->wr, 0);
	}
	reply_ok(ctl, "%s", body);
}

/* What poll(2) would say of the connection: in, out, hup, err, rdhup. */
static short
revents(const struct serve_conn *c, int events)
{
	struct tcb *tp = c->tcb;
	short ev = 0;

	if (c->listener)
		return (events & POLLIN) && c->aq_head != NULL ? POLLIN : 0;
	if ((events & POLLIN) && (serve_conn_readable(c) > 0 ||
	    serve_conn_at_eof(c) || tp == NULL))
		ev |= POLLIN;
	if ((events & POLLOUT) && tp != NULL && tcps_can_send(tp->state) &&
	    !(tp->flags & TCPF_SHUT_WR) && tp->snd.len < tp->sndbuf_max)
		ev |= POLLOUT;
	if (tp == NULL)
		ev |= c->error != 0 ? POLLERR | POLLHUP : POLLHUP;
#ifdef POLLRDHUP
	if ((events & POLLIN) && serve_conn_at_eof(c))
		ev |= POLLRDHUP;
#endif
	return ev;
}

static void
poll_done(struct serve_ctl *ctl, short ev)
{
	char body[64] = "";

	ctl->wait.verb = AV_NONE;
	if (ev & POLLIN)
		strcat(body, ",in");
	if (ev & POLLOUT)
		strcat(body, ",out");
	if (ev & POLLHUP)
		strcat(body, ",hup");
	if (ev & POLLERR)
		strcat(body, ",err");
#ifdef POLLRDHUP
	if (ev & POLLRDHUP)
		strcat(body, ",rdhup");
#endif
	reply_ok(ctl, "revents=%s", body[0] != '\0' ? body + 1 : "none");
}

static void
do_poll(struct serve_ctl *ctl, const struct agent_req *r)
{
	struct shandle *hd;
	short ev;

	if ((hd = get(ctl, r->handle, -1)) == NULL)
		return;
	ev = revents(hd->c, r->events);
	if (ev != 0 || r->timeout_ms == 0) {
		poll_done(ctl, ev);
		return;
	}
	ctl->wait.verb = AV_POLL;
	ctl->wait.handle = r->handle;
	ctl->wait.events = r->events;
	ctl->wait.deadline = ctl->sv->now + (uint64_t)r->timeout_ms * 1000;
}

/* Deadlines that have passed end their wait or activity. */
static void
ctl_timers(struct serve_ctl *ctl, uint64_t now)
{
	struct shandle *hd;
	int h;

	for (h = 1; h <= AGENT_MAX_HANDLES; h++) {
		hd = &ctl->h[h];
		if (hd->c == NULL)
			continue;
		if (hd->rd.active && now >= hd->rd.deadline)
			io_finish(ctl, &hd->rd, AGENT_END_TIMEOUT, 1);
		if (hd->wr.active && now >= hd->wr.deadline)
			io_finish(ctl, &hd->wr, AGENT_END_TIMEOUT, 0);
	}
	if (ctl->wait.verb == AV_NONE || now < ctl->wait.deadline)
		return;
	h = ctl->wait.handle;
	switch (ctl->wait.verb) {
	case AV_ACCEPT:
		ctl->wait.verb = AV_NONE;
		reply_err(ctl, ETIMEDOUT, "no connection to accept on handle "
		    "%d", h);
		break;
	case AV_CONNECT:
		ctl->wait.verb = AV_NONE;
		reply_err(ctl, ETIMEDOUT, "connect: no answer in time");
		hfree(ctl, h);
		break;
	case AV_POLL:
		poll_done(ctl, 0);
		break;
	default:
		break;
	}
}

void
serve_agent_timers(struct serve *sv, uint64_t now)
{
	struct serve_ctl *ctl;

	for (ctl = sv->ctls; ctl != NULL; ctl = ctl->next) {
		ctl->running = 1;
		ctl_timers(ctl, now);
		ctl->running = 0;
		ctl_run(ctl);
	}
}

uint64_t
serve_agent_deadline(const struct serve *sv)
{
	const struct serve_ctl *ctl;
	uint64_t d = TCP_NO_TIMER;
	int h;

	for (ctl = sv->ctls; ctl != NULL; ctl = ctl->next) {
		for (h = 1; h <= AGENT_MAX_HANDLES; h++) {
			if (ctl->h[h].c == NULL)
				continue;
			if (ctl->h[h].rd.active && ctl->h[h].rd.deadline < d)
				d = ctl->h[h].rd.deadline;
			if (ctl->h[h].wr.active && ctl->h[h].wr.deadline < d)
				d = ctl->h[h].wr.deadline;
		}
		if (ctl->wait.verb != AV_NONE && ctl->wait.deadline < d)
			d = ctl->wait.deadline;
	}
	return d;
}
