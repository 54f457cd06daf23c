// SPDX-License-Identifier: MIT
/*
 * Exact counts from the exact engine, seen from inside the guest
 * (issue 4): known instruction sequences (count_wl.S) give exactly the
 * instructions and branches they contain, at CPL0 and in compat-mode
 * CPL3, for each USR/OS combination; CMASK/INV/EDGE follow the per-cycle
 * rules (one instruction per cycle at the default CPI of 1, or `cpi=N`
 * for a run with --cpi N, N < 10); a counter
 * preset to -10 raises its PMI before the 11th instruction (zero skid);
 * freeze-on-PMI stops every counter at that instruction; GLOBAL_CTRL
 * gates; fixed counters count; AMD presets count through their own MSRs.
 *
 * Pass the model with "-- model=NAME" (tests/t/guest.sh does).
 */
#include "pmu_spec.h"

typedef void (*wl_fn)(uint32_t en_msr, uint64_t en_val, uint32_t dis_msr);
extern void wl_straight(uint32_t, uint64_t, uint32_t);
extern void wl_loop100(uint32_t, uint64_t, uint32_t);
extern void wl_branches(uint32_t, uint64_t, uint32_t);
extern void wl_edges(uint32_t, uint64_t, uint32_t);
extern void wl_pmi(uint32_t, uint64_t, uint32_t);
extern char wl_pmi_here[];
extern char user_nops32[];

#define PMI_VECTOR	32
#define FRAMING		4	/* enabling WRMSR + mov/xor/xor before the disable */

/* What each workload retires (count_wl.S), framing included. */
struct workload {
	const char *name;
	wl_fn fn;
	uint64_t insns, branches, cond, taken, not_taken, calls, rets;
};

static const struct workload workloads[] = {
	{ "straight", wl_straight, 20 + FRAMING, 0, 0, 0, 0, 0, 0 },
	{ "loop100", wl_loop100, 201 + FRAMING, 100, 100, 99, 1, 0, 0 },
	{ "branches", wl_branches, 10 + FRAMING, 7, 2, 6, 1, 1, 1 },
	{ "edges", wl_edges, 6 + FRAMING, 3, 0, 3, 0, 0, 0 },
};

/* Event encodings: Intel architectural + Skylake-era BR_INST_RETIRED
 * umasks (v4+); AMD Zen retire events (PMU-FACTS §1.3, §14.5). */
enum ev { E_INSNS, E_BRANCHES, E_COND, E_TAKEN, E_NOT_TAKEN, E_CALLS, E_RETS,
	  E_CYCLES, E_NR };
static const uint16_t intel_ev[E_NR] = { 0x00c0, 0x00c4, 0x01c4, 0x20c4, 0x10c4,
					 0x02c4, 0x08c4, 0x003c };
static const uint16_t amd_ev[E_NR] = { 0x00c0, 0x00c2, 0x00d1, 0x00c4, 0, 0,
				       0x00c8, 0x0076 };

static const struct pmu_spec *S;
static unsigned int cpi = 1;	/* "cpi=N": the run's --cpi */

static bool intel(void)
{
	return S->vendor == INTEL;
}

/* An event this model has (0 = none). */
static uint16_t event(enum ev e)
{
	if (!intel())
		return amd_ev[e];
	if (e >= E_COND && e <= E_RETS && S->version < 4)
		return 0;
	return intel_ev[e];
}

static uint32_t sel_msr(unsigned int i)
{
	if (intel())
		return MSR_PERFEVTSEL0 + i;
	return S->perfctr_core ? MSR_F15H_PERF_CTL0 + 2 * i : MSR_K7_EVNTSEL0 + i;
}

static uint32_t ctr_msr(unsigned int i)
{
	if (intel())
		return MSR_PMC0 + i;
	return S->perfctr_core ? MSR_F15H_PERF_CTL0 + 2 * i + 1 : MSR_K7_PERFCTR0 + i;
}

/* Does the model have a global enable (Intel v2+, AMD PerfMonV2)? */
static bool global_ctrl(void)
{
	return intel() ? S->version >= 2 : S->perfmon_v2;
}

static uint32_t global_ctrl_msr(void)
{
	return intel() ? MSR_GLOBAL_CTRL : MSR_AMD_GLOBAL_CTL;
}

static void clear_status(void)
{
	if (intel() && S->version >= 2)
		wrmsr(MSR_GLOBAL_OVF_CTRL, rdmsr(MSR_GLOBAL_STATUS));
	else if (!intel() && S->perfmon_v2)
		wrmsr(MSR_AMD_GLOBAL_STATUS_CLR, rdmsr(MSR_AMD_GLOBAL_STATUS));
}

static void pmu_off(void)
{
	if (global_ctrl())
		wrmsr(global_ctrl_msr(), 0);
	for (unsigned int i = 0; i < S->nr_gp; i++) {
		wrmsr(sel_msr(i), 0);
		wrmsr(ctr_msr(i), 0);
	}
	clear_status();
}

/*
 * Run workload `w` with counter i programmed to sel[i] (i < n) from
 * preset[i] (NULL: 0), enabled by the workload's own WRMSR; values out.
 * Without a global enable, one counter is measured per run.
 */
static void measure(wl_fn fn, const uint64_t *sel, const uint64_t *preset,
		    unsigned int n, uint64_t *out)
{
	pmu_off();
	if (global_ctrl()) {
		for (unsigned int i = 0; i < n; i++) {
			wrmsr(sel_msr(i), sel[i]);
			wrmsr(ctr_msr(i), preset ? preset[i] : 0);
		}
		fn(global_ctrl_msr(), BIT(n) - 1, global_ctrl_msr());
		for (unsigned int i = 0; i < n; i++)
			out[i] = rdmsr(ctr_msr(i));
		return;
	}
	for (unsigned int i = 0; i < n; i++) {
		wrmsr(ctr_msr(i), preset ? preset[i] : 0);
		fn(sel_msr(i), sel[i], sel_msr(i));
		out[i] = rdmsr(ctr_msr(i));
	}
}

static uint64_t want_of(const struct workload *w, enum ev e)
{
	const uint64_t v[E_NR] = { w->insns, w->branches, w->cond, w->taken,
				   w->not_taken, w->calls, w->rets, w->insns * cpi };

	return v[e];
}

static const char *const ev_name[E_NR] = {
	"instructions", "branches", "conditional branches", "taken branches",
	"not-taken branches", "calls", "returns", "cycles (instructions x CPI)",
};

/* Every event of every workload, at CPL0, OS|USR. */
static void test_workloads(void)
{
	for (unsigned int k = 0; k < ARRAY_SIZE(workloads); k++) {
		const struct workload *w = &workloads[k];
		uint64_t sel[E_NR], got[E_NR];
		enum ev evs[E_NR];
		unsigned int n = 0;

		for (enum ev e = 0; e < E_NR; e++) {
			if (!event(e))
				continue;
			evs[n] = e;
			sel[n++] = event(e) | SEL_EN | SEL_OS | SEL_USR;
		}
		/* more events than counters: measure in batches */
		for (unsigned int b = 0; b < n; b += S->nr_gp) {
			unsigned int m = n - b < S->nr_gp ? n - b : S->nr_gp;

			measure(w->fn, sel + b, NULL, m, got + b);
		}
		for (unsigned int i = 0; i < n; i++)
			report_eq(got[i], want_of(w, evs[i]), "%s: %s", w->name,
				  ev_name[evs[i]]);
	}
}

/* CMASK, INV, EDGE per cycle (PMU-FACTS §10, docs/pmu-model.md). */
static void test_modifiers(void)
{
	const struct workload *w = &workloads[3];	/* edges: 1 1 0 0 1 0 */
	const uint64_t br = event(E_BRANCHES) | SEL_EN | SEL_OS | SEL_USR;
	const uint64_t in = event(E_INSNS) | SEL_EN | SEL_OS | SEL_USR;
	const uint64_t cy = event(E_CYCLES) | SEL_EN | SEL_OS | SEL_USR;
	/* With CPI > 1 every instruction has idle cycles before the one it
	 * retires in, so two branches are never in adjacent cycles. */
	const uint64_t edges = cpi == 1 ? 2 : 3;
	const struct { const char *name; uint64_t sel, want; } c[] = {
		{ "branches cmask=1", br | 1ull << 24, 3 },
		{ "branches cmask=2", br | 2ull << 24, 0 },
		{ "branches cmask=1 inv (cycles without a branch)", br | 1ull << 24 | SEL_INV,
		  w->insns * cpi - w->branches },
		{ "branches cmask=1 edge (rising edges)", br | 1ull << 24 | SEL_EDGE, edges },
		{ "branches cmask=0 edge (threshold 1)", br | SEL_EDGE, edges },
		{ "branches cmask=0 inv (INV ignored)", br | SEL_INV, 3 },
		{ "instructions cmask=1", in | 1ull << 24, w->insns },
		{ "instructions cmask=1 inv (idle cycles)", in | 1ull << 24 | SEL_INV,
		  w->insns * (cpi - 1) },
		{ "instructions cmask=2 (never 2 in a cycle)", in | 2ull << 24, 0 },
		{ "cycles cmask=1 inv (every cycle is a cycle)", cy | 1ull << 24 | SEL_INV, 0 },
	};

	for (unsigned int i = 0; i < ARRAY_SIZE(c); i++) {
		uint64_t got;

		measure(w->fn, &c[i].sel, NULL, 1, &got);
		report_eq(got, c[i].want, "edges: %s", c[i].name);
	}
}

/* GLOBAL_CTRL gates: a counter enabled in its selector but not globally
 * counts nothing. */
static void test_global_gate(void)
{
	uint64_t sel = event(E_INSNS) | SEL_EN | SEL_OS | SEL_USR, got[2];

	if (!global_ctrl()) {
		report_skip("no global control", "GLOBAL_CTRL gating");
		return;
	}
	pmu_off();
	wrmsr(sel_msr(0), sel);
	wrmsr(sel_msr(1), sel);
	wl_straight(global_ctrl_msr(), 1, global_ctrl_msr());
	got[0] = rdmsr(ctr_msr(0));
	got[1] = rdmsr(ctr_msr(1));
	report_eq(got[0], 24, "global ctrl: enabled counter counts");
	report_eq(got[1], 0, "global ctrl: counter not enabled globally stays 0");
}

/* Fixed counters 0..2: instructions, cycles, reference cycles. */
static void test_fixed(void)
{
	uint64_t v[3];

	if (!intel() || S->version < 2) {
		report_skip("no fixed counters", "fixed counters");
		return;
	}
	pmu_off();
	wrmsr(MSR_FIXED_CTR_CTRL, 0x333);
	for (unsigned int i = 0; i < 3; i++)
		wrmsr(MSR_FIXED_CTR0 + i, 0);
	wl_straight(MSR_GLOBAL_CTRL, 7ull << 32, MSR_GLOBAL_CTRL);
	for (unsigned int i = 0; i < 3; i++)
		v[i] = rdmsr(MSR_FIXED_CTR0 + i);
	wrmsr(MSR_FIXED_CTR_CTRL, 0);
	report_eq(v[0], 24, "fixed 0 (instructions)");
	report_eq(v[1], 24 * cpi, "fixed 1 (core cycles = instructions x CPI)");
	report_eq(v[2], 24 * cpi, "fixed 2 (reference cycles = core cycles)");
}

/* Count compat-mode user code with sel[0..n) enabled together. */
static void __attribute__((noinline)) count_user(const uint64_t *sel,
						 unsigned int n, uint64_t *v)
{
	pmu_off();
	for (unsigned int i = 0; i < n; i++)
		wrmsr(sel_msr(i), sel[i]);
	if (global_ctrl())
		wrmsr(global_ctrl_msr(), BIT(n) - 1);
	run_user(USER_COMPAT32, user_nops32, 0);
	if (global_ctrl())
		wrmsr(global_ctrl_msr(), 0);
	for (unsigned int i = 0; i < n; i++)
		wrmsr(sel_msr(i), 0);
	for (unsigned int i = 0; i < n; i++)
		v[i] = rdmsr(ctr_msr(i));
}

/* USR/OS split on compat-mode CPL3 code (steppable on this host). */
static void test_user(void)
{
	uint64_t in = event(E_INSNS) | SEL_EN, br = event(E_BRANCHES) | SEL_EN;
	const uint64_t sel[4] = { in | SEL_USR, in | SEL_OS, in | SEL_USR | SEL_OS,
				  br | SEL_USR };
	uint64_t v[4] = { 0 }, again[4] = { 0 };
	unsigned int n = S->nr_gp < 4 ? S->nr_gp : 4;

	count_user(sel, n, v);
	/* CPL3 ran the trampoline's CALL, 30 NOPs and RET; its UD2 faults */
	report_eq(v[0], 32, "compat CPL3: USR-only instructions");
	if (n < 4)
		return;
	report_eq(v[3], 2, "compat CPL3: USR-only branches (CALL, RET)");
	report(v[1] > 0, "compat CPL3: OS-only counts the kernel side (%llu)",
	       (unsigned long long)v[1]);
	if (!global_ctrl())
		return;		/* enabled one by one: totals differ by design */
	report_eq(v[2], v[0] + v[1], "compat CPL3: USR|OS = USR + OS");
	count_user(sel, n, again);
	report(!memcmp(v, again, sizeof(v)), "compat CPL3: a second run counts the same");
}

static volatile unsigned int pmis;
static volatile uint64_t pmi_rip, pmi_gctrl, pmi_status, pmi_ctr1;

static void pmi_handler(struct frame *f)
{
	if (!pmis++) {
		pmi_rip = f->rip;
		if (global_ctrl()) {
			pmi_gctrl = rdmsr(global_ctrl_msr());
			pmi_status = rdmsr(intel() ? MSR_GLOBAL_STATUS : MSR_AMD_GLOBAL_STATUS);
		}
		pmi_ctr1 = rdmsr(ctr_msr(1));
	}
	if (f->vector != NMI_VECTOR)
		apic_eoi();
	/* Intel masks LVTPC on delivery (§11): unmask for the next one */
	apic_write(APIC_LVTPC, apic_read(APIC_LVTPC) & ~APIC_LVT_MASKED);
}

/*
 * Counter 0 counts instructions from -10 with INT: it wraps on the 10th
 * counted instruction, and the PMI must arrive before the 11th.
 */
static void run_pmi(uint32_t lvtpc, bool freeze)
{
	const uint64_t sel[2] = {
		event(E_INSNS) | SEL_EN | SEL_OS | SEL_USR | SEL_INT,
		event(E_INSNS) | SEL_EN | SEL_OS | SEL_USR,
	};
	const uint64_t preset[2] = { width_mask(S->gp_width) - 9, 0 };
	uint64_t v[2];

	pmis = 0;
	pmi_rip = pmi_gctrl = pmi_status = pmi_ctr1 = 0;
	apic_write(APIC_LVTPC, lvtpc);
	if (freeze)
		wrmsr(MSR_DEBUGCTL, BIT(12));
	sti();
	measure(wl_pmi, sel, preset, global_ctrl() ? 2 : 1, v);
	cli();
	if (freeze)
		wrmsr(MSR_DEBUGCTL, 0);
	apic_write(APIC_LVTPC, APIC_LVT_MASKED);
}

static void test_pmi(void)
{
	static const struct { const char *name; uint32_t lvtpc; } modes[] = {
		{ "fixed vector", PMI_VECTOR },
		{ "NMI", APIC_DM_NMI },
	};

	for (unsigned int m = 0; m < ARRAY_SIZE(modes); m++) {
		run_pmi(modes[m].lvtpc, false);
		report_eq(pmis, 1, "PMI (%s): exactly one", modes[m].name);
		report_eq(pmi_rip, (uint64_t)(uintptr_t)wl_pmi_here,
			  "PMI (%s): zero skid, before the 11th instruction", modes[m].name);
	}
	clear_status();
}

/* Freeze on PMI (§11): v4+ sets CTR_Frz and keeps GLOBAL_CTRL; v2/v3
 * clear GLOBAL_CTRL.  Either way nothing counts after the overflow. */
static void test_freeze(void)
{
	if (!intel() || !S->freeze) {
		report_skip("model has no freeze-on-PMI", "freeze on PMI");
		return;
	}
	run_pmi(PMI_VECTOR, true);
	report_eq(pmis, 1, "freeze: PMI delivered");
	report_eq(pmi_ctr1, 10, "freeze: second counter stopped at the overflowing instruction");
	report_eq(rdmsr(ctr_msr(0)), 0, "freeze: overflowed counter stopped at 0");
	if (S->version >= 4) {
		report_eq(pmi_status & (BIT(59) | 1), BIT(59) | 1,
			  "freeze v4: GLOBAL_STATUS has Ovf_PMC0 and CTR_Frz");
		report_eq(pmi_gctrl, 3, "freeze v4: GLOBAL_CTRL unchanged");
	} else {
		report_eq(pmi_gctrl, 0, "freeze v2/v3: GLOBAL_CTRL cleared");
	}
	clear_status();
}

int main(void)
{
	S = pmu_spec_get();
	if (guest_arg("cpi"))
		cpi = (unsigned int)(guest_arg("cpi")[0] - '0');
	set_irq_handler(PMI_VECTOR, pmi_handler);
	set_irq_handler(NMI_VECTOR, pmi_handler);
	test_workloads();
	test_modifiers();
	test_global_gate();
	test_fixed();
	test_user();
	test_pmi();
	test_freeze();
	pmu_off();
	return report_summary();
}
