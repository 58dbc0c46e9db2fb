/*
 * Copyright (c) 2026 The tcpconform developers.  SPDX-License-Identifier: ISC
 *
 * lwip_agent.c: the lwIP lab target's agent: control connections on lwIP's
 * own sockets (the runner reaches the agent over the TCP under test, as it
 * reaches a remote host's tcpconform-agent), each handed to the agent
 * engine (agent_engine.h) with the back end of lwip_be.c.  One thread,
 * one lwip_poll() over every control connection and every socket the
 * engine waits on: lwIP's poll knows only lwIP's sockets, so nothing here
 * is a kernel socket.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lwip/opt.h"
#include "lwip/sockets.h"

#include "lwip_lab.h"

#define CTL_MAX		64	/* control connections at once */

struct slot {
	struct lwip_ctl	*c;	/* NULL: a control listener */
	int		 h;	/* 0: the control connection itself */
	int		 s;
};

struct lwip_agent {
	const struct lwip_agent_cfg *cfg;
	const int	*lst;
	struct lwip_ctl	*ctl[CTL_MAX];
	int		 nctl;
};

uint64_t
lwip_ctl_now(void *ctx)
{
	struct timespec ts;

	(void)ctx;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000;
}

void
lwip_ctl_reply(void *ctx, const char *line, size_t len)
{
	struct lwip_ctl *c = ctx;

	if (c->cfg->verbose)
		fprintf(stderr, "lwip_target: %s < %.*s", c->name, (int)len,
		    line);
	/* A request runs only with room for its reply (can_reply). */
	if (len > sizeof(c->out) - c->outlen)
		len = sizeof(c->out) - c->outlen;
	memcpy(c->out + c->outlen, line, len);
	c->outlen += len;
}

int
lwip_ctl_can_reply(void *ctx)
{
	struct lwip_ctl *c = ctx;

	return sizeof(c->out) - c->outlen >= AGENT_REPLY_MAX;
}

void
lwip_ctl_request(void *ctx, const char *line, size_t len)
{
	struct lwip_ctl *c = ctx;

	if (c->cfg->verbose)
		fprintf(stderr, "lwip_target: %s > %.*s\n", c->name, (int)len,
		    line);
}

/* A listening socket on any address of family, non-blocking or not. */
int
lwip_listen_on(int family, uint16_t port, int nonblock)
{
	struct sockaddr_storage ss;
	socklen_t len;
	int s, on = 1;

	memset(&ss, 0, sizeof(ss));
	ss.ss_family = (sa_family_t)family;
	if (family == AF_INET) {
		((struct sockaddr_in *)&ss)->sin_port = htons(port);
		len = sizeof(struct sockaddr_in);
	} else {
		((struct sockaddr_in6 *)&ss)->sin6_port = htons(port);
		len = sizeof(struct sockaddr_in6);
	}
	if ((s = lwip_socket(family, SOCK_STREAM, 0)) == -1)
		return -1;
	if ((family == AF_INET6 && lwip_setsockopt(s, IPPROTO_IPV6,
	    IPV6_V6ONLY, &on, sizeof(on)) == -1) ||
	    lwip_setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &on,
	    sizeof(on)) == -1 ||
	    (nonblock && lwip_fcntl(s, F_SETFL, O_NONBLOCK) == -1) ||
	    lwip_bind(s, (struct sockaddr *)&ss, len) == -1 ||
	    lwip_listen(s, 16) == -1) {
		fprintf(stderr, "lwip_target: port %u: %s\n", port,
		    strerror(errno));
		lwip_close(s);
		return -1;
	}
	return s;
}

/* A new control connection on listening socket ls, if it is trusted. */
static void
ctl_accept(struct lwip_agent *ag, int ls)
{
	static const char refused[] = "ERR EACCES control connection "
	    "refused (not trusted, or too many)\n";
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);
	struct lwip_ctl *c;
	int s;

	memset(&ss, 0, sizeof(ss));
	if ((s = lwip_accept(ls, (struct sockaddr *)&ss, &len)) == -1)
		return;
	if (lwip_fcntl(s, F_SETFL, O_NONBLOCK) == -1 ||
	    !ag->cfg->trusted(&ss) || ag->nctl == CTL_MAX ||
	    (c = calloc(1, sizeof(*c))) == NULL) {
		(void)lwip_send(s, refused, sizeof(refused) - 1, 0);
		lwip_close(s);
		return;
	}
	c->cfg = ag->cfg;
	c->s = s;
	agent_fmt_sockaddr(c->name, sizeof(c->name), "from", "port",
	    (struct sockaddr *)&ss);
	if ((c->ac = agent_ctl_new(&lwip_agent_ops, c)) == NULL) {
		lwip_close(s);
		free(c);
		return;
	}
	ag->ctl[ag->nctl++] = c;
	if (ag->cfg->verbose)
		fprintf(stderr, "lwip_target: control connection%s\n",
		    c->name);
}

/* The runner went away: its sockets close with the control connection. */
static void
ctl_free(struct lwip_agent *ag, int i)
{
	struct lwip_ctl *c = ag->ctl[i];

	agent_ctl_free(c->ac);
	lwip_close(c->s);
	free(c);
	ag->ctl[i] = ag->ctl[--ag->nctl];
}

static void
ctl_input(struct lwip_ctl *c)
{
	char buf[AGENT_LINE_MAX];
	size_t room = agent_ctl_room(c->ac);
	ssize_t n;

	if (room == 0)
		return;
	n = lwip_recv(c->s, buf, room < sizeof(buf) ? room : sizeof(buf), 0);
	if (n == 0)
		c->peer_eof = 1;
	else if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK &&
	    errno != EINTR)
		c->dead = 1;
	else if (n > 0)
		agent_ctl_input(c->ac, buf, (size_t)n);
}

static void
ctl_output(struct lwip_ctl *c)
{
	size_t was = c->outlen;
	ssize_t n;

	if (c->outoff == c->outlen)
		return;
	n = lwip_send(c->s, c->out + c->outoff, c->outlen - c->outoff, 0);
	if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
		c->dead = 1;
	else if (n > 0)
		c->outoff += (size_t)n;
	if (c->outoff == c->outlen)
		c->outoff = c->outlen = 0;
	/* Room for replies again: requests that waited for it may run. */
	if (c->outlen < was && !c->dead)
		agent_ctl_run(c->ac, 0);
}

static int
poll_build(struct lwip_agent *ag, struct pollfd *pfd, struct slot *slot)
{
	union agent_sock s;
	struct lwip_ctl *c;
	short ev;
	int i, h, want, n = 0;

	for (i = 0; i < 2; i++) {
		if (ag->lst[i] == -1)
			continue;
		pfd[n].fd = ag->lst[i];
		pfd[n].events = POLLIN;
		slot[n].c = NULL;
		slot[n].s = ag->lst[i];
		slot[n++].h = 0;
	}
	for (i = 0; i < ag->nctl; i++) {
		c = ag->ctl[i];
		ev = lwip_be_events(agent_ctl_events(c->ac,
		    c->outlen > c->outoff, c->peer_eof));
		pfd[n].fd = c->s;
		pfd[n].events = ev;
		slot[n].c = c;
		slot[n].s = c->s;
		slot[n++].h = 0;
		for (h = 1; h <= AGENT_MAX_HANDLES; h++) {
			if ((want = agent_ctl_wants(c->ac, h, &s)) == 0)
				continue;
			pfd[n].fd = s.fd;
			pfd[n].events = lwip_be_events(want);
			slot[n].c = c;
			slot[n].s = s.fd;
			slot[n++].h = h;
		}
	}
	for (i = 0; i < n; i++)
		pfd[i].revents = 0;
	return n;
}

static void
poll_dispatch(struct lwip_agent *ag, struct pollfd *pfd, struct slot *slot,
    int n)
{
	struct lwip_ctl *c;
	short rev;
	int k;

	for (k = 0; k < n; k++) {
		if ((rev = pfd[k].revents) == 0)
			continue;
		c = slot[k].c;
		if (c == NULL)
			ctl_accept(ag, slot[k].s);
		else if (slot[k].h != 0)
			agent_ctl_run(c->ac, slot[k].h);
		else if (rev & POLLOUT)
			ctl_output(c);
		else if (rev & POLLIN)
			ctl_input(c);
		else if (rev & (POLLERR | POLLHUP | POLLNVAL))
			c->dead = 1;
	}
}

static void
sweep(struct lwip_agent *ag)
{
	struct lwip_ctl *c;
	int i;

	for (i = 0; i < ag->nctl; i++) {
		c = ag->ctl[i];
		agent_ctl_timers(c->ac);
		ctl_output(c);
		/* The runner shut down its side: answer, then close. */
		if (c->peer_eof && agent_ctl_idle(c->ac) && c->outlen == 0)
			c->dead = 1;
		if (c->dead || (agent_ctl_done(c->ac) && c->outlen == 0))
			ctl_free(ag, i--);
	}
}

/* At most 200 ms, so that a stop request is seen. */
static int
poll_timeout(struct lwip_agent *ag)
{
	uint64_t now = lwip_ctl_now(NULL), d = now + 200000, t;
	int i;

	for (i = 0; i < ag->nctl; i++)
		if ((t = agent_ctl_deadline(ag->ctl[i]->ac)) < d)
			d = t;
	return d <= now ? 0 : (int)((d - now + 999) / 1000);
}

int
lwip_agent_serve(const struct lwip_agent_cfg *cfg, const int *lst)
{
	struct lwip_agent ag;
	struct pollfd *pfd;
	struct slot *slot;
	size_t max = 2 + CTL_MAX * (AGENT_MAX_HANDLES + 1);
	int n, rc = 0;

	memset(&ag, 0, sizeof(ag));
	ag.cfg = cfg;
	ag.lst = lst;
	pfd = calloc(max, sizeof(*pfd));
	slot = calloc(max, sizeof(*slot));
	if (pfd == NULL || slot == NULL)
		rc = -1;
	while (rc == 0 && !*cfg->stop) {
		n = poll_build(&ag, pfd, slot);
		if (lwip_poll(pfd, (nfds_t)n, poll_timeout(&ag)) == -1 &&
		    errno != EINTR) {
			fprintf(stderr, "lwip_target: poll: %s\n",
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
