// SPDX-License-Identifier: MIT
/*
 * Multiboot v1 loader (Multiboot Specification 0.6.96).  multiboot_parse()
 * is a pure function over untrusted bytes (it will be fuzzed): every read
 * is bounds-checked and every sum is checked for overflow.  The rest maps
 * the file, copies the segments into guest RAM and builds the boot info.
 */
#include "loader.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/kvm.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util.h"
#include "vcpu.h"
#include "vm.h"

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

/* Multiboot info flags (spec §3.3) */
#define MBI_MEM		(1u << 0)
#define MBI_CMDLINE	(1u << 2)
#define MBI_MODS	(1u << 3)
#define MBI_LOADER_NAME	(1u << 9)

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

/* ------------------------------------------------------------------ */

struct mapped_file {
	const uint8_t *data;
	size_t len;
};

/* Map a file read-only; exits 2 with "vpmu: PATH: reason". */
static struct mapped_file map_file(const char *path, const char *what)
{
	struct mapped_file f = { NULL, 0 };
	struct stat st;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		die(EXIT_USAGE, "%s%s: %s", what, path, strerror(errno));
	if (fstat(fd, &st) < 0)
		die(EXIT_USAGE, "%s%s: %s", what, path, strerror(errno));
	if (S_ISDIR(st.st_mode))
		die(EXIT_USAGE, "%s%s: is a directory", what, path);
	if (!S_ISREG(st.st_mode))
		die(EXIT_USAGE, "%s%s: not a regular file", what, path);
	f.len = (size_t)st.st_size;
	if (f.len) {
		f.data = mmap(NULL, f.len, PROT_READ, MAP_PRIVATE, fd, 0);
		if (f.data == MAP_FAILED)
			die(EXIT_USAGE, "%s%s: %s", what, path, strerror(errno));
	}
	close(fd);
	return f;
}

static void unmap_file(struct mapped_file *f)
{
	if (f->len)
		munmap((void *)f->data, f->len);
}

void multiboot_check_file(const char *path, size_t ram)
{
	struct mapped_file f = map_file(path, "");
	struct mb_image img;
	char err[256];

	if (multiboot_parse(f.data, f.len, ram, &img, err, sizeof(err)))
		die(EXIT_USAGE, "%s: %s", path, err);
	unmap_file(&f);
}

static void put32(struct vm *vm, uint32_t gpa, uint32_t val)
{
	memcpy(vm_gpa(vm, gpa, 4), &val, 4);
}

/* The environment module (--env FILE), page aligned (MBH_PAGE_ALIGN). */
static uint32_t load_module(struct vm *vm)
{
	struct mapped_file f;

	if (!vm->cfg.env)
		return 0;
	f = map_file(vm->cfg.env, "--env ");
	if (f.len > MB_MODULE_MAX)
		die(EXIT_USAGE, "--env %s: larger than %u KiB", vm->cfg.env,
		    MB_MODULE_MAX >> 10);
	if (f.len)
		memcpy(vm_gpa(vm, MB_MODULE_ADDR, f.len), f.data, f.len);
	/* spec §3.3 module structure: start, end, string, reserved */
	put32(vm, MB_MODS_ADDR, MB_MODULE_ADDR);
	put32(vm, MB_MODS_ADDR + 4, MB_MODULE_ADDR + (uint32_t)f.len);
	put32(vm, MB_MODS_ADDR + 8, MB_CMDLINE_ADDR + (uint32_t)strlen(vm->cfg.cmdline));
	put32(vm, MB_MODS_ADDR + 12, 0);
	unmap_file(&f);
	return 1;
}

static void write_boot_info(struct vm *vm)
{
	size_t cl = strlen(vm->cfg.cmdline) + 1;
	uint32_t mods;
	static const char name[] = "vpmu";

	if (cl > MB_CMDLINE_MAX)
		die(EXIT_USAGE, "guest command line longer than %u bytes", MB_CMDLINE_MAX - 1);
	memset(vm_gpa(vm, MB_AREA_START, MB_AREA_END - MB_AREA_START), 0,
	       MB_AREA_END - MB_AREA_START);
	memcpy(vm_gpa(vm, MB_CMDLINE_ADDR, cl), vm->cfg.cmdline, cl);
	memcpy(vm_gpa(vm, MB_LOADER_NAME_ADDR, sizeof(name)), name, sizeof(name));
	mods = load_module(vm);
	/* spec §3.3 boot information format */
	put32(vm, MB_INFO_ADDR + 0, MBI_MEM | MBI_CMDLINE | MBI_MODS | MBI_LOADER_NAME);
	put32(vm, MB_INFO_ADDR + 4, 640);				/* mem_lower, KiB */
	put32(vm, MB_INFO_ADDR + 8, (uint32_t)((vm->mem_size >> 10) - 1024));	/* mem_upper */
	put32(vm, MB_INFO_ADDR + 16, MB_CMDLINE_ADDR);
	put32(vm, MB_INFO_ADDR + 20, mods);
	put32(vm, MB_INFO_ADDR + 24, MB_MODS_ADDR);
	put32(vm, MB_INFO_ADDR + 64, MB_LOADER_NAME_ADDR);
}

static void flat_seg(struct kvm_segment *s, uint16_t sel, uint8_t type)
{
	*s = (struct kvm_segment){
		.base = 0, .limit = 0xffffffff, .selector = sel, .type = type,
		.present = 1, .dpl = 0, .db = 1, .s = 1, .l = 0, .g = 1,
	};
}

/* Spec §3.2 machine state: 32-bit flat protected mode, paging off,
 * IF=0, EAX = 0x2BADB002, EBX = boot info. */
static void setup_bsp(struct vm *vm, uint32_t entry)
{
	struct vcpu *v = &vm->vcpus[0];
	struct kvm_sregs s;
	struct kvm_regs r;

	if (ioctl(v->fd, KVM_GET_SREGS, &s) < 0)
		die(EXIT_VMM, "KVM_GET_SREGS: %s", strerror(errno));
	flat_seg(&s.cs, 0x08, 0xb);	/* execute/read, accessed */
	flat_seg(&s.ds, 0x10, 0x3);	/* read/write, accessed */
	s.es = s.fs = s.gs = s.ss = s.ds;
	s.cr0 = 0x11;			/* PE | ET */
	s.cr4 = 0;
	s.efer = 0;
	if (ioctl(v->fd, KVM_SET_SREGS, &s) < 0)
		die(EXIT_VMM, "KVM_SET_SREGS: %s", strerror(errno));
	memset(&r, 0, sizeof(r));
	r.rip = entry;
	r.rflags = 0x2;			/* IF = 0 */
	r.rax = MB_BOOT_MAGIC;
	r.rbx = MB_INFO_ADDR;
	r.rsp = MB_INFO_ADDR;		/* undefined by the spec; below the MBI */
	if (ioctl(v->fd, KVM_SET_REGS, &r) < 0)
		die(EXIT_VMM, "KVM_SET_REGS: %s", strerror(errno));
}

void multiboot_load(struct vm *vm)
{
	struct mapped_file f = map_file(vm->cfg.image, "");
	struct mb_image img;
	char err[256];

	if (multiboot_parse(f.data, f.len, vm->mem_size, &img, err, sizeof(err)))
		die(EXIT_USAGE, "%s: %s", vm->cfg.image, err);
	for (unsigned int i = 0; i < img.nsegs; i++) {
		const struct mb_segment *s = &img.seg[i];
		uint8_t *dst = vm_gpa(vm, s->paddr, s->memsz);

		memcpy(dst, f.data + s->offset, s->filesz);
		memset(dst + s->filesz, 0, s->memsz - s->filesz);	/* BSS */
	}
	unmap_file(&f);
	write_boot_info(vm);
	setup_bsp(vm, img.entry);
}
