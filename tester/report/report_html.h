/*
 * Copyright (c) 2026 The tcpconform developers.  SPDX-License-Identifier: ISC
 *
 * report_html.h: what the parts of the HTML report share (inside the report
 * module only): the page skeleton, the case-page paths, badges and the
 * plain-words form of a mismatch.
 */
#ifndef TCPCONFORM_REPORT_HTML_H
#define TCPCONFORM_REPORT_HTML_H

#include <stddef.h>
#include <stdio.h>

#include "result.h"

/* The template and stylesheets of reports/, built in by embed.sh. */
extern const char report_asset_page_html[];
extern const char report_asset_base_css[];
extern const char report_asset_index_css[];
extern const char report_asset_case_css[];

/*
 * Where every case page goes: paths[ti][ci] = "cases/t1/<slug>.html",
 * relative to the index.  Slugs come from untrusted ids, so they are cut
 * down to [a-z0-9._-] and made unique within their target.
 */
struct html_ctx {
	const struct run *run;
	char		***paths;
	size_t		**order;	/* order[ti]: case indices by topic */
};

int	 html_ctx_init(struct html_ctx *, const struct run *);
/* Is the topic of a the same as the topic of b? */
int	 html_same_topic(const struct case_result *,
	    const struct case_result *);
/* Compare topics as byte strings, for sorting. */
int	 html_topic_cmp(const struct case_result *, const struct case_result *);
void	 html_ctx_free(struct html_ctx *);

/*
 * Write a page: the template with its title, the stylesheet (base.css plus
 * css) and a body written by fn(f, arg).
 */
void	 html_page(FILE *, const char *title, const char *css,
	    void (*fn)(FILE *, const void *), const void *arg);

/* <span class="badge v-fail">FAIL</span> */
void	 html_badge(FILE *, enum verdict, const char *extra_class);
/* The one-character glyph of a verdict for tiles (with the label beside). */
const char *html_glyph(enum verdict);
/* "peer → target" / "target → peer" */
const char *html_dir_words(enum seg_dir);
/* A target's name for headings: name, else address, else "target N". */
void	 html_target_name(FILE *, const struct target *, size_t ti);

/*
 * The mismatch of a failed case in plain words, for people:
 * "In segment 5 (target → peer) the acknowledgment number was 1000; the
 * case expected 1002."  Followed by the canonical form in <code>.
 */
void	 html_mismatch(FILE *, const struct case_result *, int with_code);

/* An RFC section as text with a link to rfc-editor.org when it parses. */
void	 html_rfc_section(FILE *, const char *section);

/* Parts of the index page (report_html_summary.c, _matrix.c, _req.c). */
void	 html_index_header(FILE *, const struct run *);
void	 html_summary(FILE *, const struct html_ctx *);
void	 html_problems(FILE *, const struct html_ctx *);
void	 html_grid(FILE *, const struct html_ctx *);
void	 html_case_list(FILE *, const struct html_ctx *);
void	 html_matrix(FILE *, const struct html_ctx *);
void	 html_requirements(FILE *, const struct html_ctx *);
void	 html_legend(FILE *);
void	 html_claims(FILE *, const struct html_ctx *);

/* The ladder diagram of a case (report_html_ladder.c). */
void	 html_ladder(FILE *, const struct target *, const struct case_result *);

#endif /* TCPCONFORM_REPORT_HTML_H */
