/*
 * Copyright (c) 2026 The tcpconform developers.  SPDX-License-Identifier: ISC
 *
 * bench_segment.c: how long seg_decode and seg_encode take per segment, for
 * a SYN with Linux's options and for full-sized data segments ("make bench").
 */
#include "config.h"

#include <sys/socket.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "segment.h"

static double	now(void);
static void	bench(struct seg_encoder *, const char *, const uint8_t *,
		    size_t);

static volatile uint32_t	sink;

static double
now(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static void
bench(struct seg_encoder *e, const char *name, const uint8_t *pkt,
    size_t len)
{
	static uint8_t	 out[65536];
	struct seg	 s;
	char		*err = NULL;
	double		 t0, dec, enc;
	int		 i, n = 1000000;

	t0 = now();
	for (i = 0; i < n; i++) {
		if (seg_decode(pkt, len, &s, &err) == -1) {
			fprintf(stderr, "%s: %s\n", name, err);
			exit(1);
		}
		sink += s.seq + s.warn;
	}
	dec = (now() - t0) / n;
	n /= 10;
	t0 = now();
	for (i = 0; i < n; i++) {
		if (seg_encode(e, &s, out, sizeof(out), &err) == -1) {
			fprintf(stderr, "%s: %s\n", name, err);
			exit(1);
		}
		sink += out[i % len];
	}
	enc = (now() - t0) / n;
	printf("%-28s %5zu bytes  decode %7.1f ns  encode %7.1f ns\n", name,
	    len, dec, enc);
}

int
main(void)
{
	struct seg_encoder	*e;
	struct seg		 s;
	static uint8_t		 payload[1460], pkt[2000];
	char			*err = NULL;
	int			 n, fam;

	if ((e = seg_encoder_new(&err)) == NULL) {
		fprintf(stderr, "%s\n", err);
		return 1;
	}
	memset(payload, 'x', sizeof(payload));
	for (fam = 0; fam < 2; fam++) {
		seg_init(&s, fam == 0 ? AF_INET : AF_INET6);
		s.src[0] = s.dst[0] = 0x20;
		s.sport = 40000;
		s.dport = 80;
		s.flags = SEG_SYN;
		seg_add_mss(&s, 1460);
		seg_add_sackok(&s);
		seg_add_ts(&s, 1, 0);
		seg_add_nop(&s);
		seg_add_wscale(&s, 7);
		n = seg_encode(e, &s, pkt, sizeof(pkt), &err);
		bench(e, fam == 0 ? "IPv4 SYN, Linux options" :
		    "IPv6 SYN, Linux options", pkt, (size_t)n);
		seg_init(&s, fam == 0 ? AF_INET : AF_INET6);
		s.flags = SEG_ACK;
		seg_add_nop(&s);
		seg_add_nop(&s);
		seg_add_ts(&s, 1, 0);
		s.data = payload;
		s.len = fam == 0 ? 1448 : 1428;
		n = seg_encode(e, &s, pkt, sizeof(pkt), &err);
		bench(e, fam == 0 ? "IPv4 data, 1448 bytes + TS" :
		    "IPv6 data, 1428 bytes + TS", pkt, (size_t)n);
	}
	seg_encoder_free(e);
	return 0;
}
