/*
 * Copyright (c) 2026 The tcpconform developers.  SPDX-License-Identifier: ISC
 *
 * test_guard.c: unit tests of the guard's nftables text (guard.h): the
 * commands it gives libnftables, and its checks of the table as the kernel
 * lists it back.  The listings below are what nft 1.0.6 (Debian 12) printed
 * for the guard's table; creating the table itself needs root and is proved
 * by the integration tests.
 */
#include "config.h"

#include <sys/socket.h>

#include <arpa/inet.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "guard.h"

#define MARK	0x7463

static const char listing_owner[] =
	"table inet tcpconform { # progname wire_handshake\n"
	"\tflags owner\n"
	"\tcomment \"tcpconform guard pid 4242\"\n"
	"\n"
	"\tchain output {\n"
	"\t\ttype filter hook output priority filter; policy accept;\n"
	"\t\tip saddr 127.0.0.1 tcp sport 18000-18999 tcp flags & rst == rst "
	"meta mark != 0x00007463 counter packets 3 bytes 120 drop comment "
	"\"tcpconform guard\"\n"
	"\t\tip6 saddr 2001:db8::1 tcp sport 18007 tcp flags & rst == rst "
	"meta mark != 0x00007463 counter packets 2 bytes 160 drop comment "
	"\"tcpconform guard\"\n"
	"\t}\n"
	"}\n";

static const char listing_fallback[] =
	"table inet tcpconform {\n"
	"\tcomment \"tcpconform guard pid 77\"\n"
	"\n"
	"\tchain output {\n"
	"\t\ttype filter hook output priority filter; policy accept;\n"
	"\t}\n"
	"}\n";

static void
rules(struct guard_rule r[2])
{
	memset(r, 0, 2 * sizeof(*r));
	r[0].family = AF_INET;
	inet_pton(AF_INET, "127.0.0.1", r[0].peer);
	r[0].port_lo = 18000;
	r[0].port_hi = 18999;
	r[1].family = AF_INET6;
	inet_pton(AF_INET6, "2001:db8::1", r[1].peer);
	r[1].port_lo = r[1].port_hi = 18007;
}

static void
guard_table_owner_flag_and_output_hook(void **state)
{
	char buf[512];

	(void)state;
	assert_int_equal(guard_table_text(buf, sizeof(buf), 1, 4242), 0);
	assert_string_equal(buf, "create table inet tcpconform { flags owner; "
	    "comment \"tcpconform guard pid 4242\"; }\n"
	    "add chain inet tcpconform output { type filter hook output "
	    "priority filter; policy accept; }\n");
	assert_int_equal(guard_table_text(buf, sizeof(buf), 0, 77), 0);
	assert_string_equal(buf, "create table inet tcpconform { "
	    "comment \"tcpconform guard pid 77\"; }\n"
	    "add chain inet tcpconform output { type filter hook output "
	    "priority filter; policy accept; }\n");
	assert_int_equal(guard_table_text(buf, 20, 1, 1), -1);
}

/* Only RSTs, only from the peer's address and ports, only unmarked. */
static void
guard_rule_drops_only_unmarked_rsts_from_peer_ports(void **state)
{
	struct guard_rule r[2];
	char buf[512];

	(void)state;
	rules(r);
	assert_int_equal(guard_rule_text(buf, sizeof(buf), &r[0], MARK), 0);
	assert_string_equal(buf, "ip saddr 127.0.0.1 tcp sport 18000-18999 "
	    "tcp flags & rst == rst meta mark != 0x00007463 counter drop "
	    "comment \"tcpconform guard\"");
	assert_int_equal(guard_rule_text(buf, sizeof(buf), &r[1], MARK), 0);
	assert_string_equal(buf, "ip6 saddr 2001:db8::1 tcp sport 18007 "
	    "tcp flags & rst == rst meta mark != 0x00007463 counter drop "
	    "comment \"tcpconform guard\"");
	assert_int_equal(guard_rule_text(buf, 30, &r[0], MARK), -1);
	r[0].family = AF_UNIX;
	assert_int_equal(guard_rule_text(buf, sizeof(buf), &r[0], MARK), -1);
}

static void
guard_listing_accepts_table_as_created(void **state)
{
	struct guard_rule r[2];
	char *err = NULL;

	(void)state;
	rules(r);
	assert_int_equal(guard_listing_check(listing_owner, 1, MARK, r, 2,
	    &err), 0);
	assert_int_equal(guard_listing_check(listing_fallback, 0, MARK, r, 0,
	    &err), 0);
}

static void
guard_listing_rejects_missing_owner_flag(void **state)
{
	char *err = NULL;

	(void)state;
	assert_int_equal(guard_listing_check(listing_fallback, 1, MARK, NULL,
	    0, &err), -1);
	assert_string_equal(err, "guard: table inet tcpconform is not as "
	    "created (owner flag or output hook missing)");
	free(err);
}

static void
guard_listing_rejects_wrong_mark_or_missing_rule(void **state)
{
	struct guard_rule r[2];
	char *err = NULL;

	(void)state;
	rules(r);
	assert_int_equal(guard_listing_check(listing_owner, 1, 0x7464, r, 1,
	    &err), -1);
	assert_string_equal(err, "guard: table inet tcpconform lacks the rule "
	    "dropping RSTs from ip saddr 127.0.0.1 tcp sport 18000-18999 ");
	free(err);
	err = NULL;
	r[1].port_lo = r[1].port_hi = 18008;
	assert_int_equal(guard_listing_check(listing_owner, 1, MARK, r, 2,
	    &err), -1);
	assert_non_null(strstr(err, "ip6 saddr 2001:db8::1 tcp sport 18008"));
	free(err);
	err = NULL;
	assert_int_equal(guard_listing_check(listing_fallback, 0, MARK, r, 1,
	    &err), -1);
	free(err);
}

static void
guard_listing_owner_pid_and_counters(void **state)
{
	char prog[64];

	(void)state;
	assert_int_equal(guard_listing_owned(listing_owner, prog,
	    sizeof(prog)), 1);
	assert_string_equal(prog, "wire_handshake");
	assert_int_equal(guard_listing_owned(listing_fallback, prog,
	    sizeof(prog)), 0);
	assert_int_equal(guard_listing_pid(listing_owner), 4242);
	assert_int_equal(guard_listing_pid(listing_fallback), 77);
	assert_int_equal(guard_listing_pid("table inet tcpconform {\n}\n"), 0);
	assert_int_equal(guard_listing_packets(listing_owner), 5);
	assert_int_equal(guard_listing_packets(listing_fallback), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(guard_table_owner_flag_and_output_hook),
		cmocka_unit_test(
		    guard_rule_drops_only_unmarked_rsts_from_peer_ports),
		cmocka_unit_test(guard_listing_accepts_table_as_created),
		cmocka_unit_test(guard_listing_rejects_missing_owner_flag),
		cmocka_unit_test(
		    guard_listing_rejects_wrong_mark_or_missing_rule),
		cmocka_unit_test(guard_listing_owner_pid_and_counters),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
