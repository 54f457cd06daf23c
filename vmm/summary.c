// SPDX-License-Identifier: MIT
/*
 * The host-side summary.  Event names come from libpfm4's tables for the
 * model's PMU; libpfm keeps the tables of PMUs absent from this host
 * (pfm_get_pmu_info says is_present = 0) and their events are reachable
 * through first_event / pfm_get_event_next, so no LIBPFM_FORCE_PMU is
 * needed.  ix86arch is built from the host CPUID at run time (empty on
 * AMD hosts), so the architectural events (PMU-FACTS §1.3) have a table
 * of their own here.  No name -> "raw 0xUUEE".
 */
#include "summary.h"

#include <perfmon/pfmlib.h>
#include <stdio.h>
#include <string.h>

#include "engine_ops.h"
#include "util.h"
#include "vcpu.h"
#include "vm.h"
#include "vpmu.h"

#define STAT_MAX	VPMU_STATS_MAX

/* PERFEVTSEL / PERF_CTL fields (PMU-FACTS §3, §14.3) */
#define SEL_USR		(1ull << 16)
#define SEL_OS		(1ull << 17)
#define SEL_EDGE	(1ull << 18)
#define SEL_INT		(1ull << 20)
#define SEL_ANY		(1ull << 21)
#define SEL_INV		(1ull << 23)
/* FIXED_CTR_CTRL field bits (PMU-FACTS §4) */
#define FIX_OS		1u
#define FIX_USR		2u
#define FIX_ANY		4u
#define FIX_PMI		8u

struct pmu_map {
	const char *model;
	const char *pfm[2];	/* libpfm PMU names, first found wins */
};

static const struct pmu_map pmu_maps[] = {
	{ "lean",		{ "skl", "ix86arch" } },	/* a Skylake-SP signature */
	{ "coreduo",		{ "coreduo", "ix86arch" } },
	{ "core2",		{ "core", "ix86arch" } },
	{ "nehalem",		{ "nhm", "ix86arch" } },
	{ "skylake",		{ "skl", "ix86arch" } },
	{ "icelake",		{ "icl", "ix86arch" } },
	{ "sapphirerapids",	{ "spr", "ix86arch" } },
	{ "alderlake-p",	{ "adl_glc", "spr" } },	/* Golden Cove both */
	{ "alderlake-e",	{ "adl_grt", "ix86arch" } },
	{ "k10",		{ "amd64_fam10h_istanbul", NULL } },
	{ "zen2",		{ "amd64_fam17h_zen2", NULL } },
	{ "zen3",		{ "amd64_fam19h_zen3", NULL } },
	{ "zen4",		{ "amd64_fam19h_zen4", NULL } },
};

/* Intel architectural events, PMU-FACTS §1.3 */
static const struct { uint16_t code; const char *name; } arch_events[] = {
	{ 0x003c, "UNHALTED_CORE_CYCLES" },
	{ 0x00c0, "INSTRUCTION_RETIRED" },
	{ 0x013c, "UNHALTED_REFERENCE_CYCLES" },
	{ 0x4f2e, "LLC_REFERENCES" },
	{ 0x412e, "LLC_MISSES" },
	{ 0x00c4, "BRANCH_INSTRUCTIONS_RETIRED" },
	{ 0x00c5, "MISPREDICTED_BRANCH_RETIRED" },
	{ 0x01a4, "TOPDOWN.SLOTS" },
};

/* Fixed counters, PMU-FACTS §1.4 */
static const char *const fixed_names[VPMU_MAX_FIXED] = {
	"INST_RETIRED.ANY", "CPU_CLK_UNHALTED.THREAD", "CPU_CLK_UNHALTED.REF_TSC",
	"TOPDOWN.SLOTS", "TOPDOWN.BAD_SPEC", "TOPDOWN.FE_BOUND", "TOPDOWN.RETIRING",
};

static int pfm_ready;

static int find_pmu(const char *name, pfm_pmu_info_t *out)
{
	pfm_pmu_t p;

	pfm_for_all_pmus(p) {
		memset(out, 0, sizeof(*out));
		out->size = sizeof(*out);
		if (pfm_get_pmu_info(p, out) == PFM_SUCCESS && out->name &&
		    !strcmp(out->name, name) && out->nevents > 0)
			return 0;
	}
	return -1;
}

/*
 * The unit mask of event idx that is exactly `umask` (1, name in uname);
 * 0 if the event has no unit masks at all and umask is 0; else -1.  A
 * libpfm umask whose code carries more than the unit mask (CMASK, INV,
 * EDGE folded in, e.g. INST_RETIRED:TOTAL_CYCLES) is not a plain match:
 * vpmu prints the modifiers of the selector itself.
 */
static int match_umask(int idx, const pfm_event_info_t *e, unsigned int umask,
		       char *uname, size_t len)
{
	int nmask = 0;

	for (int a = 0; a < e->nattrs; a++) {
		pfm_event_attr_info_t at;

		memset(&at, 0, sizeof(at));
		at.size = sizeof(at);
		if (pfm_get_event_attr_info(idx, a, PFM_OS_NONE, &at) != PFM_SUCCESS ||
		    at.type != PFM_ATTR_UMASK)
			continue;
		nmask++;
		if (at.code == umask) {
			snprintf(uname, len, "%s", at.name);
			return 1;
		}
	}
	uname[0] = 0;
	return nmask == 0 && umask == 0 ? 0 : -1;
}

/*
 * The name libpfm gives event `evsel`/`umask` on `pmu`.  An event with a
 * matching named unit mask wins over an alias without unit masks (skl
 * lists the architectural alias INSTRUCTION_RETIRED before
 * INST_RETIRED:ANY_P, the name perf users know).
 */
static int pfm_lookup(const char *pmu, unsigned int evsel, unsigned int umask,
		      char *buf, size_t len)
{
	pfm_pmu_info_t info;
	char uname[64], alias[128] = "";

	if (!pfm_ready)
		pfm_ready = pfm_initialize() == PFM_SUCCESS ? 1 : -1;
	if (pfm_ready < 0 || find_pmu(pmu, &info))
		return -1;
	for (int i = info.first_event; i != -1; i = pfm_get_event_next(i)) {
		pfm_event_info_t e;
		int m;

		memset(&e, 0, sizeof(e));
		e.size = sizeof(e);
		if (pfm_get_event_info(i, PFM_OS_NONE, &e) != PFM_SUCCESS ||
		    e.code != evsel)
			continue;
		m = match_umask(i, &e, umask, uname, sizeof(uname));
		if (m == 1) {
			snprintf(buf, len, "%s:%s", e.name, uname);
			return 0;
		}
		if (m == 0 && !alias[0])
			snprintf(alias, sizeof(alias), "%s", e.name);
	}
	if (!alias[0])
		return -1;
	snprintf(buf, len, "%s", alias);
	return 0;
}

static const struct pmu_map *map_of(const struct vpmu_model *m)
{
	for (size_t i = 0; i < ARRAY_SIZE(pmu_maps); i++)
		if (!strcmp(pmu_maps[i].model, m->name))
			return &pmu_maps[i];
	return NULL;
}

void summary_event_name(const struct vpmu_model *model, int fixed,
			unsigned int index, uint64_t config, char *buf,
			size_t len)
{
	const struct pmu_map *map = map_of(model);
	bool amd = model->vendor == VPMU_VENDOR_AMD;
	unsigned int evsel = (unsigned int)(config & 0xff);
	unsigned int umask = (unsigned int)((config >> 8) & 0xff);

	if (fixed) {
		snprintf(buf, len, "%s", index < VPMU_MAX_FIXED ? fixed_names[index] : "fixed");
		return;
	}
	if (amd)	/* EventSelect[11:8] in bits 35:32 (PMU-FACTS §14.3) */
		evsel |= (unsigned int)((config >> 24) & 0xf00);
	for (unsigned int i = 0; map && i < 2; i++)
		if (map->pfm[i] && !pfm_lookup(map->pfm[i], evsel, umask, buf, len))
			return;
	for (size_t i = 0; !amd && i < ARRAY_SIZE(arch_events); i++)
		if (arch_events[i].code == ((umask << 8) | evsel)) {
			snprintf(buf, len, "%s", arch_events[i].name);
			return;
		}
	snprintf(buf, len, "raw 0x%x%02x", umask, evsel & 0xff);
	if (evsel > 0xff)
		snprintf(buf, len, "raw 0x%x%02x (event 0x%x)", umask, evsel & 0xff, evsel);
}

static void modifiers(const struct vpmu_counter_stat *s, char *buf, size_t len)
{
	uint64_t c = s->config;
	size_t n = 0;

	buf[0] = 0;
#define MOD(cond, ...) do { if (cond && n < len) \
	n += (size_t)snprintf(buf + n, len - n, "%s", n ? "," : ""), \
	n += (n < len) ? (size_t)snprintf(buf + n, len - n, __VA_ARGS__) : 0; } while (0)
	if (s->fixed) {
		MOD(c & FIX_USR, "usr");
		MOD(c & FIX_OS, "os");
		MOD(c & FIX_ANY, "any");
		MOD(c & FIX_PMI, "int");
	} else {
		MOD(c & SEL_USR, "usr");
		MOD(c & SEL_OS, "os");
		MOD(c & SEL_EDGE, "edge");
		MOD(c & SEL_INV, "inv");
		MOD((c >> 24) & 0xff, "cmask=%u", (unsigned int)((c >> 24) & 0xff));
		MOD(c & SEL_ANY, "any");
		MOD(c & SEL_INT, "int");
	}
#undef MOD
	if (!buf[0])
		snprintf(buf, len, "-");
}

static double wall_s(const struct vm *vm)
{
	uint64_t end = vm->end_ns ? vm->end_ns : now_ns();

	return vm->start_ns ? (double)(end - vm->start_ns) / 1e9 : 0;
}

static void print_table(struct vm *vm)
{
	FILE *f = stderr;

	fprintf(f, "\n Performance counter stats for '%s' (model %s, engine %s, %u vCPU%s):\n\n",
		vm->cfg.image, vm->cfg.model->name, vm->cfg.engine->name,
		vm->nr_vcpus, vm->nr_vcpus == 1 ? "" : "s");
	fprintf(f, "  %-4s %-8s %-40s %-22s %20s %10s\n", "vCPU", "counter",
		"event", "modifiers", "counted", "overflows");
	for (unsigned int i = 0; i < vm->nr_vcpus; i++) {
		struct vpmu_counter_stat st[STAT_MAX];
		unsigned int n = vpmu_stats(vm->vcpus[i].pmu, st, STAT_MAX);

		if (n > STAT_MAX)
			n = STAT_MAX;
		for (unsigned int j = 0; j < n; j++) {
			char ev[96], mods[64], ctr[16];

			summary_event_name(vm->cfg.model, st[j].fixed, st[j].index,
					   st[j].config, ev, sizeof(ev));
			modifiers(&st[j], mods, sizeof(mods));
			snprintf(ctr, sizeof(ctr), "%s%u", st[j].fixed ? "fixed" : "gp",
				 st[j].index);
			fprintf(f, "  %-4u %-8s %-40s %-22s %20llu %10llu\n", i, ctr, ev,
				mods, (unsigned long long)st[j].counted,
				(unsigned long long)st[j].overflows);
		}
		if (!n)
			fprintf(f, "  %-4u (no counter was used)\n", i);
	}
	for (unsigned int i = 0; i < vm->nr_vcpus; i++) {
		const struct vcpu_stats *s = &vm->vcpus[i].stats;

		if (!s->engine.steps && !s->engine.loops && !s->uncounted_s)
			continue;
		fprintf(f, "\n  vCPU %u, engine %s: %llu instructions counted in %llu steps "
			"and %llu loops run free (%llu iterations); %llu unexplained; "
			"%.6f s uncounted (native 64-bit ring 3)",
			i, vm->cfg.engine->name, (unsigned long long)s->engine.retired,
			(unsigned long long)s->engine.steps,
			(unsigned long long)s->engine.loops,
			(unsigned long long)s->engine.loop_iterations,
			(unsigned long long)s->engine.unexplained, s->uncounted_s);
	}
	fprintf(f, "\n  %.6f seconds wall time, exit status %d\n\n", wall_s(vm),
		vm->exit_status);
}

static void json_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c < 0x20)
			fprintf(f, "\\u%04x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}

static void json_vcpu(FILE *f, struct vm *vm, struct vcpu *v)
{
	struct vpmu_counter_stat st[STAT_MAX];
	unsigned int n = vpmu_stats(v->pmu, st, STAT_MAX);

	if (n > STAT_MAX)
		n = STAT_MAX;
	fprintf(f, "    {\"id\": %u, \"uncounted_time_s\": %.6f, \"msr_exits\": %llu, "
		"\"pmis_delivered\": %llu, \"pmis_dropped\": %llu, \"pmi_delivery_us\": %.2f, "
		"\"rdpmc_emulated\": %llu,\n", v->id, v->stats.uncounted_s,
		(unsigned long long)v->stats.msr_exits,
		(unsigned long long)v->stats.pmis_delivered,
		(unsigned long long)v->stats.pmis_dropped,
		v->stats.pmis_delivered + v->stats.pmis_dropped ?
		(double)v->stats.pmi_ns / 1e3 / (double)(v->stats.pmis_delivered + v->stats.pmis_dropped) : 0.0,
		(unsigned long long)v->stats.rdpmc_emulated);
	fprintf(f, "     \"engine\": {\"steps\": %llu, \"retired\": %llu, \"faults\": %llu, "
		"\"interrupts\": %llu, \"halts\": %llu, \"loops_run_free\": %llu, "
		"\"loop_iterations\": %llu, \"unexplained\": %llu},\n     \"counters\": [",
		(unsigned long long)v->stats.engine.steps,
		(unsigned long long)v->stats.engine.retired,
		(unsigned long long)v->stats.engine.faults,
		(unsigned long long)v->stats.engine.interrupts,
		(unsigned long long)v->stats.engine.halts,
		(unsigned long long)v->stats.engine.loops,
		(unsigned long long)v->stats.engine.loop_iterations,
		(unsigned long long)v->stats.engine.unexplained);
	for (unsigned int j = 0; j < n; j++) {
		char ev[96], mods[64];

		summary_event_name(vm->cfg.model, st[j].fixed, st[j].index,
				   st[j].config, ev, sizeof(ev));
		modifiers(&st[j], mods, sizeof(mods));
		fprintf(f, "%s\n       {\"counter\": \"%s%u\", \"fixed\": %s, \"index\": %u, "
			"\"config\": \"0x%llx\", \"event\": ", j ? "," : "",
			st[j].fixed ? "fixed" : "gp", st[j].index,
			st[j].fixed ? "true" : "false", st[j].index,
			(unsigned long long)st[j].config);
		json_str(f, ev);
		fprintf(f, ", \"modifiers\": ");
		json_str(f, strcmp(mods, "-") ? mods : "");
		fprintf(f, ", \"counted\": %llu, \"overflows\": %llu}",
			(unsigned long long)st[j].counted,
			(unsigned long long)st[j].overflows);
	}
	fprintf(f, "]}");
}

static int write_json(struct vm *vm)
{
	FILE *f = fopen(vm->cfg.json, "w");
	double uncounted = 0;

	if (!f) {
		warnmsg("--json %s: %m", vm->cfg.json);
		return -1;
	}
	for (unsigned int i = 0; i < vm->nr_vcpus; i++)
		uncounted += vm->vcpus[i].stats.uncounted_s;
	fprintf(f, "{\n  \"image\": ");
	json_str(f, vm->cfg.image);
	fprintf(f, ",\n  \"model\": ");
	json_str(f, vm->cfg.model->name);
	fprintf(f, ",\n  \"engine\": ");
	json_str(f, vm->cfg.engine->name);
	fprintf(f, ",\n  \"exit_status\": %d,\n  \"wall_time_s\": %.6f,\n"
		"  \"uncounted_time_s\": %.6f,\n  \"vcpus\": [\n",
		vm->exit_status, wall_s(vm), uncounted);
	for (unsigned int i = 0; i < vm->nr_vcpus; i++) {
		json_vcpu(f, vm, &vm->vcpus[i]);
		fprintf(f, "%s\n", i + 1 < vm->nr_vcpus ? "," : "");
	}
	fprintf(f, "  ]\n}\n");
	if (fclose(f)) {
		warnmsg("--json %s: %m", vm->cfg.json);
		return -1;
	}
	return 0;
}

int summary_report(struct vm *vm)
{
	if (!vm->cfg.quiet)
		print_table(vm);
	return vm->cfg.json ? write_json(vm) : 0;
}
