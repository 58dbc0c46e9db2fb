/*
 * Copyright (c) 2026 The tcpconform developers.  SPDX-License-Identifier: ISC
 *
 * agent_proto.h: the control protocol between the runner and
 * tcpconform-agent, shared by the agent and the runner's client.
 *
 * The runner opens a TCP connection to the agent (its own port, never the
 * connection under test) and sends requests, one line each; the agent
 * answers every request with exactly one line, in order:
 *
 *	OK [key=value ...]
 *	ERR <errno-name> <message>
 *
 * Lines are ASCII, end with LF (a CR before it is dropped), and are at most
 * AGENT_LINE_MAX bytes long with the LF.  Words are separated by blanks.
 * The verb is case-insensitive; the required arguments follow in a fixed
 * order, then options as key=value in any order.  Numbers are decimal,
 * addresses are numeric (no name is ever resolved), hexadecimal data is two
 * digits per byte.  The first request must be HELLO.
 *
 * Target-side sockets are named by handles, small integers from 1 to
 * AGENT_MAX_HANDLES.  Handles belong to the control connection that made
 * them: when it ends, its sockets are closed.  A runner that wants several
 * things to wait at once (cases run in parallel) opens one control
 * connection per case; the agent serves them concurrently.
 *
 *	HELLO <version>
 *		-> OK version=1 agent=tcpconform-agent/<v> os=<uname> handles=64
 *		   linemax=8192 hexmax=1024
 *	LISTEN <4|6> <port> [backlog=N] [rcvbuf=N] [sndbuf=N] [addr=A]
 *	       [reuse=0|1]
 *		Buffer sizes are set before listen(2), so that the SYN-ACK's
 *		window and window scale follow them.  IPv6 sockets are
 *		IPV6_V6ONLY.  Port 0 picks a free port.
 *		-> OK handle=H addr=A port=P
 *	ACCEPT <h> [timeout=MS]
 *		-> OK handle=H addr=A port=P peer=A peerport=P
 *	CONNECT <addr> <port> [lport=P] [laddr=A] [rcvbuf=N] [sndbuf=N]
 *	        [nodelay=0|1] [reuse=0|1] [timeout=MS] [wait=0|1]
 *		Non-blocking connect(2); wait=0 answers at once (inprogress=1
 *		while the handshake runs, e.g. for a simultaneous open).
 *		-> OK handle=H addr=A port=P peer=A peerport=P inprogress=0|1
 *	READ <h> <max> [mode=full|some] [timeout=MS] [bg=0|1]
 *		full: until max bytes, end of file, an error or the timeout;
 *		some: until something was read and no more is queued.
 *		"Until EOF" is full with a large max.  bg=1 answers at once
 *		and keeps reading (and discarding) in the background; STATUS
 *		reports its progress.
 *		-> OK n=N end=<end> [errno=E] sum=<16 hex> data=<hex>
 *		data holds the first AGENT_HEX_MAX bytes; sum covers all n.
 *	WRITE <h> <count> [timeout=MS] [bg=0|1]
 *		count bytes of the pattern (agent_pattern_byte).
 *	WRITEHEX <h> <hex> [timeout=MS]
 *		-> OK n=N end=<end> [errno=E]
 *	SHUTDOWN <h> <rd|wr|rdwr>		-> OK
 *	CLOSE <h>				-> OK
 *	LINGER <h> <on|off> [seconds]		-> OK
 *		"LINGER h on 0" then CLOSE h aborts: the target sends RST.
 *	RCVBUF <h> <bytes>			-> OK rcvbuf=<as read back>
 *	SNDBUF <h> <bytes>			-> OK sndbuf=<as read back>
 *	NODELAY <h> <0|1>			-> OK
 *	KEEPALIVE <h> <seconds|off>		-> OK
 *		SO_KEEPALIVE; seconds is the idle time before the first probe
 *		and the interval between probes, where the system has
 *		TCP_KEEPIDLE and TCP_KEEPINTVL.
 *	URGENT <h> <count>			-> OK n=N
 *		count (1..AGENT_HEX_MAX) pattern bytes in one send(2) with
 *		MSG_OOB, the last of them the urgent byte.
 *	STATUS <h>
 *		-> OK handle=H kind=listen|stream addr=A port=P [peer=A
 *		   peerport=P] rcvbuf=N sndbuf=N unread=N [state=ESTABLISHED]
 *		   bgread=<end|running|none> bgread_n=N bgread_sum=<hex>
 *		   [bgread_errno=E] bgwrite=<...> bgwrite_n=N [bgwrite_errno=E]
 *		state comes from TCP_INFO where the system has it (Linux).
 *	POLL <h> [events=in|out|in,out] [timeout=MS]
 *		-> OK revents=<in,out,hup,err,rdhup | none>
 *	INFO
 *		-> OK os=<uname -s> release=<uname -r> [key=value ...]
 *		What the target is and the settings that change verdicts,
 *		as far as the agent can read them: on Linux the sysctls
 *		named net.ipv4.tcp_* (tcp_rfc1337, tcp_ecn, tcp_syncookies,
 *		...) as the target's network namespace has them; a lab
 *		target's build options.  Values hold no blank (a list is
 *		joined with commas).  An agent older than INFO answers ENOSYS.
 *	QUIT					-> OK bye, then the agent closes
 *
 * <end> says why a read or write stopped; it is how the runner learns
 * whether the application saw the peer's FIN (end=eof) or RST (end=error
 * errno=ECONNRESET), which RFC 9293 MUST-12 asks the stack to tell apart:
 *	count	the requested number of bytes was reached
 *	eof	read(2) returned 0 (the peer's FIN)
 *	error	read(2) or write(2) failed; errno= names the error
 *	timeout	the time ran out first
 *	drained	(mode=some) data was read and no more is queued
 * A failed read or write on a valid handle is therefore an OK reply: the
 * count of bytes moved before the error is part of the answer.  ERR is for
 * requests that did not run or could not finish: bad syntax (EINVAL),
 * unknown verb (ENOSYS), line too long (E2BIG), bad handle (EBADF), no free
 * handle (EMFILE), not allowed by the agent's options (EACCES), a handle
 * busy with another activity (EBUSY), a timeout of accept or connect
 * (ETIMEDOUT), and the errors of the system calls themselves.
 *
 * Timeouts: timeout=0 tries once and does not wait; without timeout= the
 * agent waits AGENT_TIMEOUT_DEFAULT ms; no wait is longer than
 * AGENT_TIMEOUT_MAX ms.
 */
#ifndef TCPCONFORM_AGENT_PROTO_H
#define TCPCONFORM_AGENT_PROTO_H

#include <stddef.h>
#include <stdint.h>

#define AGENT_PROTO_VERSION	1
#define AGENT_DEFAULT_PORT	7447

#define AGENT_LINE_MAX		8192	/* a request line, with its LF */
#define AGENT_REPLY_MAX		4096	/* a reply line, with its LF */
#define AGENT_HEX_MAX		1024	/* bytes of data a READ reply shows */
#define AGENT_INFO_MAX		1024	/* INFO's words, in all */
#define AGENT_MAX_HANDLES	64	/* sockets per control connection */
#define AGENT_ERRNAME_MAX	24	/* "ECONNRESET" and a NUL, with room */

#define AGENT_TIMEOUT_DEFAULT	5000	/* ms, when a request gives none */
#define AGENT_TIMEOUT_MAX	600000	/* ms: ten minutes */
#define AGENT_READ_MAX		(1UL << 30)	/* bytes per READ */
#define AGENT_WRITE_MAX		(1UL << 30)	/* bytes per WRITE */

/* Why a read or write stopped (end= in the reply). */
enum agent_end {
	AGENT_END_NONE = 0,	/* still running (background) or never ran */
	AGENT_END_COUNT,
	AGENT_END_EOF,
	AGENT_END_ERROR,
	AGENT_END_TIMEOUT,
	AGENT_END_DRAINED,
};

/* READ modes (mode= in the request). */
enum agent_read_mode {
	AGENT_READ_FULL = 0,
	AGENT_READ_SOME,
};

/*
 * The bytes WRITE sends: byte k of everything the agent wrote on a handle
 * (WRITEHEX bytes count too) is 'a' + k % 26.  Printable, so that a capture
 * is readable, and position-dependent, so that a lost or repeated segment
 * shows.
 */
static inline unsigned char
agent_pattern_byte(uint64_t k)
{
	return (unsigned char)('a' + k % 26);
}

/*
 * The sum= of a READ: 64-bit FNV-1a over the bytes read, as 16 hex digits.
 * Start from AGENT_SUM_INIT and feed the bytes in order.
 */
#define AGENT_SUM_INIT	UINT64_C(0xcbf29ce484222325)

static inline uint64_t
agent_sum(uint64_t h, const void *buf, size_t len)
{
	const unsigned char *p = buf;

	while (len-- > 0) {
		h ^= *p++;
		h *= UINT64_C(0x100000001b3);
	}
	return h;
}

/* errno names on the wire, so that both ends agree across systems. */
const char	*agent_errno_name(int);		/* "EUNKNOWN" if not listed */
int		 agent_errno_value(const char *);	/* 0: unknown here */

/* end= names: "count", "eof", ...; -1 for a name that is not one. */
const char	*agent_end_name(int);
int		 agent_end_value(const char *);

#endif /* TCPCONFORM_AGENT_PROTO_H */
