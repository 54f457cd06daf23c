/* SPDX-License-Identifier: MIT */
/*
 * Event filter, with KVM_SET_PMU_EVENT_FILTER's semantics: allow or deny
 * lists of event select + unit mask (AMD's select bits 35:32 included),
 * masked entries with include/exclude, and a fixed-counter bitmap that
 * alone decides for fixed counters.  Beyond KVM, plain entries may also
 * be required to match EDGE, INV and CMASK.  A filtered counter counts
 * nothing; the guest still reads and writes it.
 */
#include <string.h>

#include "internal.h"

#define ENTRY_SELECT	(SEL_EVENT | SEL_AMD_EVENT_HI)
#define ENTRY_MODIFIERS	(SEL_EDGE | SEL_INV | SEL_CMASK)
#define MASKED_MATCH	GENMASK(15, 8)
#define MASKED_MASK	GENMASK(63, 56)
#define MASKED_VALID	(ENTRY_SELECT | MASKED_MATCH | MASKED_MASK | VPMU_FILTER_EXCLUDE)

uint64_t vpmu_filter_masked_entry(uint32_t select, uint8_t mask, uint8_t match,
				  bool exclude)
{
	return (select & 0xff) | ((uint64_t)(select & 0xf00) << 24) |
	       ((uint64_t)match << 8) | ((uint64_t)mask << 56) |
	       (exclude ? VPMU_FILTER_EXCLUDE : 0);
}

static bool plain_match(const struct vpmu_filter *f, uint64_t config)
{
	uint64_t keep = ENTRY_SELECT | SEL_UMASK;

	if (f->flags & VPMU_FILTER_MATCH_MODIFIERS)
		keep |= ENTRY_MODIFIERS;
	for (uint32_t i = 0; i < f->nevents; i++)
		if ((f->events[i] & keep) == (config & keep))
			return true;
	return false;
}

/* In the list: matches an include entry and no exclude entry. */
static bool masked_match(const struct vpmu_filter *f, uint64_t config)
{
	uint8_t umask = (config & SEL_UMASK) >> 8;
	bool inc = false;

	for (uint32_t i = 0; i < f->nevents; i++) {
		uint64_t e = f->events[i];
		uint8_t mask = e >> 56, match = (e & MASKED_MATCH) >> 8;

		if ((e & ENTRY_SELECT) != (config & ENTRY_SELECT) ||
		    (umask & mask) != match)
			continue;
		if (e & VPMU_FILTER_EXCLUDE)
			return false;
		inc = true;
	}
	return inc;
}

bool vpmu_filter_allows(const struct vpmu *p, unsigned int slot, uint64_t config)
{
	const struct vpmu_filter *f = &p->filter;
	bool listed;

	if (!p->has_filter)
		return true;
	if (slot >= VPMU_MAX_GP)
		listed = f->fixed_bitmap & BIT(slot - VPMU_MAX_GP);
	else if (f->flags & VPMU_FILTER_MASKED)
		listed = masked_match(f, config);
	else
		listed = plain_match(f, config);
	return f->action == VPMU_FILTER_ALLOW ? listed : !listed;
}

int vpmu_set_filter(struct vpmu *p, const struct vpmu_filter *f, char *err,
		    size_t errlen)
{
	const uint32_t flags_ok = VPMU_FILTER_MASKED | VPMU_FILTER_MATCH_MODIFIERS;

	if (!f) {
		/* forget the old entries too: a removed filter must not show
		 * up in a snapshot (save -> restore -> save is the identity) */
		memset(&p->filter, 0, sizeof(p->filter));
		p->has_filter = false;
		vpmu_refresh(p);
		return 0;
	}
	if (f->action != VPMU_FILTER_ALLOW && f->action != VPMU_FILTER_DENY)
		return vpmu_fmt(err, errlen, "filter action %u is neither allow (0) nor deny (1)",
				f->action), -1;
	if (f->flags & ~flags_ok)
		return vpmu_fmt(err, errlen, "unknown filter flags %#x", f->flags & ~flags_ok), -1;
	if ((f->flags & VPMU_FILTER_MASKED) && (f->flags & VPMU_FILTER_MATCH_MODIFIERS))
		return vpmu_fmt(err, errlen, "masked entries cannot match modifiers"), -1;
	if (f->nevents > VPMU_FILTER_MAX)
		return vpmu_fmt(err, errlen, "%u filter entries, at most %u",
				f->nevents, VPMU_FILTER_MAX), -1;
	for (uint32_t i = 0; (f->flags & VPMU_FILTER_MASKED) && i < f->nevents; i++)
		if (f->events[i] & ~MASKED_VALID)
			return vpmu_fmt(err, errlen, "masked entry %u has invalid bits %#llx",
					i, (unsigned long long)(f->events[i] & ~MASKED_VALID)), -1;
	memset(&p->filter, 0, sizeof(p->filter));
	p->filter.action = f->action;
	p->filter.flags = f->flags;
	p->filter.fixed_bitmap = f->fixed_bitmap;
	p->filter.nevents = f->nevents;
	memcpy(p->filter.events, f->events, f->nevents * sizeof(f->events[0]));
	p->has_filter = true;
	vpmu_refresh(p);
	return 0;
}
