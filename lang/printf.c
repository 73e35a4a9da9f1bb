/*
** printf: formats parsed once (stap's print_format::string_to_components), then run as
** stap's compiled printf runs them through runtime/vsprintf.c: number(), the char escapes
** of %#c, %s/%m/%M memory output, %b binary, each clamped to the room left in the buffer.
*/
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "arena.h"
#include "printf.h"

#define ERR_CONV "invalid or missing conversion specifier"
#define ERR_TRAIL "trailing incomplete print format conversion"
#define PAGE 4096

/* ---- parsing ---- */

static const char *parse_num(const char *p, int *out)
{
	long v = 0;
	while (isdigit((unsigned char)*p)) {
		if (v < 1000000)
			v = v * 10 + (*p - '0');
		p++;
	}
	*out = (int)v;
	return p;
}

static unsigned flag_of(char c)
{
	switch (c) {
	case '0': return FMT_ZERO;
	case '+': return FMT_PLUS;
	case '-': return FMT_LEFT;
	case ' ': return FMT_SPACE;
	case '#': return FMT_SPECIAL;
	default: return 0;
	}
}

static int conv_of(char c, unsigned *flags)
{
	switch (c) {
	case 'b': return FC_BINARY;
	case 'c': return FC_CHAR;
	case 's': return FC_STRING;
	case 'm': return FC_MEMORY;
	case 'M': return FC_MEMHEX;
	case 'd': case 'i': return FC_SIGNED;
	case 'u': return FC_UNSIGNED;
	case 'o': return FC_OCTAL;
	case 'x': return FC_HEX;
	case 'X': return FC_HEXUP;
	case 'p': *flags |= FMT_SPECIAL; return FC_POINTER;  /* since stap 1.3, %p is %#x */
	default: return -1;
	}
}

/* stap drops an unfinished conversion at the end of the format when nothing of it was
   given (no flag, width or precision: "a%l", "a%."), and refuses it otherwise. */
static const char *at_end(const struct fmt_seg *sg, const char **err)
{
	bool empty = !sg->flags && sg->width < 0 && sg->prec < 0;
	*err = empty ? NULL : ERR_TRAIL;
	return NULL;
}

/* One conversion after its '%': NULL with *err set on failure, NULL with *err NULL when the
   format ends with a conversion stap ignores. */
static const char *parse_conv(const char *p, struct fmt_seg *sg, const char **err)
{
	sg->width = sg->prec = -1;
	if ((sg->flags = flag_of(*p)))          /* stap takes one flag character */
		p++;
	if (!*p)
		return at_end(sg, err);
	if (*p == '*') {
		sg->flags |= FMT_STAR_W;
		p++;
	} else if (isdigit((unsigned char)*p)) {
		p = parse_num(p, &sg->width);
	}
	if (!*p)
		return at_end(sg, err);
	if (*p == '.') {
		if (!*++p)
			return at_end(sg, err);
		if (*p == '*') {
			sg->flags |= FMT_STAR_P;
			p++;
		} else if (isdigit((unsigned char)*p)) {
			p = parse_num(p, &sg->prec);
		}
	}
	if (*p == 'l')
		p++;
	if (!*p)
		return at_end(sg, err);
	int c = conv_of(*p, &sg->flags);
	if (c < 0) {
		*err = ERR_CONV;
		return NULL;
	}
	sg->conv = (enum fmt_conv)c;
	return p + 1;
}

static void push_seg(struct arena *a, struct fmt *f, int *cap, const struct fmt_seg *sg)
{
	if (f->nsegs == *cap) {
		*cap = *cap ? *cap * 2 : 8;
		struct fmt_seg *n = arena_alloc(a, (size_t)*cap * sizeof *n);
		if (f->nsegs)
			memcpy(n, f->segs, (size_t)f->nsegs * sizeof *n);
		f->segs = n;
	}
	f->segs[f->nsegs++] = *sg;
}

static void flush_lit(struct arena *a, struct fmt *f, int *cap, struct strbuf *lit)
{
	if (!lit->len)
		return;
	struct fmt_seg sg = { .conv = FC_LIT, .width = -1, .prec = -1 };
	sg.lit = arena_strndup(a, lit->buf, lit->len);
	sg.litlen = lit->len;
	push_seg(a, f, cap, &sg);
	sb_reset(lit);
}

static void note_args(struct strbuf *types, const struct fmt_seg *sg)
{
	if (sg->flags & FMT_STAR_W)
		sb_putc(types, 'l');
	if (sg->flags & FMT_STAR_P)
		sb_putc(types, 'l');
	sb_putc(types, sg->conv == FC_STRING ? 's' : 'l');
}

struct fmt *fmt_parse(struct arena *a, const char *format, char *err, size_t errlen)
{
	struct fmt *f = arena_alloc(a, sizeof *f);
	struct strbuf lit, types;
	int cap = 0;
	const char *p = format, *e = NULL;
	sb_init(&lit);
	sb_init(&types);
	sb_puts(&types, "");
	while (*p) {
		if (*p != '%') {
			sb_putc(&lit, *p++);
			continue;
		}
		if (p[1] == '%') {
			sb_putc(&lit, '%');
			p += 2;
			continue;
		}
		if (!p[1]) {                  /* a lone '%' at the end: stap refuses it */
			e = ERR_CONV;
			break;
		}
		struct fmt_seg sg = { 0 };
		const char *q = parse_conv(p + 1, &sg, &e);
		if (!q) {
			p += strlen(p);      /* ignored (e == NULL) or refused */
			break;
		}
		e = NULL;
		flush_lit(a, f, &cap, &lit);
		push_seg(a, f, &cap, &sg);
		note_args(&types, &sg);
		p = q;
	}
	if (!e)
		flush_lit(a, f, &cap, &lit);
	f->nargs = (int)types.len;
	f->argtypes = arena_strdup(a, types.buf);
	sb_free(&lit);
	sb_free(&types);
	if (e) {
		snprintf(err, errlen, "%s", e);
		return NULL;
	}
	return f;
}

/* ---- output with stap's buffer bound ---- */

struct out {
	struct strbuf *sb;
	size_t base, cap;
};

static inline int room(const struct out *o)
{
	size_t used = o->sb->len - o->base;
	return used < o->cap ? (int)(o->cap - used) : 0;
}

static inline void put(struct out *o, char c)
{
	if (room(o) > 0)
		sb_putc(o->sb, c);
}

static inline int clampi(int64_t v, int hi)
{
	return v < 0 ? 0 : v > hi ? hi : (int)v;
}

/* runtime/vsprintf.c number() */
static void number(struct out *o, uint64_t num, int base, int size, int precision, unsigned fl,
		   bool sign_conv, bool large)
{
	const char *digits = large ? "0123456789ABCDEF" : "0123456789abcdef";
	char tmp[66], c, sign = 0;
	int i = 0;
	if (fl & FMT_LEFT)
		fl &= ~FMT_ZERO;
	c = (fl & FMT_ZERO) ? '0' : ' ';
	if (sign_conv) {
		if ((int64_t)num < 0) {
			sign = '-';
			num = 0 - num;
			size--;
		} else if (fl & FMT_PLUS) {
			sign = '+';
			size--;
		} else if (fl & FMT_SPACE) {
			sign = ' ';
			size--;
		}
	}
	if (fl & FMT_SPECIAL)
		size -= base == 16 ? 2 : base == 8 ? 1 : 0;
	if (num == 0)
		tmp[i++] = '0';
	while (num != 0) {
		tmp[i++] = digits[num % (unsigned)base];
		num /= (unsigned)base;
	}
	if (i > precision)
		precision = i;
	size -= precision;
	if (!(fl & (FMT_ZERO | FMT_LEFT)))
		while (size-- > 0)
			put(o, ' ');
	if (sign)
		put(o, sign);
	if ((fl & FMT_SPECIAL) && base != 10) {
		put(o, '0');
		if (base == 16)
			put(o, large ? 'X' : 'x');
	}
	if (!(fl & FMT_LEFT))
		while (size-- > 0)
			put(o, c);
	while (i < precision--)
		put(o, '0');
	while (i-- > 0)
		put(o, tmp[i]);
	while (size-- > 0)
		put(o, ' ');
}

static char c_escape(char c)
{
	switch (c) {
	case '\a': return 'a';
	case '\b': return 'b';
	case '\f': return 'f';
	case '\n': return 'n';
	case '\r': return 'r';
	case '\t': return 't';
	case '\v': return 'v';
	case '\'': return '\'';
	case '\\': return '\\';
	default: return 0;
	}
}

/* _stp_vsprint_char: %c, with C escapes or octal under '#' */
static void put_char(struct out *o, char c, int width, unsigned fl)
{
	char esc[4] = { c };
	int size = 1;
	if ((fl & FMT_SPECIAL) && (!(isprint((unsigned char)c) && isascii((unsigned char)c)) ||
				    c == '\'' || c == '\\')) {
		esc[0] = '\\';
		if ((esc[1] = c_escape(c))) {
			size = 2;
		} else {
			esc[1] = (char)('0' + ((c >> 6) & 3));
			esc[2] = (char)('0' + ((c >> 3) & 7));
			esc[3] = (char)('0' + (c & 7));
			size = 4;
		}
	}
	if (!(fl & FMT_LEFT))
		while (width-- > size)
			put(o, ' ');
	for (int i = 0; i < size; i++)
		put(o, esc[i]);
	while (width-- > size)
		put(o, ' ');
}

/* _stp_vsprint_memory for %s */
static void put_string(struct out *o, const char *s, int width, int prec, unsigned fl)
{
	if (!s)
		s = "<NULL>";
	int len = (int)strnlen(s, prec < 0 ? FMT_STREAM_CAP : (size_t)prec);
	if (!(fl & FMT_LEFT))
		while (len < width-- && room(o))
			put(o, ' ');
	for (int i = 0; i < len && room(o); i++)
		put(o, s[i]);
	while (len < width-- && room(o))
		put(o, ' ');
	if (fl & FMT_ZERO)
		put(o, '\0');          /* stap's %0s writes a NUL after the field */
}

/* _stp_vsprint_memory for %m (raw bytes) and %M (hex digits); bytes already read */
static void put_memory(struct out *o, const unsigned char *mem, int len, int width, unsigned fl,
		       bool hex)
{
	static const char hexd[] = "0123456789abcdef";
	if (!(fl & FMT_LEFT)) {
		int actlen = hex ? len * 2 : len;
		while (actlen < width-- && room(o))
			put(o, ' ');
	}
	for (int i = 0; i < len && room(o) >= (hex ? 2 : 1); i++) {
		if (hex) {
			put(o, hexd[mem[i] >> 4]);
			put(o, hexd[mem[i] & 15]);
		} else {
			put(o, (char)mem[i]);
		}
	}
	if (hex)
		len *= 2;
	while (len < width-- && room(o))
		put(o, ' ');
	if (fl & FMT_ZERO)
		put(o, '\0');
}

static int binary_prec(int p)
{
	return p == 1 || p == 2 || p == 4 || p == 8 ? p : -1;
}

/* _stp_vsprint_binary: the long's low bytes in host order, NUL padded */
static void put_binary(struct out *o, int64_t num, int width, int prec, unsigned fl)
{
	prec = binary_prec(prec);
	if (width == -1) {
		width = prec == -1 ? 8 : prec;
		if (prec == -1)
			prec = 8;
	} else if (prec == -1) {
		prec = binary_prec(width);
		if (prec == -1)
			prec = 8;
	}
	if (!(fl & FMT_LEFT))
		while (prec < width-- && room(o))
			put(o, '\0');
	if (room(o) >= prec) {
		char b[8];
		memcpy(b, &num, sizeof b);    /* little-endian hosts: the low bytes first */
		for (int i = 0; i < prec; i++)
			put(o, b[i]);
	}
	while (prec >= 0 && width >= 0 && prec < width-- && room(o))
		put(o, '\0');
}

static bool mem_too_big(const struct fmt_seg *sg, const struct mval *prec_arg)
{
	return prec_arg ? prec_arg->l > PAGE : sg->prec > PAGE;
}

/* stap checks every %m/%M size before printing anything */
static int check_memory(const struct fmt *f, const struct mval *args, char *err, size_t errlen)
{
	int ai = 0;
	for (int i = 0; i < f->nsegs; i++) {
		const struct fmt_seg *sg = &f->segs[i];
		if (sg->conv == FC_LIT)
			continue;
		if (sg->flags & FMT_STAR_W)
			ai++;
		const struct mval *pa = (sg->flags & FMT_STAR_P) ? &args[ai++] : NULL;
		if ((sg->conv == FC_MEMORY || sg->conv == FC_MEMHEX) && mem_too_big(sg, pa)) {
			snprintf(err, errlen, "%lld is too many bytes for a memory dump",
				 (long long)(pa ? pa->l : sg->prec));
			return -1;
		}
		ai++;
	}
	return 0;
}

static int read_memory(uint64_t addr, unsigned char *buf, int len, fmt_read_fn rd, void *ud,
		       char *err, size_t errlen)
{
	if (rd && rd(ud, addr, buf, (size_t)len) == 0)
		return 0;
	uint64_t at = addr;
	for (int i = 0; rd && i < len; i++, at++)   /* name the first byte that faults */
		if (rd(ud, at, buf + i, 1) != 0)
			break;
	snprintf(err, errlen, "read fault [man error::fault] at 0x%llx", (unsigned long long)at);
	return -1;
}

static int one_conv(struct out *o, const struct fmt_seg *sg, const struct mval **ap,
		    fmt_read_fn rd, void *ud, char *err, size_t errlen)
{
	const struct mval *a = *ap;
	int width = sg->width >= 0 ? clampi(sg->width, room(o)) : -1;
	int prec = sg->prec >= 0 ? clampi(sg->prec, room(o)) : -1;
	if (sg->flags & FMT_STAR_W)
		width = clampi((int32_t)(a++)->l, room(o));
	if (sg->flags & FMT_STAR_P)
		prec = clampi((int32_t)(a++)->l, room(o));
	const struct mval *v = a++;
	*ap = a;
	if (sg->flags & FMT_PTR_OLD) {   /* stap < 1.3: the digits fill the width */
		if (width == -1)
			width = 2 + 16;
		prec = width - 2;
		if (!(sg->flags & FMT_LEFT) && prec > 16)
			prec = 16;
	}
	switch (sg->conv) {
	case FC_SIGNED: number(o, (uint64_t)v->l, 10, width, prec, sg->flags, true, false); break;
	case FC_UNSIGNED: number(o, (uint64_t)v->l, 10, width, prec, sg->flags, false, false); break;
	case FC_OCTAL: number(o, (uint64_t)v->l, 8, width, prec, sg->flags, false, false); break;
	case FC_HEX:
	case FC_POINTER: number(o, (uint64_t)v->l, 16, width, prec, sg->flags, false, false); break;
	case FC_HEXUP: number(o, (uint64_t)v->l, 16, width, prec, sg->flags, false, true); break;
	case FC_CHAR: put_char(o, (char)v->l, width, sg->flags); break;
	case FC_STRING: put_string(o, v->s, width, prec, sg->flags); break;
	case FC_BINARY: put_binary(o, v->l, width, prec, sg->flags); break;
	case FC_MEMORY:
	case FC_MEMHEX: {
		unsigned char mem[PAGE];
		int len = prec > 0 ? prec : 1;
		if (read_memory((uint64_t)v->l, mem, len, rd, ud, err, errlen) < 0)
			return -1;
		put_memory(o, mem, len, width, sg->flags, sg->conv == FC_MEMHEX);
		break;
	}
	case FC_LIT: break;
	}
	return 0;
}

static int run(struct strbuf *sb, const struct fmt *f, const struct mval *args, size_t cap,
	       fmt_read_fn rd, void *ud, char *err, size_t errlen)
{
	struct out o = { sb, sb->len, cap };
	const struct mval *ap = args;
	sb_puts(sb, "");                 /* NUL-terminated even when nothing is printed */
	if (check_memory(f, args, err, errlen) < 0)
		return -1;
	for (int i = 0; i < f->nsegs; i++) {
		const struct fmt_seg *sg = &f->segs[i];
		if (sg->conv == FC_LIT) {
			size_t n = sg->litlen;
			if (n > (size_t)room(&o))
				n = (size_t)room(&o);
			sb_add(sb, sg->lit, n);
		} else if (one_conv(&o, sg, &ap, rd, ud, err, errlen) < 0) {
			sb->len = o.base;
			sb->buf[sb->len] = '\0';
			return -1;
		}
	}
	return 0;
}

int fmt_format(struct strbuf *out, const struct fmt *f, const struct mval *args,
	       fmt_read_fn rd, void *ud, char *err, size_t errlen)
{
	return run(out, f, args, FMT_STREAM_CAP, rd, ud, err, errlen);
}

int fmt_sprintf(struct strbuf *out, const struct fmt *f, const struct mval *args, size_t cap,
		fmt_read_fn rd, void *ud, char *err, size_t errlen)
{
	size_t base = out->len;
	if (run(out, f, args, cap, rd, ud, err, errlen) < 0)
		return -1;
	if (cap && out->len - base > cap - 1) {   /* the last byte of stap's buffer is its NUL */
		out->len = base + cap - 1;
		out->buf[out->len] = '\0';
	}
	return 0;
}

void fmt_long(struct strbuf *out, int64_t v)
{
	sb_printf(out, "%lld", (long long)v);
}

/* _stp_decode_utf8 on a NUL-terminated string: bytes used, code point in *c */
static int decode_utf8(const unsigned char *s, int size, int *cp)
{
	int n, c, b = s[0];
	if ((b & 0xE0) == 0xC0 && size >= 2) {
		n = 2;
		c = b & 0x1F;
	} else if ((b & 0xF0) == 0xE0 && size >= 3) {
		n = 3;
		c = b & 0xF;
	} else if ((b & 0xF8) == 0xF0 && size >= 4) {
		n = 4;
		c = b & 0x7;
	} else {
		goto verbatim;
	}
	for (int i = 1; i < n; i++) {
		if ((s[i] & 0xC0) != 0x80)
			goto verbatim;
		c = (c << 6) | (s[i] & 0x3F);
	}
	if ((c >= 0xD800 && c <= 0xDFFF) || c > 0x10FFFF || c < 0x80 ||
	    (n == 3 && c < 0x800) || (n == 4 && c < 0x10000))
		goto verbatim;
	*cp = c;
	return n;
verbatim:
	*cp = b;
	return 1;
}

/* the escape text of one code point: "\n", "\001", "\u00e9", or the character */
static int escape_cp(char *e, int c, int n)
{
	static const char hexd[] = "0123456789ABCDEF";   /* stap's to_hex_digit */
	if (n > 1) {
		int num = c <= 0xFFFF ? 6 : 10;
		e[0] = '\\';
		e[1] = c <= 0xFFFF ? 'u' : 'U';
		for (int i = num - 3, k = 2; i >= 0; --i)
			e[k++] = hexd[(c >> (i * 4)) & 0xF];
		return num;
	}
	if (isascii(c) && isprint(c) && c != '"' && c != '\\') {
		e[0] = (char)c;
		return 1;
	}
	e[0] = '\\';
	const char *short_esc = "\a\b\f\n\r\t\v\"\\";
	if (c && strchr(short_esc, c)) {
		e[1] = "abfnrtv\"\\"[strchr(short_esc, c) - short_esc];
		return 2;
	}
	e[1] = (char)('0' + ((c >> 6) & 3));
	e[2] = (char)('0' + ((c >> 3) & 7));
	e[3] = (char)('0' + (c & 7));
	return 4;
}

void fmt_text_str(char *outstr, size_t msl, const char *in, int inlen, int outlen, bool quoted)
{
	int max = (int)msl - 1, c = 0;
	char *out = outstr, *esc = NULL;
	int esc_len = 0;
	if (inlen <= 0 || inlen > max)
		inlen = max;
	if (outlen <= 0 || outlen > max)
		outlen = max;
	if (quoted) {
		outlen = (outlen > 5 ? outlen : 5) - 2;
		*out++ = '"';
	}
	while (inlen > 0) {
		char e[10];
		int n = decode_utf8((const unsigned char *)in, inlen, &c);
		if (c == 0 || outlen <= 0)
			break;
		in += n;
		inlen -= n;
		int num = escape_cp(e, c, n);
		if (num > 1) {
			/* an escape that truncation could cut in two */
			if (!esc && outlen - 3 < num)
				esc = out, esc_len = num;
			if (outlen < num)
				break;
		}
		memcpy(out, e, (size_t)num);
		out += num;
		outlen -= num;
	}
	if (quoted) {
		if (c && inlen > 0) {
			char *trunc = out - 3 + outlen;
			out = (esc && esc < trunc && trunc < esc + esc_len) ? esc : trunc;
			memcpy(out, "\"...", 4);
			out += 4;
		} else {
			*out++ = '"';
		}
	}
	*out = '\0';
}
