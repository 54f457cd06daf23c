/* SPDX-License-Identifier: MIT */
/*
 * Save and restore one vCPU's PMU as a versioned, self-checking blob:
 *
 *   "VPMUSNAP" | u32 version | u32 length | model | registers | filter | u32 crc32
 *
 * all little-endian.  A restore checks magic, version, length and CRC,
 * refuses a blob made for another model (listing the differences), and
 * replays every register through the same checks a guest write gets, so
 * a blob can never put the PMU in a state the guest could not reach.
 */
#include <string.h>

#include "internal.h"

#define SNAP_MAGIC	"VPMUSNAP"
#define MODEL_BYTES	(VPMU_NAME_LEN + 4 * 4 + 13 + 3 * 4 + 8)
#define SLOT_BYTES	(8 + 8 + 1)
#define REGS_BYTES	(NR_SLOTS * SLOT_BYTES + 5 * 8)
#define FILTER_BYTES	(1 + 4 * 4 + VPMU_FILTER_MAX * 8)
#define SNAP_BYTES	(8 + 4 + 4 + MODEL_BYTES + REGS_BYTES + FILTER_BYTES + 4)

struct cursor {
	uint8_t *w;
	const uint8_t *r;
	size_t pos;
};

static void put(struct cursor *c, uint64_t v, unsigned int bytes)
{
	for (unsigned int i = 0; i < bytes; i++)
		c->w[c->pos++] = (uint8_t)(v >> (8 * i));
}

static uint64_t get(struct cursor *c, unsigned int bytes)
{
	uint64_t v = 0;

	for (unsigned int i = 0; i < bytes; i++)
		v |= (uint64_t)c->r[c->pos++] << (8 * i);
	return v;
}

static uint32_t crc32(const uint8_t *buf, size_t len)
{
	uint32_t crc = ~0u;

	for (size_t i = 0; i < len; i++) {
		crc ^= buf[i];
		for (int k = 0; k < 8; k++)
			crc = (crc >> 1) ^ (0xedb88320u & -(crc & 1));
	}
	return ~crc;
}

size_t vpmu_snapshot_size(void)
{
	return SNAP_BYTES;
}

#define MODEL_U32(X) X(vendor) X(family) X(model) X(stepping) \
	X(fixed_bitmap) X(events_unavailable) X(native_model_id)
#define MODEL_U8(X) X(version) X(nr_gp) X(gp_width) X(nr_fixed) \
	X(fixed_width) X(events_len) X(anythread_deprecated) X(pdcm) \
	X(freeze_on_pmi) X(rdpmc_fast_low32) X(core_type) \
	X(amd_perfctr_core) X(amd_perfmon_v2)

static void put_model(struct cursor *c, const struct vpmu_model *m)
{
	memcpy(c->w + c->pos, m->name, VPMU_NAME_LEN);
	c->pos += VPMU_NAME_LEN;
#define X(f) put(c, (uint64_t)m->f, 4);
	MODEL_U32(X)
#undef X
#define X(f) put(c, (uint64_t)m->f, 1);
	MODEL_U8(X)
#undef X
	put(c, m->perf_capabilities, 8);
}

static void get_model(struct cursor *c, struct vpmu_model *m)
{
	memset(m, 0, sizeof(*m));
	memcpy(m->name, c->r + c->pos, VPMU_NAME_LEN);
	m->name[VPMU_NAME_LEN - 1] = 0;
	c->pos += VPMU_NAME_LEN;
#define X(f) m->f = (__typeof__(m->f))get(c, 4);
	MODEL_U32(X)
#undef X
#define X(f) m->f = (__typeof__(m->f))get(c, 1);
	MODEL_U8(X)
#undef X
	m->perf_capabilities = get(c, 8);
}

size_t vpmu_save(const struct vpmu *p, void *buf, size_t len)
{
	struct cursor c = { .w = buf };

	if (!buf || len < SNAP_BYTES)
		return 0;
	memcpy(c.w, SNAP_MAGIC, 8);
	c.pos = 8;
	put(&c, VPMU_SNAPSHOT_VERSION, 4);
	put(&c, SNAP_BYTES, 4);
	put_model(&c, &p->model);
	for (unsigned int s = 0; s < NR_SLOTS; s++) {
		put(&c, p->ctr[s].value, 8);
		put(&c, p->ctr[s].config, 8);
		put(&c, p->ctr[s].prev, 1);
	}
	put(&c, p->fixed_ctrl, 8);
	put(&c, p->global_ctrl, 8);
	put(&c, p->global_status, 8);
	put(&c, p->debugctl, 8);
	put(&c, p->pmi_latched, 8);
	put(&c, p->has_filter, 1);
	put(&c, p->filter.action, 4);
	put(&c, p->filter.flags, 4);
	put(&c, p->filter.fixed_bitmap, 4);
	put(&c, p->filter.nevents, 4);
	for (unsigned int i = 0; i < VPMU_FILTER_MAX; i++)
		put(&c, p->filter.events[i], 8);
	put(&c, crc32(c.w, c.pos), 4);
	return c.pos;
}

/* The MSR that programs slot s, for replaying it through the checks. */
static uint32_t config_msr(const struct vpmu *p, unsigned int s)
{
	if (vpmu_is_intel(&p->model))
		return 0x186 + s;
	return p->model.amd_perfctr_core ? 0xc0010200 + 2 * s : 0xc0010000 + s;
}

static int replay(struct vpmu *p, uint32_t msr, uint64_t val, const char *what,
		  char *err, size_t errlen)
{
	uint64_t back = 0;

	if (p->ops->wrmsr(p, msr, val) == VPMU_MSR_OK &&
	    p->ops->rdmsr(p, msr, &back) == VPMU_MSR_OK && back == val)
		return 0;
	vpmu_fmt(err, errlen, "snapshot holds an invalid %s value %#llx", what,
		 (unsigned long long)val);
	return -1;
}

/*
 * GLOBAL_STATUS bits a guest can reach: overflows (none on Intel v1 and
 * pre-PerfMonV2 AMD, which have no status register), plus on Intel v4+
 * whatever STATUS_SET can set, freeze bits included (§5.1, §5.4, §14.4).
 */
static uint64_t status_reachable(const struct vpmu *p)
{
	if (!p->overflow_status)
		return 0;
	if (vpmu_is_intel(&p->model) && p->model.version >= 4)
		return ~p->status_set_rsvd;
	return p->counter_bits;
}

static int restore_regs(struct vpmu *p, struct cursor *c, char *err, size_t errlen)
{
	const struct vpmu_model *m = &p->model;
	uint64_t value[NR_SLOTS], config[NR_SLOTS], regs[5];
	uint8_t prev[NR_SLOTS];

	for (unsigned int s = 0; s < NR_SLOTS; s++) {
		value[s] = get(c, 8);
		config[s] = get(c, 8);
		prev[s] = (uint8_t)get(c, 1);
	}
	for (unsigned int i = 0; i < 5; i++)
		regs[i] = get(c, 8);
	for (unsigned int s = 0; s < VPMU_MAX_GP; s++)
		if (p->ctr[s].exists &&
		    replay(p, config_msr(p, s), config[s], "event selector", err, errlen))
			return -1;
	if (vpmu_is_intel(m) && m->version >= 2 &&
	    (replay(p, 0x38d, regs[0], "FIXED_CTR_CTRL", err, errlen) ||
	     replay(p, 0x38f, regs[1], "GLOBAL_CTRL", err, errlen)))
		return -1;
	if (!vpmu_is_intel(m) && m->amd_perfmon_v2 &&
	    replay(p, 0xc0000301, regs[1], "PerfCntrGlobalCtl", err, errlen))
		return -1;
	if (vpmu_is_intel(m) && replay(p, 0x1d9, regs[3], "DEBUGCTL", err, errlen))
		return -1;
	for (unsigned int s = 0; s < NR_SLOTS; s++) {
		struct vpmu_counter *ctr = &p->ctr[s];

		if ((!ctr->exists && (value[s] || config[s] || prev[s])) ||
		    (value[s] & ~ctr->mask) || prev[s] > 1)
			return vpmu_fmt(err, errlen, "snapshot holds an invalid counter %u", s), -1;
		ctr->value = value[s];
	}
	if ((regs[2] & ~status_reachable(p)) || (regs[4] & ~p->counter_bits))
		return vpmu_fmt(err, errlen, "snapshot holds an invalid status %#llx",
				(unsigned long long)regs[2]), -1;
	p->global_status = regs[2];
	p->pmi_latched = regs[4];
	vpmu_refresh(p);
	for (unsigned int s = 0; s < NR_SLOTS; s++)	/* edge state last */
		p->ctr[s].prev = prev[s];
	return 0;
}

static int restore_filter(struct vpmu *p, struct cursor *c, char *err, size_t errlen)
{
	bool has = get(c, 1);
	struct vpmu_filter tmp;

	tmp.action = (uint32_t)get(c, 4);
	tmp.flags = (uint32_t)get(c, 4);
	tmp.fixed_bitmap = (uint32_t)get(c, 4);
	tmp.nevents = (uint32_t)get(c, 4);
	for (unsigned int i = 0; i < VPMU_FILTER_MAX; i++)
		tmp.events[i] = get(c, 8);
	return vpmu_set_filter(p, has ? &tmp : NULL, err, errlen);
}

int vpmu_restore(struct vpmu *p, const void *buf, size_t len, char *err,
		 size_t errlen)
{
	struct cursor c = { .r = buf, .pos = 8 };
	struct vpmu_model m;
	struct vpmu tmp;
	char diff[512];

	if (!buf || len < SNAP_BYTES)
		return vpmu_fmt(err, errlen, "snapshot is %zu bytes, expected %u", len,
				(unsigned int)SNAP_BYTES), -1;
	if (memcmp(buf, SNAP_MAGIC, 8))
		return vpmu_fmt(err, errlen, "not a vpmu snapshot (bad magic)"), -1;
	if (get(&c, 4) != VPMU_SNAPSHOT_VERSION)
		return vpmu_fmt(err, errlen, "snapshot version %u, this library reads %u",
				(unsigned int)get(&(struct cursor){ .r = buf, .pos = 8 }, 4),
				VPMU_SNAPSHOT_VERSION), -1;
	if (get(&c, 4) != SNAP_BYTES || len != SNAP_BYTES)
		return vpmu_fmt(err, errlen, "snapshot length mismatch"), -1;
	if (crc32(buf, SNAP_BYTES - 4) != get(&(struct cursor){ .r = buf, .pos = SNAP_BYTES - 4 }, 4))
		return vpmu_fmt(err, errlen, "snapshot checksum mismatch (corrupt)"), -1;
	get_model(&c, &m);
	if (vpmu_model_compat(&m, &p->model, diff, sizeof(diff)))
		return vpmu_fmt(err, errlen, "snapshot of model '%s' cannot be restored into '%s': %s",
				m.name, p->model.name, diff), -1;
	tmp = *p;
	vpmu_reset(&tmp);
	if (restore_filter(&tmp, &(struct cursor){ .r = buf, .pos = c.pos + REGS_BYTES },
			   err, errlen) ||
	    restore_regs(&tmp, &c, err, errlen))
		return -1;
	*p = tmp;
	return 0;
}
