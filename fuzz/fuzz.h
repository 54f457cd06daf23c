/* SPDX-License-Identifier: MIT */
/*
 * Shared pieces of the fuzz targets (fuzz/README.md): the libFuzzer entry
 * point, a reader that turns the input into a stream of values (zeros once
 * it runs out), and the check that aborts with a message, so that both the
 * fuzzer and the replay binary (fuzz/replay.c) report a broken invariant
 * as a crash.
 */
#ifndef VPMU_FUZZ_H
#define VPMU_FUZZ_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct input {
	const uint8_t *p;
	size_t len, pos;
};

static inline bool input_left(const struct input *in)
{
	return in->pos < in->len;
}

/* The next `bytes` bytes (1..8), little-endian; missing bytes read 0. */
static inline uint64_t take(struct input *in, unsigned int bytes)
{
	uint64_t v = 0;

	for (unsigned int i = 0; i < bytes; i++, in->pos++)
		if (in->pos < in->len)
			v |= (uint64_t)in->p[in->pos] << (8 * i);
	return v;
}

static inline uint8_t take8(struct input *in)
{
	return (uint8_t)take(in, 1);
}

static void fuzz_fail(const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4), noreturn, unused));

static void fuzz_fail(const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s:%d: invariant broken: ", file, line);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	abort();
}

#define FUZZ_CHECK(cond, ...) \
	do { if (!(cond)) fuzz_fail(__FILE__, __LINE__, __VA_ARGS__); } while (0)

#endif
