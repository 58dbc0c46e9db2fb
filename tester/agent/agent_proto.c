/*
 * Copyright (c) 2026 The tcpconform developers.  SPDX-License-Identifier: ISC
 *
 * agent_proto.c: the names the control protocol uses for errno values and
 * for the end of a read or write, shared by the agent and the runner's
 * client.  Errors travel by name because the numbers differ between systems.
 */
#include <errno.h>
#include <string.h>

#include "agent_proto.h"

struct errno_name {
	int		 value;
	const char	*name;
};

/*
 * The errors that socket calls return, and those the agent itself uses.
 * Some systems alias EWOULDBLOCK to EAGAIN or EOPNOTSUPP to ENOTSUP; the
 * first entry with a value wins, so the common spelling is listed first.
 */
static const struct errno_name errno_names[] = {
	{ E2BIG, "E2BIG" },
	{ EACCES, "EACCES" },
	{ EADDRINUSE, "EADDRINUSE" },
	{ EADDRNOTAVAIL, "EADDRNOTAVAIL" },
	{ EAFNOSUPPORT, "EAFNOSUPPORT" },
	{ EAGAIN, "EAGAIN" },
	{ EALREADY, "EALREADY" },
	{ EBADF, "EBADF" },
	{ EBUSY, "EBUSY" },
	{ ECONNABORTED, "ECONNABORTED" },
	{ ECONNREFUSED, "ECONNREFUSED" },
	{ ECONNRESET, "ECONNRESET" },
	{ EDESTADDRREQ, "EDESTADDRREQ" },
	{ EHOSTDOWN, "EHOSTDOWN" },
	{ EHOSTUNREACH, "EHOSTUNREACH" },
	{ EINPROGRESS, "EINPROGRESS" },
	{ EINTR, "EINTR" },
	{ EINVAL, "EINVAL" },
	{ EIO, "EIO" },
	{ EISCONN, "EISCONN" },
	{ EMFILE, "EMFILE" },
	{ EMSGSIZE, "EMSGSIZE" },
	{ ENETDOWN, "ENETDOWN" },
	{ ENETRESET, "ENETRESET" },
	{ ENETUNREACH, "ENETUNREACH" },
	{ ENFILE, "ENFILE" },
	{ ENOBUFS, "ENOBUFS" },
	{ ENOMEM, "ENOMEM" },
	{ ENOPROTOOPT, "ENOPROTOOPT" },
	{ ENOSYS, "ENOSYS" },
	{ ENOTCONN, "ENOTCONN" },
	{ ENOTSOCK, "ENOTSOCK" },
	{ EOPNOTSUPP, "EOPNOTSUPP" },
	{ EPERM, "EPERM" },
	{ EPIPE, "EPIPE" },
	{ EPROTO, "EPROTO" },
	{ EPROTONOSUPPORT, "EPROTONOSUPPORT" },
	{ ETIMEDOUT, "ETIMEDOUT" },
	{ EWOULDBLOCK, "EWOULDBLOCK" },
};

#define NERRNO	(sizeof(errno_names) / sizeof(errno_names[0]))

const char *
agent_errno_name(int value)
{
	size_t i;

	for (i = 0; i < NERRNO; i++)
		if (errno_names[i].value == value)
			return errno_names[i].name;
	return "EUNKNOWN";
}

int
agent_errno_value(const char *name)
{
	size_t i;

	for (i = 0; i < NERRNO; i++)
		if (strcmp(errno_names[i].name, name) == 0)
			return errno_names[i].value;
	return 0;
}

static const char *const end_names[] = {
	[AGENT_END_NONE] = "none",
	[AGENT_END_COUNT] = "count",
	[AGENT_END_EOF] = "eof",
	[AGENT_END_ERROR] = "error",
	[AGENT_END_TIMEOUT] = "timeout",
	[AGENT_END_DRAINED] = "drained",
};

#define NEND	(sizeof(end_names) / sizeof(end_names[0]))

const char *
agent_end_name(int end)
{
	if (end < 0 || (size_t)end >= NEND)
		return "none";
	return end_names[end];
}

int
agent_end_value(const char *name)
{
	size_t i;

	for (i = 0; i < NEND; i++)
		if (strcmp(end_names[i], name) == 0)
			return (int)i;
	return -1;
}
