/*
** Types of $target values: scalars (width, signedness, bitfields), and stap's pretty forms
** ($v$, $v$$, $$vars): a plan built once from DWARF at elaboration, then printed at a hit
** from memory alone, in tapsets.cxx dwarf_pretty_print's text ({.a=1, .s="x"}, [1, ...]).
*/
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "context.h"
#include "dwvar.h"
#include "printf.h"
#include "session.h"

bool dwt_resolve(Dwarf_Die *type, Dwarf_Die *out)
{
	Dwarf_Die t = *type;

	for (int i = 0; i < 32; i++) {
		int tag = dwarf_tag(&t);
		if (tag != DW_TAG_typedef && tag != DW_TAG_const_type && tag != DW_TAG_volatile_type &&
		    tag != DW_TAG_restrict_type && tag != DW_TAG_atomic_type) {
			*out = t;
			return true;
		}
		Dwarf_Attribute at;
		if (!dwarf_formref_die(dwarf_attr_integrate(&t, DW_AT_type, &at), &t))
			return false;      /* void */
	}
	return false;
}

static Dwarf_Word attr_u(Dwarf_Die *d, int name, Dwarf_Word dflt)
{
	Dwarf_Attribute at;
	Dwarf_Word w;
	return dwarf_formudata(dwarf_attr_integrate(d, name, &at), &w) == 0 ? w : dflt;
}

/* Bytes of a pointer type: its DW_AT_byte_size, else its CU's address size (4 in an i386
   program, gcc -m32), else 8. */
int dwt_ptr_size(Dwarf_Die *t)
{
	Dwarf_Die cu;
	uint8_t as = 8;
	Dwarf_Word bs = attr_u(t, DW_AT_byte_size, 0);
	if (bs == 4 || bs == 8)
		return (int)bs;
	return dwarf_diecu(t, &cu, &as, NULL) && as == 4 ? 4 : 8;
}

/* Base, enum and pointer types: width and signedness. */
bool dwt_scalar(Dwarf_Die *type, struct scalar *sc)
{
	Dwarf_Die t;

	memset(sc, 0, sizeof *sc);
	if (!dwt_resolve(type, &t))
		return false;
	switch (dwarf_tag(&t)) {
	case DW_TAG_pointer_type: case DW_TAG_reference_type: case DW_TAG_rvalue_reference_type:
		sc->size = dwt_ptr_size(&t);
		return true;
	case DW_TAG_enumeration_type:
	case DW_TAG_base_type: {
		Dwarf_Word enc = attr_u(&t, DW_AT_encoding, DW_ATE_signed);
		Dwarf_Die under;
		Dwarf_Attribute at;
		if (dwarf_tag(&t) == DW_TAG_enumeration_type) {
			enc = DW_ATE_unsigned;
			if (dwarf_formref_die(dwarf_attr_integrate(&t, DW_AT_type, &at), &under))
				enc = attr_u(&under, DW_AT_encoding, enc);
		}
		sc->size = (int)attr_u(&t, DW_AT_byte_size, 8);
		if (enc == DW_ATE_float || enc == DW_ATE_complex_float || sc->size > 8)
			return false;
		sc->is_signed = enc == DW_ATE_signed || enc == DW_ATE_signed_char;
		return true;
	}
	default:
		return false;
	}
}

const char *dwt_struct_name(Dwarf_Die *t, struct arena *a)
{
	struct strbuf sb;
	sb_init(&sb);
	sb_puts(&sb, "");
	dw_type_name(t, &sb);
	const char *r = arena_strdup(a, sb.buf);
	sb_free(&sb);
	return r;
}

/* ---- the plan ---- */

static bool is_char(Dwarf_Die *type, int *size)
{
	Dwarf_Die t;
	if (!dwt_resolve(type, &t) || dwarf_tag(&t) != DW_TAG_base_type)
		return false;
	Dwarf_Word enc = attr_u(&t, DW_AT_encoding, 0);
	*size = (int)attr_u(&t, DW_AT_byte_size, 0);
	/* stap's print_chars: char, and char8/16/32_t (DW_ATE_UTF) as UTF-8/16/32 text */
	return ((enc == DW_ATE_signed_char || enc == DW_ATE_unsigned_char) && *size == 1) ||
	       (enc == DW_ATE_UTF && (*size == 1 || *size == 2 || *size == 4));
}

static void plan_node(struct arena *a, Dwarf_Die *type, bool top, bool full, struct pnode *n);

static void plan_lit(struct pnode *n, const char *lit)
{
	n->kind = P_LIT;
	n->lit = lit;
}

static bool kid_named(const struct pnode *n, const char *name)
{
	for (int i = 0; name && *name && i < n->nkids; i++)
		if (!strcmp(n->kids[i].name, name))
			return true;
	return false;
}

static void plan_member(struct arena *a, Dwarf_Die *m, int64_t base, bool full, struct pnode *k)
{
	Dwarf_Die mt;
	Dwarf_Attribute at;
	Dwarf_Word off = attr_u(m, DW_AT_data_member_location, 0);
	const char *name = dwarf_diename(m);

	k->name = name ? arena_strdup(a, name) : "";
	if (!dwarf_formref_die(dwarf_attr_integrate(m, DW_AT_type, &at), &mt)) {
		plan_lit(k, "?");
		return;
	}
	int bs = dwarf_bitsize(m);
	if (bs > 0) {           /* bitfields print as numbers, even char ones */
		int dbo = (int)attr_u(m, DW_AT_data_bit_offset, 0);
		if (!dwt_scalar(&mt, &k->sc)) {
			plan_lit(k, "?");
			return;
		}
		k->kind = k->sc.is_signed ? P_INT : P_UINT;
		k->off = base + dbo / 8;
		k->sc.bitoff = dbo % 8;
		k->sc.bitsize = bs;
		k->sc.size = (k->sc.bitoff + bs + 7) / 8;
		return;
	}
	plan_node(a, &mt, false, full, k);
	k->off += base + (int64_t)off;
}

/* stap's recurse_struct_members: the struct's members, then its base classes' breadth first
   (DW_TAG_inheritance), a name a derived class already has masked; C++ vtable pointers out. */
static void plan_members(struct arena *a, Dwarf_Die *t, bool full, struct pnode *n)
{
	Dwarf_Die queue[16], m;
	int64_t qoff[16];
	int cap = 0, qn = 1;

	n->kind = P_STRUCT;
	queue[0] = *t;
	qoff[0] = 0;
	for (int qi = 0; qi < qn; qi++) {
		if (dwarf_child(&queue[qi], &m) != 0)
			continue;
		do {
			int tag = dwarf_tag(&m);
			const char *name = dwarf_diename(&m);
			Dwarf_Die bt, r;
			Dwarf_Attribute at;
			if (tag == DW_TAG_inheritance && qn < 16 &&
			    dwarf_formref_die(dwarf_attr_integrate(&m, DW_AT_type, &at), &bt) &&
			    dwt_resolve(&bt, &r)) {
				queue[qn] = r;
				qoff[qn++] = qoff[qi] + (int64_t)attr_u(&m, DW_AT_data_member_location, 0);
			}
			if (tag != DW_TAG_member || dwarf_hasattr(&m, DW_AT_declaration) ||
			    (name && !strncmp(name, "_vptr.", 6)) || kid_named(n, name))
				continue;
			if (n->nkids == cap) {
				struct pnode *k = arena_alloc(a, (cap = cap ? 2 * cap : 8) * sizeof *k);
				if (n->nkids)
					memcpy(k, n->kids, n->nkids * sizeof *k);
				n->kids = k;
			}
			plan_member(a, &m, qoff[qi], full, &n->kids[n->nkids++]);
		} while (dwarf_siblingof(&m, &m) == 0);
	}
}

static void plan_pointer(struct arena *a, Dwarf_Die *t, bool top, bool full, struct pnode *n)
{
	Dwarf_Die pt;
	Dwarf_Attribute at;
	int csz;

	n->sc.size = dwt_ptr_size(t);
	if (dwarf_formref_die(dwarf_attr_integrate(t, DW_AT_type, &at), &pt)) {
		Dwarf_Die r;
		if (is_char(&pt, &csz)) {
			n->kind = P_CSTR;
			n->cw = (uint8_t)csz;
			return;
		}
		if (top && dwt_resolve(&pt, &r)) {
			n->kind = P_DEREF;
			n->kids = arena_alloc(a, sizeof *n->kids);
			n->nkids = 1;
			plan_node(a, &pt, true, full, n->kids);
			return;
		}
	}
	n->kind = P_PTR;
}

static void plan_node(struct arena *a, Dwarf_Die *type, bool top, bool full, struct pnode *n)
{
	Dwarf_Die t, et;
	Dwarf_Attribute at;
	int csz;

	if (!dwt_resolve(type, &t)) {
		plan_lit(n, "?");
		return;
	}
	switch (dwarf_tag(&t)) {
	case DW_TAG_base_type:
	case DW_TAG_enumeration_type:
		if (!dwt_scalar(&t, &n->sc)) {
			plan_lit(n, "?");
			return;
		}
		n->kind = is_char(&t, &csz) ? P_CHAR : n->sc.is_signed ? P_INT : P_UINT;
		return;
	case DW_TAG_pointer_type: case DW_TAG_reference_type: case DW_TAG_rvalue_reference_type:
		plan_pointer(a, &t, top, full, n);
		return;
	case DW_TAG_subroutine_type:
		n->kind = P_FUNC;
		n->sc.size = dwt_ptr_size(&t);
		return;
	case DW_TAG_array_type:
		if (!top && !full) {
			plan_lit(n, "[...]");
			return;
		}
		if (!dwarf_formref_die(dwarf_attr_integrate(&t, DW_AT_type, &at), &et)) {
			plan_lit(n, "?");
			return;
		}
		if (is_char(&et, &csz)) {
			Dwarf_Word sz = 0;
			n->kind = P_CHARARR;
			n->cw = (uint8_t)csz;
			n->len = dwarf_aggregate_size(&t, &sz) == 0 && sz ? (int)sz : 256;
			return;
		}
		n->kind = P_ARRAY;      /* stap prints the first element, then ", ..." */
		n->kids = arena_alloc(a, sizeof *n->kids);
		n->nkids = 1;
		plan_node(a, &et, false, full, n->kids);
		return;
	case DW_TAG_structure_type: case DW_TAG_union_type: case DW_TAG_class_type:
		if (dwarf_hasattr(&t, DW_AT_declaration)) {
			plan_lit(n, "{...}");
			return;
		}
		if (!top && !full) {
			plan_lit(n, "{...}");
			return;
		}
		plan_members(a, &t, full, n);
		return;
	default:
		plan_lit(n, "?");
	}
}

struct pnode *dwt_plan(struct arena *a, Dwarf_Die *type, bool full)
{
	struct pnode *n = arena_alloc(a, sizeof *n);
	plan_node(a, type, true, full, n);
	return n;
}

/* ---- printing at a hit ---- */

struct pout {
	char *s;
	int len, max;
	bool fault;
};

static void put(struct pout *o, const char *t, int n)
{
	for (int i = 0; i < n && o->len < o->max; i++)
		o->s[o->len++] = t[i];
	o->s[o->len] = 0;
}

static void puts_(struct pout *o, const char *t) { put(o, t, (int)strlen(t)); }

static void putf(struct pout *o, const char *fmt, unsigned long long x)
{
	char b[32];
	put(o, b, snprintf(b, sizeof b, fmt, x));
}

/* stap's string quoting (_stp_text_str): C escapes, octal for the rest. */
static void put_esc(struct pout *o, unsigned char ch)
{
	static const char from[] = "\a\b\f\n\r\t\v\"\\", to[] = "abfnrtv\"\\";
	const char *p = ch ? strchr(from, ch) : NULL;
	char b[8];

	if (p) {
		b[0] = '\\';
		b[1] = to[p - from];
		put(o, b, 2);
	} else if (ch >= 0x20 && ch < 0x7f) {
		put(o, (const char *)&ch, 1);
	} else {
		put(o, b, snprintf(b, sizeof b, "\\%03o", ch));
	}
}

/* c as UTF-8 at out (room for 4 bytes): its length, 0 for a surrogate or past U+10FFFF */
static int utf8_enc(char *out, uint32_t c)
{
	int n = c < 0x80 ? 1 : c < 0x800 ? 2 : (c >= 0xD800 && c <= 0xDFFF) ? 0 :
	        c < 0x10000 ? 3 : c <= 0x10FFFF ? 4 : 0;
	for (int i = n - 1; i > 0; i--, c >>= 6)
		out[i] = (char)(0x80 | (c & 0x3F));
	if (n)
		out[0] = (char)(n == 1 ? c : ((0xFF00u >> n) & 0xFF) | c);
	return n;
}

/* Units of cw bytes from addr up to a 0 unit (or maxlen bytes) as UTF-8 into buf (UTF-16
   surrogate pairs joined). Its length, or -1 on a fault or a bad character. */
static int read_text(struct ctx *c, uint64_t addr, int cw, int maxlen, char *buf, int size)
{
	int n = 0;

	for (int k = 0; k < maxlen && n + 5 < size; k += cw, addr += cw) {
		uint32_t u = 0, lo = 0;
		if (c->ops->read(c, addr, &u, cw) != 0)
			return -1;
		if (!u)
			return n;
		if (cw == 2 && u >= 0xD800 && u <= 0xDBFF && c->ops->read(c, addr + 2, &lo, 2) == 0 &&
		    lo >= 0xDC00 && lo <= 0xDFFF) {
			u = 0x10000 + ((u & 0x3FF) << 10) + (lo & 0x3FF);
			addr += 2;
			k += 2;
		}
		int l = cw == 1 ? (buf[n] = (char)u, 1) : utf8_enc(buf + n, u);
		if (!l)
			return -1;
		n += l;
	}
	return n < size ? n : size - 1;
}

/* stap's user_string_quoted(_utf16/_utf32): the text quoted and escaped as string_quoted
   does (\uXXXX for non-ASCII), the address when it cannot be read. The string may end just
   before an unmapped page: read in single units. */
static void put_cstr(struct ctx *c, struct pout *o, uint64_t addr, int maxlen, int cw)
{
	char buf[1024], q[2048];
	int msl = (int)c->sess->lim.maxstringlen + 1;
	int n = read_text(c, addr, cw ? cw : 1, maxlen, buf, sizeof buf);

	if (n < 0) {
		putf(o, "0x%llx", addr);
		return;
	}
	buf[n] = 0;
	fmt_text_str(q, msl < (int)sizeof q ? (size_t)msl : sizeof q, buf, n, 0, true);
	puts_(o, q);
}

static void print_node(struct ctx *c, const struct pnode *n, struct place p, struct pout *o);

static void print_scalar(struct ctx *c, const struct pnode *n, struct place p, struct pout *o)
{
	int64_t x;

	if (dwv_scalar(c, &n->sc, &p, &x) < 0) {
		o->fault = true;
		return;
	}
	switch (n->kind) {
	case P_INT: putf(o, "%lld", (unsigned long long)x); break;
	case P_UINT: putf(o, "%llu", (unsigned long long)x); break;
	case P_CHAR:
		puts_(o, "'");
		put_esc(o, (unsigned char)x);
		puts_(o, "'");
		break;
	case P_PTR: putf(o, "0x%llx", (unsigned long long)x); break;
	case P_FUNC: putf(o, "<function>:0x%llx", (unsigned long long)x); break;
	case P_CSTR: put_cstr(c, o, (uint64_t)x, (int)c->sess->lim.maxstringlen, n->cw); break;
	case P_DEREF: print_node(c, &n->kids[0], (struct place){ false, (uint64_t)x }, o); break;
	}
}

static void print_node(struct ctx *c, const struct pnode *n, struct place p, struct pout *o)
{
	if (!p.is_val)
		p.v += n->off;
	switch (n->kind) {
	case P_LIT: puts_(o, n->lit); return;
	case P_STRUCT:
		puts_(o, "{");
		for (int i = 0; i < n->nkids && !o->fault; i++) {
			if (i)
				puts_(o, ", ");
			puts_(o, ".");
			puts_(o, n->kids[i].name);
			puts_(o, "=");
			print_node(c, &n->kids[i], p, o);
		}
		puts_(o, "}");
		return;
	case P_ARRAY:
		puts_(o, "[");
		print_node(c, &n->kids[0], p, o);
		puts_(o, ", ...]");
		return;
	case P_CHARARR:
		if (p.is_val || p.blk)
			o->fault = true;
		else
			put_cstr(c, o, p.v, n->len, n->cw);
		return;
	default:
		if (p.is_val && n->off) {
			o->fault = true;
			return;
		}
		print_scalar(c, n, p, o);
	}
}

static int pretty_n(struct ctx *c, const struct dwv *v, const struct place *p, char *s, int max)
{
	struct pout o = { s, 0, max, false };

	s[0] = 0;
	print_node(c, v->pretty, *p, &o);
	if (o.fault) {      /* stap's pretty printer catches any error and says so */
		snprintf(s, o.max + 1, "ERROR");
		c->err[0] = 0;
	}
	return 0;
}

int dwv_pretty(struct ctx *c, const struct dwv *v, const struct place *p, char *s)
{
	return pretty_n(c, v, p, s, (int)c->sess->lim.maxstringlen);
}

/* $$vars / $$parms / $$locals / $$return: "a=0x1 b=0x2 s={...}" or the pretty form. */
int dwv_vars(struct ctx *c, const struct dwv *v, char *s)
{
	struct pout o = { s, 0, (int)c->sess->lim.maxstringlen, false };
	char tmp[4096];

	s[0] = 0;
	for (int i = 0; i < v->nvars; i++) {
		if (i)
			puts_(&o, " ");
		puts_(&o, v->vnames[i]);
		if (!v->vars[i]) {
			puts_(&o, v->vlits[i]);
			continue;
		}
		const struct dwv *x = v->vars[i];
		struct place p;
		int64_t l = 0;
		puts_(&o, "=");
		c->err[0] = 0;
		if (dwv_base(c, x, NULL, &p) < 0 || dwv_walk(c, x, NULL, &p) < 0) {
			puts_(&o, "ERROR");
			continue;
		}
		if (x->fin == FIN_PRETTY) {
			pretty_n(c, x, &p, tmp, (int)sizeof tmp - 1);
			puts_(&o, tmp);
		} else if (dwv_scalar(c, &x->sc, &p, &l) == 0) {
			putf(&o, "0x%llx", (unsigned long long)l);
		} else {
			puts_(&o, "ERROR");
		}
	}
	c->err[0] = 0;
	return 0;
}
