/*
 * Copyright (c) 2026 The tcpconform developers.  SPDX-License-Identifier: ISC
 *
 * fuzz_agent_proto.c: libFuzzer target for both ends of the agent's control
 * protocol: the agent's request parser and trust-list parser, which read
 * what comes from the network on the target host, and the runner's reply
 * decoders, which read what a (possibly broken) agent sends back.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "agent.h"
#include "agent_client.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
replies(const char *line)
{
	struct agent_reply r;
	struct agent_read_result rr;
	struct agent_write_result wr;
	struct agent_status st;
	struct agent_endpoints ep;
	char *err = NULL;
	int h, rev;

	if (agent_reply_parse(line, &r, &err) == -1) {
		free(err);
		return;
	}
	if (agent_reply_endpoints(&r, &h, &ep, &err) == -1)
		free(err);
	err = NULL;
	if (agent_reply_read(&r, &rr, &err) == -1)
		free(err);
	err = NULL;
	if (agent_reply_write(&r, &wr, &err) == -1)
		free(err);
	err = NULL;
	if (agent_reply_status(&r, &st, &err) == -1)
		free(err);
	err = NULL;
	if (agent_reply_revents(&r, &rev, &err) == -1)
		free(err);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct agent_req req;
	struct agent_err e;
	struct acl acl;
	char *s;

	/* The agent hands the parser a line of any bytes, LF removed. */
	agent_req_parse((const char *)data, size, &req, &e);
	if ((s = malloc(size + 1)) == NULL)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	replies(s);
	memset(&acl, 0, sizeof(acl));
	acl_parse(&acl, s);
	free(s);
	return 0;
}
