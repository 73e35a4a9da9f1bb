/*
** stap's floating point tapset (floatingpoint.stp over runtime/softfloat.c): doubles carried in
** longs as their IEEE-754 bits. softfloat rounds as the hardware does (nearest-even), so host
** doubles give the same bits; the string conversions repeat softfloat's steps one by one.
*/
#include <ctype.h>
#include <fenv.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "builtins.h"

static double to_d(int64_t v)
{
	double d;
	memcpy(&d, &v, sizeof d);
	return d;
}

static int64_t to_l(double d)
{
	int64_t v;
	memcpy(&v, &d, sizeof v);
	return v;
}

/* softfloat's f64_to_i64: round by mode (0 near-even, 1 toward 0, 2 down, 3 up, 4 near-away);
   out of range gives INT64_MAX/MIN, NaN 0 (its 8086-SSE specialization) */
static int64_t f64_to_i64(double d, int mode)
{
	if (isnan(d))
		return 0;
	double r;
	switch (mode) {
	case 1: r = trunc(d); break;
	case 2: r = floor(d); break;
	case 3: r = ceil(d); break;
	case 4: r = round(d); break;
	default: r = nearbyint(d); break;
	}
	if (r >= 9223372036854775808.0)
		return INT64_MAX;
	if (r < -9223372036854775808.0)
		return INT64_MIN;
	return (int64_t)r;
}

/* softfloat.c str_to_f64: digits accumulated as value*10 + d, then divided by 10^decimals
   (and the exponent); NaN for anything left over */
static double str_to_f64(const char *s, bool *ok)
{
	int i = 0;
	double sign = s[0] == '-' ? -1.0 : 1.0, value = 0.0, power = 1.0;
	if (s[i] == '-' || s[i] == '+')
		i++;
	for (; isdigit((unsigned char)s[i]); i++)
		value = value * 10.0 + (s[i] - '0');
	if (s[i] == '.')
		i++;
	for (; isdigit((unsigned char)s[i]); i++) {
		value = value * 10.0 + (s[i] - '0');
		power = power * 10.0;
	}
	if (s[i] == 'e' || s[i] == 'E') {
		i++;
		bool neg = s[i] == '-';
		if (s[i] == '-' || s[i] == '+')
			i++;
		double p2 = 0.0;
		for (; isdigit((unsigned char)s[i]); i++)
			p2 = p2 * 10.0 + (s[i] - '0');
		for (; p2 != 0.0; p2 -= 1.0)
			power = neg ? power * 10.0 : power / 10.0;
	}
	*ok = s[i] == '\0';
	return sign * (value / power);
}

static void cat(char *out, size_t len, const char *s)
{
	size_t n = strlen(out);
	if (n + 1 < len)
		snprintf(out + n, len - n, "%s", s);
}

static void cat_u(char *out, size_t len, uint64_t v)
{
	char buf[32];
	snprintf(buf, sizeof buf, "%llu", (unsigned long long)v);
	cat(out, len, buf);
}

/* softfloat.c f64_to_str: below 1e18 by repeated /10 (the count becomes "eN"), the integer
   part, then precision digits by repeated *10, the last one rounded up on a following 5..9 */
static void f64_to_str(char *out, size_t len, double a, int64_t precision)
{
	out[0] = '\0';
	if (isinf(a) || isnan(a)) {
		cat(out, len, isnan(a) ? "NaN" : signbit(a) ? "-Infinity" : "Infinity");
		return;
	}
	if (signbit(a))
		cat(out, len, "-");
	double pos = fabs(a);
	int e10 = 0;
	while (1e18 <= pos) {
		pos = pos / 10.0;
		e10++;
	}
	int64_t ipart = f64_to_i64(pos, 1);
	double f = pos - (double)ipart;
	cat_u(out, len, (uint64_t)ipart);
	if (precision > 0) {
		cat(out, len, ".");
		for (int64_t i = 0; i < precision - 1; i++) {
			f = f * 10.0;
			int64_t d = f64_to_i64(f, 1);
			cat_u(out, len, (uint64_t)d);
			f = f - (double)d;
		}
		f = f * 10.0;
		int64_t last = f64_to_i64(f, 1);
		f = (f - (double)last) * 10.0;
		if (f64_to_i64(f, 1) >= 5)
			last++;
		cat_u(out, len, (uint64_t)last);
	}
	if (e10 != 0) {
		cat(out, len, "e");
		cat_u(out, len, (uint64_t)e10);
	}
}

static int f_fp_to_string(struct bi_call *c)
{
	f64_to_str(c->ret_s, (size_t)c->maxstringlen + 1, to_d(c->l[0]), c->l[1]);
	return 0;
}

static int f_string_to_fp(struct bi_call *c)
{
	bool ok;
	double d = str_to_f64(c->s[0], &ok);
	if (!ok)
		return bi_error(c, "invalid format");
	c->ret_l = to_l(d);
	return 0;
}

static int f_long_to_fp(struct bi_call *c) { c->ret_l = to_l((double)c->l[0]); return 0; }

static int f_fp_to_long(struct bi_call *c)
{
	c->ret_l = f64_to_i64(to_d(c->l[0]), (int)c->l[1]);
	return 0;
}

#define FP2(name, expr) \
	static int f_##name(struct bi_call *c) \
	{ \
		double x = to_d(c->l[0]), y = to_d(c->l[1]); \
		c->ret_l = (expr); \
		return 0; \
	}
FP2(fp_add, to_l(x + y))
FP2(fp_sub, to_l(x - y))
FP2(fp_mul, to_l(x * y))
FP2(fp_div, to_l(x / y))
FP2(fp_rem, to_l(remainder(x, y)))
FP2(fp_eq, x == y)
FP2(fp_le, x <= y)
FP2(fp_lt, x < y)

/* softfloat's f32_to_f64 on the low 32 bits (a float marker argument's bits) */
static int f_fp32_to_fp64(struct bi_call *c)
{
	uint32_t u = (uint32_t)c->l[0];
	float f;
	memcpy(&f, &u, sizeof f);
	c->ret_l = to_l((double)f);
	return 0;
}

static int f_fp_sqrt(struct bi_call *c) { c->ret_l = to_l(sqrt(to_d(c->l[0]))); return 0; }

const struct builtin bi_fp_tab[] = {
	{ "fp_to_string", "s:ll", f_fp_to_string, false },
	{ "string_to_fp", "l:s", f_string_to_fp, false },
	{ "long_to_fp", "l:l", f_long_to_fp, false },
	{ "fp_to_long", "l:lll", f_fp_to_long, false },
	{ "fp_add", "l:ll", f_fp_add, false },
	{ "fp_sub", "l:ll", f_fp_sub, false },
	{ "fp_mul", "l:ll", f_fp_mul, false },
	{ "fp_div", "l:ll", f_fp_div, false },
	{ "fp_rem", "l:ll", f_fp_rem, false },
	{ "fp_sqrt", "l:l", f_fp_sqrt, false },
	{ "fp32_to_fp64", "l:l", f_fp32_to_fp64, false },
	{ "fp_eq", "l:ll", f_fp_eq, false },
	{ "fp_le", "l:ll", f_fp_le, false },
	{ "fp_lt", "l:ll", f_fp_lt, false },
	{ NULL },
};
