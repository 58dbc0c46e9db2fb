/*
 * Copyright (c) 2026 The tcpconform developers.  SPDX-License-Identifier: ISC
 *
 * lwip_be.c: the agent engine's back end (agent_engine.h) on lwIP's socket
 * API (lwip_socket() and friends, Debian's liblwip 2.1.3 built with
 * NO_SYS=0), one function per operation.  What the application does here
 * is what an lwIP application would do, so the verdicts are lwIP's: CLOSE
 * is lwip_close(), whose netconn decides between FIN and RST.  The engine's
 * ctx is the control connection (struct lwip_ctl, lwip_agent.c).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>

#include "lwip/opt.h"
#include "lwip/api.h"
#include "lwip/init.h"
#include "lwip/sockets.h"
#include "lwip/tcp.h"
#include "lwip/priv/sockets_priv.h"
#include "lwip/priv/tcp_priv.h"	/* TCP_MSL, for INFO */

#include "lwip_lab.h"

static int
fail(struct agent_err *e, const char *what)
{
	int code = errno != 0 ? errno : EIO;

	return agent_err_set(e, code, "%s: %s", what, strerror(code));
}

/*
 * lwIP's SO_RCVBUF limits what its receive mailbox holds, not the window
 * it offers (TCP_WND is fixed at build time), and it has no SO_SNDBUF: an
 * option it refuses fails the request, so that a case that sizes a buffer
 * never gets a silent default.
 */
static int
setbufs(int s, int rcvbuf, int sndbuf)
{
	if (rcvbuf > 0 && lwip_setsockopt(s, SOL_SOCKET, SO_RCVBUF, &rcvbuf,
	    sizeof(rcvbuf)) == -1)
		return -1;
	if (sndbuf > 0 && lwip_setsockopt(s, SOL_SOCKET, SO_SNDBUF, &sndbuf,
	    sizeof(sndbuf)) == -1)
		return -1;
	return 0;
}

/* r's address (or the family's any) with port, for bind. */
static socklen_t
sockaddr_for(const struct agent_req *r, const struct sockaddr_storage *a,
    socklen_t alen, uint16_t port, struct sockaddr_storage *ss)
{
	memset(ss, 0, sizeof(*ss));
	if (alen != 0)
		memcpy(ss, a, sizeof(*ss));
	ss->ss_family = (sa_family_t)r->family;
	if (r->family == AF_INET) {
		((struct sockaddr_in *)ss)->sin_port = htons(port);
		return sizeof(struct sockaddr_in);
	}
	((struct sockaddr_in6 *)ss)->sin6_port = htons(port);
	return sizeof(struct sockaddr_in6);
}

/* A non-blocking TCP socket of r's family with r's options. */
static int
newsock(const struct agent_req *r, int nodelay, struct agent_err *e)
{
	int s, on = 1;

	errno = 0;
	if ((s = lwip_socket(r->family, SOCK_STREAM, 0)) == -1)
		return fail(e, "socket");
	if (lwip_fcntl(s, F_SETFL, O_NONBLOCK) == -1 ||
	    setbufs(s, r->rcvbuf, r->sndbuf) == -1 ||
	    (r->family == AF_INET6 && lwip_setsockopt(s, IPPROTO_IPV6,
	    IPV6_V6ONLY, &on, sizeof(on)) == -1) ||
	    (r->reuse && lwip_setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &on,
	    sizeof(on)) == -1) ||
	    (nodelay >= 0 && lwip_setsockopt(s, IPPROTO_TCP, TCP_NODELAY,
	    &nodelay, sizeof(nodelay)) == -1)) {
		fail(e, "socket options");
		lwip_close(s);
		return -1;
	}
	return s;
}

static int
lw_listen(void *ctx, const struct agent_req *r, union agent_sock *sp,
    struct agent_err *e)
{
	struct lwip_ctl *c = ctx;
	struct sockaddr_storage ss;
	socklen_t len;
	int s;

	if (r->port != 0 && r->port == c->cfg->ctl_port)
		return agent_err_set(e, EACCES, "port %u is the agent's "
		    "control port", r->port);
	if ((s = newsock(r, -1, e)) == -1)
		return -1;
	len = sockaddr_for(r, &r->addr, r->addrlen, r->port, &ss);
	if (lwip_bind(s, (struct sockaddr *)&ss, len) == -1 ||
	    lwip_listen(s, r->backlog) == -1) {
		fail(e, "bind or listen");
		lwip_close(s);
		return -1;
	}
	sp->fd = s;
	return 0;
}

static int
lw_accept(void *ctx, union agent_sock l, union agent_sock *sp,
    struct agent_err *e)
{
	int s;

	(void)ctx;
	errno = 0;
	if ((s = lwip_accept(l.fd, NULL, NULL)) == -1) {
		if (errno == EAGAIN || errno == EWOULDBLOCK ||
		    errno == ECONNABORTED)
			return 0;
		return fail(e, "accept");
	}
	if (lwip_fcntl(s, F_SETFL, O_NONBLOCK) == -1) {
		fail(e, "accept");
		lwip_close(s);
		return -1;
	}
	sp->fd = s;
	return 1;
}

static int
lw_connect(void *ctx, const struct agent_req *r, union agent_sock *sp,
    int *inprogress, struct agent_err *e)
{
	struct lwip_ctl *c = ctx;
	struct sockaddr_storage ss;
	socklen_t len;
	int s;

	if (r->port == c->cfg->ctl_port || r->lport == c->cfg->ctl_port)
		return agent_err_set(e, EACCES, "port %u is the agent's "
		    "control port", c->cfg->ctl_port);
	if ((s = newsock(r, r->nodelay, e)) == -1)
		return -1;
	if (r->lport != 0 || r->laddrlen != 0) {
		len = sockaddr_for(r, &r->laddr, r->laddrlen, r->lport, &ss);
		if (lwip_bind(s, (struct sockaddr *)&ss, len) == -1) {
			fail(e, "bind");
			lwip_close(s);
			return -1;
		}
	}
	*inprogress = 0;
	errno = 0;
	if (lwip_connect(s, (const struct sockaddr *)&r->addr,
	    r->addrlen) == -1) {
		if (errno != EINPROGRESS) {
			fail(e, "connect");
			lwip_close(s);
			return -1;
		}
		*inprogress = 1;
	}
	sp->fd = s;
	return 0;
}

static int
lw_connected(void *ctx, union agent_sock s)
{
	struct pollfd p;
	int soerr = 0;
	socklen_t len = sizeof(soerr);

	(void)ctx;
	p.fd = s.fd;
	p.events = POLLOUT;
	p.revents = 0;
	if (lwip_poll(&p, 1, 0) <= 0 || p.revents == 0)
		return EINPROGRESS;
	if (lwip_getsockopt(s.fd, SOL_SOCKET, SO_ERROR, &soerr, &len) == -1)
		soerr = errno;
	return soerr;
}

static ssize_t
lw_read(void *ctx, union agent_sock s, void *buf, size_t len, int *err)
{
	ssize_t n;

	(void)ctx;
	errno = 0;
	if ((n = lwip_recv(s.fd, buf, len, 0)) < 0)
		*err = errno == EWOULDBLOCK ? EAGAIN : errno;
	return n;
}

/*
 * URGENT: lwip_send() with MSG_OOB, as an application would call it; lwIP
 * 2.1.3 passes only MSG_MORE and MSG_DONTWAIT on (src/api/sockets.c),
 * so the bytes go out as ordinary data.
 */
static ssize_t
lw_write_urgent(void *ctx, union agent_sock s, const void *buf, size_t len,
    int *err)
{
	ssize_t n;

	(void)ctx;
	errno = 0;
	n = lwip_send(s.fd, buf, len, MSG_OOB);
	if (n < 0)
		*err = errno != 0 ? errno : EIO;
	return n;
}

static ssize_t
lw_write(void *ctx, union agent_sock s, const void *buf, size_t len,
    int *err)
{
	ssize_t n;

	(void)ctx;
	errno = 0;
	if ((n = lwip_send(s.fd, buf, len, 0)) < 0)
		*err = errno == EWOULDBLOCK ? EAGAIN : errno;
	return n;
}

static int
lw_setopt(void *ctx, union agent_sock s, const struct agent_req *r,
    int *value, struct agent_err *e)
{
	struct linger l;
	socklen_t len = sizeof(*value);
	int opt, rc;

	(void)ctx;
	errno = 0;
	switch (r->verb) {
	case AV_SHUTDOWN:
		rc = lwip_shutdown(s.fd, r->how);
		break;
	case AV_LINGER:
		l.l_onoff = r->on;
		l.l_linger = r->seconds;
		rc = lwip_setsockopt(s.fd, SOL_SOCKET, SO_LINGER, &l,
		    sizeof(l));
		break;
	case AV_NODELAY:
		rc = lwip_setsockopt(s.fd, IPPROTO_TCP, TCP_NODELAY, &r->on,
		    sizeof(r->on));
		break;
	case AV_KEEPALIVE:
		/* lwIP takes TCP_KEEPIDLE and TCP_KEEPINTVL in seconds
		 * (LWIP_TCP_KEEPALIVE, on in Debian's lwipopts.h). */
		rc = lwip_setsockopt(s.fd, SOL_SOCKET, SO_KEEPALIVE, &r->on,
		    sizeof(r->on));
		if (rc == 0 && r->on)
			rc = lwip_setsockopt(s.fd, IPPROTO_TCP, TCP_KEEPIDLE,
			    &r->seconds, sizeof(r->seconds));
		if (rc == 0 && r->on)
			rc = lwip_setsockopt(s.fd, IPPROTO_TCP, TCP_KEEPINTVL,
			    &r->seconds, sizeof(r->seconds));
		break;
	default:
		opt = r->verb == AV_RCVBUF ? SO_RCVBUF : SO_SNDBUF;
		rc = lwip_setsockopt(s.fd, SOL_SOCKET, opt, &r->size,
		    sizeof(r->size));
		if (rc == 0)
			rc = lwip_getsockopt(s.fd, SOL_SOCKET, opt, value,
			    &len);
		break;
	}
	return rc == -1 ? fail(e, agent_verb_name(r->verb)) : 0;
}

static int
lw_names(void *ctx, union agent_sock s, struct sockaddr_storage *local,
    struct sockaddr_storage *peer)
{
	socklen_t len;
	int got = 0;

	(void)ctx;
	len = sizeof(*local);
	if (lwip_getsockname(s.fd, (struct sockaddr *)local, &len) == 0)
		got |= AGENT_NAME_LOCAL;
	len = sizeof(*peer);
	if (peer != NULL && lwip_getpeername(s.fd, (struct sockaddr *)peer,
	    &len) == 0)
		got |= AGENT_NAME_PEER;
	return got;
}

/* lwIP's enum tcp_state, by RFC 9293 name. */
static const char *
state_name(int st)
{
	static const char *const names[] = {
		[CLOSED] = "CLOSED", [LISTEN] = "LISTEN",
		[SYN_SENT] = "SYN-SENT", [SYN_RCVD] = "SYN-RECEIVED",
		[ESTABLISHED] = "ESTABLISHED", [FIN_WAIT_1] = "FIN-WAIT-1",
		[FIN_WAIT_2] = "FIN-WAIT-2", [CLOSE_WAIT] = "CLOSE-WAIT",
		[CLOSING] = "CLOSING", [LAST_ACK] = "LAST-ACK",
		[TIME_WAIT] = "TIME-WAIT",
	};

	if (st < 0 || (size_t)st >= sizeof(names) / sizeof(names[0]))
		return NULL;
	return names[st];
}

/*
 * The state comes from the socket's PCB, read under the core lock (the
 * socket layer has no getter for it); none once the PCB is gone.  The send
 * buffer is TCP_SND_BUF, fixed at build time.
 */
static void
lw_status(void *ctx, union agent_sock s, int listening,
    struct agent_sockinfo *si)
{
	struct lwip_sock *sock;
	socklen_t len;
	int rcv = 0, unread = 0, st = -1;

	(void)ctx;
	len = sizeof(rcv);
	if (lwip_getsockopt(s.fd, SOL_SOCKET, SO_RCVBUF, &rcv, &len) == -1)
		rcv = 0;
	if (listening || lwip_ioctl(s.fd, FIONREAD, &unread) == -1)
		unread = 0;
	LOCK_TCPIP_CORE();
	sock = lwip_socket_dbg_get_socket(s.fd);
	if (sock != NULL && sock->conn != NULL &&
	    NETCONNTYPE_GROUP(sock->conn->type) == NETCONN_TCP &&
	    sock->conn->pcb.tcp != NULL)
		st = (int)sock->conn->pcb.tcp->state;
	UNLOCK_TCPIP_CORE();
	si->rcvbuf = rcv > 0 ? (unsigned long)rcv : 0;
	si->sndbuf = TCP_SND_BUF;
	si->unread = unread > 0 ? (size_t)unread : 0;
	si->state = state_name(st);
}

/* The engine's events as poll(2)'s, and back (lwIP has no POLLRDHUP). */
short
lwip_be_events(int ev)
{
	return (short)(((ev & AGENT_EV_IN) ? POLLIN : 0) |
	    ((ev & AGENT_EV_OUT) ? POLLOUT : 0));
}

static int
lw_poll(void *ctx, union agent_sock s, int events)
{
	struct pollfd p;
	int ev = 0;

	(void)ctx;
	p.fd = s.fd;
	p.events = lwip_be_events(events);
	p.revents = 0;
	if (lwip_poll(&p, 1, 0) == -1)
		return AGENT_EV_ERR;
	if (p.revents & POLLIN)
		ev |= AGENT_EV_IN;
	if (p.revents & POLLOUT)
		ev |= AGENT_EV_OUT;
	if (p.revents & POLLHUP)
		ev |= AGENT_EV_HUP;
	if (p.revents & POLLERR)
		ev |= AGENT_EV_ERR;
	return ev;
}

static void
lw_close(void *ctx, union agent_sock s)
{
	(void)ctx;
	lwip_close(s.fd);
}

static void
lw_os(void *ctx, char *buf, size_t size)
{
	(void)ctx;
	snprintf(buf, size, "lwIP-%s", LWIP_VERSION_STRING);
}

/*
 * The build options that decide verdicts: the lab's lwipopts and lwIP's
 * own defaults, as this binary was compiled.
 */
static void
lw_info(void *ctx, char *buf, size_t size)
{
	(void)ctx;
	snprintf(buf, size, "release=%s stack=lwIP TCP_MSS=%d TCP_WND=%d "
	    "TCP_SND_BUF=%d LWIP_WND_SCALE=%d LWIP_TCP_TIMESTAMPS=%d "
	    "TCP_QUEUE_OOSEQ=%d LWIP_TCP_SACK_OUT=%d TCP_MSL_ms=%d "
	    "TCP_MAXRTX=%d TCP_SYNMAXRTX=%d LWIP_TCP_KEEPALIVE=%d "
	    "LWIP_IPV6=%d", LWIP_VERSION_STRING, (int)TCP_MSS, (int)TCP_WND,
	    (int)TCP_SND_BUF, (int)LWIP_WND_SCALE, (int)LWIP_TCP_TIMESTAMPS,
	    (int)TCP_QUEUE_OOSEQ, (int)LWIP_TCP_SACK_OUT, (int)TCP_MSL,
	    (int)TCP_MAXRTX, (int)TCP_SYNMAXRTX, (int)LWIP_TCP_KEEPALIVE,
	    (int)LWIP_IPV6);
}

const struct agent_ops lwip_agent_ops = {
	.name = "lwip-target",
	.io_burst = 16,
	.now = lwip_ctl_now,
	.reply = lwip_ctl_reply,
	.can_reply = lwip_ctl_can_reply,
	.request = lwip_ctl_request,
	.os = lw_os,
	.info = lw_info,
	.listen = lw_listen,
	.accept = lw_accept,
	.connect = lw_connect,
	.connected = lw_connected,
	.read = lw_read,
	.write = lw_write,
	.setopt = lw_setopt,
	.names = lw_names,
	.status = lw_status,
	.poll = lw_poll,
	.write_urgent = lw_write_urgent,
	.close = lw_close,
};
