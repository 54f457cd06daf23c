// SPDX-License-Identifier: MIT
/*
 * Fuzz target: vpmu_restore() on untrusted bytes.  Two input shapes
 * (second byte):
 *
 *  - raw: the rest of the input is the blob;
 *  - patched: a preset runs a few random operations (ops.c), saves, and
 *    the input then XORs bytes of the blob at chosen offsets, so that the
 *    mutations reach the fields behind the magic, length and CRC checks.
 *
 * Either shape can have its CRC recomputed (the blob format is in
 * lib/snapshot.c: CRC-32 of everything before the last 4 bytes), so that
 * the field checks themselves are fuzzed, not only the checksum.
 *
 * Invariants: a restore is refused with a reason and leaves the target
 * exactly as it was, or it is accepted and the target is a PMU the guest
 * could have reached: save -> restore -> save is the identity, and every
 * operation after it keeps the invariants of ops.h.
 */
#include <string.h>

#include "crc32.h"
#include "fuzz.h"
#include "ops.h"

#define BLOB_MAX	8192
#define MAX_PATCHES	16
#define MAX_STEPS	32

static _Alignas(8) unsigned char src_mem[8192], dst_mem[8192], before[8192];
static uint8_t blob[BLOB_MAX];

static void fix_crc(uint8_t *b, size_t len)
{
	uint32_t crc;

	if (len < 4)
		return;
	crc = crc32_ieee(b, len - 4);
	for (int i = 0; i < 4; i++)
		b[len - 4 + i] = (uint8_t)(crc >> (8 * i));
}

static const struct vpmu_model *take_model(struct input *in)
{
	unsigned int n = 0;

	while (vpmu_model_at(n))
		n++;
	return vpmu_model_at(take8(in) % n);
}

/* A saved preset state, patched by the input; returns the blob length. */
static size_t patched_blob(struct input *in)
{
	const struct vpmu_model *m = take_model(in);
	struct vpmu *src = vpmu_init(src_mem, sizeof(src_mem), m, NULL, 0);
	unsigned int steps = take8(in) % 8, patches = take8(in) % MAX_PATCHES;
	size_t len;

	FUZZ_CHECK(src, "vpmu_init(%s) failed", m->name);
	pmu_ops_run(src, in, steps);
	len = vpmu_save(src, blob, sizeof(blob));
	FUZZ_CHECK(len == vpmu_snapshot_size(), "vpmu_save wrote %zu bytes", len);
	for (unsigned int i = 0; i < patches; i++) {
		size_t at = (size_t)take(in, 2) % len;

		blob[at] ^= take8(in);
	}
	if (take8(in) & 1)	/* now and then a truncated or longer blob */
		len = (size_t)take(in, 2) % sizeof(blob);
	return len;
}

static size_t raw_blob(struct input *in)
{
	size_t len = in->pos < in->len ? in->len - in->pos : 0;

	if (len > sizeof(blob))
		len = sizeof(blob);
	if (len)
		memcpy(blob, in->p + in->pos, len);
	in->pos += len;
	return len;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct input in = { data, size, 0 };
	const struct vpmu_model *m = take_model(&in);
	uint8_t how = take8(&in);
	struct vpmu *p;
	char err[512] = "";
	size_t len;
	int r;

	p = vpmu_init(dst_mem, sizeof(dst_mem), m, err, sizeof(err));
	FUZZ_CHECK(p, "vpmu_init(%s): %s", m->name, err);
	len = how & 1 ? patched_blob(&in) : raw_blob(&in);
	if (how & 2)
		fix_crc(blob, len);
	memcpy(before, p, vpmu_state_size());
	r = vpmu_restore(p, blob, len, err, sizeof(err));
	FUZZ_CHECK(r == 0 || r == -1, "vpmu_restore returned %d", r);
	if (r) {
		FUZZ_CHECK(err[0],
			   "vpmu_restore refused without a reason");
		FUZZ_CHECK(!memcmp(before, p, vpmu_state_size()),
			   "a refused restore changed the PMU (%s)", err);
	}
	/* restored or not: the PMU must behave (and round-trip) */
	op_snapshot(p);
	pmu_ops_run(p, &in, MAX_STEPS);
	return 0;
}
