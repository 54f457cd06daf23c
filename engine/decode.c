/* SPDX-License-Identifier: MIT */
/*
 * Instruction decoding for the exact counting engine: Zydis in minimal
 * mode plus a mnemonic -> class table.  See decode.h and
 * docs/engine-events.md.
 */
#include "decode.h"

#include <pthread.h>
#include <stdatomic.h>
#include <Zydis/Zydis.h>

/* ------------------------------------------------------------------ */
/* Decoders: one per mode, written once, then only read                */
/* ------------------------------------------------------------------ */

static ZydisDecoder decoders[CPU_MODE_NR];
static atomic_bool decoders_ready;
static pthread_once_t decoders_once = PTHREAD_ONCE_INIT;
static int decoders_status;

static const struct {
	ZydisMachineMode machine;
	ZydisStackWidth stack;
	uint8_t ip_bits;
} mode_info[CPU_MODE_NR] = {
	[CPU_MODE_REAL16] = { ZYDIS_MACHINE_MODE_REAL_16, ZYDIS_STACK_WIDTH_16, 16 },
	[CPU_MODE_PROT16] = { ZYDIS_MACHINE_MODE_LEGACY_16, ZYDIS_STACK_WIDTH_16, 16 },
	[CPU_MODE_PROT32] = { ZYDIS_MACHINE_MODE_LEGACY_32, ZYDIS_STACK_WIDTH_32, 32 },
	[CPU_MODE_LONG64] = { ZYDIS_MACHINE_MODE_LONG_64, ZYDIS_STACK_WIDTH_64, 64 },
};

static void decoders_setup(void)
{
	for (unsigned int m = 0; m < CPU_MODE_NR; m++) {
		ZydisDecoder *d = &decoders[m];

		/*
		 * Minimal mode: mnemonic, length, operand/address size,
		 * category, branch type and the raw immediates/prefixes are
		 * all we read; skipping operand decoding is most of the cost.
		 * Branches keep Zydis' default (Intel) rule that 66h does not
		 * shrink a near branch in 64-bit mode.
		 */
		if (!ZYAN_SUCCESS(ZydisDecoderInit(d, mode_info[m].machine,
						   mode_info[m].stack)) ||
		    !ZYAN_SUCCESS(ZydisDecoderEnableMode(d,
				ZYDIS_DECODER_MODE_MINIMAL, ZYAN_TRUE))) {
			decoders_status = -1;
			return;
		}
	}
	atomic_store_explicit(&decoders_ready, true, memory_order_release);
}

int insn_decoder_init(void)
{
	pthread_once(&decoders_once, decoders_setup);
	return decoders_status;
}

/* ------------------------------------------------------------------ */
/* Classification                                                      */
/* ------------------------------------------------------------------ */

/*
 * Mnemonic -> class.  Unlisted mnemonics are INSN_PLAIN (0).  JMP, CALL
 * and RET are refined into near/far, direct/indirect by the branch type;
 * string instructions are found by category (the SSE MOVSD/CMPSD share
 * the string mnemonics).
 */
static const uint8_t mnemonic_class[ZYDIS_MNEMONIC_MAX_VALUE + 1] = {
	[ZYDIS_MNEMONIC_JO] = INSN_JCC,   [ZYDIS_MNEMONIC_JNO] = INSN_JCC,
	[ZYDIS_MNEMONIC_JB] = INSN_JCC,   [ZYDIS_MNEMONIC_JNB] = INSN_JCC,
	[ZYDIS_MNEMONIC_JZ] = INSN_JCC,   [ZYDIS_MNEMONIC_JNZ] = INSN_JCC,
	[ZYDIS_MNEMONIC_JBE] = INSN_JCC,  [ZYDIS_MNEMONIC_JNBE] = INSN_JCC,
	[ZYDIS_MNEMONIC_JS] = INSN_JCC,   [ZYDIS_MNEMONIC_JNS] = INSN_JCC,
	[ZYDIS_MNEMONIC_JP] = INSN_JCC,   [ZYDIS_MNEMONIC_JNP] = INSN_JCC,
	[ZYDIS_MNEMONIC_JL] = INSN_JCC,   [ZYDIS_MNEMONIC_JNL] = INSN_JCC,
	[ZYDIS_MNEMONIC_JLE] = INSN_JCC,  [ZYDIS_MNEMONIC_JNLE] = INSN_JCC,
	[ZYDIS_MNEMONIC_JCXZ] = INSN_JRCXZ,
	[ZYDIS_MNEMONIC_JECXZ] = INSN_JRCXZ,
	[ZYDIS_MNEMONIC_JRCXZ] = INSN_JRCXZ,
	[ZYDIS_MNEMONIC_LOOP] = INSN_LOOP,
	[ZYDIS_MNEMONIC_LOOPE] = INSN_LOOP,
	[ZYDIS_MNEMONIC_LOOPNE] = INSN_LOOP,
	[ZYDIS_MNEMONIC_JMP] = INSN_JMP,
	[ZYDIS_MNEMONIC_CALL] = INSN_CALL,
	[ZYDIS_MNEMONIC_RET] = INSN_RET,
	[ZYDIS_MNEMONIC_IRET] = INSN_IRET,
	[ZYDIS_MNEMONIC_IRETD] = INSN_IRET,
	[ZYDIS_MNEMONIC_IRETQ] = INSN_IRET,
	[ZYDIS_MNEMONIC_SYSCALL] = INSN_SYS,
	[ZYDIS_MNEMONIC_SYSRET] = INSN_SYS,
	[ZYDIS_MNEMONIC_SYSENTER] = INSN_SYS,
	[ZYDIS_MNEMONIC_SYSEXIT] = INSN_SYS,
	[ZYDIS_MNEMONIC_INT] = INSN_INT,
	[ZYDIS_MNEMONIC_INT1] = INSN_INT,
	[ZYDIS_MNEMONIC_INT3] = INSN_INT,
	[ZYDIS_MNEMONIC_INTO] = INSN_INT,
	[ZYDIS_MNEMONIC_RDPMC] = INSN_RDPMC,
	[ZYDIS_MNEMONIC_RDMSR] = INSN_RDMSR,
	[ZYDIS_MNEMONIC_WRMSR] = INSN_WRMSR,
	[ZYDIS_MNEMONIC_HLT] = INSN_HLT,
	[ZYDIS_MNEMONIC_MFENCE] = INSN_FENCE,
	[ZYDIS_MNEMONIC_LFENCE] = INSN_FENCE,
	[ZYDIS_MNEMONIC_SFENCE] = INSN_FENCE,
	[ZYDIS_MNEMONIC_OUT] = INSN_OUT,
	[ZYDIS_MNEMONIC_OUTSB] = INSN_OUT,
	[ZYDIS_MNEMONIC_OUTSW] = INSN_OUT,
	[ZYDIS_MNEMONIC_OUTSD] = INSN_OUT,
	[ZYDIS_MNEMONIC_IN] = INSN_IN,
	[ZYDIS_MNEMONIC_INSB] = INSN_IN,
	[ZYDIS_MNEMONIC_INSW] = INSN_IN,
	[ZYDIS_MNEMONIC_INSD] = INSN_IN,
	[ZYDIS_MNEMONIC_CPUID] = INSN_CPUID,
	[ZYDIS_MNEMONIC_PAUSE] = INSN_PAUSE,
	[ZYDIS_MNEMONIC_UD0] = INSN_UD,
	[ZYDIS_MNEMONIC_UD1] = INSN_UD,
	[ZYDIS_MNEMONIC_UD2] = INSN_UD,
	[ZYDIS_MNEMONIC_VMCALL] = INSN_HYPERCALL,
	[ZYDIS_MNEMONIC_VMMCALL] = INSN_HYPERCALL,
};

static const char *const class_names[INSN_CLASS_NR] = {
	[INSN_PLAIN] = "plain",		[INSN_JCC] = "jcc",
	[INSN_JRCXZ] = "jrcxz",		[INSN_LOOP] = "loop",
	[INSN_JMP] = "jmp",		[INSN_JMP_IND] = "jmp-indirect",
	[INSN_CALL] = "call",		[INSN_CALL_IND] = "call-indirect",
	[INSN_RET] = "ret",		[INSN_FAR_JMP] = "far-jmp",
	[INSN_FAR_CALL] = "far-call",	[INSN_FAR_RET] = "far-ret",
	[INSN_IRET] = "iret",		[INSN_SYS] = "sys",
	[INSN_INT] = "int",		[INSN_RDPMC] = "rdpmc",
	[INSN_RDMSR] = "rdmsr",		[INSN_WRMSR] = "wrmsr",
	[INSN_HLT] = "hlt",		[INSN_FENCE] = "fence",
	[INSN_OUT] = "out",		[INSN_IN] = "in",
	[INSN_REP_STRING] = "rep-string", [INSN_CPUID] = "cpuid",
	[INSN_PAUSE] = "pause",		[INSN_UD] = "ud",
	[INSN_HYPERCALL] = "hypercall",
	[INSN_OTHER] = "other",
};

const char *insn_class_name(unsigned int cls)
{
	return cls < INSN_CLASS_NR ? class_names[cls] : "?";
}

/* An F2/F3 prefix the CPU applies (Zydis marks the ignored ones). */
static bool has_rep(const ZydisDecodedInstruction *zi)
{
	for (unsigned int p = 0; p < zi->raw.prefix_count; p++) {
		uint8_t v = zi->raw.prefixes[p].value;

		if ((v == 0xf2 || v == 0xf3) &&
		    zi->raw.prefixes[p].type != ZYDIS_PREFIX_TYPE_IGNORED)
			return true;
	}
	return false;
}

/* JMP / CALL: far by branch type, else direct if the immediate is relative. */
static uint8_t near_or_far(const ZydisDecodedInstruction *zi, uint8_t direct,
			   uint8_t indirect, uint8_t far)
{
	if (zi->meta.branch_type == ZYDIS_BRANCH_TYPE_FAR)
		return far;
	return zi->raw.imm[0].is_relative ? direct : indirect;
}

static bool is_control_category(ZydisInstructionCategory c)
{
	return c == ZYDIS_CATEGORY_COND_BR || c == ZYDIS_CATEGORY_UNCOND_BR ||
	       c == ZYDIS_CATEGORY_CALL || c == ZYDIS_CATEGORY_RET ||
	       c == ZYDIS_CATEGORY_SYSCALL || c == ZYDIS_CATEGORY_SYSRET ||
	       c == ZYDIS_CATEGORY_INTERRUPT;
}

/* Unlisted mnemonics: REP string, an unmodelled transfer, or plain. */
static uint8_t classify_unlisted(const ZydisDecodedInstruction *zi,
				 uint8_t *flags)
{
	if (zi->meta.category == ZYDIS_CATEGORY_STRINGOP) {
		if (!has_rep(zi))
			return INSN_PLAIN;
		*flags |= INSN_F_REP;
		return INSN_REP_STRING;
	}
	if (zi->meta.branch_type != ZYDIS_BRANCH_TYPE_NONE ||
	    is_control_category(zi->meta.category))
		return INSN_OTHER;
	return INSN_PLAIN;
}

static uint8_t classify(const ZydisDecodedInstruction *zi, uint8_t *flags)
{
	uint8_t cls = mnemonic_class[zi->mnemonic];

	switch (cls) {
	case INSN_PLAIN:
		return classify_unlisted(zi, flags);
	case INSN_JMP:
		return near_or_far(zi, INSN_JMP, INSN_JMP_IND, INSN_FAR_JMP);
	case INSN_CALL:
		return near_or_far(zi, INSN_CALL, INSN_CALL_IND, INSN_FAR_CALL);
	case INSN_RET:
		return zi->meta.branch_type == ZYDIS_BRANCH_TYPE_FAR ?
		       INSN_FAR_RET : INSN_RET;
	case INSN_JCC: case INSN_JRCXZ: case INSN_LOOP:
		*flags |= INSN_F_COND;
		return cls;
	case INSN_IN: case INSN_OUT:
		/* REP INS/OUTS keep their I/O class (quirk 12 applies) */
		if (zi->meta.category == ZYDIS_CATEGORY_IOSTRINGOP &&
		    has_rep(zi))
			*flags |= INSN_F_REP;
		return cls;
	default:
		return cls;
	}
}

/* JCC: the condition is the low nibble of 7x / 0F 8x (SDM Jcc table). */
static uint8_t cond_code(const ZydisDecodedInstruction *zi, uint8_t cls)
{
	if (cls == INSN_JCC)
		return zi->opcode & 0xf;
	if (cls != INSN_LOOP)
		return 0;
	if (zi->mnemonic == ZYDIS_MNEMONIC_LOOPE)
		return INSN_LOOP_E;
	return zi->mnemonic == ZYDIS_MNEMONIC_LOOPNE ? INSN_LOOP_NE
						     : INSN_LOOP_ALWAYS;
}

static int decode_status(ZyanStatus s)
{
	return s == ZYDIS_STATUS_NO_MORE_DATA ? INSN_ESHORT : INSN_EINVAL;
}

int insn_decode(struct insn *out, const uint8_t *bytes, size_t len,
		enum cpu_mode mode)
{
	ZydisDecodedInstruction zi;
	ZydisDecoderContext ctx;
	ZyanStatus s;
	uint8_t flags = 0, cls;

	if ((unsigned int)mode >= CPU_MODE_NR)
		return INSN_EMODE;
	if (!atomic_load_explicit(&decoders_ready, memory_order_acquire) &&
	    insn_decoder_init() != 0)
		return INSN_EINVAL;
	s = ZydisDecoderDecodeInstruction(&decoders[mode], &ctx, bytes, len,
					  &zi);
	if (!ZYAN_SUCCESS(s))
		return decode_status(s);

	cls = classify(&zi, &flags);
	if (zi.raw.imm[0].is_relative &&
	    (cls == INSN_JCC || cls == INSN_JRCXZ || cls == INSN_LOOP ||
	     cls == INSN_JMP || cls == INSN_CALL))
		flags |= INSN_F_REL;

	*out = (struct insn){
		.length = zi.length,
		.cls = cls,
		.flags = flags,
		.cc = cond_code(&zi, cls),
		.ip_bits = mode_info[mode].ip_bits,
		.op_bits = zi.operand_width,
		.addr_bits = zi.address_width,
		.mode = (uint8_t)mode,
		.target_rel = (flags & INSN_F_REL) ?
			      (int32_t)zi.raw.imm[0].value.s : 0,
	};
	return INSN_OK;
}

/* ------------------------------------------------------------------ */
/* Modes, targets, conditions                                          */
/* ------------------------------------------------------------------ */

enum cpu_mode cpu_mode_of(bool cr0_pe, bool eflags_vm, bool efer_lma,
			  bool cs_l, bool cs_db)
{
	if (efer_lma && cs_l)
		return CPU_MODE_LONG64;		/* 64-bit mode: CS.L wins */
	if (!cr0_pe || (eflags_vm && !efer_lma))
		return CPU_MODE_REAL16;		/* real or virtual-8086 */
	return cs_db ? CPU_MODE_PROT32 : CPU_MODE_PROT16;
}

static uint64_t width_mask(unsigned int bits)
{
	return bits >= 64 ? UINT64_MAX : (UINT64_C(1) << bits) - 1;
}

uint64_t insn_fallthrough(const struct insn *i, uint64_t rip)
{
	return (rip + i->length) & width_mask(i->ip_bits);
}

uint64_t insn_target(const struct insn *i, uint64_t rip)
{
	uint64_t next = insn_fallthrough(i, rip);

	if (!(i->flags & INSN_F_REL))
		return next;
	return (next + (uint64_t)(int64_t)i->target_rel) &
	       width_mask(i->op_bits);
}

#define RFLAGS_CF	(1u << 0)
#define RFLAGS_PF	(1u << 2)
#define RFLAGS_ZF	(1u << 6)
#define RFLAGS_SF	(1u << 7)
#define RFLAGS_OF	(1u << 11)

/* SDM "Jcc": even codes test a condition, odd ones its negation. */
static bool jcc_taken(unsigned int cc, uint64_t f)
{
	bool cf = f & RFLAGS_CF, zf = f & RFLAGS_ZF, sf = f & RFLAGS_SF;
	bool of = f & RFLAGS_OF, pf = f & RFLAGS_PF;
	bool t;

	switch (cc >> 1) {
	case 0: t = of; break;			/* JO  / JNO */
	case 1: t = cf; break;			/* JB  / JAE */
	case 2: t = zf; break;			/* JE  / JNE */
	case 3: t = cf || zf; break;		/* JBE / JA  */
	case 4: t = sf; break;			/* JS  / JNS */
	case 5: t = pf; break;			/* JP  / JNP */
	case 6: t = sf != of; break;		/* JL  / JGE */
	default: t = zf || sf != of; break;	/* JLE / JG  */
	}
	return (cc & 1) ? !t : t;
}

/* LOOPcc decrements rCX (by address size) first, then tests it and ZF. */
static bool loop_taken(const struct insn *i, uint64_t rflags, uint64_t rcx)
{
	bool count_left = ((rcx - 1) & width_mask(i->addr_bits)) != 0;

	if (i->cc == INSN_LOOP_E)
		return count_left && (rflags & RFLAGS_ZF);
	if (i->cc == INSN_LOOP_NE)
		return count_left && !(rflags & RFLAGS_ZF);
	return count_left;
}

bool insn_cond_taken(const struct insn *i, uint64_t rflags, uint64_t rcx)
{
	switch (i->cls) {
	case INSN_JCC:
		return jcc_taken(i->cc, rflags);
	case INSN_JRCXZ:
		return (rcx & width_mask(i->addr_bits)) == 0;
	case INSN_LOOP:
		return loop_taken(i, rflags, rcx);
	default:
		return false;
	}
}
