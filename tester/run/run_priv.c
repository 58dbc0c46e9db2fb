/*
 * Copyright (c) 2026 The tcpconform developers.  SPDX-License-Identifier: ISC
 *
 * run_priv.c: giving up privileges once the network set-up holds what
 * needs them.  The guard is made as root; then the runner becomes the
 * user who invoked it through sudo (SUDO_UID, SUDO_GID), or stays uid 0
 * without the capabilities that make root powerful, keeping CAP_NET_RAW
 * (raw and packet sockets) and CAP_NET_ADMIN (SO_MARK, the guard's rules)
 * only until every family's wire is open.  Reports, pcaps and TAP are
 * then written with the invoking user's rights, and a case file or a
 * hostile target cannot make root write anywhere.  capset(2) directly:
 * no libcap.
 */
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/types.h>

#include <errno.h>
#include <grp.h>
#include <limits.h>
#include <linux/capability.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "run_int.h"

static int	id_env(const char *, unsigned long *);
static int	caps_set(uint64_t);

/* A numeric id from the environment; -1 if absent or not a number. */
static int
id_env(const char *name, unsigned long *id)
{
	const char *s = getenv(name);
	char *end;

	if (s == NULL || *s < '0' || *s > '9')
		return -1;
	errno = 0;
	*id = strtoul(s, &end, 10);
	if (*end != '\0' || errno != 0 || *id >= UINT_MAX)
		return -1;
	return 0;
}

/* Effective and permitted capabilities become mask; none inheritable. */
static int
caps_set(uint64_t mask)
{
	struct __user_cap_header_struct h;
	struct __user_cap_data_struct d[2];

	memset(&h, 0, sizeof(h));
	memset(d, 0, sizeof(d));
	h.version = _LINUX_CAPABILITY_VERSION_3;
	d[0].effective = d[0].permitted = (uint32_t)mask;
	d[1].effective = d[1].permitted = (uint32_t)(mask >> 32);
	return (int)syscall(SYS_capset, &h, d);
}

int
run_priv_drop(int stage, char **err)
{
	static int dropped;
	unsigned long uid, gid;
	gid_t g;

	if (stage == RUN_PRIV_USER) {
		if (geteuid() != 0 || dropped)
			return 0;
		dropped = 1;
		if (id_env("SUDO_UID", &uid) == 0 && uid != 0 &&
		    id_env("SUDO_GID", &gid) == 0) {
			g = (gid_t)gid;
			/* Keep the permitted set across the change of uid. */
			if (prctl(PR_SET_KEEPCAPS, 1L, 0L, 0L, 0L) == -1 ||
			    setgroups(1, &g) == -1 ||
			    setresgid(g, g, g) == -1 ||
			    setresuid((uid_t)uid, (uid_t)uid,
			    (uid_t)uid) == -1)
				goto fail;
			prctl(PR_SET_KEEPCAPS, 0L, 0L, 0L, 0L);
			/*
			 * Changing uid made the process undumpable; only
			 * its own sanitizer's tracer needs it dumpable, and
			 * the user cannot trace it anyway (it holds
			 * capabilities the user lacks).
			 */
			prctl(PR_SET_DUMPABLE, 1L, 0L, 0L, 0L);
		}
		if (caps_set((1ULL << CAP_NET_RAW) |
		    (1ULL << CAP_NET_ADMIN)) == -1)
			goto fail;
		/* Nothing exec'd later can gain privileges back. */
		prctl(PR_SET_NO_NEW_PRIVS, 1L, 0L, 0L, 0L);
		return 0;
	}
	if (!dropped)
		return 0;
	/* RUN_PRIV_WIRE: the wires are open; the guard's end needs ADMIN. */
	if (caps_set(stage == RUN_PRIV_WIRE ? 1ULL << CAP_NET_ADMIN : 0) == -1)
		goto fail;
	return 0;
fail:
	if (asprintf(err, "giving up privileges: %s", strerror(errno)) < 0)
		*err = NULL;
	return -1;
}
