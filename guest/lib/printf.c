// SPDX-License-Identifier: MIT
/*
 * Console output on the 8250 UART at 0x3f8 and a printf subset:
 * %d %i %u %x %X %s %c %p %%, flags '-' '0', a width, length l/ll/z.
 */
#include "libguest.h"

#define UART		0x3f8
#define UART_LSR	5
#define LSR_THRE	0x20

void putchar_(char c)
{
	if (c == '\n')
		putchar_('\r');
	while (!(inb(UART + UART_LSR) & LSR_THRE))
		;
	outb(UART, (uint8_t)c);
}

void puts_(const char *s)
{
	while (*s)
		putchar_(*s++);
}

struct out {
	char *buf;
	size_t len, pos;
};

static void emit(struct out *o, char c)
{
	if (o->pos + 1 < o->len)
		o->buf[o->pos] = c;
	o->pos++;
}

static void emit_num(struct out *o, uint64_t v, unsigned int base, bool neg,
		     bool upper, int width, bool zero, bool left)
{
	char tmp[24];
	int n = 0;
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";

	do {
		tmp[n++] = digits[v % base];
		v /= base;
	} while (v);
	if (neg)
		width--;
	if (neg && zero)
		emit(o, '-');
	for (; !left && width > n; width--)
		emit(o, zero ? '0' : ' ');
	if (neg && !zero)
		emit(o, '-');
	while (n)
		emit(o, tmp[--n]), width--;
	for (; left && width > 0; width--)
		emit(o, ' ');
}

static uint64_t get_arg(va_list *ap, int lng, bool sgn, bool *neg)
{
	int64_t s;

	*neg = false;
	if (!sgn)
		return lng ? va_arg(*ap, uint64_t) : va_arg(*ap, unsigned int);
	s = lng ? va_arg(*ap, int64_t) : va_arg(*ap, int);
	if (s < 0) {
		*neg = true;
		return (uint64_t)0 - (uint64_t)s;
	}
	return (uint64_t)s;
}

static void emit_str(struct out *o, const char *s, int width, bool left)
{
	int n = (int)strlen(s ? s : "(null)");

	for (; !left && width > n; width--)
		emit(o, ' ');
	for (s = s ? s : "(null)"; *s; s++)
		emit(o, *s);
	for (; left && width > n; width--)
		emit(o, ' ');
}

int vsnprintf(char *buf, size_t len, const char *fmt, va_list ap)
{
	struct out o = { buf, len, 0 };
	va_list aq;

	va_copy(aq, ap);
	for (; *fmt; fmt++) {
		bool zero = false, left = false, neg;
		int width = 0, lng = 0;
		uint64_t v;

		if (*fmt != '%') {
			emit(&o, *fmt);
			continue;
		}
		for (fmt++; *fmt == '0' || *fmt == '-'; fmt++)
			*fmt == '0' ? (zero = true) : (left = true);
		for (; *fmt >= '0' && *fmt <= '9'; fmt++)
			width = width * 10 + (*fmt - '0');
		for (; *fmt == 'l' || *fmt == 'z'; fmt++)
			lng = 1;
		switch (*fmt) {
		case 'd': case 'i':
			v = get_arg(&aq, lng, true, &neg);
			emit_num(&o, v, 10, neg, false, width, zero, left);
			break;
		case 'u': case 'x': case 'X':
			v = get_arg(&aq, lng, false, &neg);
			emit_num(&o, v, *fmt == 'u' ? 10 : 16, false, *fmt == 'X',
				 width, zero, left);
			break;
		case 'p':
			emit(&o, '0');
			emit(&o, 'x');
			emit_num(&o, (uint64_t)(uintptr_t)va_arg(aq, void *), 16, false,
				 false, width, zero, left);
			break;
		case 's': emit_str(&o, va_arg(aq, const char *), width, left); break;
		case 'c': emit(&o, (char)va_arg(aq, int)); break;
		case '%': emit(&o, '%'); break;
		case 0: fmt--; break;
		default: emit(&o, '%'); emit(&o, *fmt); break;
		}
	}
	va_end(aq);
	if (len)
		buf[o.pos < len ? o.pos : len - 1] = 0;
	return (int)o.pos;
}

int snprintf(char *buf, size_t len, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, len, fmt, ap);
	va_end(ap);
	return n;
}

int printf(const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	puts_(buf);
	return n;
}
