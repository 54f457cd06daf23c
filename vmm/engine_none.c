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
	return &engine_exact;
}

const struct engine_ops *engine_find(const char *name, char *err, size_t len)
{
	if (!strcmp(name, "none"))
		return &engine_none;
	if (!strcmp(name, "exact"))
		return &engine_exact;
	snprintf(err, len, "unknown engine '%s' (valid: none, exact)", name);
	return NULL;
}
