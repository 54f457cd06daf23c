/* SPDX-License-Identifier: MIT */
/* Host-side summary of what the guest's counters counted (never seen by
 * the guest): a perf-stat-like table on stderr and --json FILE. */
#ifndef VMM_SUMMARY_H
#define VMM_SUMMARY_H

#include <stddef.h>
#include <stdint.h>

#include "vpmu.h"

struct vm;

/* Event name for a GP selector / fixed counter under `model`, into buf. */
void summary_event_name(const struct vpmu_model *model, int fixed,
			unsigned int index, uint64_t config, char *buf,
			size_t len);
/* Print the table (unless --quiet) and write --json; 0 or -1. */
int summary_report(struct vm *vm);

#endif
