/*
 * Copyright (c) 2026 The tcpconform developers.  SPDX-License-Identifier: ISC
 *
 * serve_agent.c: the built-in agent of "tcpconform serve": the protocol
 * engine of tcpconform-agent (agent_engine.h) with a back end that acts on
 * the target's connections in the peer's TCP instead of on kernel sockets.
 * So the runner drives Linux (with the real agent) and the fault target
 * the same way, through one implementation of the protocol.
 *
 * The TCP's events come back as serve_agent_poke() (a connection the
 * engine holds has news), which retries what waits; the engine's
 * deadlines run on the target's clock (sv->now, in microseconds).
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agent_engine.h"
#include "serve_int.h"

/* One control connection: the engine's side, and where replies go. */
struct serve_ctl {
	struct serve	 *sv;
	serve_ctl_out_fn *out;
	void		 *arg;
	struct serve_ctl *next;
	struct agent_ctl *ac;
};

static uint64_t	 sa_now(void *);
static void	 sa_reply(void *, const char *, size_t);
static void	 sa_os(void *, char *, size_t);
static void	 sa_info(void *, char *, size_t);
static int	 sa_listen(void *, const struct agent_req *,
		    union agent_sock *, struct agent_err *);
static int	 sa_accept(void *, union agent_sock, union agent_sock *,
		    struct agent_err *);
static int	 sa_connect(void *, const struct agent_req *,
		    union agent_sock *, int *, struct agent_err *);
static int	 sa_connected(void *, union agent_sock);
static ssize_t	 sa_read(void *, union agent_sock, void *, size_t, int *);
static ssize_t	 sa_write(void *, union agent_sock, const void *, size_t,
		    int *);
static int	 sa_setopt(void *, union agent_sock, const struct agent_req *,
		    int *, struct agent_err *);
static int	 sa_names(void *, union agent_sock, struct sockaddr_storage *,
		    struct sockaddr_storage *);
static void	 sa_status(void *, union agent_sock, int,
		    struct agent_sockinfo *);
static int	 sa_poll(void *, union agent_sock, int);
static void	 sa_close(void *, union agent_sock);
static ssize_t	 sa_write_urgent(void *, union agent_sock, const void *,
		    size_t, int *);
static void	 sockaddr_of(const struct serve *, const uint8_t *, uint16_t,
		    struct sockaddr_storage *);
static const uint8_t *req_addr(const struct sockaddr_storage *);
static int	 same_addr(const struct serve *, const uint8_t *);

static const struct agent_ops serve_agent_ops = {
	.name = "tcpconform-serve",
	.io_burst = 0,		/* poked only when something changed */
	.now = sa_now,
	.reply = sa_reply,
	.os = sa_os,
	.info = sa_info,
	.listen = sa_listen,
	.accept = sa_accept,
	.connect = sa_connect,
	.connected = sa_connected,
	.read = sa_read,
	.write = sa_write,
	.setopt = sa_setopt,
	.names = sa_names,
	.status = sa_status,
	.poll = sa_poll,
	.write_urgent = sa_write_urgent,
	.close = sa_close,
};

struct serve_ctl *
serve_ctl_new(struct serve *sv, serve_ctl_out_fn *out, void *arg)
{
	struct serve_ctl *ctl;

	if ((ctl = calloc(1, sizeof(*ctl))) == NULL)
		return NULL;
	if ((ctl->ac = agent_ctl_new(&serve_agent_ops, ctl)) == NULL) {
		free(ctl);
		return NULL;
	}
	ctl->sv = sv;
	ctl->out = out;
	ctl->arg = arg;
	ctl->next = sv->ctls;
	sv->ctls = ctl;
	return ctl;
}

/* The runner went away: its handles are closed, as the agent closes fds. */
void
serve_ctl_free(struct serve_ctl *ctl)
{
	struct serve_ctl **pp;

	if (ctl == NULL)
		return;
	for (pp = &ctl->sv->ctls; *pp != NULL; pp = &(*pp)->next)
		if (*pp == ctl) {
			*pp = ctl->next;
			break;
		}
	ctl->out = NULL;
	agent_ctl_free(ctl->ac);
	free(ctl);
}

void
serve_agent_free_all(struct serve *sv)
{
	while (sv->ctls != NULL)
		serve_ctl_free(sv->ctls);
}

size_t
serve_ctl_input(struct serve_ctl *ctl, const char *buf, size_t len,
    uint64_t now)
{
	if (now > ctl->sv->now)
		ctl->sv->now = now;
	return agent_ctl_input(ctl->ac, buf, len);
}

size_t
serve_ctl_room(const struct serve_ctl *ctl)
{
	return agent_ctl_room(ctl->ac);
}

int
serve_ctl_done(const struct serve_ctl *ctl)
{
	return agent_ctl_done(ctl->ac);
}

int
serve_ctl_busy(const struct serve_ctl *ctl)
{
	return agent_ctl_busy(ctl->ac);
}

void
serve_agent_poke(struct serve_ctl *ctl)
{
	agent_ctl_run(ctl->ac, 0);
}

void
serve_agent_timers(struct serve *sv)
{
	struct serve_ctl *ctl;

	for (ctl = sv->ctls; ctl != NULL; ctl = ctl->next)
		agent_ctl_timers(ctl->ac);
}

uint64_t
serve_agent_deadline(const struct serve *sv)
{
	const struct serve_ctl *ctl;
	uint64_t d = TCP_NO_TIMER, t;

	for (ctl = sv->ctls; ctl != NULL; ctl = ctl->next)
		if ((t = agent_ctl_deadline(ctl->ac)) < d)
			d = t;
	return d;
}

/*
 * The back end.
 */
static uint64_t
sa_now(void *ctx)
{
	struct serve_ctl *ctl = ctx;

	return ctl->sv->now;
}

static void
sa_reply(void *ctx, const char *line, size_t len)
{
	struct serve_ctl *ctl = ctx;

	if (ctl->out != NULL)
		ctl->out(ctl->arg, line, len);
}

static void
sa_os(void *ctx, char *buf, size_t size)
{
	(void)ctx;
	snprintf(buf, size, "tcpconform");
}

/* The fault target's settings: which faults it has, and its MSL. */
static void
sa_info(void *ctx, char *buf, size_t size)
{
	struct serve_ctl *ctl = ctx;
	const struct serve_config *cf = &ctl->sv->cfg;
	size_t n;
	int i, w, any = 0;

	w = snprintf(buf, size, "release=%s stack=tcpconform-serve "
	    "msl_ms=%llu faults=", PACKAGE_VERSION,
	    (unsigned long long)(cf->tcp.msl_us / 1000));
	if (w < 0 || (size_t)w >= size)
		return;
	n = (size_t)w;
	for (i = 0; i < SF_N; i++) {
		if (!SERVE_FAULT_HAS(&cf->faults, i))
			continue;
		w = snprintf(buf + n, size - n, "%s%s", any ? "," : "",
		    serve_faults[i].name);
		if (w < 0 || (size_t)w >= size - n)
			return;
		n += (size_t)w;
		any = 1;
	}
	if (!any)
		snprintf(buf + n, size - n, "none");
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

/*
 * A port for LISTEN on port 0: the next of the ephemeral range in turn, as
 * a kernel hands them out, not the lowest free one.  A port the
 * application has just closed stays closed for a while (a case may probe
 * it as one nobody listens on) instead of going to the next listener.
 */
static uint16_t
listen_port(struct serve *sv)
{
	unsigned n, span = (unsigned)sv->cfg.eph_hi - sv->cfg.eph_lo + 1;
	uint16_t p = sv->cfg.eph_lo;

	if (sv->listen_next < sv->cfg.eph_lo ||
	    sv->listen_next > sv->cfg.eph_hi)
		sv->listen_next = sv->cfg.eph_lo;
	for (n = 0; n < span; n++) {
		p = sv->listen_next;
		sv->listen_next = p >= sv->cfg.eph_hi ? sv->cfg.eph_lo :
		    p + 1;
		if (serve_listener_find(sv, p) == NULL)
			break;
	}
	return p;
}

static int
sa_listen(void *ctx, const struct agent_req *r, union agent_sock *s,
    struct agent_err *e)
{
	struct serve_ctl *ctl = ctx;
	struct serve *sv = ctl->sv;
	struct serve_conn *l;
	char *err = NULL;
	static const uint8_t any[16];
	uint16_t port = r->port;

	if (r->family != sv->cfg.family)
		return agent_err_set(e, EAFNOSUPPORT, "this target has only "
		    "IPv%d", sv->cfg.family == AF_INET ? 4 : 6);
	if (r->addrlen != 0 && !same_addr(sv, req_addr(&r->addr)) &&
	    memcmp(req_addr(&r->addr), any, sv->cfg.family == AF_INET ?
	    4 : 16) != 0)
		return agent_err_set(e, EADDRNOTAVAIL, "not this target's "
		    "address");
	if (port != 0 && port == sv->cfg.agent_port)
		return agent_err_set(e, EACCES, "port %u is the agent's "
		    "control port", port);
	if (port == 0)
		port = listen_port(sv);
	/* "Any open port" listeners give way to the application's. */
	if ((l = serve_listener_find(sv, port)) != NULL) {
		if (l->svc != SVC_ANY)
			return agent_err_set(e, EADDRINUSE, "port %u is in "
			    "use", port);
		serve_conn_drop(l);
	}
	if ((l = serve_listen(sv, port, SVC_AGENT, r->rcvbuf > 0 ?
	    (uint32_t)r->rcvbuf : 0, r->sndbuf > 0 ? (uint32_t)r->sndbuf : 0,
	    &err)) == NULL) {
		agent_err_set(e, EADDRINUSE, "listen on port %u: %s", port,
		    err);
		free(err);
		return -1;
	}
	l->ctl = ctl;
	/* Its connections copy its hooks: Nagle on (RFC 9293 SHLD-7). */
	l->tcb->hooks.nagle = serve_fault_nagle(sv, r->nodelay == 1);
	s->ptr = l;
	return 0;
}

static int
sa_accept(void *ctx, union agent_sock ls, union agent_sock *s,
    struct agent_err *e)
{
	struct serve_conn *l = ls.ptr, *c;

	(void)e;
	if ((c = l->aq_head) == NULL)
		return 0;
	l->aq_head = c->aq_next;
	c->aq_next = NULL;
	c->queued = 0;
	c->parent = NULL;
	c->ctl = ctx;
	s->ptr = c;
	return 1;
}

/* The destination may be reached from this target, then the handshake. */
static int
sa_connect(void *ctx, const struct agent_req *r, union agent_sock *s,
    int *inprogress, struct agent_err *e)
{
	struct serve_ctl *ctl = ctx;
	struct serve *sv = ctl->sv;
	struct serve_conn *c;
	static const uint8_t any[16];
	size_t alen = sv->cfg.family == AF_INET6 ? 16 : 4;
	const uint8_t *raddr;
	char *err = NULL;

	if (r->family != sv->cfg.family)
		return agent_err_set(e, EAFNOSUPPORT, "this target has only "
		    "IPv%d", sv->cfg.family == AF_INET ? 4 : 6);
	raddr = req_addr(&r->addr);
	if (memcmp(sv->cfg.client, any, alen) != 0 &&
	    memcmp(raddr, sv->cfg.client, alen) != 0)
		return agent_err_set(e, EACCES, "destination not allowed: "
		    "this target reaches only its tester");
	if (r->laddrlen != 0 && !same_addr(sv, req_addr(&r->laddr)))
		return agent_err_set(e, EADDRNOTAVAIL, "laddr is not this "
		    "target's");
	if (r->lport != 0 && (r->lport == sv->cfg.agent_port ||
	    serve_listener_find(sv, r->lport) != NULL))
		return agent_err_set(e, EADDRINUSE, "local port %u is in use",
		    r->lport);
	if ((c = serve_connect(sv, raddr, r->port, r->lport,
	    r->rcvbuf > 0 ? (uint32_t)r->rcvbuf : 0, r->sndbuf > 0 ?
	    (uint32_t)r->sndbuf : 0, &err)) == NULL) {
		agent_err_set(e, EADDRINUSE, "connect: %s", err);
		free(err);
		return -1;
	}
	c->ctl = ctl;
	c->tcb->hooks.nagle = serve_fault_nagle(sv, r->nodelay == 1);
	s->ptr = c;
	*inprogress = 1;	/* the SYN is out; its answer comes later */
	return 0;
}

static int
sa_connected(void *ctx, union agent_sock s)
{
	struct serve_conn *c = s.ptr;

	(void)ctx;
	if (c->tcb == NULL)
		return c->error != 0 ? c->error : ECONNREFUSED;
	return tcps_have_established(c->tcb->state) ? 0 : EINPROGRESS;
}

static ssize_t
sa_read(void *ctx, union agent_sock s, void *buf, size_t len, int *err)
{
	struct serve_conn *c = s.ptr;
	size_t n;

	(void)ctx;
	if ((n = serve_conn_read(c, buf, len)) > 0)
		return (ssize_t)n;
	/* Nothing more queued.  Why? */
	if (serve_conn_at_eof(c)) {
		c->eof_read = 1;
		return 0;
	}
	*err = c->tcb == NULL ? (c->error != 0 ? c->error : ENOTCONN) :
	    EAGAIN;
	return -1;
}

/*
 * A write to a connection the application closed, or whose TCB is gone:
 * its error (a reset's ECONNRESET), or EPIPE as write(2) gives.
 */
static int
conn_gone(const struct serve_conn *c, int *err)
{
	if (c->tcb != NULL && !c->app_closed)
		return 0;
	*err = c->error != 0 ? c->error : EPIPE;
	return 1;
}

static ssize_t
sa_write(void *ctx, union agent_sock s, const void *buf, size_t len,
    int *err)
{
	struct serve_conn *c = s.ptr;
	ssize_t n;
	char *msg = NULL;

	(void)ctx;
	if (conn_gone(c, err))
		return -1;
	if ((n = tcp_send(c->tcb, buf, len, &msg)) < 0) {
		free(msg);
		if ((n = serve_fault_write_shut(c, buf, len)) >= 0)
			return n;
		*err = EPIPE;		/* write(2) after shutdown */
		return -1;
	}
	if (n == 0) {
		*err = EAGAIN;		/* the send buffer is full */
		return -1;
	}
	serve_fault_write(c->sv, c->tcb);
	return n;
}

/* SHUTDOWN, LINGER, RCVBUF, SNDBUF, NODELAY. */
static int
sa_setopt(void *ctx, union agent_sock s, const struct agent_req *r,
    int *value, struct agent_err *e)
{
	struct serve_conn *c = s.ptr;
	char *err = NULL;
	int how;

	(void)ctx;
	switch (r->verb) {
	case AV_SHUTDOWN:
		if (c->tcb == NULL || c->listener)
			return agent_err_set(e, ENOTCONN, "shutdown: not "
			    "connected");
		how = serve_fault_shutdown(c->sv, r->how);
		if (how == SHUT_RD || how == SHUT_RDWR)
			c->rd_shut = 1;
		/*
		 * Neither side of the application's socket is left: data that
		 * arrives now can never be read, as after close(), and gets
		 * an RST (RFC 1122 4.2.2.13; Linux does so in FIN-WAIT).
		 */
		if (how == SHUT_RDWR)
			c->tcb->flags |= TCPF_APPCLOSED;
		if ((how == SHUT_WR || how == SHUT_RDWR) &&
		    tcp_shutdown(c->tcb, &err) == -1) {
			agent_err_set(e, ENOTCONN, "shutdown: %s", err);
			free(err);
			return -1;
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
		*value = r->size;
		break;
	case AV_NODELAY:
		if (c->tcb != NULL)
			c->tcb->hooks.nagle = serve_fault_nagle(c->sv, r->on);
		break;
	case AV_KEEPALIVE:
		if (c->tcb != NULL)
			tcp_set_keepalive(c->tcb, serve_fault_keepalive(c->sv,
			    r->on ? (uint64_t)r->seconds * 1000000 : 0),
			    (uint64_t)r->seconds * 1000000);
		break;
	default:
		break;
	}
	return 0;
}

/* URGENT: the bytes, the last of them urgent (RFC 9293 3.8.5). */
static ssize_t
sa_write_urgent(void *ctx, union agent_sock s, const void *buf, size_t len,
    int *err)
{
	struct serve_conn *c = s.ptr;
	ssize_t n;
	char *msg = NULL;

	(void)ctx;
	if (conn_gone(c, err))
		return -1;
	if ((n = tcp_send_urgent(c->tcb, buf, len, &msg)) < 0) {
		free(msg);
		*err = EPIPE;
		return -1;
	}
	if (n == 0) {
		*err = EAGAIN;
		return -1;
	}
	return n;
}

static int
sa_names(void *ctx, union agent_sock s, struct sockaddr_storage *local,
    struct sockaddr_storage *peer)
{
	struct serve_ctl *ctl = ctx;
	struct serve_conn *c = s.ptr;

	sockaddr_of(ctl->sv, ctl->sv->cfg.addr, c->tuple.lport, local);
	if (peer == NULL || c->listener)
		return AGENT_NAME_LOCAL;
	sockaddr_of(ctl->sv, c->tuple.raddr, c->tuple.rport, peer);
	return AGENT_NAME_LOCAL | AGENT_NAME_PEER;
}

static void
sa_status(void *ctx, union agent_sock s, int listening,
    struct agent_sockinfo *si)
{
	struct serve_conn *c = s.ptr;
	struct tcb *tp = c->tcb;

	(void)ctx;
	(void)listening;
	si->rcvbuf = tp != NULL ? tp->rcvbuf_max : 0;
	si->sndbuf = tp != NULL ? tp->sndbuf_max : 0;
	si->unread = serve_conn_readable(c);
	si->state = tp != NULL ? tcps_names[tp->state] : "CLOSED";
}

/* What poll(2) would say of the connection: in, out, hup, err, rdhup. */
static int
sa_poll(void *ctx, union agent_sock s, int events)
{
	struct serve_conn *c = s.ptr;
	struct tcb *tp = c->tcb;
	int ev = 0;

	(void)ctx;
	if (c->listener)
		return (events & AGENT_EV_IN) && c->aq_head != NULL ?
		    AGENT_EV_IN : 0;
	if ((events & AGENT_EV_IN) && (serve_conn_readable(c) > 0 ||
	    serve_conn_at_eof(c) || tp == NULL))
		ev |= AGENT_EV_IN;
	if ((events & AGENT_EV_OUT) && tp != NULL &&
	    tcps_can_send(tp->state) && !(tp->flags & TCPF_SHUT_WR) &&
	    tp->snd.len < tp->sndbuf_max)
		ev |= AGENT_EV_OUT;
	if (tp == NULL)
		ev |= c->error != 0 ? AGENT_EV_ERR | AGENT_EV_HUP :
		    AGENT_EV_HUP;
	if ((events & AGENT_EV_IN) && serve_conn_at_eof(c))
		ev |= AGENT_EV_RDHUP;
	return ev;
}

/* close(2) of a handle: the application closes the connection. */
static void
sa_close(void *ctx, union agent_sock s)
{
	struct serve_conn *c = s.ptr;

	(void)ctx;
	serve_conn_close(c);	/* c->ctl holds c meanwhile */
	c->ctl = NULL;
	serve_conn_release(c);
}
