// SPDX-License-Identifier: MIT
/* vpmu run: boot a multiboot image with a virtual PMU. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "engine_ops.h"
#include "filter_spec.h"
#include "loader.h"
#include "summary.h"
#include "util.h"
#include "vm.h"

#define DEFAULT_MODEL	"skylake"
#define DEFAULT_MEM_MIB	128

enum { OPT_NO_MSR_FILTER = 0x100, OPT_CPI, OPT_FILTER };
#define MAX_CPI		64

static void run_usage(FILE *f)
{
	fprintf(f,
		"usage: vpmu run [options] IMAGE [-- ARGS]\n"
		"\n"
		"Boot IMAGE, a multiboot v1 ELF file (ELF32 i386 or ELF64 x86-64, e.g. a\n"
		"kvm-unit-tests .flat), under KVM with a virtual PMU.  The guest's command\n"
		"line is \"IMAGE ARGS\".\n"
		"\n"
		"  --model M       PMU model preset (default %s; see 'vpmu models')\n"
		"  --cpus N        vCPUs, 1..%d (default 1)\n"
		"  --mem MiB       guest RAM, %d..%d MiB (default %d)\n"
		"  --engine E      counting engine: exact (when built) or none (default: %s)\n"
		"  --cpi N         exact engine: virtual cycles per instruction, 1..%d\n"
		"                  (default 1; core and reference cycles tick alike)\n"
		"  --filter SPEC   event filter: allow:|deny: then EVENT[/UMASK] (hex) and\n"
		"                  fixed=MASK items, comma-separated; e.g. deny:c4,fixed=1\n"
		"  --env FILE      pass FILE as the multiboot module (kvm-unit-tests environment)\n"
		"  --json FILE     write the counter summary as JSON to FILE\n"
		"  --timeout S     stop after S seconds with status 124 (default 0 = never)\n"
		"  --quiet         no counter summary on stderr\n"
		"  --no-msr-filter debug: do not trap PMU MSRs (KVM answers some itself)\n"
		"\n"
		"Exit status: the guest's debug-exit code (port 0xf4), 38 -> 77, >125 -> 125;\n"
		"2 bad usage or image; 124 timeout; 125 guest died or VMM error.\n",
		DEFAULT_MODEL, VM_MAX_CPUS, VM_MIN_MEM_MIB, VM_MAX_MEM_MIB,
		DEFAULT_MEM_MIB, engine_default()->name, MAX_CPI);
}

static const struct option run_opts[] = {
	{ "model", required_argument, NULL, 'm' },
	{ "cpus", required_argument, NULL, 'c' },
	{ "mem", required_argument, NULL, 'M' },
	{ "engine", required_argument, NULL, 'e' },
	{ "env", required_argument, NULL, 'E' },
	{ "json", required_argument, NULL, 'j' },
	{ "timeout", required_argument, NULL, 't' },
	{ "quiet", no_argument, NULL, 'q' },
	{ "no-msr-filter", no_argument, NULL, OPT_NO_MSR_FILTER },
	{ "cpi", required_argument, NULL, OPT_CPI },
	{ "filter", required_argument, NULL, OPT_FILTER },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static uint64_t parse_range(const char *opt, const char *s, uint64_t lo,
			    uint64_t hi)
{
	uint64_t v;

	if (!parse_u64(s, &v) || v < lo || v > hi)
		die(EXIT_USAGE, "%s: '%s' is not a number from %llu to %llu", opt, s,
		    (unsigned long long)lo, (unsigned long long)hi);
	return v;
}

/* "IMAGE ARGS..." for the multiboot command line */
static char *build_cmdline(char **args, int n)
{
	size_t len = 1;
	char *s;

	for (int i = 0; i < n; i++)
		len += strlen(args[i]) + 1;
	s = calloc(1, len);
	if (!s)
		die(EXIT_VMM, "out of memory");
	for (int i = 0; i < n; i++) {
		if (i)
			strcat(s, " ");
		strcat(s, args[i]);
	}
	return s;
}

static struct vpmu_filter filter;

static void parse_opt(struct vm_config *c, int opt, const char *arg,
		      const char *optname)
{
	char err[128];
	uint64_t mib;

	switch (opt) {
	case 'm': c->model = cmd_find_model(arg); break;
	case 'c': c->cpus = (unsigned int)parse_range("--cpus", arg, 1, VM_MAX_CPUS); break;
	case 'M':
		mib = parse_range("--mem", arg, VM_MIN_MEM_MIB, VM_MAX_MEM_MIB);
		c->mem_bytes = mib << 20;
		break;
	case 'e':
		c->engine = engine_find(arg, err, sizeof(err));
		if (!c->engine)
			die(EXIT_USAGE, "--engine: %s", err);
		break;
	case 'E': c->env = arg; break;
	case 'j': c->json = arg; break;
	case 't':
		if (!parse_seconds(arg, &c->timeout))
			die(EXIT_USAGE, "--timeout: '%s' is not a number of seconds", arg);
		if (c->timeout > 0 && c->timeout < 0.001)	/* 0 would mean "never" */
			die(EXIT_USAGE, "--timeout: '%s' is below 1 ms", arg);
		break;
	case 'q': c->quiet = true; break;
	case OPT_NO_MSR_FILTER: c->no_msr_filter = true; break;
	case OPT_CPI: c->cpi = (unsigned int)parse_range("--cpi", arg, 1, MAX_CPI); break;
	case OPT_FILTER:
		if (filter_spec_parse(arg, &filter, err, sizeof(err)))
			die(EXIT_USAGE, "--filter: %s", err);
		c->filter = &filter;
		break;
	case 'h': run_usage(stdout); exit(0);
	case ':': die(EXIT_USAGE, "run: option '%s' needs a value", optname);
	default:
		die(EXIT_USAGE, "run: unknown option '%s' (see 'vpmu run --help')", optname);
	}
}

static void parse_args(struct vm_config *c, int argc, char **argv)
{
	int opt;
	int rest;

	opterr = 0;
	optind = 1;
	/* '+': options end at IMAGE; what follows belongs to the guest */
	while ((opt = getopt_long(argc, argv, "+:h", run_opts, NULL)) != -1)
		parse_opt(c, opt, optarg, argv[optind - 1]);
	if (optind >= argc)
		die(EXIT_USAGE, "run: no IMAGE given (see 'vpmu run --help')");
	c->image = argv[optind];
	rest = optind + 1;
	if (rest < argc && !strcmp(argv[rest], "--"))
		rest++;
	argv[rest - 1] = (char *)c->image;	/* cmdline = IMAGE ARGS... */
	c->cmdline = build_cmdline(argv + rest - 1, argc - rest + 1);
}

/* The model as the guest will see it: the engine's missing events hidden. */
static const struct vpmu_model *engine_adjusted_model(const struct vpmu_model *m,
						      const struct engine_ops *e)
{
	static struct vpmu_model adjusted;

	adjusted = *m;
	if (adjusted.vendor == VPMU_VENDOR_INTEL && adjusted.version)
		adjusted.events_unavailable |= e->hidden_arch_events;
	return &adjusted;
}

int cmd_run(int argc, char **argv)
{
	static struct vm vm;
	struct vm_config *c = &vm.cfg;
	int status;

	c->cpus = 1;
	c->cpi = 1;
	c->mem_bytes = (uint64_t)DEFAULT_MEM_MIB << 20;
	c->engine = engine_default();
	parse_args(c, argc, argv);
	if (!c->model)
		c->model = cmd_find_model(DEFAULT_MODEL);
	c->model = engine_adjusted_model(c->model, c->engine);
	/* bad input first, KVM second: `vpmu run bad.elf` says what is bad */
	multiboot_check_file(c->image, c->mem_bytes);
	multiboot_check_args(c->cmdline, c->env);
	vm_create(&vm);
	status = vm_run(&vm);
	if (vm.exit_msg[0])
		warnmsg("%s", vm.exit_msg);
	summary_report(&vm);
	vm_destroy(&vm);
	free(c->cmdline);
	return status;
}
