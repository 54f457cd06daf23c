// SPDX-License-Identifier: MIT
/*
 * The "none" engine: the guest runs free and nothing is counted.  PMU MSRs,
 * CPUID and RDPMC still behave as the model says; counters only move when
 * the guest writes them.
 */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "engine_ops.h"

const struct engine_ops engine_none = {
	.name = "none",
};

const struct engine_ops *engine_default(void)
{
	return &engine_exact ? &engine_exact : &engine_none;
}

const struct engine_ops *engine_find(const char *name, char *err, size_t len)
{
	if (!strcmp(name, "none"))
		return &engine_none;
	if (!strcmp(name, "exact")) {
		if (&engine_exact)
			return &engine_exact;
		snprintf(err, len, "engine 'exact' is not built yet (valid: none)");
		return NULL;
	}
	snprintf(err, len, "unknown engine '%s' (valid: none%s)", name,
		 &engine_exact ? ", exact" : "");
	return NULL;
}
