/*
 * Copyright (c) 2026 The tcpconform developers.  SPDX-License-Identifier: ISC
 *
 * case_cover.c: the requirement view of a catalogue: which requirements a
 * peer can see on the wire, and how many of them the cases cite, per RFC
 * and per keyword.
 *
 * The denominator is the requirement table of case_reqs.c less what cannot
 * be seen from the wire.  Of RFC 9293's 119 labels, 19 are about the API or
 * internal state only (the labels marked "no" in the requirement catalogue
 * of shared/research, each reread against its sentence in RFC 9293), and
 * the RFC 793 sections are history, kept so old case files still parse:
 * neither counts.  Of the rest, some need the target's application to act
 * (an agent, or a service whose protocol makes it act); the others a peer
 * can check against any open port.
 *
 * "Cited" means a case names the requirement in its checks line.  It is an
 * upper bound of what the suite proves: a requirement counts as proven
 * only when a fault that breaks it makes a case report it, which is the
 * fault runs' business (tests/integration/suite.sh), not this file's.
 */
#include <stdlib.h>
#include <string.h>

#include "case.h"

/* RFC 9293 labels no peer can see on the wire (API or internal state). */
static const char *const wire_no[] = {
	"MUST-41", "MUST-44", "MUST-47", "MUST-51", "MUST-52",
	"SHLD-6", "SHLD-9", "SHLD-10", "SHLD-13", "SHLD-20", "SHLD-23",
	"MAY-9", "MAY-10", "MAY-11", "MAY-14", "MAY-15", "MAY-17", "MAY-18",
	"REC-1",
};

/*
 * Requirements whose check needs the target's application to act: data
 * from the target, a close, a shutdown, a socket option.  RFC 9293 labels
 * as the research catalogue classes them; other IDs by what their rule is
 * about.
 */
static const char *const wire_agent[] = {
	"MUST-1", "MUST-10", "MUST-12", "MUST-13", "MUST-14", "MUST-15",
	"MUST-16", "MUST-17", "MUST-18", "MUST-19", "MUST-20", "MUST-21",
	"MUST-22", "MUST-23", "MUST-24", "MUST-25", "MUST-26", "MUST-27",
	"MUST-28", "MUST-29", "MUST-30", "MUST-31", "MUST-32", "MUST-33",
	"MUST-34", "MUST-35", "MUST-36", "MUST-37", "MUST-38", "MUST-39",
	"MUST-42", "MUST-43", "MUST-46", "MUST-48", "MUST-49", "MUST-60",
	"MUST-61", "MUST-62", "MUST-66",
	"SHLD-3", "SHLD-4", "SHLD-7", "SHLD-11", "SHLD-12", "SHLD-14",
	"SHLD-15", "SHLD-16", "SHLD-17", "SHLD-21", "SHLD-22", "SHLD-25",
	"SHLD-27", "SHLD-28", "SHLD-29", "SHLD-30",
	"MAY-1", "MAY-2", "MAY-5", "MAY-6", "MAY-7", "MAY-8", "MAY-16",
	"RFC9293-3.4.2", "RFC9293-3.6", "RFC9293-3.8.6", "RFC9293-3.6.1", "RFC9293-3.10.8",
	"RFC1122-4.2.2.13", "RFC1122-4.2.2.17", "RFC1122-4.2.3.6",
	"RFC1337", "RFC2018-5", "RFC2525-2.16", "RFC2525-2.17",
	"RFC2525-2.18", "RFC5681-3.1", "RFC5681-3.2", "RFC5681-4.1",
	"RFC6093", "RFC6191", "RFC6298-3", "RFC6298-5", "RFC6298-5.7",
	"RFC6691-2",
};

static int	in(const char *const *, size_t, const char *);
static int	row_cmp(const void *, const void *);
static int	cover_row(struct case_cover *, const struct case_req *);

static int
in(const char *const *v, size_t n, const char *id)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(v[i], id) == 0)
			return 1;
	return 0;
}

enum case_wire
case_req_wire(const struct case_req *q)
{
	if (strncmp(q->id, "RFC793", 6) == 0 && (q->id[6] == '-' ||
	    q->id[6] == '\0'))
		return CASE_WIRE_NO;
	if (in(wire_no, sizeof(wire_no) / sizeof(wire_no[0]), q->id))
		return CASE_WIRE_NO;
	if (in(wire_agent, sizeof(wire_agent) / sizeof(wire_agent[0]), q->id))
		return CASE_WIRE_AGENT;
	return CASE_WIRE_YES;
}

const char *
case_wire_name(enum case_wire w)
{
	switch (w) {
	case CASE_WIRE_NO:
		return "no";
	case CASE_WIRE_AGENT:
		return "agent";
	case CASE_WIRE_YES:
		break;
	}
	return "yes";
}

/* Rows sort by RFC number, then MUST, SHOULD, MAY. */
static int
row_cmp(const void *a, const void *b)
{
	const struct case_cover_row *x = a, *y = b;
	long nx = strtol(x->rfc + 4, NULL, 10), ny = strtol(y->rfc + 4, NULL, 10);

	if (nx != ny)
		return nx < ny ? -1 : 1;
	return (int)x->level - (int)y->level;
}

/* The row of q's RFC and level, made when missing; -1 out of memory. */
static int
cover_row(struct case_cover *c, const struct case_req *q)
{
	struct case_cover_row *nv;
	size_t i;

	for (i = 0; i < c->nrows; i++)
		if (strcmp(c->rows[i].rfc, q->rfc) == 0 &&
		    c->rows[i].level == q->level)
			return (int)i;
	if ((nv = reallocarray(c->rows, c->nrows + 1, sizeof(*nv))) == NULL)
		return -1;
	c->rows = nv;
	memset(&nv[c->nrows], 0, sizeof(*nv));
	nv[c->nrows].rfc = q->rfc;
	nv[c->nrows].level = q->level;
	return (int)c->nrows++;
}

int
case_cover_compute(struct case_prog *const *progs, size_t nprogs,
    struct case_cover *c)
{
	const struct case_req *all, **nv;
	size_t nall, i, k;
	int r, j, cited;

	memset(c, 0, sizeof(*c));
	all = case_req_all(&nall);
	for (i = 0; i < nall; i++) {
		if (case_req_wire(&all[i]) == CASE_WIRE_NO)
			continue;
		cited = 0;
		for (k = 0; k < nprogs && !cited; k++)
			for (j = 0; j < progs[k]->nreqs; j++)
				if (progs[k]->reqs[j] == &all[i] ||
				    strcmp(progs[k]->reqs[j]->id,
				    all[i].id) == 0)
					cited = 1;
		if ((r = cover_row(c, &all[i])) == -1)
			goto oom;
		c->rows[r].visible++;
		c->visible++;
		if (case_req_wire(&all[i]) == CASE_WIRE_YES)
			c->rows[r].agentless++;
		if (cited) {
			c->rows[r].cited++;
			c->cited++;
			continue;
		}
		if ((nv = reallocarray(c->uncited, c->nuncited + 1,
		    sizeof(*nv))) == NULL)
			goto oom;
		c->uncited = nv;
		nv[c->nuncited++] = &all[i];
	}
	qsort(c->rows, c->nrows, sizeof(*c->rows), row_cmp);
	return 0;
oom:
	case_cover_free(c);
	return -1;
}

void
case_cover_free(struct case_cover *c)
{
	free(c->rows);
	free(c->uncited);
	memset(c, 0, sizeof(*c));
}
