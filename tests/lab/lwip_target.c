/*
 * Copyright (c) 2026 The tcpconform developers.  SPDX-License-Identifier: ISC
 *
 * lwip_target.c: a lab target for the tests: lwIP 2.1.3 (Debian's liblwip,
 * its unix port: threads and the socket API) on a TAP device,
 * playing the target's application with the agent control protocol over
 * its own TCP (the agent engine, with the back end of lwip_be.c), and
 * offering echo (7), discard (9), a banner (13) and
 * HTTP (80).
 *
 *	lwip_target -i TAP -4 ADDR/PLEN [-6 ADDR/PLEN] [-a PREFIX]...
 *	    [-p PORT] [-v]
 *
 * The TAP device must exist (ip tuntap add ... mode tap) in the current
 * network namespace; the kernel's side of it is the tester's link.  -a
 * says who may open control connections (as tcpconform-agent -a); without
 * it, no one.  Prints "lwip_target: ready" once the addresses are usable,
 * and runs until SIGINT or SIGTERM.  Test-only: never installed.
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <arpa/inet.h>
#include <netinet/in.h>

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "lwip/opt.h"
#include "lwip/init.h"
#include "lwip/ip_addr.h"
#include "lwip/netif.h"
#include "lwip/sockets.h"
#include "lwip/tcpip.h"

#include "agent.h"
#include "lwip_lab.h"

static volatile int	stop;
static volatile int	stack_up;
static struct acl	trust;

static void
onsignal(int sig)
{
	(void)sig;
	stop = 1;
}

static void
usage(void)
{
	fprintf(stderr, "usage: lwip_target -i TAP -4 ADDR/PLEN "
	    "[-6 ADDR/PLEN] [-a PREFIX]... [-p PORT] [-v]\n");
	exit(2);
}

static void
up(void *arg)
{
	(void)arg;
	stack_up = 1;
}

static int
trusted(const struct sockaddr_storage *ss)
{
	return acl_match(&trust, (const struct sockaddr *)ss);
}

/* "198.18.1.2/24" into address and prefix length. */
static int
split(const char *arg, char *addr, size_t size, int *plen, int max)
{
	const char *slash = strchr(arg, '/');
	char *end;
	long v;

	if (slash == NULL || (size_t)(slash - arg) >= size)
		return -1;
	memcpy(addr, arg, (size_t)(slash - arg));
	addr[slash - arg] = '\0';
	v = strtol(slash + 1, &end, 10);
	if (*end != '\0' || v < 0 || v > max)
		return -1;
	*plen = (int)v;
	return 0;
}

/*
 * The interface: IPv4 with its prefix, IPv6 marked preferred at once (the
 * lab link has no one else on it, so duplicate detection would only
 * delay the first case).
 */
static int
netif_setup(struct netif *nif, struct lwip_tap *tap, const char *a4,
    const char *a6)
{
	char addr[INET6_ADDRSTRLEN];
	ip4_addr_t ip, mask, gw;
	ip6_addr_t ip6;
	s8_t idx;
	int plen;

	if (split(a4, addr, sizeof(addr), &plen, 32) == -1 ||
	    !ip4addr_aton(addr, &ip))
		return -1;
	ip4_addr_set_u32(&mask, plen == 0 ? 0 :
	    lwip_htonl(0xffffffffUL << (32 - plen)));
	ip4_addr_set_zero(&gw);
	LOCK_TCPIP_CORE();
	if (netif_add(nif, &ip, &mask, &gw, tap, lwip_tap_init,
	    tcpip_input) == NULL) {
		UNLOCK_TCPIP_CORE();
		return -1;
	}
	netif_set_default(nif);
	netif_set_up(nif);
	if (a6 != NULL) {
		netif_create_ip6_linklocal_address(nif, 1);
		if (split(a6, addr, sizeof(addr), &plen, 128) == -1 ||
		    !ip6addr_aton(addr, &ip6) ||
		    netif_add_ip6_address(nif, &ip6, &idx) != ERR_OK) {
			UNLOCK_TCPIP_CORE();
			return -1;
		}
		netif_ip6_addr_set_state(nif, idx, IP6_ADDR_PREFERRED);
	}
	UNLOCK_TCPIP_CORE();
	return 0;
}

/*
 * The services of the remote-audit profiles, on lwIP's sockets, one thread
 * per connection, blocking: echo (7, RFC 862), discard (9, RFC 863), a
 * banner (13: a line, then close without reading) and HTTP (80: an answer
 * to each request; "Connection: close" closes after it).
 */
enum svc_kind {
	SVC_ECHO,
	SVC_DISCARD,
	SVC_BANNER,
	SVC_HTTP,
};

static const struct {
	enum svc_kind	kind;
	uint16_t	port;
} services[] = {
	{ SVC_ECHO, 7 }, { SVC_DISCARD, 9 }, { SVC_BANNER, 13 },
	{ SVC_HTTP, 80 },
};

#define NSERVICES	(sizeof(services) / sizeof(services[0]))

struct svc {
	int		s;
	enum svc_kind	kind;
};

static int
send_all(int s, const char *buf, size_t len)
{
	ssize_t w;

	while (len > 0) {
		if ((w = lwip_send(s, buf, len, 0)) <= 0)
			return -1;
		buf += w;
		len -= (size_t)w;
	}
	return 0;
}

/*
 * HTTP: requests end with an empty line (no request body is read); each
 * gets a small answer.  The head is read a byte at a time, as a server that
 * reads one request at a time: bytes past a "Connection: close" request
 * stay unread in lwIP, also those that came in the request's segment, so
 * that the close after it is the stack's close with unread data
 * (rst-unread/http-unread-at-close).
 */
static void
svc_http(int s)
{
	static const char body[] = "lwIP " LWIP_VERSION_STRING
	    " lab target\n";
	char req[4096], ans[256];
	size_t len = 0;
	int close_after;

	for (;;) {
		if (len == sizeof(req) - 1)
			return;
		if (lwip_recv(s, req + len, 1, 0) != 1)
			return;
		req[++len] = '\0';
		if (len < 4 || strcmp(req + len - 4, "\r\n\r\n") != 0)
			continue;
		close_after = strcasestr(req, "\r\nConnection: close") != NULL;
		snprintf(ans, sizeof(ans), "HTTP/1.1 200 OK\r\n"
		    "Content-Type: text/plain\r\nContent-Length: %zu\r\n"
		    "%s\r\n%s", sizeof(body) - 1, close_after ?
		    "Connection: close\r\n" : "", body);
		if (send_all(s, ans, strlen(ans)) == -1 || close_after)
			return;
		len = 0;
	}
}

static void *
svc_conn(void *arg)
{
	struct svc sv = *(struct svc *)arg;
	static const char banner[] = "lwIP " LWIP_VERSION_STRING
	    " lab target\r\n";
	char buf[4096];
	ssize_t n;

	free(arg);
	switch (sv.kind) {
	case SVC_BANNER:
		(void)send_all(sv.s, banner, sizeof(banner) - 1);
		break;
	case SVC_HTTP:
		svc_http(sv.s);
		break;
	default:
		while ((n = lwip_recv(sv.s, buf, sizeof(buf), 0)) > 0)
			if (sv.kind == SVC_ECHO &&
			    send_all(sv.s, buf, (size_t)n) == -1)
				break;
		break;
	}
	lwip_close(sv.s);
	return NULL;
}

static void *
svc_listen(void *arg)
{
	struct svc *one, *sv = arg;
	pthread_t t;
	int s;

	for (;;) {
		if ((s = lwip_accept(sv->s, NULL, NULL)) == -1)
			continue;
		if ((one = malloc(sizeof(*one))) == NULL) {
			lwip_close(s);
			continue;
		}
		one->s = s;
		one->kind = sv->kind;
		if (pthread_create(&t, NULL, svc_conn, one) != 0) {
			free(one);
			lwip_close(s);
			continue;
		}
		pthread_detach(t);
	}
	return NULL;
}

/* Every service on one family. */
static int
svc_start(int family)
{
	static struct svc sv[2 * NSERVICES];
	static size_t nsv;
	pthread_t t;
	size_t i;
	int s;

	for (i = 0; i < NSERVICES; i++) {
		if ((s = lwip_listen_on(family, services[i].port, 0)) == -1 ||
		    nsv == sizeof(sv) / sizeof(sv[0]))
			return -1;
		sv[nsv].s = s;
		sv[nsv].kind = services[i].kind;
		if (pthread_create(&t, NULL, svc_listen, &sv[nsv]) != 0)
			return -1;
		pthread_detach(t);
		nsv++;
	}
	return 0;
}

int
main(int argc, char **argv)
{
	static struct netif nif;
	static struct lwip_tap tapdev = {
		.mac = { 0x02, 0x00, 0xc6, 0x12, 0x01, 0x02 },
		.fd = -1,
	};
	struct lwip_agent_cfg cfg;
	int lst[2];
	struct sigaction sa;
	const char *tap = NULL, *a4 = NULL, *a6 = NULL;
	struct timespec ts = { 0, 10 * 1000 * 1000 };
	long port = AGENT_DEFAULT_PORT;
	int ch, verbose = 0, rc;

	while ((ch = getopt(argc, argv, "4:6:a:i:p:v")) != -1) {
		switch (ch) {
		case '4':
			a4 = optarg;
			break;
		case '6':
			a6 = optarg;
			break;
		case 'a':
			if (acl_parse(&trust, optarg) == -1) {
				fprintf(stderr, "lwip_target: bad prefix "
				    "%s\n", optarg);
				return 2;
			}
			break;
		case 'i':
			tap = optarg;
			break;
		case 'p':
			port = strtol(optarg, NULL, 10);
			if (port < 1 || port > 65535)
				usage();
			break;
		case 'v':
			verbose = 1;
			break;
		default:
			usage();
		}
	}
	if (tap == NULL || a4 == NULL || optind != argc)
		usage();
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);
	sa.sa_handler = onsignal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);

	tcpip_init(up, NULL);
	while (!stack_up)
		nanosleep(&ts, NULL);
	tapdev.name = tap;
	if (netif_setup(&nif, &tapdev, a4, a6) == -1) {
		fprintf(stderr, "lwip_target: cannot set up %s with %s %s\n",
		    tap, a4, a6 != NULL ? a6 : "");
		return 2;
	}
	memset(&cfg, 0, sizeof(cfg));
	cfg.ctl_port = (uint16_t)port;
	cfg.trusted = trusted;
	cfg.verbose = verbose;
	cfg.stop = &stop;
	lst[0] = lwip_listen_on(AF_INET, cfg.ctl_port, 1);
	lst[1] = a6 != NULL ? lwip_listen_on(AF_INET6, cfg.ctl_port, 1) : -1;
	if (lst[0] == -1 || (a6 != NULL && lst[1] == -1) ||
	    svc_start(AF_INET) == -1 ||
	    (a6 != NULL && svc_start(AF_INET6) == -1)) {
		fprintf(stderr, "lwip_target: cannot listen\n");
		return 1;
	}
	printf("lwip_target: ready: lwIP %s on %s, %s%s%s, agent port %ld\n",
	    LWIP_VERSION_STRING, tap, a4, a6 != NULL ? " " : "",
	    a6 != NULL ? a6 : "", port);
	fflush(stdout);
	rc = lwip_agent_serve(&cfg, lst);
	printf("lwip_target: stopped\n");
	fflush(stdout);
	/* lwIP's threads never end: leave without joining them. */
	_exit(rc == 0 ? 0 : 1);
}
