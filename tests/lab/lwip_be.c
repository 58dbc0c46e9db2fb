/*
 * Copyright (c) 2026 The tcpconform developers.  SPDX-License-Identifier: ISC
 *
 * lwip_be.c: the agent's back end (lab_agent.h) on lwIP's socket API
 * (lwip_socket() and friends, Debian's liblwip 2.1.3 built with NO_SYS=0),
 * one function per request.  What the application does here is what an
 * lwIP application would do, so the verdicts are lwIP's: e.g. CLOSE is
 * lwip_close(), whose netconn decides between FIN and RST.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>

#include "lwip/opt.h"
#include "lwip/sockets.h"
#include "lwip/tcp.h"
#include "lwip/api.h"
#include "lwip/init.h"
#include "lwip/priv/sockets_priv.h"

#include "lab_agent.h"
#include "lwip_lab.h"

static int
fail(struct agent_err *e, const char *what)
{
	e->code = errno != 0 ? errno : EIO;
	snprintf(e->msg, sizeof(e->msg), "%s: %s", what, strerror(e->code));
	return -1;
}

static int
nonblock(int s)
{
	return lwip_fcntl(s, F_SETFL, O_NONBLOCK);
}

static int
bufs(int s, const struct agent_req *r)
{
	/*
	 * lwIP's SO_RCVBUF limits what its receive mailbox holds, not the
	 * window it offers (TCP_WND is fixed at build time); SO_SNDBUF does
	 * not exist.  An option it refuses fails the request: a case that
	 * sizes a buffer does not get a silent default.
	 */
	if (r->rcvbuf > 0 && lwip_setsockopt(s, SOL_SOCKET, SO_RCVBUF,
	    &r->rcvbuf, sizeof(r->rcvbuf)) == -1)
		return -1;
	if (r->sndbuf > 0 && lwip_setsockopt(s, SOL_SOCKET, SO_SNDBUF,
	    &r->sndbuf, sizeof(r->sndbuf)) == -1)
		return -1;
	return 0;
}

static int
be_listen(const struct agent_req *r, int *sp, struct agent_err *e)
{
	struct sockaddr_storage ss;
	socklen_t len;
	int s, on = 1;

	memset(&ss, 0, sizeof(ss));
	if (r->addrlen != 0)
		memcpy(&ss, &r->addr, sizeof(ss));
	ss.ss_family = (sa_family_t)r->family;
	if (r->family == AF_INET) {
		((struct sockaddr_in *)&ss)->sin_port = htons(r->port);
		len = sizeof(struct sockaddr_in);
	} else {
		((struct sockaddr_in6 *)&ss)->sin6_port = htons(r->port);
		len = sizeof(struct sockaddr_in6);
	}
	errno = 0;
	if ((s = lwip_socket(r->family, SOCK_STREAM, 0)) == -1)
		return fail(e, "socket");
	if (nonblock(s) == -1 || bufs(s, r) == -1 ||
	    (r->family == AF_INET6 && lwip_setsockopt(s, IPPROTO_IPV6,
	    IPV6_V6ONLY, &on, sizeof(on)) == -1) ||
	    (r->reuse && lwip_setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &on,
	    sizeof(on)) == -1)) {
		fail(e, "socket options");
		lwip_close(s);
		return -1;
	}
	if (lwip_bind(s, (struct sockaddr *)&ss, len) == -1 ||
	    lwip_listen(s, r->backlog) == -1) {
		fail(e, "bind or listen");
		lwip_close(s);
		return -1;
	}
	*sp = s;
	return 0;
}

static int
be_accept(int ls, int *sp, struct sockaddr_storage *peer,
    struct agent_err *e)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);
	int s;

	errno = 0;
	if ((s = lwip_accept(ls, (struct sockaddr *)&ss, &len)) == -1) {
		if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR ||
		    errno == ECONNABORTED)
			return 0;
		return fail(e, "accept");
	}
	if (nonblock(s) == -1) {
		fail(e, "accept");
		lwip_close(s);
		return -1;
	}
	if (peer != NULL)
		memcpy(peer, &ss, sizeof(ss));
	*sp = s;
	return 1;
}

static int
be_connect(const struct agent_req *r, int *sp, int *inprogress,
    struct agent_err *e)
{
	struct sockaddr_storage ls;
	socklen_t llen;
	int s, on = 1;

	errno = 0;
	if ((s = lwip_socket(r->family, SOCK_STREAM, 0)) == -1)
		return fail(e, "socket");
	if (nonblock(s) == -1 || bufs(s, r) == -1 ||
	    (r->nodelay >= 0 && lwip_setsockopt(s, IPPROTO_TCP, TCP_NODELAY,
	    &r->nodelay, sizeof(r->nodelay)) == -1) ||
	    (r->lport != 0 && r->reuse && lwip_setsockopt(s, SOL_SOCKET,
	    SO_REUSEADDR, &on, sizeof(on)) == -1)) {
		fail(e, "socket options");
		lwip_close(s);
		return -1;
	}
	if (r->lport != 0 || r->laddrlen != 0) {
		memset(&ls, 0, sizeof(ls));
		if (r->laddrlen != 0)
			memcpy(&ls, &r->laddr, sizeof(ls));
		ls.ss_family = (sa_family_t)r->family;
		if (r->family == AF_INET) {
			((struct sockaddr_in *)&ls)->sin_port = htons(r->lport);
			llen = sizeof(struct sockaddr_in);
		} else {
			((struct sockaddr_in6 *)&ls)->sin6_port =
			    htons(r->lport);
			llen = sizeof(struct sockaddr_in6);
		}
		if (lwip_bind(s, (struct sockaddr *)&ls, llen) == -1) {
			fail(e, "bind");
			lwip_close(s);
			return -1;
		}
	}
	*inprogress = 0;
	if (lwip_connect(s, (const struct sockaddr *)&r->addr,
	    r->addrlen) == -1) {
		if (errno != EINPROGRESS) {
			fail(e, "connect");
			lwip_close(s);
			return -1;
		}
		*inprogress = 1;
	}
	*sp = s;
	return 0;
}

static int
be_connect_result(int s, struct agent_err *e)
{
	int soerr = 0;
	socklen_t len = sizeof(soerr);

	errno = 0;
	if (lwip_getsockopt(s, SOL_SOCKET, SO_ERROR, &soerr, &len) == -1)
		return fail(e, "connect");
	if (soerr != 0) {
		errno = soerr;
		return fail(e, "connect");
	}
	return 0;
}

static ssize_t
be_read(int s, void *buf, size_t n, int *err)
{
	ssize_t r;

	errno = 0;
	r = lwip_recv(s, buf, n, 0);
	*err = r < 0 ? errno : 0;
	return r;
}

static ssize_t
be_write(int s, const void *buf, size_t n, int *err)
{
	ssize_t r;

	errno = 0;
	r = lwip_send(s, buf, n, 0);
	*err = r < 0 ? errno : 0;
	return r;
}

static int
be_shutdown(int s, int how, struct agent_err *e)
{
	errno = 0;
	return lwip_shutdown(s, how) == -1 ? fail(e, "shutdown") : 0;
}

static void
be_close(int s)
{
	lwip_close(s);
}

static int
be_linger(int s, int on, int seconds, struct agent_err *e)
{
	struct linger l;

	l.l_onoff = on;
	l.l_linger = seconds;
	errno = 0;
	if (lwip_setsockopt(s, SOL_SOCKET, SO_LINGER, &l, sizeof(l)) == -1)
		return fail(e, "SO_LINGER");
	return 0;
}

static int
be_setbuf(int s, int opt, int size, int *got, struct agent_err *e)
{
	socklen_t len = sizeof(*got);

	errno = 0;
	if (lwip_setsockopt(s, SOL_SOCKET, opt, &size, sizeof(size)) == -1 ||
	    lwip_getsockopt(s, SOL_SOCKET, opt, got, &len) == -1)
		return fail(e, opt == SO_RCVBUF ? "SO_RCVBUF" : "SO_SNDBUF");
	return 0;
}

static int
be_nodelay(int s, int on, struct agent_err *e)
{
	errno = 0;
	if (lwip_setsockopt(s, IPPROTO_TCP, TCP_NODELAY, &on,
	    sizeof(on)) == -1)
		return fail(e, "TCP_NODELAY");
	return 0;
}

static int
be_name(int s, int peer, struct sockaddr_storage *ss)
{
	socklen_t len = sizeof(*ss);

	memset(ss, 0, sizeof(*ss));
	if (peer)
		return lwip_getpeername(s, (struct sockaddr *)ss, &len);
	return lwip_getsockname(s, (struct sockaddr *)ss, &len);
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
		return "";
	return names[st];
}

/*
 * The state comes from the socket's PCB, read under the core lock (the
 * socket layer has no getter for it); "" once the PCB is gone.
 */
static void
be_info(int s, struct lab_sockinfo *si)
{
	struct lwip_sock *sock;
	socklen_t len;
	int st = -1;

	memset(si, 0, sizeof(*si));
	len = sizeof(si->rcvbuf);
	if (lwip_getsockopt(s, SOL_SOCKET, SO_RCVBUF, &si->rcvbuf, &len) == -1)
		si->rcvbuf = -1;
	si->sndbuf = TCP_SND_BUF;	/* fixed at build time */
	if (lwip_ioctl(s, FIONREAD, &si->unread) == -1)
		si->unread = 0;
	LOCK_TCPIP_CORE();
	sock = lwip_socket_dbg_get_socket(s);
	if (sock != NULL && sock->conn != NULL &&
	    NETCONNTYPE_GROUP(sock->conn->type) == NETCONN_TCP &&
	    sock->conn->pcb.tcp != NULL)
		st = (int)sock->conn->pcb.tcp->state;
	UNLOCK_TCPIP_CORE();
	snprintf(si->state, sizeof(si->state), "%s", state_name(st));
}

static int
be_poll(struct pollfd *p, nfds_t n, int timeout)
{
	return lwip_poll(p, n, timeout);
}

const struct lab_be lwip_be = {
	.name = "lwip-target",
	.os = "lwIP-" LWIP_VERSION_STRING,
	.listen = be_listen,
	.accept = be_accept,
	.connect = be_connect,
	.connect_result = be_connect_result,
	.read = be_read,
	.write = be_write,
	.shutdown = be_shutdown,
	.close = be_close,
	.linger = be_linger,
	.setbuf = be_setbuf,
	.nodelay = be_nodelay,
	.sockname = be_name,
	.info = be_info,
	.poll = be_poll,
};

/* A control listener on the lab address, port port; -1 on failure. */
int
lwip_be_ctl_listen(int family, uint16_t port)
{
	struct agent_req r;
	struct agent_err e;
	int s;

	memset(&r, 0, sizeof(r));
	r.family = family;
	r.port = port;
	r.backlog = 16;
	r.rcvbuf = r.sndbuf = -1;
	r.reuse = 1;
	if (be_listen(&r, &s, &e) == -1) {
		fprintf(stderr, "lwip_target: control port %u: %s\n", port,
		    e.msg);
		return -1;
	}
	return s;
}
