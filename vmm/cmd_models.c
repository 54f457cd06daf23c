// SPDX-License-Identifier: MIT
/* vpmu models: the PMU model presets. */
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "util.h"
#include "vpmu.h"

int cmd_models(int argc, char **argv)
{
	const struct vpmu_model *m;

	if (argc > 1 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		printf("usage: vpmu models\n\nList the PMU model presets "
		       "(names for 'vpmu run --model' and 'vpmu cpuid').\n");
		return 0;
	}
	if (argc > 1)
		die(EXIT_USAGE, "models: unexpected argument '%s'", argv[1]);
	for (unsigned int i = 0; (m = vpmu_model_at(i)); i++)
		printf("%-16s %s\n", m->name, vpmu_model_summary(m));
	return 0;
}
