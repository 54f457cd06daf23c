/* SPDX-License-Identifier: MIT */
/* The compat-mode snippets of user32.S. */
#ifndef GUEST_USER_SNIPPETS_H
#define GUEST_USER_SNIPPETS_H

#include <stdint.h>

extern char user_rdpmc32[], user_cpuid32[], user_arith32[];
extern volatile uint64_t user_rdpmc_result;
extern volatile uint32_t user_cpuid_result[4];

#endif
