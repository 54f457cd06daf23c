// SPDX-License-Identifier: MIT
/*
 * Which counted loops may run free: decode the body in full (operands
 * included) with Zydis and check every instruction.
 */
#include "loop.h"

#include <Zydis/Zydis.h>
#include <pthread.h>
#include <string.h>

#include "retire.h"

static ZydisDecoder full[CPU_MODE_NR];
static pthread_once_t full_once = PTHREAD_ONCE_INIT;

static void full_init(void)
{
	static const struct { ZydisMachineMode m; ZydisStackWidth w; } mode[CPU_MODE_NR] = {
		[CPU_MODE_REAL16] = { ZYDIS_MACHINE_MODE_REAL_16, ZYDIS_STACK_WIDTH_16 },
		[CPU_MODE_PROT16] = { ZYDIS_MACHINE_MODE_LEGACY_16, ZYDIS_STACK_WIDTH_16 },
		[CPU_MODE_PROT32] = { ZYDIS_MACHINE_MODE_LEGACY_32, ZYDIS_STACK_WIDTH_32 },
		[CPU_MODE_LONG64] = { ZYDIS_MACHINE_MODE_LONG_64, ZYDIS_STACK_WIDTH_64 },
	};

	for (int i = 0; i < CPU_MODE_NR; i++)
		ZydisDecoderInit(&full[i], mode[i].m, mode[i].w);
}

static bool is_rcx(ZydisRegister r)
{
	return r == ZYDIS_REGISTER_RCX || r == ZYDIS_REGISTER_ECX ||
	       r == ZYDIS_REGISTER_CX || r == ZYDIS_REGISTER_CL ||
	       r == ZYDIS_REGISTER_CH;
}

/* Does the instruction touch RCX in any way (read, write, address)? */
static bool uses_rcx(const ZydisDecodedInstruction *in,
		     const ZydisDecodedOperand *op)
{
	for (unsigned int i = 0; i < in->operand_count; i++) {
		const ZydisDecodedOperand *o = &op[i];

		if (o->type == ZYDIS_OPERAND_TYPE_REGISTER && is_rcx(o->reg.value))
			return true;
		if (o->type == ZYDIS_OPERAND_TYPE_MEMORY &&
		    (is_rcx(o->mem.base) || is_rcx(o->mem.index)))
			return true;
	}
	return false;
}

/* Classes whose retirement is a plain tick and that cannot exit or
 * branch: safe to run free inside a counted loop. */
static bool plain_class(const struct insn *i)
{
	return i->cls == INSN_PLAIN || i->cls == INSN_PAUSE || i->cls == INSN_FENCE;
}

/* Does it write memory (its own code, the IDT, ...) or a segment register? */
static bool writes_state(const ZydisDecodedInstruction *in, const ZydisDecodedOperand *op)
{
	for (unsigned int i = 0; i < in->operand_count; i++) {
		if (!(op[i].actions & ZYDIS_OPERAND_ACTION_MASK_WRITE))
			continue;
		if (op[i].type == ZYDIS_OPERAND_TYPE_MEMORY)
			return true;
		if (op[i].type == ZYDIS_OPERAND_TYPE_REGISTER &&
		    ZydisRegisterGetClass(op[i].reg.value) == ZYDIS_REGCLASS_SEGMENT)
			return true;
	}
	return false;
}

/*
 * Register arithmetic and moves that can fault only on a memory read (a
 * #PF the engine catches on the guest's handler): no privileged or
 * system instruction, no divide (#DE), no change of IF/TF (STI and CLI
 * by name; POPF with the whole POP category, which is not listed).
 */
static bool harmless(const ZydisDecodedInstruction *in)
{
	if (in->attributes & ZYDIS_ATTRIB_IS_PRIVILEGED)
		return false;
	switch (in->mnemonic) {
	case ZYDIS_MNEMONIC_DIV: case ZYDIS_MNEMONIC_IDIV: case ZYDIS_MNEMONIC_AAM:
	case ZYDIS_MNEMONIC_STI: case ZYDIS_MNEMONIC_CLI:
		return false;
	default:
		break;
	}
	switch (in->meta.category) {
	case ZYDIS_CATEGORY_DATAXFER: case ZYDIS_CATEGORY_BINARY:
	case ZYDIS_CATEGORY_LOGICAL: case ZYDIS_CATEGORY_SHIFT:
	case ZYDIS_CATEGORY_ROTATE: case ZYDIS_CATEGORY_BITBYTE:
	case ZYDIS_CATEGORY_CMOV: case ZYDIS_CATEGORY_SETCC:
	case ZYDIS_CATEGORY_CONVERT: case ZYDIS_CATEGORY_FLAGOP:
	case ZYDIS_CATEGORY_NOP: case ZYDIS_CATEGORY_WIDENOP:
		return true;
	case ZYDIS_CATEGORY_MISC:	/* LEA, PAUSE, fences, CLFLUSH; not UD2 */
		return in->mnemonic == ZYDIS_MNEMONIC_LEA || in->mnemonic == ZYDIS_MNEMONIC_PAUSE ||
		       in->mnemonic == ZYDIS_MNEMONIC_LFENCE || in->mnemonic == ZYDIS_MNEMONIC_MFENCE ||
		       in->mnemonic == ZYDIS_MNEMONIC_SFENCE || in->mnemonic == ZYDIS_MNEMONIC_CLFLUSH;
	default:
		return false;
	}
}

bool loop_qualifies(const struct insn *l, uint64_t rip, const uint8_t *code,
		    size_t len, struct loop_shape *shape)
{
	uint64_t head = insn_target(l, rip), at = head;
	size_t off = 0;

	/* the exit breakpoint goes on rip + length: no IP/EIP wrap there */
	if (l->cls != INSN_LOOP || l->cc != INSN_LOOP_ALWAYS || head > rip ||
	    rip - head + l->length != len || l->addr_bits != l->ip_bits ||
	    insn_fallthrough(l, rip) != rip + l->length)
		return false;
	pthread_once(&full_once, full_init);
	shape->head = head;
	shape->body = 0;
	while (at < rip) {
		ZydisDecodedInstruction zi;
		ZydisDecodedOperand op[ZYDIS_MAX_OPERAND_COUNT];
		struct insn i;

		if (shape->body == LOOP_MAX_BODY ||
		    insn_decode(&i, code + off, len - off, l->mode) != INSN_OK ||
		    !plain_class(&i) ||
		    ZYAN_FAILED(ZydisDecoderDecodeFull(&full[l->mode], code + off,
						       len - off, &zi, op)) ||
		    uses_rcx(&zi, op) || writes_state(&zi, op) || !harmless(&zi))
			return false;
		shape->body_rip[shape->body++] = at;
		at += i.length;
		off += i.length;
	}
	return at == rip;
}

unsigned int loop_period_spans(const struct insn *l, unsigned int body,
			       uint8_t cpl, uint32_t cpi, struct vpmu_span s[2])
{
	const struct insn plain = { .cls = INSN_PLAIN, .length = 1 };

	memset(s, 0, 2 * sizeof(s[0]));
	insn_retire_tick_taken(l, true, cpl, cpi, &s[0].tick);
	s[0].times = 1;
	insn_retire_tick_taken(&plain, false, cpl, cpi, &s[1].tick);
	s[1].times = body;
	return body ? 2 : 1;
}
