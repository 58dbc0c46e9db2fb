/*
 * Copyright (c) 2026 The tcpconform developers.  SPDX-License-Identifier: ISC
 *
 * wire_dump.c: pcap files of one case's datagrams, written under a
 * temporary name and renamed when complete, so that a reader never finds
 * half a file.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <pcap/pcap.h>

#include "wire_int.h"
#include "errmsg.h"

struct wire_dump {
	pcap_t		*pc;
	pcap_dumper_t	*pd;
	char		*path;
	char		*tmp;
};

static void	dump_free(struct wire_dump *);

static void
dump_free(struct wire_dump *d)
{
	if (d->pd != NULL)
		pcap_dump_close(d->pd);
	if (d->pc != NULL)
		pcap_close(d->pc);
	free(d->path);
	free(d->tmp);
	free(d);
}

struct wire_dump *
wire_dump_open(const char *path, char **err)
{
	struct wire_dump *d;

	if ((d = calloc(1, sizeof(*d))) == NULL ||
	    (d->path = strdup(path)) == NULL ||
	    asprintf(&d->tmp, "%s.tmp", path) == -1) {
		if (d != NULL)
			d->tmp = NULL;
		tc_seterr(err, "wire: out of memory");
		goto fail;
	}
	/* LINKTYPE_RAW: each record is an IPv4 or IPv6 datagram. */
	d->pc = pcap_open_dead_with_tstamp_precision(DLT_RAW, WIRE_SNAPLEN,
	    PCAP_TSTAMP_PRECISION_NANO);
	if (d->pc == NULL) {
		tc_seterr(err, "wire: pcap_open_dead failed");
		goto fail;
	}
	if ((d->pd = pcap_dump_open(d->pc, d->tmp)) == NULL) {
		tc_seterr(err, "wire: %s: %s", d->tmp, pcap_geterr(d->pc));
		goto fail;
	}
	return d;
fail:
	if (d != NULL)
		dump_free(d);
	return NULL;
}

int
wire_dump_add(struct wire_dump *d, const struct timespec *ts,
    const uint8_t *dgram, size_t len, char **err)
{
	struct pcap_pkthdr ph;

	memset(&ph, 0, sizeof(ph));
	ph.ts.tv_sec = ts->tv_sec;
	ph.ts.tv_usec = ts->tv_nsec;	/* nanoseconds: see open */
	ph.caplen = ph.len = (bpf_u_int32)len;
	pcap_dump((u_char *)d->pd, &ph, dgram);
	if (ferror(pcap_dump_file(d->pd))) {
		tc_seterr(err, "wire: writing %s: %s", d->tmp, strerror(errno));
		return -1;
	}
	return 0;
}

int
wire_dump_close(struct wire_dump *d, int keep, char **err)
{
	int rc = 0;

	if (d == NULL)
		return 0;
	if (pcap_dump_flush(d->pd) == -1 ||
	    ferror(pcap_dump_file(d->pd))) {
		tc_seterr(err, "wire: writing %s: %s", d->tmp, strerror(errno));
		rc = -1;
		keep = 0;
	}
	pcap_dump_close(d->pd);
	d->pd = NULL;
	if (keep && rename(d->tmp, d->path) == -1) {
		tc_seterr(err, "wire: renaming %s to %s: %s", d->tmp, d->path,
		    strerror(errno));
		rc = -1;
		keep = 0;
	}
	if (!keep)
		unlink(d->tmp);
	dump_free(d);
	return rc;
}
