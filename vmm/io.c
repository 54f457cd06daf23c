// SPDX-License-Identifier: MIT
/* The port I/O dispatch table, and what happens to unknown ports. */
#include "io.h"

#include <linux/kvm.h>
#include <pthread.h>
#include <string.h>

#include "util.h"
#include "vcpu.h"

#define IO_MAX_RANGES	16

struct io_range {
	uint16_t first, count;
	const struct io_dev *dev;
};

static struct io_range ranges[IO_MAX_RANGES];
static unsigned int nr_ranges;
static pthread_mutex_t io_lock = PTHREAD_MUTEX_INITIALIZER;
static uint8_t warned[65536 / 8];	/* ports already reported */
static unsigned int mmio_warnings;

void io_register(uint16_t first, uint16_t count, const struct io_dev *dev)
{
	if (nr_ranges == IO_MAX_RANGES)
		die(EXIT_VMM, "internal: too many I/O ranges");
	ranges[nr_ranges++] = (struct io_range){ first, count, dev };
}

static const struct io_dev *io_find(uint16_t port)
{
	for (unsigned int i = 0; i < nr_ranges; i++)
		if (port >= ranges[i].first &&
		    port - ranges[i].first < ranges[i].count)
			return ranges[i].dev;
	return NULL;
}

static void io_unknown(uint16_t port, unsigned int size, bool in)
{
	uint8_t bit = (uint8_t)(1u << (port & 7));

	if (warned[port >> 3] & bit)
		return;
	warned[port >> 3] |= bit;
	warnmsg("unhandled IO port 0x%x (%u byte%s, %s)", port, size,
		size == 1 ? "" : "s", in ? "in" : "out");
}

static void io_one(struct vcpu *v, uint16_t port, unsigned int size, bool in,
		   uint8_t *data)
{
	const struct io_dev *dev = io_find(port);
	uint32_t val = 0;

	if (in) {
		val = 0xffffffffu;	/* an undecoded ISA read floats high */
		if (dev && dev->in)
			dev->in(v, port, size, &val);
		else
			io_unknown(port, size, true);
		memcpy(data, &val, size);
	} else {
		memcpy(&val, data, size);
		if (dev && dev->out)
			dev->out(v, port, size, val);
		else
			io_unknown(port, size, false);
	}
}

void io_exit(struct vcpu *v)
{
	struct kvm_run *run = v->run;
	uint8_t *data = (uint8_t *)run + run->io.data_offset;
	unsigned int size = run->io.size;
	bool in = run->io.direction == KVM_EXIT_IO_IN;

	v->stats.io_exits++;
	if (size != 1 && size != 2 && size != 4)
		return;
	pthread_mutex_lock(&io_lock);
	/* string I/O (INS/OUTS) hands over `count` items in a row */
	for (uint32_t i = 0; i < run->io.count; i++)
		io_one(v, run->io.port, size, in, data + (size_t)i * size);
	pthread_mutex_unlock(&io_lock);
}

void mmio_exit(struct vcpu *v)
{
	struct kvm_run *run = v->run;

	v->stats.io_exits++;
	if (!run->mmio.is_write)
		memset(run->mmio.data, 0xff, sizeof(run->mmio.data));
	pthread_mutex_lock(&io_lock);
	if (mmio_warnings < 8)
		warnmsg("unhandled MMIO 0x%llx (%u byte%s, %s)%s",
			(unsigned long long)run->mmio.phys_addr, run->mmio.len,
			run->mmio.len == 1 ? "" : "s",
			run->mmio.is_write ? "write" : "read",
			++mmio_warnings == 8 ? "; further MMIO warnings suppressed" : "");
	pthread_mutex_unlock(&io_lock);
}
