/*
 * Copyright (c) 2026 The tcpconform developers.  SPDX-License-Identifier: ISC
 *
 * tc_sink.c: the Linux listener of the integration tests.  It accepts one
 * connection, reads until EOF, prints how many bytes it read and their
 * FNV-1a hash (so the test compares what the application received with
 * what the peer sent), closes, and exits.
 */
#include <sys/socket.h>
#include <sys/types.h>

#include <netdb.h>

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void	on_alarm(int);

static void
on_alarm(int sig)
{
	static const char msg[] = "tc_sink: timeout\n";

	(void)sig;
	(void)write(2, msg, sizeof(msg) - 1);
	_exit(3);
}

int
main(int argc, char **argv)
{
	struct addrinfo hints, *ai;
	uint8_t buf[65536];
	uint64_t h = 0xcbf29ce484222325ULL, total = 0;
	ssize_t n, i;
	int s, c, one = 1, rc;

	if (argc < 3 || argc > 4) {
		fprintf(stderr, "usage: tc_sink ADDR PORT [TIMEOUT]\n");
		return 2;
	}
	signal(SIGALRM, on_alarm);
	alarm(argc == 4 ? (unsigned)atoi(argv[3]) : 30);
	memset(&hints, 0, sizeof(hints));
	hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV | AI_PASSIVE;
	hints.ai_socktype = SOCK_STREAM;
	if ((rc = getaddrinfo(argv[1], argv[2], &hints, &ai)) != 0) {
		fprintf(stderr, "tc_sink: %s %s: %s\n", argv[1], argv[2],
		    gai_strerror(rc));
		return 2;
	}
	if ((s = socket(ai->ai_family, SOCK_STREAM, 0)) == -1 ||
	    setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) == -1 ||
	    bind(s, ai->ai_addr, ai->ai_addrlen) == -1 || listen(s, 4) == -1) {
		perror("tc_sink: listen");
		return 2;
	}
	freeaddrinfo(ai);
	printf("listening %s %s\n", argv[1], argv[2]);
	fflush(stdout);
	if ((c = accept(s, NULL, NULL)) == -1) {
		perror("tc_sink: accept");
		return 2;
	}
	while ((n = read(c, buf, sizeof(buf))) > 0) {
		for (i = 0; i < n; i++)
			h = (h ^ buf[i]) * 0x100000001b3ULL;
		total += (uint64_t)n;
	}
	if (n == -1) {
		perror("tc_sink: read");
		return 1;
	}
	printf("received %llu bytes fnv1a 0x%016llx\n",
	    (unsigned long long)total, (unsigned long long)h);
	fflush(stdout);
	close(c);
	close(s);
	return 0;
}
