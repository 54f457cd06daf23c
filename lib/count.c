/* SPDX-License-Identifier: MIT */
/*
 * Event accounting: advance every counting slot by what a tick reports,
 * applying CMASK, INV and EDGE cycle by cycle (PMU-FACTS §10), then raise
 * overflow status, PMI requests and freeze-on-PMI (§11).
 *
 * The cycle model: a tick spans `cycles` cycles.  Per-cycle events
 * (core and reference cycles) occur once in each of them.  Every other
 * event occurs n[e] times in the tick's last cycle and not in the others
 * (an instruction retires at the end of the cycles it took).  So one tick
 * is a run of (cycles - 1) "idle" cycles followed by one "retire" cycle,
 * and each counter's increment has a closed form, also for `repeat` ticks.
 */
#include "internal.h"

static const char *const event_names[VPMU_EV_NR] = {
	[VPMU_EV_CYCLES] = "cycles",
	[VPMU_EV_REF_CYCLES] = "ref-cycles",
	[VPMU_EV_INSTRUCTIONS] = "instructions",
	[VPMU_EV_BRANCHES] = "branches",
	[VPMU_EV_BR_COND] = "branches-conditional",
	[VPMU_EV_BR_TAKEN] = "branches-taken",
	[VPMU_EV_BR_NOT_TAKEN] = "branches-not-taken",
	[VPMU_EV_BR_CALL] = "calls",
	[VPMU_EV_BR_RET] = "returns",
	[VPMU_EV_BR_FAR] = "far-branches",
	[VPMU_EV_BR_MISSES] = "branch-misses",
	[VPMU_EV_LLC_REFS] = "llc-references",
	[VPMU_EV_LLC_MISSES] = "llc-misses",
	[VPMU_EV_BR_NEAR_TAKEN] = "branches-near-taken",
};

const char *vpmu_event_name(unsigned int ev)
{
	return ev < VPMU_EV_NR ? event_names[ev] : "none";
}

uint32_t vpmu_active_events(const struct vpmu *p, unsigned int cpl)
{
	return p->active_events[CPL_CLASS(cpl)];
}

/* Occurrences in an idle cycle and in the retire cycle of a tick. */
static inline uint32_t idle_v(const struct vpmu_counter *c)
{
	return (VPMU_EV_PER_CYCLE >> c->event) & 1;
}

static inline uint32_t last_v(const struct vpmu_counter *c,
			      const struct vpmu_tick *t)
{
	return idle_v(c) ? 1 : t->n[c->event];
}

/* §10: with CMASK c, a cycle counts if v >= c (v < c with INV).  EDGE
 * with CMASK 0 uses the threshold 1 (decision, §17.5). */
static inline unsigned int cond(const struct vpmu_counter *c, uint32_t v)
{
	uint32_t th = c->cmask ? c->cmask : 1;

	return (v >= th) ^ !!(c->flags & CF_INV);
}

/* Increment over one tick, given the edge state before it. */
static inline uint64_t one_tick(const struct vpmu_counter *c,
				const struct vpmu_tick *t, unsigned int prev)
{
	uint64_t idle = t->cycles ? t->cycles - 1 : 0;
	unsigned int ci = cond(c, idle_v(c)), cl = cond(c, last_v(c, t));

	if (!(c->flags & CF_EDGE))
		return idle * ci + cl;
	if (!idle)
		return cl && !prev;
	return (ci && !prev) + (cl && !ci);
}

/* First-tick and steady-state increments of repeated identical ticks,
 * given the edge state before the first. */
static inline void tick_incs_from(const struct vpmu_counter *c,
				  const struct vpmu_tick *t, unsigned int prev,
				  uint64_t *first, uint64_t *steady)
{
	if (c->flags & CF_PLAIN) {
		uint64_t idle = t->cycles ? t->cycles - 1 : 0;

		*first = *steady = idle * idle_v(c) + last_v(c, t);
		return;
	}
	*first = one_tick(c, t, prev);
	*steady = (c->flags & CF_EDGE) ?
		  one_tick(c, t, cond(c, last_v(c, t))) : *first;
}

static inline void tick_incs(const struct vpmu_counter *c,
			     const struct vpmu_tick *t, uint64_t *first,
			     uint64_t *steady)
{
	tick_incs_from(c, t, c->prev, first, steady);
}

/*
 * Increments of loops in closed form can exceed any integer type (span
 * times x periods).  They are kept twice: modulo 2^64, which is exact for
 * a counter value (2^width divides 2^64), and as a magnitude saturated at
 * U128_MAX, which is exact for "does it wrap" (room < 2^48).
 */
typedef unsigned __int128 u128;
#define U128_MAX	(~(u128)0)

static inline u128 sat_add(u128 a, u128 b)
{
	return a + b < a ? U128_MAX : a + b;
}

static inline u128 sat_mul(u128 a, uint64_t b)
{
	u128 hi = (u128)(uint64_t)(a >> 64) * b, lo = (u128)(uint64_t)a * b;

	return hi >> 64 ? U128_MAX : sat_add(hi << 64, lo);
}

/* Add an increment: `mod` = it modulo 2^64, `mag` = it saturated. */
static uint64_t add_to_counter(struct vpmu *p, struct vpmu_counter *c,
			       uint64_t mod, u128 mag)
{
	u128 sum = sat_add(c->value, mag);
	uint64_t wraps = (uint64_t)(sum >> __builtin_popcountll(c->mask));

	c->value = (c->value + mod) & c->mask;
	if (c->stat != NO_STAT) {
		p->stats[c->stat].counted += mod;
		p->stats[c->stat].overflows += wraps;
	}
	if (!wraps)
		return 0;
	/* §11: status on every overflow (where there is a status register);
	 * a PMI only when the counter asks for one */
	if (p->overflow_status)
		p->global_status |= c->status_bit;
	return (c->flags & CF_INT) ? c->status_bit : 0;
}

/* At a CPL it does not count, an EDGE counter's condition is false. */
static void edge_other_cpl(struct vpmu *p, unsigned int k)
{
	for (unsigned int j = 0; p->nedge && j < p->nactive[!k]; j++) {
		struct vpmu_counter *c = &p->ctr[p->active[!k][j]];

		if (!(c->cpl_mask & (1u << k)))
			c->prev = 0;
	}
}

static uint64_t raise_pmis(struct vpmu *p, uint64_t pmi)
{
	if (pmi) {
		p->pmi_latched |= pmi;
		p->ops->pmi_raised(p);
		vpmu_refresh(p);
	}
	return pmi;
}

uint64_t vpmu_count(struct vpmu *p, const struct vpmu_tick *t, uint64_t repeat)
{
	unsigned int k = CPL_CLASS(t->cpl);
	uint64_t pmi = 0;

	if (!repeat)
		return 0;
	edge_other_cpl(p, k);
	for (unsigned int j = 0; j < p->nactive[k]; j++) {
		struct vpmu_counter *c = &p->ctr[p->active[k][j]];
		uint64_t first, steady;
		unsigned __int128 inc;

		if ((c->flags & CF_PLAIN) && repeat == 1) {	/* the common case */
			uint64_t v = idle_v(c) ? t->cycles : t->n[c->event];

			if (c->value + v <= c->mask) {
				c->value += v;
				if (c->stat != NO_STAT)
					p->stats[c->stat].counted += v;
				continue;
			}
		}
		tick_incs(c, t, &first, &steady);
		inc = first + (unsigned __int128)steady * (repeat - 1);
		if (c->flags & CF_EDGE)
			c->prev = (uint8_t)cond(c, last_v(c, t));
		if (inc)
			pmi |= add_to_counter(p, c, (uint64_t)inc, inc);
	}
	return raise_pmis(p, pmi);
}

/* An increment modulo 2^64 and saturated (see add_to_counter). */
struct inc {
	uint64_t mod;
	u128 mag;
};

/* One period of a pattern from edge state *prev; leaves the state after. */
static struct inc period_inc(const struct vpmu_counter *c,
			     const struct vpmu_span *span, unsigned int n,
			     unsigned int *prev)
{
	struct inc sum = { 0, 0 };
	uint64_t first, steady;

	for (unsigned int i = 0; i < n; i++) {
		u128 inc;

		if (!span[i].times)
			continue;
		tick_incs_from(c, &span[i].tick, *prev, &first, &steady);
		inc = first + (u128)steady * (span[i].times - 1);	/* < 2^97: exact */
		sum.mod += (uint64_t)inc;
		sum.mag = sat_add(sum.mag, inc);
		*prev = cond(c, last_v(c, &span[i].tick));
	}
	return sum;
}

/* Increments of the first period and of every later one. */
static void pattern_incs(const struct vpmu_counter *c,
			 const struct vpmu_span *span, unsigned int n,
			 struct inc *first, struct inc *steady, unsigned int *end)
{
	unsigned int prev = c->prev;

	*first = period_inc(c, span, n, &prev);
	*end = prev;
	*steady = (c->flags & CF_EDGE) ? period_inc(c, span, n, &prev) : *first;
}

#define SPANS_EMPTY	(-1)	/* no span has a tick: no cycle passes */
#define SPANS_MIXED	(-2)	/* ticks at CPL 0 and at CPL > 0 */

/* The CPL class shared by every span that has ticks (spans with
 * times == 0 do not happen, so their CPL does not matter). */
static int span_class(const struct vpmu_span *span, unsigned int n)
{
	int k = SPANS_EMPTY;

	for (unsigned int i = 0; i < n; i++) {
		if (!span[i].times)
			continue;
		if (k == SPANS_EMPTY)
			k = (int)CPL_CLASS(span[i].tick.cpl);
		else if (k != (int)CPL_CLASS(span[i].tick.cpl))
			return SPANS_MIXED;
	}
	return k;
}

uint64_t vpmu_count_pattern(struct vpmu *p, const struct vpmu_span *span,
			    unsigned int n, uint64_t periods)
{
	uint64_t pmi = 0;
	int k = span_class(span, n);

	if (!periods || k == SPANS_EMPTY)
		return 0;
	if (k == SPANS_MIXED) {
		for (uint64_t r = 0; r < periods; r++)
			for (unsigned int i = 0; i < n; i++)
				if (span[i].times)
					pmi |= vpmu_count(p, &span[i].tick, span[i].times);
		return pmi;
	}
	edge_other_cpl(p, (unsigned int)k);
	for (unsigned int j = 0; j < p->nactive[k]; j++) {
		struct vpmu_counter *c = &p->ctr[p->active[k][j]];
		struct inc first, steady;
		unsigned int end;
		u128 mag;

		pattern_incs(c, span, n, &first, &steady, &end);
		mag = sat_add(first.mag, sat_mul(steady.mag, periods - 1));
		if (c->flags & CF_EDGE)
			c->prev = (uint8_t)end;
		if (mag)
			pmi |= add_to_counter(p, c, first.mod + steady.mod * (periods - 1), mag);
	}
	return raise_pmis(p, pmi);
}

uint64_t vpmu_headroom_pattern(const struct vpmu *p,
			       const struct vpmu_span *span, unsigned int n)
{
	uint64_t best = UINT64_MAX;
	int k = span_class(span, n);

	if (k == SPANS_EMPTY)
		return UINT64_MAX;
	if (k == SPANS_MIXED)
		return 0;
	for (unsigned int j = 0; j < p->nactive[k]; j++) {
		const struct vpmu_counter *c = &p->ctr[p->active[k][j]];
		uint64_t room = c->mask - c->value, r;
		struct inc first, steady;
		unsigned int end;

		pattern_incs(c, span, n, &first, &steady, &end);
		if (first.mag > room)
			return 0;
		if (!steady.mag)
			continue;
		/* room < 2^48: a larger steady increment leaves one period */
		r = steady.mag > room ? 1 :
		    1 + (room - (uint64_t)first.mag) / (uint64_t)steady.mag;
		if (r < best)
			best = r;
	}
	return best;
}

uint64_t vpmu_headroom(const struct vpmu *p, const struct vpmu_tick *t)
{
	unsigned int k = CPL_CLASS(t->cpl);
	uint64_t best = UINT64_MAX;

	for (unsigned int j = 0; j < p->nactive[k]; j++) {
		const struct vpmu_counter *c = &p->ctr[p->active[k][j]];
		uint64_t first, steady, room = c->mask - c->value, r;

		tick_incs(c, t, &first, &steady);
		if (first > room)
			return 0;
		if (!steady)
			continue;
		r = 1 + (room - first) / steady;
		if (r < best)
			best = r;
	}
	return best;
}
