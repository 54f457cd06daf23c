// SPDX-License-Identifier: MIT
/* Parsing `--filter` (see filter_spec.h). */
#include "filter_spec.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

/* Hex digits only (no sign, space or 0x: strtoull would take them). */
static int parse_hex(const char *s, size_t len, uint64_t max, uint64_t *out)
{
	uint64_t v = 0;

	if (!len || len > 16)
		return -1;
	for (size_t i = 0; i < len; i++) {
		if (!isxdigit((unsigned char)s[i]))
			return -1;
		v = v << 4 | (uint64_t)(isdigit((unsigned char)s[i]) ? s[i] - '0' :
					 (s[i] | 0x20) - 'a' + 10);
	}
	if (v > max)
		return -1;
	*out = v;
	return 0;
}

/* EVENT[/UMASK] -> select 7:0 | umask 15:8 | select 11:8 at 35:32 */
static int parse_event(const char *s, size_t len, uint64_t *entry)
{
	const char *slash = memchr(s, '/', len);
	uint64_t ev, um = 0;

	if (parse_hex(s, slash ? (size_t)(slash - s) : len, 0xfff, &ev) ||
	    (slash && parse_hex(slash + 1, len - (size_t)(slash + 1 - s), 0xff, &um)))
		return -1;
	*entry = (ev & 0xff) | um << 8 | (ev >> 8) << 32;
	return 0;
}

static int parse_item(const char *s, size_t len, struct vpmu_filter *f,
		      char *err, size_t errlen)
{
	uint64_t v;

	if (len > 6 && !strncmp(s, "fixed=", 6)) {
		const char *m = s + 6;
		size_t n = len - 6;

		if (n > 2 && m[0] == '0' && (m[1] | 0x20) == 'x')
			m += 2, n -= 2;
		if (parse_hex(m, n, 0xffffffff, &v))
			goto bad;
		f->fixed_bitmap = (uint32_t)v;
		return 0;
	}
	if (f->nevents == VPMU_FILTER_MAX) {
		snprintf(err, errlen, "more than %d events", VPMU_FILTER_MAX);
		return -1;
	}
	if (parse_event(s, len, &v))
		goto bad;
	f->events[f->nevents++] = v;
	return 0;
bad:
	snprintf(err, errlen, "'%.*s' is not EVENT[/UMASK] or fixed=MASK (hex)", (int)len, s);
	return -1;
}

int filter_spec_parse(const char *spec, struct vpmu_filter *f, char *err,
		      size_t errlen)
{
	const char *p = strchr(spec, ':');

	memset(f, 0, sizeof(*f));
	if (p && (size_t)(p - spec) == 5 && !strncmp(spec, "allow", 5))
		f->action = VPMU_FILTER_ALLOW;
	else if (p && (size_t)(p - spec) == 4 && !strncmp(spec, "deny", 4))
		f->action = VPMU_FILTER_DENY;
	else {
		snprintf(err, errlen, "'%s' does not start with allow: or deny:", spec);
		return -1;
	}
	if (!*++p) {
		snprintf(err, errlen, "no EVENT[/UMASK] or fixed=MASK after '%.*s'",
			 (int)(p - spec), spec);
		return -1;
	}
	while (*p) {
		size_t len = strcspn(p, ",");

		if (parse_item(p, len, f, err, errlen))
			return -1;
		p += len;
		if (*p == ',' && !*++p) {
			snprintf(err, errlen, "trailing ','");
			return -1;
		}
	}
	return 0;
}
