/* SPDX-License-Identifier: MIT */
/*
 * `vpmu run --filter SPEC`: the event filter as text.
 *
 *   SPEC  = ACTION ":" ITEM { "," ITEM }
 *   ACTION= "allow" | "deny"
 *   ITEM  = EVENT [ "/" UMASK ]   hex event select (up to 12 bits, AMD's
 *                                 bits 11:8 included) and unit mask
 *         | "fixed=" MASK         fixed counters the action names (hex)
 *
 * e.g. "deny:c4" (no branch counting), "allow:c0,3c,fixed=0x3",
 * "deny:1c2" (AMD event 0x1C2, not 0xC2).  Semantics: libvpmu's filter,
 * i.e. KVM_SET_PMU_EVENT_FILTER's (a filtered counter counts nothing and
 * still reads and writes normally).
 */
#ifndef VMM_FILTER_SPEC_H
#define VMM_FILTER_SPEC_H

#include <stddef.h>

#include "vpmu.h"

/* Parse SPEC into *f; 0, or -1 with a one-line reason in err. */
int filter_spec_parse(const char *spec, struct vpmu_filter *f, char *err,
		      size_t errlen);

#endif
