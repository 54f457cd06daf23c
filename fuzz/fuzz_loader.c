// SPDX-License-Identifier: MIT
/*
 * Fuzz target: multiboot_parse() (vmm/loader_parse.c) on arbitrary files,
 * with three RAM sizes.  Invariants: it returns 0 or -1; a refusal has a
 * one-line reason; an accepted image has 1..MB_MAX_SEGS segments, each
 * inside the file, no larger in the file than in memory, inside RAM and
 * clear of the boot information area, and an entry point inside one of
 * them; the header lies in the first 8 KiB with a valid checksum.
 * ASan checks that no byte outside the input is read.
 */
#include <string.h>

#include "fuzz.h"
#include "loader.h"

static uint32_t ld32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static void check_image(const uint8_t *data, size_t size, size_t ram,
			const struct mb_image *im)
{
	bool entry_in = false;

	FUZZ_CHECK(im->nsegs >= 1 && im->nsegs <= MB_MAX_SEGS, "%u segments", im->nsegs);
	FUZZ_CHECK(im->header_offset % 4 == 0 && im->header_offset + 12 <= size &&
		   im->header_offset + 12 <= MB_SEARCH_BYTES, "header at %u", im->header_offset);
	FUZZ_CHECK(ld32(data + im->header_offset) == MB_HEADER_MAGIC &&
		   ld32(data + im->header_offset) + ld32(data + im->header_offset + 4) +
		   ld32(data + im->header_offset + 8) == 0, "header checksum");
	for (unsigned int i = 0; i < im->nsegs; i++) {
		const struct mb_segment *s = &im->seg[i];

		FUZZ_CHECK(s->offset <= size && s->filesz <= size - s->offset,
			   "segment %u outside the file", i);
		FUZZ_CHECK(s->filesz <= s->memsz && s->memsz > 0, "segment %u sizes", i);
		FUZZ_CHECK(s->paddr <= ram && s->memsz <= ram - s->paddr,
			   "segment %u outside RAM", i);
		FUZZ_CHECK(s->paddr + s->memsz <= MB_AREA_START || s->paddr >= MB_AREA_END,
			   "segment %u overlaps the boot area", i);
		if (im->entry >= s->paddr && im->entry - s->paddr < s->memsz)
			entry_in = true;
	}
	FUZZ_CHECK(entry_in, "entry 0x%x outside every segment", im->entry);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const size_t rams[] = { 1u << 20, 2u << 20, 128u << 20 };

	for (unsigned int k = 0; k < sizeof(rams) / sizeof(rams[0]); k++) {
		struct mb_image im;
		char err[256] = "";
		int r = multiboot_parse(data, size, rams[k], &im, err, sizeof(err));

		FUZZ_CHECK(r == 0 || r == -1, "multiboot_parse returned %d", r);
		if (r)
			FUZZ_CHECK(err[0] && !strchr(err, '\n'), "refusal without a one-line reason");
		else
			check_image(data, size, rams[k], &im);
	}
	return 0;
}
