/*
 * Copyright (c) 2026 The tcpconform developers.  SPDX-License-Identifier: ISC
 *
 * agent.c: tcpconform-agent, the small program that runs on the target host
 * and makes the target's application act for the runner: options, whom to
 * trust, the control listeners and the event loop.  It stands alone (plain
 * POSIX sockets and libc) so that it builds on any target:
 *
 *	cc -I../lib -o tcpconform-agent agent.c agent_acl.c \
 *	    agent_posix.c agent_engine.c agent_req.c agent_proto.c \
 *	    ../lib/hex.c
 *
 * The protocol itself (requests, handles, replies) is agent_engine.c's,
 * shared with the built-in agent of "tcpconform serve"; agent_posix.c is
 * its back end on this host's sockets.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <sys/types.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "agent.h"

#ifndef PACKAGE_VERSION
#define PACKAGE_VERSION	"unknown"
#endif

#define EXIT_STOPPED	0	/* stopped by SIGINT, SIGTERM or SIGHUP */
#define EXIT_RUNTIME	1	/* a fatal error while serving */
#define EXIT_USAGE	2	/* bad options, or no control socket */

struct listener {
	int	fd;
	char	name[64];
};

/*
 * What a pollfd is for: listener h (c NULL), a control socket (h 0), or
 * handle h of control connection c (its socket fd, which may close).
 */
struct slot {
	struct ctl	*c;
	int		 h;
	int		 fd;
};

struct agent {
	struct agent_cfg cfg;
	struct listener	 lst[CTL_LISTEN_MAX];
	int		 nlst;
	struct ctl	*ctl[CTL_MAX];
	int		 nctl;
};

static volatile sig_atomic_t stop;

static void	usage(FILE *);
static int	long_opt(int, char **);
static void	onsignal(int);
static int	ports_parse(const char *, unsigned *, unsigned *);
static int	opt_num(const char *, long, long, long *);
static int	options(struct agent *, int, char **, const char **, int *);
static void	fd_limit(struct agent_cfg *);
static void	sa_name(const struct sockaddr *, char *, size_t);
static int	ctl_listen(struct agent *, const char *, int);
static int	listen_all(struct agent *, const char **, int);
static void	ctl_accept(struct agent *, struct listener *);
static void	ctl_refuse(int, const char *, const char *);
static void	ctl_free(struct agent *, int);
static void	ctl_input(struct agent *, struct ctl *);
static void	ctl_output(struct agent *, struct ctl *);
static void	ctl_sweep(struct agent *);
static int	poll_timeout(struct agent *);
static int	poll_build(struct agent *, struct pollfd *, struct slot *);
static void	poll_dispatch(struct agent *, struct pollfd *, struct slot *,
		    int);
static int	serve(struct agent *);

static void
usage(FILE *f)
{
	fprintf(f, "usage: tcpconform-agent [-hVv] [-a addr[/len]] "
	    "[-C addr[/len]] [-i seconds]\n"
	    "                        [-l addr] [-m max] [-P low-high] "
	    "[-p port]\n\n"
	    "Run on the target host; lets tcpconform's runner make the "
	    "target's\napplication listen, accept, connect, read, write, "
	    "shut down and close.\n\n"
	    "  -a addr[/len]  trust control connections from these (default: "
	    "loopback)\n"
	    "  -C addr[/len]  CONNECT may go only here (default: the -a "
	    "list)\n"
	    "  -i seconds     close a control connection idle this long "
	    "(default %d)\n"
	    "  -l addr        listen for the runner here (default: 127.0.0.1 "
	    "and ::1)\n"
	    "  -m max         control connections at once (default %d)\n"
	    "  -P low-high    ports LISTEN and CONNECT lport= may bind "
	    "(default 1024-65535)\n"
	    "  -p port        control port (default %d; 0 picks one)\n"
	    "  -v             log every request\n"
	    "  -h, --help     print this help\n"
	    "  -V, --version  print the version\n\n"
	    "tcpconform-agent(1) describes the protocol and the trust "
	    "model.\n", IDLE_DEFAULT, CTL_DEFAULT, AGENT_DEFAULT_PORT);
}

static void
onsignal(int sig)
{
	(void)sig;
	stop = 1;
}

void
logmsg(const char *fmt, ...)
{
	va_list ap;

	fputs("tcpconform-agent: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static int
opt_num(const char *s, long lo, long hi, long *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (*s == '\0' || *end != '\0' || errno != 0 || v < lo || v > hi)
		return -1;
	*out = v;
	return 0;
}

static int
ports_parse(const char *s, unsigned *lo, unsigned *hi)
{
	char buf[16], *dash;
	long a, b;

	if (strlen(s) >= sizeof(buf))
		return -1;
	snprintf(buf, sizeof(buf), "%s", s);
	if ((dash = strchr(buf, '-')) == NULL)
		return -1;
	*dash++ = '\0';
	if (opt_num(buf, 1, 65535, &a) == -1 ||
	    opt_num(dash, 1, 65535, &b) == -1 || a > b)
		return -1;
	*lo = (unsigned)a;
	*hi = (unsigned)b;
	return 0;
}

/*
 * --help and --version, as every GNU tool takes them, anywhere before "--";
 * any other long option is refused here, since getopt(3) (POSIX, kept for
 * the agent's portability) would read "--x" as the options '-' and 'x'.
 * 0 to go on, -1 when done (exit 0), or EXIT_USAGE.
 */
static int
long_opt(int argc, char **argv)
{
	const char *p;
	int i;

	for (i = 1; i < argc && strcmp(argv[i], "--") != 0; i++) {
		if (strncmp(argv[i], "--", 2) != 0) {
			/* In "-vl ADDR", ADDR is a value, not an option. */
			for (p = argv[i] + (argv[i][0] == '-'); p > argv[i] &&
			    *p != '\0'; p++)
				if (strchr("aCilmPp", *p) != NULL) {
					i += p[1] == '\0';
					break;
				}
			continue;
		}
		if (strcmp(argv[i], "--help") == 0) {
			usage(stdout);
			return -1;
		}
		if (strcmp(argv[i], "--version") == 0) {
			printf("tcpconform-agent %s (protocol %d)\n",
			    PACKAGE_VERSION, AGENT_PROTO_VERSION);
			return -1;
		}
		logmsg("unknown option '%s' (--help lists the options)",
		    argv[i]);
		return EXIT_USAGE;
	}
	return 0;
}

/* Parse the command line; 0, or the exit status to leave with. */
static int
options(struct agent *ag, int argc, char **argv, const char **laddr,
    int *nladdr)
{
	struct agent_cfg *cfg = &ag->cfg;
	long v, port = AGENT_DEFAULT_PORT;
	int ch, ndest = 0;

	if ((ch = long_opt(argc, argv)) != 0)
		return ch;
	opterr = 0;
	while ((ch = getopt(argc, argv, ":a:C:hi:l:m:P:p:Vv")) != -1) {
		switch (ch) {
		case 'a':
			if (acl_parse(&cfg->trust, optarg) == -1)
				goto bad;
			break;
		case 'C':
			if (acl_parse(&cfg->dest, optarg) == -1)
				goto bad;
			ndest++;
			break;
		case 'h':
			usage(stdout);
			return -1;
		case 'i':
			if (opt_num(optarg, 1, 86400, &v) == -1)
				goto bad;
			cfg->idle_us = (uint64_t)v * 1000000;
			break;
		case 'l':
			if (*nladdr == CTL_LISTEN_MAX)
				goto bad;
			laddr[(*nladdr)++] = optarg;
			break;
		case 'm':
			if (opt_num(optarg, 1, CTL_MAX, &v) == -1)
				goto bad;
			cfg->maxctl = (int)v;
			break;
		case 'P':
			if (ports_parse(optarg, &cfg->port_lo,
			    &cfg->port_hi) == -1)
				goto bad;
			break;
		case 'p':
			if (opt_num(optarg, 0, 65535, &port) == -1)
				goto bad;
			break;
		case 'V':
			printf("tcpconform-agent %s (protocol %d)\n",
			    PACKAGE_VERSION, AGENT_PROTO_VERSION);
			return -1;
		case 'v':
			cfg->verbose = 1;
			break;
		case ':':
			logmsg("option -%c needs a value (-h lists the "
			    "options)", optopt);
			return EXIT_USAGE;
		default:
			logmsg("unknown option -%c (-h lists the options)",
			    optopt);
			return EXIT_USAGE;
		}
	}
	if (optind != argc) {
		logmsg("unexpected argument '%s': the agent takes options "
		    "only (-h lists them)", argv[optind]);
		return EXIT_USAGE;
	}
	cfg->ctl_port = (uint16_t)port;
	if (cfg->trust.n == 0 && (acl_parse(&cfg->trust, "127.0.0.0/8") == -1 ||
	    acl_parse(&cfg->trust, "::1/128") == -1))
		return EXIT_USAGE;
	if (ndest == 0)
		cfg->dest = cfg->trust;
	return 0;
bad:
	logmsg("bad argument to -%c: '%s' (-h lists the options)", ch, optarg);
	return EXIT_USAGE;
}

/*
 * Every control connection may hold AGENT_MAX_HANDLES sockets.  Raise the
 * soft limit on descriptors to cover them all, or serve fewer control
 * connections: out of descriptors, accept(2) on a control listener would
 * fail while poll(2) kept calling it ready, and the loop would spin.
 */
static void
fd_limit(struct agent_cfg *cfg)
{
	struct rlimit rl;
	rlim_t need, per = AGENT_MAX_HANDLES + 2;
	int fit;

	need = (rlim_t)cfg->maxctl * per + CTL_LISTEN_MAX + 16;
	if (getrlimit(RLIMIT_NOFILE, &rl) == -1)
		return;
	if (rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < need) {
		rl.rlim_cur = rl.rlim_max == RLIM_INFINITY ||
		    rl.rlim_max > need ? need : rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
		getrlimit(RLIMIT_NOFILE, &rl);
	}
	if (rl.rlim_cur == RLIM_INFINITY || rl.rlim_cur >= need)
		return;
	fit = (int)((rl.rlim_cur - CTL_LISTEN_MAX - 16) / per);
	cfg->maxctl = fit > 0 ? fit : 1;
	logmsg("descriptor limit %lu: serving at most %d control "
	    "connections", (unsigned long)rl.rlim_cur, cfg->maxctl);
}

static void
sa_name(const struct sockaddr *sa, char *buf, size_t size)
{
	char host[INET6_ADDRSTRLEN] = "?";
	unsigned port = 0;

	if (sa->sa_family == AF_INET) {
		inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr,
		    host, sizeof(host));
		port = ntohs(((const struct sockaddr_in *)sa)->sin_port);
		snprintf(buf, size, "%s:%u", host, port);
	} else if (sa->sa_family == AF_INET6) {
		inet_ntop(AF_INET6,
		    &((const struct sockaddr_in6 *)sa)->sin6_addr, host,
		    sizeof(host));
		port = ntohs(((const struct sockaddr_in6 *)sa)->sin6_port);
		snprintf(buf, size, "[%s]:%u", host, port);
	} else
		snprintf(buf, size, "?");
}

/* One control listener; with port 0 the first one picks the port. */
static int
ctl_listen(struct agent *ag, const char *addr, int quiet)
{
	struct sockaddr_storage ss;
	struct sockaddr_in *sin = (struct sockaddr_in *)&ss;
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ss;
	struct listener *l = &ag->lst[ag->nlst];
	socklen_t len;
	int fd, on = 1;

	memset(&ss, 0, sizeof(ss));
	if (inet_pton(AF_INET, addr, &sin->sin_addr) == 1) {
		sin->sin_family = AF_INET;
		sin->sin_port = htons(ag->cfg.ctl_port);
		len = sizeof(*sin);
	} else if (inet_pton(AF_INET6, addr, &sin6->sin6_addr) == 1) {
		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons(ag->cfg.ctl_port);
		len = sizeof(*sin6);
	} else {
		logmsg("-l %s: not a numeric IPv4 or IPv6 address", addr);
		return -1;
	}
	if ((fd = socket(ss.ss_family, SOCK_STREAM, 0)) == -1)
		goto fail;
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on)) == -1 ||
	    (ss.ss_family == AF_INET6 && setsockopt(fd, IPPROTO_IPV6,
	    IPV6_V6ONLY, &on, sizeof(on)) == -1) ||
	    fcntl(fd, F_SETFL, O_NONBLOCK) == -1 ||
	    fcntl(fd, F_SETFD, FD_CLOEXEC) == -1 ||
	    bind(fd, (struct sockaddr *)&ss, len) == -1 ||
	    listen(fd, 16) == -1 ||
	    getsockname(fd, (struct sockaddr *)&ss, &len) == -1)
		goto fail;
	if (ag->cfg.ctl_port == 0)
		ag->cfg.ctl_port = ntohs(ss.ss_family == AF_INET ?
		    sin->sin_port : sin6->sin6_port);
	l->fd = fd;
	sa_name((struct sockaddr *)&ss, l->name, sizeof(l->name));
	ag->nlst++;
	logmsg("listening on %s", l->name);
	return 0;
fail:
	if (!quiet)
		logmsg("cannot listen on %s port %u: %s", addr,
		    ag->cfg.ctl_port, strerror(errno));
	if (fd != -1)
		close(fd);
	return -1;
}

/* The -l addresses; by default both loopbacks, ::1 if the host has it. */
static int
listen_all(struct agent *ag, const char **laddr, int nladdr)
{
	char buf[ACL_MAX * (INET6_ADDRSTRLEN + 6)];
	int i;

	if (nladdr == 0) {
		if (ctl_listen(ag, "127.0.0.1", 0) == -1)
			return -1;
		if (ctl_listen(ag, "::1", 1) == -1)
			logmsg("no IPv6 loopback: listening on 127.0.0.1 only");
	}
	for (i = 0; i < nladdr; i++)
		if (ctl_listen(ag, laddr[i], 0) == -1)
			return -1;
	acl_print(&ag->cfg.trust, buf, sizeof(buf));
	logmsg("trusting %s", buf);
	acl_print(&ag->cfg.dest, buf, sizeof(buf));
	logmsg("CONNECT allowed to %s", buf);
	return 0;
}

/*
 * Refuse a control connection with one line, then close.  What the runner
 * may have sent already is read first, so that the close is a FIN, not a
 * RST that could destroy the line before the runner reads it.
 */
static void
ctl_refuse(int fd, const char *name, const char *why)
{
	char line[AGENT_MSG_MAX + 32], junk[512];
	size_t n;
	ssize_t w;

	n = agent_fmt_err(line, sizeof(line), strcmp(why, "busy") == 0 ?
	    EBUSY : EACCES, "control connection from %s %s", name,
	    strcmp(why, "busy") == 0 ? "refused: too many (-m)" :
	    "not trusted (-a)");
	(void)read(fd, junk, sizeof(junk));
	w = write(fd, line, n);
	(void)w;
	close(fd);
	logmsg("refused %s: %s", name, why);
}

static void
ctl_accept(struct agent *ag, struct listener *l)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);
	struct ctl *c;
	char name[64];
	int fd;

	if ((fd = accept(l->fd, (struct sockaddr *)&ss, &len)) == -1)
		return;
	sa_name((struct sockaddr *)&ss, name, sizeof(name));
	if (fcntl(fd, F_SETFL, O_NONBLOCK) == -1 ||
	    fcntl(fd, F_SETFD, FD_CLOEXEC) == -1) {
		close(fd);
		return;
	}
	if (!acl_match(&ag->cfg.trust, (struct sockaddr *)&ss)) {
		ctl_refuse(fd, name, "not trusted");
		return;
	}
	if (ag->nctl == ag->cfg.maxctl ||
	    (c = calloc(1, sizeof(*c))) == NULL) {
		ctl_refuse(fd, name, "busy");
		return;
	}
	c->fd = fd;
	c->cfg = &ag->cfg;
	c->verbose = ag->cfg.verbose;
	snprintf(c->name, sizeof(c->name), "%s", name);
	c->idle_deadline = now_us() + ag->cfg.idle_us;
	if ((c->ac = agent_ctl_new(&agent_posix_ops, c)) == NULL) {
		free(c);
		ctl_refuse(fd, name, "busy");
		return;
	}
	ag->ctl[ag->nctl++] = c;
	logmsg("control connection from %s on %s", name, l->name);
}

/* End control connection i: its sockets close with it. */
static void
ctl_free(struct agent *ag, int i)
{
	struct ctl *c = ag->ctl[i];

	logmsg("control connection from %s closed", c->name);
	agent_ctl_free(c->ac);
	close(c->fd);
	free(c);
	ag->ctl[i] = ag->ctl[--ag->nctl];
}

/* -v: a request or reply, cut at 200 bytes, control bytes as '?'. */
void
log_line(struct ctl *c, int dir, const char *line, size_t len)
{
	char buf[201];
	size_t i;

	if (len > sizeof(buf) - 1)
		len = sizeof(buf) - 1;
	for (i = 0; i < len; i++)
		buf[i] = line[i] >= 0x20 && line[i] < 0x7f ? line[i] : '?';
	buf[len] = '\0';
	logmsg("%s %c %s", c->name, dir, buf);
}

void
ctl_put(struct ctl *c, const char *line, size_t len)
{
	if (c->verbose)
		log_line(c, '<', line, len > 0 ? len - 1 : 0);
	/* A request runs only with room for its reply (px_can_reply). */
	if (len > sizeof(c->out) - c->outlen)
		len = sizeof(c->out) - c->outlen;
	memcpy(c->out + c->outlen, line, len);
	c->outlen += len;
}

/* What the runner sent, as far as the engine has room for it. */
static void
ctl_input(struct agent *ag, struct ctl *c)
{
	char buf[AGENT_LINE_MAX];
	size_t room = agent_ctl_room(c->ac);
	ssize_t n;

	if (room == 0)
		return;
	n = read(c->fd, buf, room < sizeof(buf) ? room : sizeof(buf));
	if (n == 0)
		c->peer_eof = 1;
	else if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK &&
	    errno != EINTR)
		c->dead = 1;
	else if (n > 0) {
		c->idle_deadline = now_us() + ag->cfg.idle_us;
		agent_ctl_input(c->ac, buf, (size_t)n);
	}
}

/* Send what replies we can; a runner that reads none idles out. */
static void
ctl_output(struct agent *ag, struct ctl *c)
{
	ssize_t n;

	if (c->outoff == c->outlen)
		return;
	n = write(c->fd, c->out + c->outoff, c->outlen - c->outoff);
	if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
		c->dead = 1;
	else if (n > 0) {
		c->outoff += (size_t)n;
		c->idle_deadline = now_us() + ag->cfg.idle_us;
	}
	if (c->outoff == c->outlen)
		c->outoff = c->outlen = 0;
}

static int
poll_timeout(struct agent *ag)
{
	uint64_t now = now_us(), d = now + 1000000, t;
	int i;

	/* At most a second, so that a signal between checks is seen. */
	for (i = 0; i < ag->nctl; i++) {
		t = agent_ctl_deadline(ag->ctl[i]->ac);
		if (t < d)
			d = t;
		if (!agent_ctl_busy(ag->ctl[i]->ac) &&
		    ag->ctl[i]->idle_deadline < d)
			d = ag->ctl[i]->idle_deadline;
	}
	/* Rounded up: waking before the deadline would spin. */
	return d <= now ? 0 : (int)((d - now + 999) / 1000);
}

/* Poll every socket of every control connection, and act on what is ready. */
static int
poll_build(struct agent *ag, struct pollfd *pfd, struct slot *slot)
{
	union agent_sock s;
	struct ctl *c;
	short ev;
	int i, h, want, n = 0;

	for (i = 0; i < ag->nlst; i++) {
		pfd[n].fd = ag->lst[i].fd;
		pfd[n].events = POLLIN;
		slot[n].c = NULL;
		slot[n++].h = i;
	}
	for (i = 0; i < ag->nctl; i++) {
		c = ag->ctl[i];
		ev = agent_posix_events(agent_ctl_events(c->ac,
		    c->outlen > c->outoff, c->peer_eof));
		pfd[n].fd = c->fd;
		pfd[n].events = ev;
		slot[n].c = c;
		slot[n].fd = c->fd;
		slot[n++].h = 0;
		for (h = 1; h <= AGENT_MAX_HANDLES; h++) {
			if ((want = agent_ctl_wants(c->ac, h, &s)) == 0)
				continue;
			pfd[n].fd = s.fd;
			pfd[n].events = agent_posix_events(want);
			slot[n].c = c;
			slot[n].fd = s.fd;
			slot[n++].h = h;
		}
	}
	return n;
}

static void
poll_dispatch(struct agent *ag, struct pollfd *pfd, struct slot *slot,
    int n)
{
	struct ctl *c;
	short rev;
	int k;

	for (k = 0; k < n; k++) {
		if ((rev = pfd[k].revents) == 0)
			continue;
		c = slot[k].c;
		if (c == NULL)
			ctl_accept(ag, &ag->lst[slot[k].h]);
		else if (slot[k].h != 0)
			/* The engine checks that the handle is still open. */
			agent_ctl_run(c->ac, slot[k].h);
		else if (rev & POLLOUT)
			ctl_output(ag, c);
		else if (rev & POLLIN)
			ctl_input(ag, c);
		else if (rev & (POLLERR | POLLHUP | POLLNVAL))
			c->dead = 1;
	}
}

/* After the events: deadlines, queued requests, replies, closing. */
static void
ctl_sweep(struct agent *ag)
{
	struct ctl *c;
	uint64_t now;
	int i;

	for (i = 0; i < ag->nctl; i++) {
		c = ag->ctl[i];
		/* The timers, then the lines that could not run before. */
		agent_ctl_timers(c->ac);
		ctl_output(ag, c);
		now = now_us();
		if (!agent_ctl_busy(c->ac) && now >= c->idle_deadline &&
		    !c->dead) {
			logmsg("%s idle for %d s: closing", c->name,
			    (int)(ag->cfg.idle_us / 1000000));
			c->dead = 1;
		}
		/* The runner shut down its side: answer, then close. */
		if (c->peer_eof && agent_ctl_idle(c->ac) && c->outlen == 0)
			c->dead = 1;
		if (c->dead || (agent_ctl_done(c->ac) && c->outlen == 0))
			ctl_free(ag, i--);
	}
}

static int
serve(struct agent *ag)
{
	struct pollfd *pfd;
	struct slot *slot;
	size_t max = CTL_LISTEN_MAX + CTL_MAX * (AGENT_MAX_HANDLES + 1);
	int n, rc = EXIT_STOPPED;

	pfd = calloc(max, sizeof(*pfd));
	slot = calloc(max, sizeof(*slot));
	if (pfd == NULL || slot == NULL) {
		logmsg("out of memory");
		rc = EXIT_RUNTIME;
	}
	while (rc == EXIT_STOPPED && !stop) {
		n = poll_build(ag, pfd, slot);
		if (poll(pfd, (nfds_t)n, poll_timeout(ag)) == -1) {
			if (errno == EINTR)
				continue;
			logmsg("poll: %s", strerror(errno));
			rc = EXIT_RUNTIME;
			break;
		}
		poll_dispatch(ag, pfd, slot, n);
		ctl_sweep(ag);
	}
	while (ag->nctl > 0)
		ctl_free(ag, 0);
	free(pfd);
	free(slot);
	return rc;
}

int
main(int argc, char **argv)
{
	static struct agent ag;
	const char *laddr[CTL_LISTEN_MAX];
	struct sigaction sa;
	int nladdr = 0, rc, i;

	ag.cfg.port_lo = 1024;
	ag.cfg.port_hi = 65535;
	ag.cfg.idle_us = (uint64_t)IDLE_DEFAULT * 1000000;
	ag.cfg.maxctl = CTL_DEFAULT;
	if ((rc = options(&ag, argc, argv, laddr, &nladdr)) != 0)
		return rc < 0 ? EXIT_STOPPED : rc;
	/* A peer's RST must not kill the agent in the middle of a write. */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);
	/* No SA_RESTART: poll(2) returns, and the loop sees stop. */
	sa.sa_handler = onsignal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	fd_limit(&ag.cfg);
	if (listen_all(&ag, laddr, nladdr) == -1)
		return EXIT_USAGE;
	rc = serve(&ag);
	for (i = 0; i < ag.nlst; i++)
		close(ag.lst[i].fd);
	logmsg("stopped");
	return rc;
}
