/* SPDX-License-Identifier: MIT */
/* Small helpers shared by the VMM: messages, numbers, time. */
#ifndef VMM_UTIL_H
#define VMM_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/* Exit statuses of `vpmu` (docs/vmm.md "Exit status"). */
#define EXIT_USAGE	2	/* bad command line or bad image */
#define EXIT_SKIP	77	/* guest reported "all skipped" */
#define EXIT_TIMEOUT	124	/* --timeout expired */
#define EXIT_VMM	125	/* guest died or the VMM failed */

/* "vpmu: <message>" on stderr, then exit(status). */
void die(int status, const char *fmt, ...)
	__attribute__((noreturn, format(printf, 2, 3)));
/* "vpmu: <message>" on stderr. */
void warnmsg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Decimal or 0x-hex unsigned number, the whole string; false if not. */
bool parse_u64(const char *s, uint64_t *out);
/* Non-negative decimal number of seconds (fractions allowed). */
bool parse_seconds(const char *s, double *out);

uint64_t now_ns(void);

#endif
