// SPDX-License-Identifier: MIT
/*
 * Multiboot v1 loader (Multiboot Specification 0.6.96): maps the file,
 * checks it with multiboot_parse() (loader_parse.c), copies the segments
 * into guest RAM and builds the boot info.
 */
#include "loader.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/kvm.h>
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

/* Multiboot info flags (spec §3.3) */
#define MBI_MEM		(1u << 0)
#define MBI_CMDLINE	(1u << 2)
#define MBI_MODS	(1u << 3)
#define MBI_LOADER_NAME	(1u << 9)

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

static void check_env(const char *env)
{
	struct mapped_file f;

	if (!env)
		return;
	f = map_file(env, "--env ");
	if (f.len > MB_MODULE_MAX)
		die(EXIT_USAGE, "--env %s: larger than %u KiB", env, MB_MODULE_MAX >> 10);
	unmap_file(&f);
}

void multiboot_check_args(const char *cmdline, const char *env)
{
	if (strlen(cmdline) + 1 > MB_CMDLINE_MAX)
		die(EXIT_USAGE, "guest command line longer than %u bytes", MB_CMDLINE_MAX - 1);
	check_env(env);
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
	f = map_file(vm->cfg.env, "--env ");	/* size checked before KVM */
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
