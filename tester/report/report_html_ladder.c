/*
 * Copyright (c) 2026 The tcpconform developers.  SPDX-License-Identifier: ISC
 *
 * report_html_ladder.c: the ladder (sequence) diagram of a case as inline
 * SVG: the peer and the target as two lifelines, time running down, one
 * arrow per segment labelled in packetdrill's notation.
 *
 * Expected-but-missing segments are dashed and grey, unexpected ones
 * dotted in amber, and the first divergence is drawn in red with the field
 * that differed beside it; each arrow carries a <title> with its whole
 * story, which browsers show as a tooltip.  Every arrow is one
 * <line class="arw">, so the arrows can be counted against the segments.
 *
 * Rows are evenly spaced rather than to scale: a case often spans
 * microseconds and then a 200 ms timer, and a true scale would crush the
 * former.  The time of each segment is printed at its left instead.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "report_html.h"
#include "report_util.h"

/* Geometry, in SVG user units (CSS pixels at 100%). */
#define L_WIDTH		960
#define L_TIME_X	84	/* right edge of the time column */
#define L_PEER_X	170
#define L_TARGET_X	870
#define L_TOP		58	/* lifelines start below the heads */
#define L_FIRST		92	/* y of the first arrow */
#define L_ROW		64	/* between arrows */
#define L_DROP		16	/* an arrow falls this much: transit */
#define L_LABEL_MAX	92	/* characters in an arrow's labels */

static void	 defs(FILE *);
static void	 heads(FILE *, const struct target *, int);
static void	 notation(FILE *, const struct seg_rec *, size_t);
static void	 seg_title(FILE *, const struct case_result *, size_t);
static void	 arrow(FILE *, const struct case_result *, size_t, int);
static void	 key(FILE *, const char *, const char *);

static void
defs(FILE *f)
{
	static const char *const m[] = {
		"ah-to", "ah-from", "ah-miss", "ah-unexp", "ah-div",
	};
	size_t i;

	fputs("<defs>", f);
	for (i = 0; i < sizeof(m) / sizeof(m[0]); i++)
		fprintf(f, "<marker id=\"%s\" viewBox=\"0 0 10 10\" "
		    "refX=\"10\" refY=\"5\" markerWidth=\"11\" "
		    "markerHeight=\"11\" "
		    "markerUnits=\"userSpaceOnUse\" orient=\"auto\">"
		    "<path class=\"%s\" d=\"M0,0L10,5L0,10z\"/></marker>",
		    m[i], m[i]);
	fputs("</defs>\n", f);
}

static void
heads(FILE *f, const struct target *t, int height)
{
	fprintf(f, "<rect class=\"box\" x=\"%d\" y=\"8\" width=\"170\" "
	    "height=\"42\" rx=\"6\"/><text class=\"who\" x=\"%d\" y=\"26\" "
	    "text-anchor=\"middle\">peer</text><text class=\"addr\" x=\"%d\" "
	    "y=\"42\" text-anchor=\"middle\">tcpconform</text>\n",
	    L_PEER_X - 85, L_PEER_X, L_PEER_X);
	fprintf(f, "<rect class=\"box\" x=\"%d\" y=\"8\" width=\"170\" "
	    "height=\"42\" rx=\"6\"/><text class=\"who\" x=\"%d\" y=\"26\" "
	    "text-anchor=\"middle\">target</text><text class=\"addr\" "
	    "x=\"%d\" y=\"42\" text-anchor=\"middle\">", L_TARGET_X - 85,
	    L_TARGET_X, L_TARGET_X);
	report_esc_max(f, t->address != NULL ? t->address : t->name, 24);
	fputs("</text>\n", f);
	fprintf(f, "<line class=\"life\" x1=\"%d\" y1=\"%d\" x2=\"%d\" "
	    "y2=\"%d\"/><line class=\"life\" x1=\"%d\" y1=\"%d\" x2=\"%d\" "
	    "y2=\"%d\"/>\n", L_PEER_X, L_TOP - 8, L_PEER_X, height - 8,
	    L_TARGET_X, L_TOP - 8, L_TARGET_X, height - 8);
	fprintf(f, "<text class=\"t\" x=\"%d\" y=\"26\" text-anchor=\"end\">"
	    "time</text>\n", L_TIME_X);
}

/*
 * "S. 0:0(0) ack 1 win 65535" as packetdrill writes it: flags, then
 * start:end(length) in relative sequence numbers, ack only with ACK set.
 */
static void
notation(FILE *f, const struct seg_rec *s, size_t max)
{
	char flags[16], buf[160];
	int n;

	result_flags_str(s->flags, flags, sizeof(flags));
	n = snprintf(buf, sizeof(buf), "%s %u:%u(%u)", flags, s->seq_rel,
	    s->seq_rel + s->len, s->len);
	if ((s->flags & SEGF_ACK) && n > 0 && (size_t)n < sizeof(buf))
		n += snprintf(buf + n, sizeof(buf) - (size_t)n, " ack %u",
		    s->ack_rel);
	if (n > 0 && (size_t)n < sizeof(buf))
		snprintf(buf + n, sizeof(buf) - (size_t)n, " win %u", s->win);
	report_esc_max(f, buf, max);
}

/* The tooltip: everything known about segment i, in words. */
static void
seg_title(FILE *f, const struct case_result *c, size_t i)
{
	const struct seg_rec *s = c->segs[i];
	static const char *const kinds[] = {
		"observed", "expected, never seen", "unexpected",
	};

	fprintf(f, "<title>Segment %zu, %s, %s at +%.3f ms: ", i + 1,
	    html_dir_words(s->dir), kinds[(unsigned)s->kind <= SEGK_UNEXPECTED ?
	    s->kind : 0], (double)s->t_us / 1e3);
	notation(f, s, 200);
	if (s->options != NULL) {
		fputs(" &lt;", f);
		report_esc_max(f, s->options, 200);
		fputs("&gt;", f);
	}
	fprintf(f, "; absolute seq %u", s->seq_abs);
	if (s->flags & SEGF_ACK)
		fprintf(f, ", ack %u", s->ack_abs);
	if (s->expect != NULL) {
		fputs(". Case line ", f);
		if (s->expect_file != NULL) {
			report_esc_max(f, s->expect_file, 120);
			fprintf(f, ":%d", s->expect_line);
		}
		fputs(": ", f);
		report_esc_max(f, s->expect, 200);
	}
	fputs("</title>", f);
}

static void
arrow(FILE *f, const struct case_result *c, size_t i, int y)
{
	const struct seg_rec *s = c->segs[i];
	static const char *const kinds[] = { "observed", "missing",
	    "unexpected" };
	const char *marker;
	char buf[256];
	int div, x1, x2, mid = (L_PEER_X + L_TARGET_X) / 2;

	div = c->mismatch_seg >= 0 && (size_t)c->mismatch_seg == i;
	if (div)
		marker = "ah-div";
	else if (s->kind == SEGK_MISSING)
		marker = "ah-miss";
	else if (s->kind == SEGK_UNEXPECTED)
		marker = "ah-unexp";
	else
		marker = s->dir == SEGDIR_FROM_TARGET ? "ah-from" : "ah-to";
	x1 = s->dir == SEGDIR_FROM_TARGET ? L_TARGET_X : L_PEER_X;
	x2 = s->dir == SEGDIR_FROM_TARGET ? L_PEER_X + 2 : L_TARGET_X - 2;
	fprintf(f, "<g class=\"s %s k-%s%s\">", s->dir == SEGDIR_FROM_TARGET ?
	    "from-target" : "to-target", kinds[(unsigned)s->kind <=
	    SEGK_UNEXPECTED ? s->kind : 0], div ? " diverge" : "");
	seg_title(f, c, i);
	fprintf(f, "<line class=\"arw\" x1=\"%d\" y1=\"%d\" x2=\"%d\" "
	    "y2=\"%d\" marker-end=\"url(#%s)\"/>", x1, y, x2, y + L_DROP,
	    marker);
	fprintf(f, "<text class=\"t\" x=\"%d\" y=\"%d\">+%.3f ms</text>",
	    L_TIME_X, y + L_DROP / 2 + 4, (double)s->t_us / 1e3);
	fprintf(f, "<text class=\"lbl\" x=\"%d\" y=\"%d\">%s", mid, y - 7,
	    s->kind == SEGK_MISSING ? "missing: " :
	    s->kind == SEGK_UNEXPECTED ? "unexpected: " : "");
	notation(f, s, L_LABEL_MAX);
	fprintf(f, "</text><text class=\"sub\" x=\"%d\" y=\"%d\">", mid,
	    y + L_DROP + 14);
	if (div && c->ndiffs > 0) {
		fputs("\xe2\x9c\x97 ", f);
		report_esc_max(f, result_diff_str(&c->diffs[0], buf,
		    sizeof(buf)), L_LABEL_MAX);
	} else if (s->options != NULL && s->options[0] != '\0') {
		fputs("&lt;", f);
		report_esc_max(f, s->options, L_LABEL_MAX);
		fputs("&gt;", f);
	}
	fputs("</text></g>\n", f);
}

/* One entry of the key under the diagram: a short line and its meaning. */
static void
key(FILE *f, const char *cls, const char *text)
{
	fprintf(f, "<span><svg width=\"36\" height=\"10\" aria-hidden=\"true\">"
	    "<line class=\"%s\" x1=\"1\" y1=\"5\" x2=\"35\" y2=\"5\"/>"
	    "</svg>%s</span>", cls, text);
}

void
html_ladder(FILE *f, const struct target *t, const struct case_result *c)
{
	int height;
	size_t i;

	height = L_FIRST + (int)(c->nsegs > 0 ? c->nsegs : 1) * L_ROW;
	fprintf(f, "<div class=\"ladder-wrap\"><svg class=\"ladder\" "
	    "xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" "
	    "width=\"%d\" height=\"%d\" role=\"img\" aria-label=\"Ladder "
	    "diagram of %zu segments between the peer and the target\">\n",
	    L_WIDTH, height, L_WIDTH, height, c->nsegs);
	defs(f);
	heads(f, t, height);
	for (i = 0; i < c->nsegs; i++)
		arrow(f, c, i, L_FIRST + (int)i * L_ROW);
	if (c->nsegs == 0)
		fprintf(f, "<text class=\"sub\" x=\"%d\" y=\"%d\" "
		    "text-anchor=\"middle\">No segments were recorded for this "
		    "case.</text>\n", (L_PEER_X + L_TARGET_X) / 2, L_FIRST);
	fputs("</svg></div>\n<div class=\"keys\">", f);
	key(f, "kt", "peer \xe2\x86\x92 target");
	key(f, "kf", "target \xe2\x86\x92 peer");
	key(f, "km", "expected, never seen");
	key(f, "ku", "unexpected");
	key(f, "kd", "first divergence");
	fputs("</div>\n", f);
}
