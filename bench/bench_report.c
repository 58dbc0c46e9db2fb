/*
 * Copyright (c) 2026 The tcpconform developers.  SPDX-License-Identifier: ISC
 *
 * bench_report.c: how long writing the report of a 1,000-case run takes and
 * how big it is: results.json, the HTML folder, junit.xml, and reading the
 * JSON back.  The model is synthetic but shaped like a real run: ten
 * segments a case (a handshake, data, a close), two requirements, options
 * text and a payload, one case in ten failing with a mismatch.
 *
 *	bench/bench_report [CASES]	(default 1000)
 */
#include "config.h"

#include <sys/stat.h>

#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "report.h"
#include "result.h"

static const char *const topics[] = {
	"handshake", "close", "half-close", "simultaneous-close", "rst",
	"options", "rto", "window", "urgent", "keepalive",
};

static double	 now(void);
static void	 fill_case(struct case_result *, size_t);
static struct run *build(size_t);
static uintmax_t du(const char *, size_t *, uintmax_t *);

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
fill_case(struct case_result *c, size_t i)
{
	static const uint8_t data[] =
	    "GET /index.html HTTP/1.1\r\nHost: x\r\n\r\n";
	static const unsigned flags[] = {
		SEGF_SYN, SEGF_SYN | SEGF_ACK, SEGF_ACK, SEGF_PSH | SEGF_ACK,
		SEGF_ACK, SEGF_PSH | SEGF_ACK, SEGF_ACK, SEGF_FIN | SEGF_ACK,
		SEGF_FIN | SEGF_ACK, SEGF_ACK,
	};
	struct seg_rec *s;
	char buf[128];
	size_t k;

	snprintf(buf, sizeof(buf), "%s/case-number-%zu", topics[i % 10], i);
	result_set(&c->id, buf);
	snprintf(buf, sizeof(buf), "Behaviour number %zu of the %s topic", i,
	    topics[i % 10]);
	result_set(&c->title, buf);
	snprintf(buf, sizeof(buf), "cases/%s/case-number-%zu.case",
	    topics[i % 10], i);
	result_set(&c->file, buf);
	snprintf(buf, sizeof(buf), "pcap/%s-case-number-%zu.pcap",
	    topics[i % 10], i);
	result_set(&c->pcap, buf);
	snprintf(buf, sizeof(buf), "MUST-%zu", i % 69 + 1);
	result_req_add(c, buf, "RFC 9293 3.10.7.4", "MUST",
	    "An in-window RST is answered with a challenge ACK");
	snprintf(buf, sizeof(buf), "SHLD-%zu", i % 31 + 1);
	result_req_add(c, buf, "RFC 9293 3.8.6.3", "SHOULD",
	    "Delay an ACK by less than 0.5 s");
	c->verdict = i % 10 == 3 ? VERDICT_FAIL : VERDICT_PASS;
	result_set(&c->reason, c->verdict == VERDICT_FAIL ?
	    "the ACK of the FIN did not count the FIN" : NULL);
	c->duration_us = 1500 + (int64_t)(i % 50) * 10;
	for (k = 0; k < 10; k++) {
		s = result_seg_add(c);
		s->t_us = (int64_t)k * 120;
		s->dir = k % 2 ? SEGDIR_FROM_TARGET : SEGDIR_TO_TARGET;
		s->flags = flags[k];
		s->seq_rel = k < 2 ? 0 : 1 + (uint32_t)k * 100;
		s->ack_rel = 1 + (uint32_t)k * 100;
		s->seq_abs = 1000000 + s->seq_rel;
		s->ack_abs = 3000000 + s->ack_rel;
		s->len = flags[k] & SEGF_PSH ? sizeof(data) - 1 : 0;
		s->win = 65535;
		result_set(&s->options, k < 2 ? "mss 1460,sackOK,TS val 100 "
		    "ecr 0,nop,wscale 7" : "nop,nop,TS val 101 ecr 7");
		if (flags[k] & SEGF_PSH)
			result_seg_payload(s, data, sizeof(data) - 1);
		if (s->dir == SEGDIR_FROM_TARGET) {
			result_set(&s->expect, "+0 > . 1:1(0) ack 101 <...>");
			result_set(&s->expect_file, c->file);
			s->expect_line = (int)k + 10;
		}
	}
	if (c->verdict == VERDICT_FAIL) {
		c->mismatch_seg = 9;
		result_diff_add(c, "ack", "902", "901");
	}
}

static struct run *
build(size_t n)
{
	struct run *r;
	struct target *t;
	char id[16];
	size_t i;

	r = result_run_new();
	result_set(&r->tester_version, PACKAGE_VERSION);
	result_set(&r->command_line, "tcpconform run --loopback cases/");
	r->started_us = 1778751012000000LL;
	r->ended_us = r->started_us + 60000000;
	for (i = 1; i <= 69; i++) {
		snprintf(id, sizeof(id), "MUST-%zu", i);
		result_known_req_add(r, id, "RFC 9293", "MUST", "A MUST");
	}
	t = result_target_add(r);
	result_set(&t->name, "linux");
	result_set(&t->address, "127.0.0.1");
	t->mode = TARGET_LOOPBACK;
	t->rtt_us = 40;
	t->jitter_us = 6;
	for (i = 0; i < n; i++)
		fill_case(result_case_add(t), i);
	return r;
}

/* Bytes under dir (recursively) and the number of files. */
static uintmax_t
du(const char *dir, size_t *files, uintmax_t *largest)
{
	char path[4096];
	struct dirent *de;
	struct stat st;
	uintmax_t sum = 0;
	DIR *d;

	if ((d = opendir(dir)) == NULL)
		return 0;
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		if (stat(path, &st) == -1)
			continue;
		if (S_ISDIR(st.st_mode))
			sum += du(path, files, largest);
		else {
			sum += (uintmax_t)st.st_size;
			(*files)++;
			if ((uintmax_t)st.st_size > *largest)
				*largest = (uintmax_t)st.st_size;
		}
	}
	closedir(d);
	return sum;
}

int
main(int argc, char **argv)
{
	char dir[] = "/tmp/tc-bench-report-XXXXXX", path[256], cmd[300];
	char *err = NULL;
	struct run *r, *back;
	struct stat st;
	uintmax_t total, largest = 0;
	size_t n = 1000, files = 0;
	double t0, tjson, thtml, tjunit, tread;

	if (argc > 1)
		n = (size_t)strtoul(argv[1], NULL, 10);
	if (mkdtemp(dir) == NULL)
		return 1;
	r = build(n);
	snprintf(path, sizeof(path), "%s/results.json", dir);
	t0 = now();
	if (report_write_all(r, dir, REPORT_JSON, &err) == -1)
		goto fail;
	tjson = now() - t0;
	t0 = now();
	if (report_write_all(r, dir, REPORT_HTML, &err) == -1)
		goto fail;
	thtml = now() - t0;
	t0 = now();
	if (report_write_all(r, dir, REPORT_JUNIT, &err) == -1)
		goto fail;
	tjunit = now() - t0;
	t0 = now();
	if ((back = report_json_read_file(path, &err)) == NULL)
		goto fail;
	tread = now() - t0;
	result_run_free(back);
	stat(path, &st);
	printf("report of %zu cases, %zu segments each:\n", n,
	    r->targets[0]->ncases > 0 ? r->targets[0]->cases[0]->nsegs : 0);
	printf("  results.json  %8.1f ms  %8.1f KiB (read back in %.1f ms)\n",
	    tjson * 1e3, (double)st.st_size / 1024, tread * 1e3);
	snprintf(path, sizeof(path), "%s/index.html", dir);
	stat(path, &st);
	printf("  index.html    %8s     %8.1f KiB\n", "", (double)st.st_size /
	    1024);
	snprintf(path, sizeof(path), "%s/cases", dir);
	total = du(path, &files, &largest);
	printf("  HTML folder   %8.1f ms  %8.1f KiB in %zu case pages "
	    "(%.1f KiB each, largest %.1f KiB)\n", thtml * 1e3,
	    (double)(total + (uintmax_t)st.st_size) / 1024, files,
	    files > 0 ? (double)total / (double)files / 1024 : 0.0,
	    (double)largest / 1024);
	snprintf(path, sizeof(path), "%s/junit.xml", dir);
	stat(path, &st);
	printf("  junit.xml     %8.1f ms  %8.1f KiB\n", tjunit * 1e3,
	    (double)st.st_size / 1024);
	result_run_free(r);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : 1;
fail:
	fprintf(stderr, "bench_report: %s\n", err != NULL ? err : "failed");
	free(err);
	result_run_free(r);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		return 1;
	return 1;
}
