/*
 * Copyright (c) 2026 The tcpconform developers.  SPDX-License-Identifier: ISC
 *
 * report_util.h: what the report writers share: escaping untrusted text for
 * HTML and XML, safe links and file names, times, and atomic files.
 */
#ifndef TCPCONFORM_REPORT_UTIL_H
#define TCPCONFORM_REPORT_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/*
 * Write s as HTML/XML character data that is safe in text and in quoted
 * attribute values: & < > " ' = become entities (so no text can look like
 * an attribute, "onerror=..." included), and anything that is not
 * printable well-formed UTF-8 (control characters, C1 controls, U+FFFE and
 * U+FFFF, bytes of broken sequences) is written visibly as \xNN, so the
 * output is always well-formed XML 1.0 and never carries a raw byte.
 * NULL writes nothing.
 */
void	report_esc(FILE *, const char *s);
struct run;
struct target;
struct case_result;
/*
 * The command that runs case c against target t again, the same way:
 * target or loopback, --remote, the mode and its interface and phantom
 * address, port, service, agent, kind, rate, MSL, baseline, the family
 * (-4/-6), the case file (from the run's recorded options).  Arguments a
 * shell would change are single-quoted.  Returns buf.
 */
char	*report_rerun(const struct run *, const struct target *,
	    const struct case_result *, char *buf, size_t cap);
void	report_esc_n(FILE *, const char *s, size_t n);
/* The same, cut after max characters with "..." added when cut. */
void	report_esc_max(FILE *, const char *s, size_t max);

/*
 * Write path as a relative URL for an href: every byte outside
 * [A-Za-z0-9._~/-] is percent-encoded (so ':' can never start a scheme
 * such as javascript:, and no quote or '&' survives), and ".." segments
 * are kept, since pcap paths are relative.  prefix is written first as is
 * (it must be trusted, e.g. "../../").
 */
void	report_href(FILE *, const char *prefix, const char *path);

/* A file name from an untrusted id: [a-z0-9._-] only, at most cap - 1. */
char	*report_slug(const char *id, char *buf, size_t cap);

/*
 * Distinct file names for n ids (one folder's pages, or pcaps): names[i]
 * (malloc'ed) is report_slug() of ids[i] when no other id has the same
 * slug, and the slug with "-<i + 1>" added otherwise, for all but the
 * first (in slug order, then index order) of those that share it: ids
 * such as "x y", "x-y" and "x/y" must not share a page or a pcap.  The
 * runner names pcaps and the HTML writer names pages with it, so a case
 * has the same name in both.  Returns 0, or -1 (out of memory; names
 * freed).
 */
int	 report_slugs(const char *const *ids, size_t n, char **names);

/* "2026-05-14 09:30:12 UTC"; "unknown" for 0. */
char	*report_time_iso(int64_t unix_us, char *buf, size_t cap);
/* "1.234 s", "12.5 ms", "840 µs" for a duration in µs. */
char	*report_duration(int64_t us, char *buf, size_t cap);

/* Files, hex digits and natural order are lib/'s: file.h, text.h. */
#include "file.h"
#include "text.h"

#endif /* TCPCONFORM_REPORT_UTIL_H */
