/* SPDX-License-Identifier: MIT */
/*
 * Instruction decoding for the exact counting engine (pure, no KVM).
 *
 * insn_decode() turns the bytes at the guest's RIP into a compact
 * `struct insn`: its length, a class (what kind of control transfer or
 * host quirk it is), the relative target of direct near branches and what
 * a conditional branch tests.  That is all the engine needs to turn one
 * retired instruction into PMU events (retire.h) and to step it correctly
 * on this host (quirks.h).  Rules: docs/engine-events.md.
 *
 * It is on the per-instruction hot path: one Zydis decoder per CPU mode,
 * initialised once, used in Zydis' minimal mode (no operand decoding), and
 * a table from Zydis mnemonic to class.  struct insn is 12 bytes so that a
 * basic-block cache can keep it per instruction.
 *
 * Addresses are RIP values as KVM reports them (offsets in CS, not linear
 * addresses): in 16-bit code they wrap at 64 KiB, in 32-bit code at 4 GiB.
 */
#ifndef ENGINE_DECODE_H
#define ENGINE_DECODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * How the CPU decodes instructions.  Compatibility mode decodes like
 * protected mode of the same code size (prot32 / prot16); virtual-8086
 * mode like real mode.  cpu_mode_of() derives it from the control and
 * segment registers.
 */
enum cpu_mode {
	CPU_MODE_REAL16,	/* CR0.PE = 0 (or EFLAGS.VM = 1) */
	CPU_MODE_PROT16,	/* CS.D = 0: 16-bit protected or compat mode */
	CPU_MODE_PROT32,	/* CS.D = 1: 32-bit protected or compat mode */
	CPU_MODE_LONG64,	/* EFER.LMA = 1 and CS.L = 1 */
	CPU_MODE_NR
};

/*
 * Instruction classes: every retired instruction is exactly one.  The
 * order is part of no ABI; use the names.
 */
enum insn_class {
	INSN_PLAIN = 0,		/* no control transfer, no host quirk */
	INSN_JCC,		/* Jcc rel8/rel32 (conditional) */
	INSN_JRCXZ,		/* JCXZ / JECXZ / JRCXZ (conditional) */
	INSN_LOOP,		/* LOOP / LOOPE / LOOPNE (conditional) */
	INSN_JMP,		/* near JMP rel (direct) */
	INSN_JMP_IND,		/* near JMP r/m (indirect) */
	INSN_CALL,		/* near CALL rel (direct) */
	INSN_CALL_IND,		/* near CALL r/m (indirect) */
	INSN_RET,		/* near RET, RET imm16 */
	INSN_FAR_JMP,		/* JMP ptr16:x, JMP m16:x */
	INSN_FAR_CALL,		/* CALL ptr16:x, CALL m16:x */
	INSN_FAR_RET,		/* RETF, RETF imm16 */
	INSN_IRET,		/* IRET / IRETD / IRETQ */
	INSN_SYS,		/* SYSCALL / SYSRET / SYSENTER / SYSEXIT */
	INSN_INT,		/* INT n / INT3 / INT1 (ICEBP) / INTO */
	INSN_RDPMC,
	INSN_RDMSR,
	INSN_WRMSR,
	INSN_HLT,
	INSN_FENCE,		/* MFENCE / LFENCE / SFENCE */
	INSN_OUT,		/* OUT, OUTS (REP OUTS: flag INSN_F_REP) */
	INSN_IN,		/* IN, INS (REP INS: flag INSN_F_REP) */
	INSN_REP_STRING,	/* REP/REPE/REPNE MOVS/STOS/LODS/CMPS/SCAS */
	INSN_CPUID,
	INSN_PAUSE,
	INSN_UD,		/* UD0 / UD1 / UD2: always raises #UD */
	INSN_HYPERCALL,		/* VMCALL / VMMCALL */
	INSN_OTHER,		/* a control transfer this table does not model
				 * (XBEGIN, RSM, VMRUN, ...): counted as a
				 * plain instruction, worth logging */
	INSN_CLASS_NR
};

/* struct insn.flags */
#define INSN_F_COND	(1u << 0)	/* conditional branch (JCC, JRCXZ, LOOP) */
#define INSN_F_REL	(1u << 1)	/* direct near branch: target_rel valid */
#define INSN_F_REP	(1u << 2)	/* string instruction with REP/REPE/REPNE */

/* struct insn.cc for INSN_LOOP */
#define INSN_LOOP_ALWAYS	0	/* LOOP */
#define INSN_LOOP_E		1	/* LOOPE / LOOPZ */
#define INSN_LOOP_NE		2	/* LOOPNE / LOOPNZ */

struct insn {
	uint8_t length;		/* 1..15 bytes */
	uint8_t cls;		/* enum insn_class */
	uint8_t flags;		/* INSN_F_* */
	uint8_t cc;		/* JCC: condition (opcode & 0xf); LOOP: INSN_LOOP_* */
	uint8_t ip_bits;	/* 16/32/64: width of the instruction pointer */
	uint8_t op_bits;	/* operand size: a near target wraps at this width */
	uint8_t addr_bits;	/* address size: CX/ECX/RCX for LOOP and JrCXZ */
	uint8_t mode;		/* enum cpu_mode it was decoded in */
	int32_t target_rel;	/* INSN_F_REL: target = fallthrough + target_rel */
};

/* insn_decode() results */
#define INSN_OK		0
#define INSN_EINVAL	(-1)	/* not a valid instruction: the CPU raises #UD */
#define INSN_ESHORT	(-2)	/* `len` bytes end inside the instruction */
#define INSN_EMODE	(-3)	/* mode out of range */

/*
 * Set up the per-mode decoders.  Idempotent and thread-safe (insn_decode
 * calls it on first use); call it early to keep that cost off the first
 * step.  0, or -1 if Zydis refused (never seen).
 */
int insn_decoder_init(void);

/*
 * Decode the instruction at bytes[0..len) (give up to 15 bytes; fewer near
 * the end of readable guest memory).  INSN_OK and *out filled, or one of
 * the INSN_E* codes with *out untouched.
 */
int insn_decode(struct insn *out, const uint8_t *bytes, size_t len,
		enum cpu_mode mode);

/* The mode a vCPU decodes in, from CR0.PE, EFLAGS.VM, EFER.LMA, CS.L, CS.D. */
enum cpu_mode cpu_mode_of(bool cr0_pe, bool eflags_vm, bool efer_lma,
			  bool cs_l, bool cs_db);

const char *insn_class_name(unsigned int cls);

/* rip + length, wrapped to the instruction pointer's width. */
uint64_t insn_fallthrough(const struct insn *i, uint64_t rip);

/*
 * The target of a direct near branch (INSN_F_REL) at `rip`: fallthrough +
 * target_rel, wrapped to the operand size (SDM JMP/Jcc/CALL: "IF
 * OperandSize = 16 THEN EIP <- tempEIP AND 0000FFFFH").  For any other
 * instruction: the fallthrough.
 */
uint64_t insn_target(const struct insn *i, uint64_t rip);

/*
 * Would the conditional branch `i` (INSN_F_COND) be taken, given RFLAGS
 * and RCX *before* it executes?  Lets the engine resolve a branch without
 * stepping it, and tells a taken from a not-taken branch when target ==
 * fallthrough (`75 00`), which RIPs alone cannot.  false for anything that
 * is not a conditional branch.
 */
bool insn_cond_taken(const struct insn *i, uint64_t rflags, uint64_t rcx);

static inline bool insn_is_cond(const struct insn *i)
{
	return i->flags & INSN_F_COND;
}

#endif /* ENGINE_DECODE_H */
