/* SPDX-License-Identifier: MIT */
/* Subcommands of the vpmu CLI, one per cmd_*.c. */
#ifndef VMM_CMD_H
#define VMM_CMD_H

#define VPMU_VERSION	"0.1.0"

struct vpmu_model;

int cmd_run(int argc, char **argv);
int cmd_models(int argc, char **argv);
int cmd_cpuid(int argc, char **argv);

/* "unknown model 'x' (valid: a, b, ...)" and exit 2 */
const struct vpmu_model *cmd_find_model(const char *name);

#endif
