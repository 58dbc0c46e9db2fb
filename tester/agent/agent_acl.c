/*
 * Copyright (c) 2026 The tcpconform developers.  SPDX-License-Identifier: ISC
 *
 * agent_acl.c: the address prefixes tcpconform-agent trusts (-a) and lets
 * CONNECT reach (-C), and the test of an address against them.
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <stdio.h>
#include <string.h>

#include "agent.h"

static int	num(const char *, long, long *);

/* A prefix length: 0..max, digits only. */
static int
num(const char *s, long max, long *out)
{
	long v = 0;

	if (*s == '\0' || strlen(s) > 3)
		return -1;
	for (; *s != '\0'; s++) {
		if (*s < '0' || *s > '9')
			return -1;
		v = v * 10 + (*s - '0');
	}
	if (v > max)
		return -1;
	*out = v;
	return 0;
}

/* "198.18.0.0/15", "::1", "2001:db8::/32": a prefix to trust or allow. */
int
acl_parse(struct acl *acl, const char *arg)
{
	struct acl_entry *e;
	char buf[INET6_ADDRSTRLEN + 8], *slash;
	long plen;
	int max;

	if (acl->n == ACL_MAX || strlen(arg) >= sizeof(buf))
		return -1;
	e = &acl->e[acl->n];
	memset(e, 0, sizeof(*e));
	snprintf(buf, sizeof(buf), "%s", arg);
	if ((slash = strchr(buf, '/')) != NULL)
		*slash++ = '\0';
	if (inet_pton(AF_INET, buf, e->addr) == 1)
		e->family = AF_INET;
	else if (inet_pton(AF_INET6, buf, e->addr) == 1)
		e->family = AF_INET6;
	else
		return -1;
	max = e->family == AF_INET ? 32 : 128;
	plen = max;
	if (slash != NULL && num(slash, max, &plen) == -1)
		return -1;
	e->plen = (int)plen;
	acl->n++;
	return 0;
}

void
acl_print(const struct acl *acl, char *buf, size_t size)
{
	char a[INET6_ADDRSTRLEN];
	size_t len;
	int i;

	buf[0] = '\0';
	for (i = 0; i < acl->n; i++) {
		inet_ntop(acl->e[i].family, acl->e[i].addr, a, sizeof(a));
		len = strlen(buf);
		snprintf(buf + len, size - len, "%s%s/%d", i ? ", " : "", a,
		    acl->e[i].plen);
	}
}

/*
 * Does sa fall in one of the prefixes?  An IPv4-mapped IPv6 address
 * (::ffff:198.18.0.1) is matched as the IPv4 address it carries.
 */
int
acl_match(const struct acl *acl, const struct sockaddr *sa)
{
	static const unsigned char mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0,
	    0, 0xff, 0xff };
	const unsigned char *a;
	const struct acl_entry *e;
	int family = sa->sa_family, i, full, rest;

	if (family == AF_INET)
		a = (const unsigned char *)
		    &((const struct sockaddr_in *)sa)->sin_addr;
	else if (family == AF_INET6) {
		a = ((const struct sockaddr_in6 *)sa)->sin6_addr.s6_addr;
		if (memcmp(a, mapped, sizeof(mapped)) == 0) {
			a += 12;
			family = AF_INET;
		}
	} else
		return 0;
	for (i = 0; i < acl->n; i++) {
		e = &acl->e[i];
		if (e->family != family)
			continue;
		full = e->plen / 8;
		rest = e->plen % 8;
		if (memcmp(a, e->addr, (size_t)full) != 0)
			continue;
		if (rest == 0 || ((a[full] ^ e->addr[full]) &
		    (0xff00 >> rest) & 0xff) == 0)
			return 1;
	}
	return 0;
}
