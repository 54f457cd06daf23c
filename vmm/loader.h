/* SPDX-License-Identifier: MIT */
/*
 * Multiboot v1 ELF images (Multiboot Specification 0.6.96 §3.1): ELF32
 * (EM_386; kvm-unit-tests' x86_64 .flat files are ELF32 wrapping 64-bit
 * code) and ELF64 (EM_X86_64) with a multiboot header in the first 8 KiB.
 */
#ifndef VMM_LOADER_H
#define VMM_LOADER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MB_MAX_SEGS		16
#define MB_SEARCH_BYTES		8192	/* header within the first 8 KiB */
#define MB_HEADER_MAGIC		0x1BADB002u
#define MB_BOOT_MAGIC		0x2BADB002u	/* EAX at entry */

/* Low-memory area for the boot information (KVM-UNIT-TESTS.md §2.3:
 * below 1 MiB, not page 0, which the AP trampoline overwrites). */
#define MB_INFO_ADDR		0x9000u
#define MB_MODS_ADDR		0x9100u
#define MB_LOADER_NAME_ADDR	0x9180u
#define MB_CMDLINE_ADDR		0x9200u
#define MB_CMDLINE_MAX		(0x10000u - MB_CMDLINE_ADDR)
#define MB_MODULE_ADDR		0x10000u
#define MB_MODULE_MAX		(0x9f000u - MB_MODULE_ADDR)
#define MB_AREA_START		MB_INFO_ADDR
#define MB_AREA_END		0x9f000u

struct mb_segment {
	uint64_t offset;	/* in the file */
	uint64_t paddr;
	uint64_t filesz;
	uint64_t memsz;
};

struct mb_image {
	bool elf64;
	uint32_t entry;		/* physical, < 4 GiB */
	uint32_t header_offset;	/* of the multiboot header in the file */
	uint32_t header_flags;
	unsigned int nsegs;
	struct mb_segment seg[MB_MAX_SEGS];
};

/*
 * Pure parser: checks `buf` (len bytes) is a multiboot ELF image that fits
 * in `ram` bytes of guest RAM without touching the boot area.  Returns 0,
 * or -1 with a one-line reason in err.  Never reads outside buf.
 */
int multiboot_parse(const void *buf, size_t len, size_t ram,
		    struct mb_image *out, char *err, size_t errlen);

struct vm;
/*
 * Read and check the image (exits 2 with "vpmu: IMAGE: reason" on a bad
 * one).  Called before KVM is opened, so bad input is reported first.
 */
void multiboot_check_file(const char *path, size_t ram);
/* The guest command line and --env FILE fit their boot areas (exits 2). */
void multiboot_check_args(const char *cmdline, const char *env);
/* Load image, module and boot info into RAM and set the BSP's state. */
void multiboot_load(struct vm *vm);

#endif
