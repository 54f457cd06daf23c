/* SPDX-License-Identifier: MIT */
/*
 * CRC-32 (IEEE 802.3, reflected, polynomial 0xEDB88320), the checksum at
 * the end of a snapshot blob.  The tests and fuzz/fuzz_snapshot.c compute
 * it on their own, from the format, to forge blobs with a valid checksum;
 * the library keeps its own copy.
 */
#ifndef VPMU_TEST_CRC32_H
#define VPMU_TEST_CRC32_H

#include <stddef.h>
#include <stdint.h>

static inline uint32_t crc32_ieee(const uint8_t *buf, size_t len)
{
	uint32_t crc = ~0u;

	for (size_t i = 0; i < len; i++) {
		crc ^= buf[i];
		for (int k = 0; k < 8; k++)
			crc = (crc >> 1) ^ (0xedb88320u & -(crc & 1));
	}
	return ~crc;
}

#endif
