// SPDX-License-Identifier: MIT
/* vpmu: a KVM VMM with a virtual PMU served from userspace. */
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "util.h"
#include "vpmu.h"

static void usage(FILE *f)
{
	fprintf(f,
		"usage: vpmu <command> [options]\n"
		"\n"
		"commands:\n"
		"  run [options] IMAGE [-- ARGS]  boot a multiboot ELF image with a virtual PMU\n"
		"  models                          list the PMU model presets\n"
		"  cpuid MODEL                     print the PMU CPUID leaves of a model\n"
		"  help                            this text\n"
		"\n"
		"'vpmu COMMAND --help' describes a command; 'vpmu --version' prints the version.\n");
}

const struct vpmu_model *cmd_find_model(const char *name)
{
	const struct vpmu_model *m = vpmu_model_find(name);
	char list[512] = "";
	size_t n = 0;

	if (m)
		return m;
	for (unsigned int i = 0; (m = vpmu_model_at(i)) && n < sizeof(list); i++)
		n += (size_t)snprintf(list + n, sizeof(list) - n, "%s%s", i ? ", " : "",
				      m->name);
	die(EXIT_USAGE, "unknown model '%s' (valid: %s)", name, list);
}

int main(int argc, char **argv)
{
	const char *cmd = argc > 1 ? argv[1] : NULL;

	if (!cmd) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (!strcmp(cmd, "run"))
		return cmd_run(argc - 1, argv + 1);
	if (!strcmp(cmd, "models"))
		return cmd_models(argc - 1, argv + 1);
	if (!strcmp(cmd, "cpuid"))
		return cmd_cpuid(argc - 1, argv + 1);
	if (!strcmp(cmd, "help") || !strcmp(cmd, "--help") || !strcmp(cmd, "-h")) {
		usage(stdout);
		return 0;
	}
	if (!strcmp(cmd, "--version") || !strcmp(cmd, "version")) {
		printf("vpmu %s\n", VPMU_VERSION);
		return 0;
	}
	die(EXIT_USAGE, "unknown command '%s' (see 'vpmu help')", cmd);
}
