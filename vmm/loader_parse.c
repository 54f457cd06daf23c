// SPDX-License-Identifier: MIT
/*
 * multiboot_parse(): the multiboot v1 ELF image parser (Multiboot
 * Specification 0.6.96), a pure function over untrusted bytes, kept apart
 * from the loader so that it links without KVM (fuzz/fuzz_loader.c): every
 * read is bounds-checked and every sum is checked for overflow.
 */
#include "loader.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define EI_CLASS	4
#define EI_DATA		5
#define ELFCLASS32	1
#define ELFCLASS64	2
#define ELFDATA2LSB	1
#define ET_EXEC		2
#define EM_386		3
#define EM_X86_64	62
#define PT_LOAD		1
#define PN_XNUM		0xffff
#define EHDR32_SIZE	52
#define EHDR64_SIZE	64
#define PHDR32_SIZE	32
#define PHDR64_SIZE	56

/* Multiboot header flags (spec §3.1.2): bits 0-15 are requirements. */
#define MBH_PAGE_ALIGN	(1u << 0)	/* modules page aligned: we do */
#define MBH_MEMORY_INFO	(1u << 1)	/* mem_lower/upper: we give them */
#define MBH_SUPPORTED	(MBH_PAGE_ALIGN | MBH_MEMORY_INFO)

static int fail(char *err, size_t len, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int fail(char *err, size_t len, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	if (err && len)
		vsnprintf(err, len, fmt, ap);
	va_end(ap);
	return -1;
}

/* Little-endian loads; callers have checked off + n <= len. */
static uint64_t ld(const uint8_t *p, size_t off, unsigned int n)
{
	uint64_t v = 0;

	for (unsigned int i = 0; i < n; i++)
		v |= (uint64_t)p[off + i] << (8 * i);
	return v;
}

static bool in_file(size_t len, uint64_t off, uint64_t n)
{
	return off <= len && n <= len - off;
}

static const char *machine_name(unsigned int m)
{
	switch (m) {
	case 3:   return "i386";
	case 8:   return "MIPS";
	case 20:  return "PowerPC";
	case 21:  return "PowerPC64";
	case 40:  return "ARM";
	case 62:  return "x86-64";
	case 183: return "AArch64";
	case 243: return "RISC-V";
	default:  return "unknown";
	}
}

/* Spec §3.1.1: magic, flags, checksum with magic+flags+checksum == 0. */
static int find_header(const uint8_t *p, size_t len, struct mb_image *out,
		       char *err, size_t errlen)
{
	size_t end = len < MB_SEARCH_BYTES ? len : MB_SEARCH_BYTES;
	long bad = -1;

	for (size_t off = 0; off + 12 <= end; off += 4) {
		uint32_t magic = (uint32_t)ld(p, off, 4);
		uint32_t flags = (uint32_t)ld(p, off + 4, 4);
		uint32_t sum = (uint32_t)ld(p, off + 8, 4);

		if (magic != MB_HEADER_MAGIC)
			continue;
		if ((uint32_t)(magic + flags + sum) != 0) {
			if (bad < 0)
				bad = (long)off;
			continue;
		}
		if (flags & 0xffffu & ~MBH_SUPPORTED)
			return fail(err, errlen,
				    "multiboot header requires flags 0x%x, which vpmu does not support (video mode or other)",
				    flags & 0xffffu & ~MBH_SUPPORTED);
		out->header_offset = (uint32_t)off;
		out->header_flags = flags;
		return 0;
	}
	if (bad >= 0)
		return fail(err, errlen,
			    "multiboot header at offset 0x%lx has a bad checksum", bad);
	return fail(err, errlen, "no multiboot header in the first 8 KiB");
}

static int check_ident(const uint8_t *p, size_t len, bool *elf64,
		       char *err, size_t errlen)
{
	unsigned int machine;

	if (len < 4 || memcmp(p, "\x7f" "ELF", 4))
		return fail(err, errlen, "not an ELF file");
	if (len < 16)
		return fail(err, errlen, "truncated ELF header");
	if (p[EI_CLASS] != ELFCLASS32 && p[EI_CLASS] != ELFCLASS64)
		return fail(err, errlen, "unsupported ELF class %u", p[EI_CLASS]);
	if (p[EI_DATA] != ELFDATA2LSB)
		return fail(err, errlen, "not a little-endian ELF file");
	*elf64 = p[EI_CLASS] == ELFCLASS64;
	if (len < (*elf64 ? EHDR64_SIZE : EHDR32_SIZE))
		return fail(err, errlen, "truncated ELF header");
	machine = (unsigned int)ld(p, 18, 2);
	if (machine != (*elf64 ? EM_X86_64 : EM_386))
		return fail(err, errlen,
			    "ELF%s file for machine %u (%s); need ELF32 i386 or ELF64 x86-64",
			    *elf64 ? "64" : "32", machine, machine_name(machine));
	if (ld(p, 16, 2) != ET_EXEC)
		return fail(err, errlen, "not an executable ELF file (type %u)",
			    (unsigned int)ld(p, 16, 2));
	return 0;
}

/* Read program header i into a segment; returns 1 for PT_LOAD, 0 other. */
static int read_phdr(const uint8_t *p, bool elf64, uint64_t at,
		     struct mb_segment *s, uint64_t *vaddr)
{
	if (ld(p, at, 4) != PT_LOAD)
		return 0;
	if (elf64) {
		s->offset = ld(p, at + 8, 8);
		*vaddr = ld(p, at + 16, 8);
		s->paddr = ld(p, at + 24, 8);
		s->filesz = ld(p, at + 32, 8);
		s->memsz = ld(p, at + 40, 8);
	} else {
		s->offset = ld(p, at + 4, 4);
		*vaddr = ld(p, at + 8, 4);
		s->paddr = ld(p, at + 12, 4);
		s->filesz = ld(p, at + 16, 4);
		s->memsz = ld(p, at + 20, 4);
	}
	return 1;
}

static int check_segment(const struct mb_segment *s, unsigned int i,
			 size_t len, size_t ram, char *err, size_t errlen)
{
	uint64_t end;

	if (!in_file(len, s->offset, s->filesz))
		return fail(err, errlen, "segment %u lies outside the file (truncated?)", i);
	if (s->filesz > s->memsz)
		return fail(err, errlen, "segment %u: file size 0x%llx exceeds memory size 0x%llx",
			    i, (unsigned long long)s->filesz, (unsigned long long)s->memsz);
	if (s->paddr > ram || s->memsz > ram - s->paddr) {
		end = s->paddr + s->memsz;
		if (end < s->paddr)
			end = UINT64_MAX;
		return fail(err, errlen,
			    "image does not fit in %zu MiB of RAM (segment %u: 0x%llx-0x%llx)",
			    ram >> 20, i, (unsigned long long)s->paddr,
			    (unsigned long long)end);
	}
	end = s->paddr + s->memsz;
	if (s->paddr < MB_AREA_END && end > MB_AREA_START)
		return fail(err, errlen,
			    "segment %u (0x%llx-0x%llx) overlaps the boot information area 0x%x-0x%x",
			    i, (unsigned long long)s->paddr, (unsigned long long)end,
			    MB_AREA_START, MB_AREA_END);
	return 0;
}

/* Multiboot enters at e_entry; translate it through the segment that
 * holds it (p_vaddr -> p_paddr), as GRUB does. */
static int find_entry(const uint8_t *p, bool elf64, uint64_t phoff,
		      uint64_t phentsize, unsigned int phnum,
		      struct mb_image *out, char *err, size_t errlen)
{
	uint64_t entry = ld(p, 24, elf64 ? 8 : 4);

	for (unsigned int i = 0; i < phnum; i++) {
		struct mb_segment s;
		uint64_t vaddr, pa;

		if (!read_phdr(p, elf64, phoff + i * phentsize, &s, &vaddr))
			continue;
		if (entry < vaddr || entry - vaddr >= s.memsz)
			continue;
		pa = s.paddr + (entry - vaddr);
		if (pa > 0xffffffffull)
			break;
		out->entry = (uint32_t)pa;
		return 0;
	}
	return fail(err, errlen,
		    "entry point 0x%llx is not inside a loadable segment below 4 GiB",
		    (unsigned long long)entry);
}

int multiboot_parse(const void *buf, size_t len, size_t ram,
		    struct mb_image *out, char *err, size_t errlen)
{
	const uint8_t *p = buf;
	uint64_t phoff, phentsize, phnum;

	memset(out, 0, sizeof(*out));
	if (!p)
		return fail(err, errlen, "no data");
	if (check_ident(p, len, &out->elf64, err, errlen) ||
	    find_header(p, len, out, err, errlen))
		return -1;
	phoff = ld(p, out->elf64 ? 32 : 28, out->elf64 ? 8 : 4);
	phentsize = ld(p, out->elf64 ? 54 : 42, 2);
	phnum = ld(p, out->elf64 ? 56 : 44, 2);
	if (phnum == 0 || phnum == PN_XNUM)
		return fail(err, errlen, "no loadable segment");
	if (phentsize < (out->elf64 ? PHDR64_SIZE : PHDR32_SIZE))
		return fail(err, errlen, "bad program header size %llu",
			    (unsigned long long)phentsize);
	if (!in_file(len, phoff, phentsize * phnum))
		return fail(err, errlen, "program headers lie outside the file (truncated?)");
	for (unsigned int i = 0; i < phnum; i++) {
		struct mb_segment s;
		uint64_t vaddr;

		if (!read_phdr(p, out->elf64, phoff + i * phentsize, &s, &vaddr) ||
		    s.memsz == 0)
			continue;
		if (out->nsegs == MB_MAX_SEGS)
			return fail(err, errlen, "more than %d loadable segments", MB_MAX_SEGS);
		if (check_segment(&s, i, len, ram, err, errlen))
			return -1;
		out->seg[out->nsegs++] = s;
	}
	if (out->nsegs == 0)
		return fail(err, errlen, "no loadable segment");
	return find_entry(p, out->elf64, phoff, phentsize, (unsigned int)phnum,
			  out, err, errlen);
}
