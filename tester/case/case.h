/*
 * Copyright (c) 2026 The tcpconform developers.  SPDX-License-Identifier: ISC
 *
 * case.h: the case program, what a case file says once parsed (its metadata
 * and an array of statements that the runner executes in order), and the
 * functions that parse, print and free it.
 *
 * The language itself is described in tcpconform-case(5).  The program is
 * plain data: every statement carries its source location, its timing, the
 * connection it acts on and a payload typed by its kind.  Every field a case
 * may leave out has a "given" bit, so the runner can tell "ack 0" from "ack
 * not checked" (an omitted field of a '>' line is not checked; an omitted
 * field of a '<' line is filled in by the peer's TCP).
 */
#ifndef TCPCONFORM_CASE_H
#define TCPCONFORM_CASE_H

#include <stddef.h>
#include <stdint.h>

#define CASE_FILE_MAX	(1024 * 1024)	/* bigger files are refused */
#define CASE_ERRORS_MAX	20		/* parsing stops after this many */
#define CASE_ALT_MAX	4		/* alternatives of a '>' line */
#define CASE_OPT_MAX	40		/* 40 option bytes: at most 40 options */
#define CASE_OPTDATA_MAX 38		/* value bytes of one option */
#define CASE_SACK_MAX	4		/* blocks in one SACK option */
#define CASE_CONN_MAX	8		/* connections in one case */
#define CASE_COUNT_MAX	(1U << 30)	/* send/read/write byte counts */
#define CASE_LEN_MAX	65535		/* payload of one segment */
#define CASE_TIME_MAX	(24LL * 3600 * 1000000)	/* one day, in microseconds */

/*
 * What a failed expectation breaks, and so its verdict: fail for a MUST,
 * warn for a SHOULD, info for a MAY.  Ordered strongest first.
 */
enum case_sev {
	CASE_SEV_MUST,
	CASE_SEV_SHOULD,
	CASE_SEV_MAY,
};

/* Verdicts a case may expect on Linux ("linux" metadata). */
enum case_verdict {
	CASE_V_PASS,
	CASE_V_FAIL,
	CASE_V_WARN,
	CASE_V_INFO,
	CASE_V_NA,		/* "not-applicable" */
};

/*
 * One known requirement: an RFC 9293 label (MUST-13, SHLD-3, MAY-2, REC-1)
 * or a section of an RFC ("RFC5961-3.2"; "RFC9293-3.10.7.4" for unlabelled
 * RFC 9293 text; "RFC6191" for a whole RFC).  See case_reqs.c.
 */
struct case_req {
	const char	*id;
	const char	*rfc;		/* "RFC 9293" */
	const char	*section;	/* "3.6.1"; "" for a whole RFC */
	const char	*keyword;	/* "MUST", "SHOULD", "MAY", "RECOMMENDED",
					   "MUST (unlabelled)", "procedure", ... */
	enum case_sev	 level;		/* what failing it breaks */
	const char	*text;		/* one-line paraphrase */
};

/* Sections of a timing spec; times are in microseconds. */
enum case_time_kind {
	CASE_T_DEFAULT,		/* none written: the runner's default */
	CASE_T_ANY,		/* "*": any time */
	CASE_T_ABS,		/* "0.1", "0.1~0.2": since the case started */
	CASE_T_REL,		/* "+0.1", "+0~+0.04": since the previous event */
};

struct case_time {
	enum case_time_kind kind;
	int64_t		lo;
	int64_t		hi;		/* == lo unless a range was written */
	int		about;		/* "~T": the loose tolerance applies */
	/*
	 * The unit of lo (hi): CASE_U_SEC, microseconds; CASE_U_RTT ("+1rtt"),
	 * millionths of the round-trip time the runner measured before the
	 * cases; CASE_U_GAP ("+2gap"), millionths of the time between the
	 * segments the last two '>' lines matched (a back-off's last step).
	 */
	int		lo_unit;
	int		hi_unit;
};

#define CASE_U_SEC	0
#define CASE_U_RTT	1
#define CASE_U_GAP	2

/* Bits of case_seg.given: the fields a packet line wrote. */
#define CASE_G_FLAGS	0x01	/* flags other than "*" */
#define CASE_G_SEQ	0x02	/* start:end(len) */
#define CASE_G_ACK	0x04
#define CASE_G_WIN	0x08
#define CASE_G_URG	0x10
#define CASE_G_OPTS	0x20	/* an option list; see case_optlist.mode */
#define CASE_G_SEQ_DATA	0x40	/* '>' "data+N:data+M(L)": seq and end are
				   offsets from where the target's data
				   ends (see case_seg) */
#define CASE_G_ACK_DATA	0x80	/* '<' "ack data+N": ack is an offset too */
#define CASE_G_CSUM_BAD	0x100	/* "csum bad": sent with a wrong checksum */
#define CASE_G_LEN_MAX	0x200	/* '>' "start:*(max N)": 1 to N bytes from
				   start (with CASE_G_SEQ; end and len 0);
				   len_max 0 is "(max mss)" */
#define CASE_G_SEQ_EDGE	0x400	/* '<' "edge-N:edge-N(L)": seq and end count
				   from the right edge of the window the
				   target last offered */
#define CASE_G_END	0x800	/* '>' "... end": when this alternative is
				   the one that matched, the case ends there
				   (see case_seg.na_why) */
#define CASE_G_PAST	0x1000	/* '> !' "past N": a segment whose sequence
				   space (data, SYN, FIN) ends beyond N,
				   whatever its start and length (N in
				   end; seq and len 0) */

enum case_opt_kind {
	CASE_O_EOL,
	CASE_O_NOP,
	CASE_O_MSS,		/* val */
	CASE_O_WSCALE,		/* val */
	CASE_O_SACKOK,
	CASE_O_SACK,		/* nsack, sack[] */
	CASE_O_TS,		/* val, ecr, wild */
	CASE_O_MD5,		/* RFC 2385 signature, 16 bytes, not checked */
	CASE_O_FO,		/* RFC 7413 kind 34; data = cookie */
	CASE_O_FOEXP,		/* experimental kind 254, magic 0xf989 */
	CASE_O_RAW,		/* "kind N [len L] [0xHEX]": val = kind */
};

/* Bits of case_opt.wild: values written as "*". */
#define CASE_OW_VAL	0x1
#define CASE_OW_ECR	0x2
#define CASE_OW_NOT	0x4	/* '>' lines: "!wscale", no such option */

struct case_sack {
	uint32_t	left;
	uint32_t	right;
};

struct case_opt {
	enum case_opt_kind kind;
	unsigned	wild;
	uint32_t	val;
	uint32_t	ecr;
	int		nsack;
	struct case_sack sack[CASE_SACK_MAX];
	int		len;		/* RAW: the length byte written; -1 = 2 + ndata */
	int		ndata;
	uint8_t		data[CASE_OPTDATA_MAX];
};

enum case_opts_mode {
	CASE_OPTS_EXACT,	/* "<a,b>": exactly these, in this order */
	CASE_OPTS_ANY,		/* "<...>": not checked ('>' lines only) */
	CASE_OPTS_SUBSET,	/* "<a,b,...>": at least these, any order */
};

struct case_optlist {
	enum case_opts_mode mode;
	int		n;		/* at most CASE_OPT_MAX */
	struct case_opt	*v;		/* n of them, malloc'ed; NULL if none */
};

/*
 * One segment as a packet line describes it.  Sequence numbers are relative
 * to the sender's ISN and acknowledgment numbers to the receiver's, both
 * modulo 2^32; a SYN or FIN is written with length 0, as in packetdrill.
 * With CASE_G_SEQ_DATA (CASE_G_ACK_DATA) they count from "data" instead,
 * the sequence number just after the last byte of data the target has
 * sent on the connection: a server's response has a length no case can
 * know, and its FIN is checked as the segment whose bytes end at
 * data+end (length not checked).
 */
struct case_seg {
	unsigned	given;		/* CASE_G_* */
	uint16_t	flags;		/* SEG_* of segment.h */
	uint32_t	seq;
	uint32_t	end;		/* == seq + len (checked) */
	uint32_t	len;
	uint32_t	len_max;	/* CASE_G_LEN_MAX: at most this many
					   bytes; 0: the effective send MSS
					   (the MSS the peer's SYN offered, or
					   536/1220 without one, less the
					   segment's TCP options) */
	uint32_t	ack;
	uint16_t	win;		/* the raw field, not scaled */
	uint16_t	urg;
	struct case_optlist opts;
	/*
	 * CASE_G_END with "end not-applicable STRING": the reason; the case
	 * ends not applicable when this alternative matched (the target's
	 * application kept the behaviour from happening).  NULL for a bare
	 * "end": the case ends with the verdict of its lines so far.
	 */
	char		*na_why;
};

enum case_dir {
	CASE_DIR_IN,		/* '<': the peer sends it to the target */
	CASE_DIR_OUT,		/* '>': the target must send it */
};

struct case_pkt {
	enum case_dir	dir;
	/*
	 * "> !...": no segment matching any alternative may come within the
	 * time window.  Flags then match as a subset: "!R" is any segment
	 * with RST set; "!*" is any segment at all.
	 */
	int		negate;
	int		nalt;		/* 1 for '<' lines; "|" adds more */
	struct case_seg	*alt;
};

/* Bytes to send or write: a count of filler, or given bytes. */
struct case_data {
	uint32_t	count;
	uint8_t		*bytes;		/* NULL: the runner's filler pattern */
};

enum case_read_mode {
	CASE_RD_COUNT,		/* "read N": block until N bytes */
	CASE_RD_ALL,		/* "read all": what is queued now */
	CASE_RD_EOF,		/* "read eof": until the end of the stream */
};

struct case_read {
	enum case_read_mode mode;
	uint32_t	count;
};

/* RFC 9293 3.3.2 states, in that order. */
enum case_state {
	CASE_ST_CLOSED,
	CASE_ST_LISTEN,
	CASE_ST_SYN_SENT,
	CASE_ST_SYN_RECEIVED,
	CASE_ST_ESTABLISHED,
	CASE_ST_FIN_WAIT_1,
	CASE_ST_FIN_WAIT_2,
	CASE_ST_CLOSE_WAIT,
	CASE_ST_CLOSING,
	CASE_ST_LAST_ACK,
	CASE_ST_TIME_WAIT,
	CASE_ST_N
};

/* "wait STATE" or "wait received N": on the peer's side of a connection. */
struct case_wait {
	int		received;	/* 0: wait for state; 1: for count bytes */
	enum case_state	state;
	uint32_t	count;
};

enum case_switch {
	CASE_SET_AUTO_ACK,	/* on: ACK what the target sends */
	CASE_SET_AUTO_FIN,	/* on: close our side after the target's FIN */
	CASE_SET_AUTO_READ,	/* on: the peer's application reads at once */
	CASE_SET_RETRANSMIT,	/* on: retransmit unacknowledged data/SYN/FIN */
	CASE_SET_ISN,
	CASE_SET_WINDOW,
	CASE_SET_MSS,
	CASE_SET_OPTIONS,
	CASE_SET_MATCH,
	CASE_SET_SEVERITY,
	CASE_SET_RESEND,	/* on: a '<' line with no answer is sent again */
	CASE_SET_NAGLE,		/* on: a short segment waits for the ACK of
				   the data in flight (RFC 9293 3.7.4) */
	CASE_SET_SYN_OPENS,	/* on: a '<' SYN where the peer's TCP has no
				   connection (or TIME-WAIT) opens one */
};

enum case_match {
	CASE_MATCH_NEXT,	/* the next segment must match a '>' line */
	CASE_MATCH_ANY,		/* the first match in the window; skip others */
};

struct case_set {
	enum case_switch which;
	int		on;		/* auto-*, retransmit */
	/*
	 * isn: 0 = value is the ISN; +1/-1 = value above/below the previous
	 * incarnation's last sequence number (SND.NXT) on this connection.
	 */
	int		isn_rel;
	uint32_t	value;		/* isn, window, mss */
	enum case_match	match;
	enum case_sev	sev;
	struct case_optlist *opts;	/* options: what our SYN/SYN-ACK offers */
};

enum case_agent_op {
	CASE_AG_LISTEN,
	CASE_AG_ACCEPT,
	CASE_AG_CONNECT,
	CASE_AG_READ,		/* read */
	CASE_AG_WRITE,		/* data */
	CASE_AG_SHUTDOWN,	/* how */
	CASE_AG_CLOSE,
	CASE_AG_LINGER,		/* linger_on, value = seconds */
	CASE_AG_RCVBUF,		/* value = bytes */
	CASE_AG_NODELAY,	/* value = 1 (on) or 0 */
	CASE_AG_KEEPALIVE,	/* value = seconds, 0 = off */
	CASE_AG_URGENT,		/* value = bytes, the last urgent */
};

enum case_shut {
	CASE_SHUT_RD,
	CASE_SHUT_WR,
	CASE_SHUT_RDWR,
};

/* "= RESULT" after an agent action: what the call must return. */
enum case_retval {
	CASE_RES_NONE,		/* not checked; an error is still reported */
	CASE_RES_OK,		/* "= ok": success */
	CASE_RES_COUNT,		/* "= N": N bytes transferred */
	CASE_RES_EOF,		/* "= eof": read returned 0 */
	CASE_RES_ERRNO,		/* "= EPIPE": failed with that errno (or
				 * one of "EPIPE | ENOTCONN") */
};

struct case_agent {
	enum case_agent_op op;
	struct case_read read;
	struct case_data data;
	enum case_shut	how;
	int		linger_on;
	uint32_t	value;
	enum case_retval result;
	uint32_t	result_count;
	char		errname[64];	/* "ECONNRESET", or names joined
					 * by '|': "EPIPE|ENOTCONN" */
};

/* "http request STRING" (raw) or "http get PATH [close]". */
struct case_http {
	int		get;
	int		close;		/* get: "Connection: close" */
	char		*path;		/* get */
	struct case_data request;	/* request */
};

enum case_measure_kind {
	CASE_M_ISN_SPACING,	/* count connections, interval apart */
	CASE_M_TIME_WAIT,	/* how long the 4-tuple stays in TIME-WAIT */
	CASE_M_INITIAL_WINDOW,	/* bytes the target sends before an ACK */
};

struct case_measure {
	enum case_measure_kind kind;
	uint32_t	count;		/* 0: the runner's default */
	int64_t		interval;	/* microseconds; -1: default */
};

/*
 * "< icmp KIND [seq N] [mtu N]": an ICMP or ICMPv6 error, as a router on
 * the path would send it to the target, quoting the last segment the
 * target sent on the connection (RFC 1122 4.2.3.9, RFC 5927).  The kinds
 * name the condition, each sent as its own family's type and code.
 */
enum case_icmp_kind {
	CASE_IC_NET,		/* unreachable net: 3/0; ICMPv6 1/0 */
	CASE_IC_HOST,		/* unreachable host: 3/1; 1/3 (address) */
	CASE_IC_PROTO,		/* unreachable proto: 3/2; 4/1 (next header) */
	CASE_IC_PORT,		/* unreachable port: 3/3; 1/4 */
	CASE_IC_SRCFAIL,	/* unreachable srcfail: 3/5 (IPv4 only) */
	CASE_IC_ADMIN,		/* unreachable admin: 3/13; 1/1 */
	CASE_IC_TOOBIG,		/* too-big mtu N: 3/4; 2 */
	CASE_IC_TIMXCEED,	/* time-exceeded: 11/0; 3/0 */
	CASE_IC_PARAMPROB,	/* param-problem: 12/0; 4/0 */
	CASE_IC_QUENCH,		/* quench: 4/0 (IPv4 only) */
};

struct case_icmp {
	enum case_icmp_kind kind;
	int		seq_given;	/* "seq N": quote N, relative to the
					   target's ISN, instead */
	uint32_t	seq;
	uint32_t	mtu;		/* too-big */
};

enum case_stmt_kind {
	CASE_S_PACKET,		/* pkt */
	CASE_S_CONNECT,
	CASE_S_LISTEN,
	CASE_S_SEND,		/* data */
	CASE_S_READ,		/* read */
	CASE_S_SHUTDOWN,
	CASE_S_CLOSE,
	CASE_S_ABORT,
	CASE_S_WAIT,		/* wait */
	CASE_S_SLEEP,		/* duration */
	CASE_S_SET,		/* set */
	CASE_S_AGENT,		/* agent */
	CASE_S_HTTP,		/* http */
	CASE_S_MEASURE,		/* measure */
	CASE_S_ICMP,		/* icmp */
};

struct case_loc {
	const char	*file;		/* the program's path */
	int		line;		/* 1-based */
	int		col;		/* 1-based, in bytes */
};

struct case_stmt {
	enum case_stmt_kind kind;
	struct case_loc	loc;
	struct case_time time;
	int		conn;		/* index in case_prog.conns; 0 = default */
	enum case_sev	sev;		/* "severity", then "set severity" */
	int64_t		timeout;	/* "timeout D" (microseconds); -1 = none */
	union {
		struct case_pkt		pkt;
		struct case_data	data;
		struct case_read	read;
		struct case_wait	wait;
		int64_t			duration;
		struct case_set		set;
		struct case_agent	agent;
		struct case_http	http;
		struct case_measure	measure;
		struct case_icmp	icmp;
	} u;
};

/* Bits of case_prog.needs. */
#define CASE_NEED_AGENT		0x01	/* tcpconform-agent on the target */
#define CASE_NEED_ANY_PORT	0x02	/* any listening port */
#define CASE_NEED_HTTP		0x04	/* an HTTP server */
#define CASE_NEED_ECHO		0x08	/* an echo service (RFC 862) */
#define CASE_NEED_DISCARD	0x10	/* a discard service (RFC 863) */
#define CASE_NEED_IPV4		0x20	/* run over IPv4 only */
#define CASE_NEED_IPV6		0x40	/* run over IPv6 only */
#define CASE_NEED_SAME_LINK	0x80	/* the tester on the target's link */
#define CASE_NEED_BANNER	0x100	/* a daytime-like service: a line,
					   then a close without reading */

struct case_prog {
	char		*path;		/* a cell of a matrix: its virtual
					   path, DIR/STEM/STATE/EVENT.case */
	char		*source;	/* a cell: the matrix file (which the
					   statements' loc.file names), else
					   NULL */
	char		*title;
	char		*about;		/* the comment at the head of the file:
					 * what the case checks and why, its
					 * lines joined by '\n'; NULL if none */
	int		nreqs;
	const struct case_req **reqs;	/* in the order written */
	unsigned	needs;		/* CASE_NEED_* */
	int		ntags;
	char		**tags;
	int		nfaults;	/* 0 with "fault none" */
	char		**faults;
	char		*fault_none;	/* the reason given with "fault none" */
	enum case_sev	severity;	/* "severity", or the strongest req */
	int		severity_given;
	const struct case_claim *claim;	/* "claim": an optional mechanism */
	int		claim_from;	/* the first statement that may answer
					 * for the claim: 0, or in a matrix
					 * cell the first after its state's */
	enum case_verdict linux_verdict; /* CASE_V_PASS unless "linux" says */
	char		*linux_reason;	/* NULL if none */
	int		 linux_or_pass;	/* "linux warn or pass": Linux may also
					 * pass (the deviation depends on the
					 * path, e.g. its RTT) */
	int		nconns;		/* >= 1 */
	char		**conns;	/* conns[0] = "": the default connection */
	int		nstmts;
	struct case_stmt *stmts;
};

/*
 * Parse len bytes of case text; name is used in messages and as the path.
 * Returns 0 and sets *prog, or -1 when there were errors.  Either way *msgs
 * is NULL or a malloc'ed text of diagnostics (errors and warnings), one per
 * line: "FILE:LINE:COL: error: MESSAGE".  Never reads outside buf.
 */
int	case_parse(const char *name, const char *buf, size_t len,
	    struct case_prog **prog, char **msgs);

/* case_parse() on the contents of a file. */
int	case_load(const char *path, struct case_prog **prog, char **msgs);

/*
 * A matrix file (case_matrix.c; tcpconform-case(5), MATRIX FILES): one
 * case per cell, with the messages of every cell that does not parse
 * (FILE:LINE:COL of the matrix file, and the cell).  All or nothing:
 * returns -1 and no case when any cell has an error.
 */
int	case_matrix_parse(const char *path, const char *buf, size_t len,
	    struct case_prog ***progs, size_t *n, char **msgs);

/* The cases of one file: a .case file's one, or a .matrix file's cells. */
int	case_load_file(const char *path, struct case_prog ***progs, size_t *n,
	    char **msgs);

/*
 * Load every *.case and *.matrix file under dir (recursively), sorted by
 * path.  Files
 * that do not parse are left out and their messages appended to *msgs.
 * Returns 0 when all parsed, -1 otherwise (or when dir cannot be read).
 */
int	case_load_dir(const char *dir, struct case_prog ***progs, size_t *n,
	    char **msgs);

void	case_free(struct case_prog *);
void	case_free_all(struct case_prog **, size_t);

/* The requirement table (case_reqs.c). */
/*
 * A claim: an optional mechanism that RFC 9293 describes without making it
 * binding (the RFC 5961 mitigations apply "for stacks implementing the
 * protection").  A case that names one reports whether the target
 * implements it; its failures are info, never fail or warn.
 */
struct case_claim {
	const char	*name;		/* "rfc5961-rst" */
	const char	*what;		/* "the RFC 5961 3.2 RST mitigation" */
};

const struct case_claim *case_claim_find(const char *name);
const struct case_claim *case_claim_all(size_t *n);

const struct case_req *case_req_find(const char *id);
const struct case_req *case_req_all(size_t *n);
const char	*case_req_suggest(const char *id);

/*
 * The requirement view (case_cover.c): what a peer can see on the wire of
 * each requirement, and how many of those a set of cases cites, per RFC
 * and per level.
 */
enum case_wire {
	CASE_WIRE_NO,		/* API or internal state only, or history */
	CASE_WIRE_YES,		/* against any open port */
	CASE_WIRE_AGENT,	/* the target's application must act */
};
enum case_wire	 case_req_wire(const struct case_req *);
const char	*case_wire_name(enum case_wire);	/* "no", "yes", "agent" */

struct case_cover_row {
	const char	*rfc;		/* "RFC 9293" */
	enum case_sev	 level;
	size_t		 visible;	/* requirements seen on the wire */
	size_t		 agentless;	/* of which need no agent */
	size_t		 cited;		/* of which a case names */
};

struct case_cover {
	struct case_cover_row *rows;	/* by RFC number, then level */
	size_t		 nrows;
	size_t		 visible, cited;	/* all rows */
	const struct case_req **uncited; /* visible, named by no case */
	size_t		 nuncited;
};

/* Fill *c for these cases; -1 when out of memory (*c then empty). */
int	case_cover_compute(struct case_prog *const *progs, size_t n,
	    struct case_cover *c);
void	case_cover_free(struct case_cover *);

/*
 * Coverage measured by the fault runs (case_covered.c): the record that
 * tests/integration/suite.sh keeps true (cases/coverage.txt, "ID
 * FAULT[,FAULT...]" a line) and the two figures "tcpconform list" prints.
 */
#define CASE_KEY_IDS	4
struct case_key_row {
	const char	*rule;		/* "RFC 6298 5.5" */
	const char	*text;
	const char	*ids[CASE_KEY_IDS];	/* IDs stating it; NULL ends */
};
struct case_figs {
	size_t		 rfc9293_covered, rfc9293_total;
	size_t		 key_covered, key_total;
};
const struct case_key_row *case_key_rows(size_t *n);
int	case_covered_parse(const char *buf, size_t len, char ***ids,
	    size_t *n, char **err);
void	case_covered_figs(char *const *ids, size_t n, struct case_figs *);

/*
 * Text forms (case_print.c).  case_print() returns the whole program in
 * canonical form (malloc'ed; parsing it gives the same program).  The _fmt
 * functions write one NUL-terminated line of at most cap bytes and return
 * buf; case_seg_fmt writes "S. 0:0(0) ack 1 win 65535 <mss 1460>", and
 * case_stmt_fmt leaves out the reasons of "end not-applicable" (a line
 * quoted in a message, whose reason the verdict gives when it applies).
 */
char	*case_print(const struct case_prog *);
char	*case_stmt_fmt(const struct case_prog *, const struct case_stmt *,
	    char *buf, size_t cap);
char	*case_seg_fmt(const struct case_seg *, char *buf, size_t cap);
char	*case_time_fmt(const struct case_time *, char *buf, size_t cap);
const char *case_state_name(enum case_state);
const char *case_sev_name(enum case_sev);
const char *case_agent_op_name(enum case_agent_op);
const char *case_verdict_name(enum case_verdict);
const char *case_stmt_kind_name(enum case_stmt_kind);

#endif /* TCPCONFORM_CASE_H */
