/*
** Kernel function parameters from BTF (/sys/kernel/btf/vmlinux): the names, sizes and
** signedness of a function's arguments, so that kernel.function("F") { $name } reads the
** argument register (no kernel debuginfo needed). Only what that needs is decoded.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "btf.h"

#define BTF_MAGIC 0xeB9F

enum { K_INT = 1, K_PTR, K_ARRAY, K_STRUCT, K_UNION, K_ENUM, K_FWD, K_TYPEDEF, K_VOLATILE,
       K_CONST, K_RESTRICT, K_FUNC, K_FUNC_PROTO, K_VAR, K_DATASEC, K_FLOAT, K_DECL_TAG,
       K_TYPE_TAG, K_ENUM64 };

struct hdr {
	uint16_t magic;
	uint8_t version, flags;
	uint32_t hdr_len, type_off, type_len, str_off, str_len;
};

struct btf_type {
	uint32_t name_off, info, size_or_type;
};

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t cap = 0, n;

	*len = 0;
	if (!f)
		return NULL;
	do {
		if (cap - *len < 65536) {
			char *nb = realloc(buf, cap = cap ? cap * 2 : 1 << 22);
			if (!nb) {
				free(buf);
				fclose(f);
				return NULL;
			}
			buf = nb;
		}
		n = fread(buf + *len, 1, cap - *len, f);
		*len += n;
	} while (n > 0);
	fclose(f);
	return buf;
}

/* Bytes of kind-specific data after a btf_type. */
static size_t extra(const struct btf_type *t)
{
	uint32_t kind = t->info >> 24 & 0x1f, vlen = t->info & 0xffff;

	switch (kind) {
	case K_INT: case K_VAR: case K_DECL_TAG: return 4;
	case K_ARRAY: return 12;
	case K_STRUCT: case K_UNION: case K_DATASEC: case K_ENUM64: return 12 * (size_t)vlen;
	case K_ENUM: case K_FUNC_PROTO: return 8 * (size_t)vlen;
	default: return 0;
	}
}

int btf_load(struct btf *b, const char *path)
{
	struct hdr h;

	memset(b, 0, sizeof *b);
	b->data = slurp(path ? path : "/sys/kernel/btf/vmlinux", &b->len);
	if (!b->data || b->len < sizeof h)
		return -1;
	memcpy(&h, b->data, sizeof h);
	if (h.magic != BTF_MAGIC || (size_t)h.hdr_len + h.str_off + h.str_len > b->len)
		return -1;
	b->types = b->data + h.hdr_len + h.type_off;
	b->types_len = h.type_len;
	b->strs = b->data + h.hdr_len + h.str_off;
	b->strs_len = h.str_len;
	/* index: offset of each type id (ids start at 1) */
	size_t n = 0, cap = 1 << 16;
	b->off = malloc(cap * sizeof *b->off);
	for (size_t o = 0; b->off && o + sizeof(struct btf_type) <= b->types_len;) {
		const struct btf_type *t = (const void *)(b->types + o);
		if (n + 2 > cap) {
			uint32_t *no = realloc(b->off, (cap *= 2) * sizeof *no);
			if (!no)
				break;
			b->off = no;
		}
		b->off[++n] = (uint32_t)o;
		o += sizeof *t + extra(t);
	}
	b->ntypes = n;
	return b->off ? 0 : -1;
}

void btf_free(struct btf *b)
{
	free(b->data);
	free(b->off);
	memset(b, 0, sizeof *b);
}

static const struct btf_type *type(const struct btf *b, uint32_t id)
{
	return id && id <= b->ntypes ? (const void *)(b->types + b->off[id]) : NULL;
}

static const char *str(const struct btf *b, uint32_t off)
{
	return off < b->strs_len ? b->strs + off : "";
}

/* Through typedefs and qualifiers to the type that says what a value is. */
static const struct btf_type *resolve(const struct btf *b, uint32_t id)
{
	const struct btf_type *t = type(b, id);

	for (int i = 0; t && i < 16; i++) {
		uint32_t k = t->info >> 24 & 0x1f;
		if (k != K_TYPEDEF && k != K_VOLATILE && k != K_CONST && k != K_RESTRICT && k != K_TYPE_TAG)
			break;
		t = type(b, t->size_or_type);
	}
	return t;
}

/* A C type name the way stap's -L spells DWARF types: qualifiers after, '*' glued on. */
static void type_name(const struct btf *b, uint32_t id, char *out, size_t n, int depth)
{
	const struct btf_type *t = type(b, id);
	uint32_t k = t ? t->info >> 24 & 0x1f : 0;
	char inner[96];

	if (!t || depth > 8) {
		snprintf(out, n, "void");
		return;
	}
	switch (k) {
	case K_PTR:
		type_name(b, t->size_or_type, inner, sizeof inner, depth + 1);
		if (snprintf(out, n, "%s*", inner) >= (int)n)
			out[n - 1] = 0;   /* truncated names are still names */
		break;
	case K_CONST: case K_VOLATILE:
		type_name(b, t->size_or_type, inner, sizeof inner, depth + 1);
		if (snprintf(out, n, "%s %s", inner, k == K_CONST ? "const" : "volatile") >= (int)n)
			out[n - 1] = 0;
		break;
	case K_RESTRICT: case K_TYPE_TAG:
		type_name(b, t->size_or_type, out, n, depth + 1);
		break;
	case K_STRUCT: case K_UNION: case K_ENUM: case K_ENUM64: case K_FWD:
		snprintf(out, n, "%s %s", k == K_UNION || (k == K_FWD && t->info >> 31) ? "union" :
		         k == K_STRUCT || k == K_FWD ? "struct" : "enum", str(b, t->name_off));
		break;
	case K_FUNC_PROTO:
		snprintf(out, n, "func");
		break;
	default:
		snprintf(out, n, "%s", *str(b, t->name_off) ? str(b, t->name_off) : "void");
	}
}

static void describe(const struct btf *b, uint32_t id, struct btf_param *p)
{
	type_name(b, id, p->type, sizeof p->type, 0);
	const struct btf_type *t = resolve(b, id);
	uint32_t k = t ? t->info >> 24 & 0x1f : 0;

	p->size = 8;
	p->is_signed = false;
	p->is_ptr = k == K_PTR;
	if (k == K_INT) {
		uint32_t enc;
		memcpy(&enc, t + 1, 4);
		p->size = (int)t->size_or_type;
		p->is_signed = enc >> 24 & 1;          /* BTF_INT_SIGNED */
	} else if (k == K_ENUM) {
		p->size = (int)t->size_or_type;
		p->is_signed = true;
	}
}

int btf_func_params(const struct btf *b, const char *func, struct btf_param *out, int max)
{
	for (size_t id = 1; id <= b->ntypes; id++) {
		const struct btf_type *t = type(b, (uint32_t)id);
		if ((t->info >> 24 & 0x1f) != K_FUNC || strcmp(str(b, t->name_off), func))
			continue;
		const struct btf_type *proto = type(b, t->size_or_type);
		if (!proto || (proto->info >> 24 & 0x1f) != K_FUNC_PROTO)
			return -1;
		int n = (int)(proto->info & 0xffff);
		const uint32_t *prm = (const void *)(proto + 1);
		for (int i = 0; i < n && i < max; i++) {
			snprintf(out[i].name, sizeof out[i].name, "%s", str(b, prm[2 * i]));
			describe(b, prm[2 * i + 1], &out[i]);
		}
		return n < max ? n : max;
	}
	return -1;
}

/* ---- types for @cast (tracer/ks_cast.c) ---- */

static uint32_t kind_of(const struct btf_type *t)
{
	return t ? t->info >> 24 & 0x1f : 0;
}

uint32_t btf_find_type(const struct btf *b, const char *name)
{
	int want = 0;                /* K_STRUCT/K_UNION/K_ENUM, or 0: any named type */
	uint32_t other = 0;

	if (!strncmp(name, "struct ", 7))
		want = K_STRUCT, name += 7;
	else if (!strncmp(name, "union ", 6))
		want = K_UNION, name += 6;
	else if (!strncmp(name, "enum ", 5))
		want = K_ENUM, name += 5;
	while (*name == ' ')
		name++;
	for (size_t id = 1; id <= b->ntypes; id++) {
		const struct btf_type *t = type(b, (uint32_t)id);
		uint32_t k = kind_of(t);
		if (strcmp(str(b, t->name_off), name))
			continue;
		if (want ? k == (uint32_t)want || (want == K_ENUM && k == K_ENUM64)
		         : k == K_STRUCT || k == K_UNION)
			return (uint32_t)id;
		if (!want && !other && (k == K_TYPEDEF || k == K_INT || k == K_ENUM || k == K_ENUM64 ||
		                        k == K_FLOAT))
			other = (uint32_t)id;
	}
	return other;
}

bool btf_view(const struct btf *b, uint32_t id, struct btf_view *out)
{
	memset(out, 0, sizeof *out);
	if (!id) {
		out->kind = BTF_VOID;
		return true;
	}
	const struct btf_type *t = type(b, id);
	for (int i = 0; t && i < 16; i++) {     /* as resolve(), keeping the id */
		uint32_t k = kind_of(t);
		if (k != K_TYPEDEF && k != K_VOLATILE && k != K_CONST && k != K_RESTRICT && k != K_TYPE_TAG)
			break;
		id = t->size_or_type;
		t = type(b, id);
	}
	if (!id) {
		out->kind = BTF_VOID;
		return true;
	}
	if (!t)
		return false;
	out->id = id;
	uint32_t k = kind_of(t);
	switch (k) {
	case K_INT: {
		uint32_t enc;
		memcpy(&enc, t + 1, 4);
		out->kind = BTF_INT;
		out->size = t->size_or_type;
		out->is_signed = enc >> 24 & 1;
		break;
	}
	case K_ENUM: case K_ENUM64:
		out->kind = BTF_ENUM;
		out->size = t->size_or_type;
		out->is_signed = true;
		break;
	case K_PTR:
		out->kind = BTF_PTR;
		out->size = 8;
		out->ref = t->size_or_type;
		break;
	case K_ARRAY: {
		uint32_t a[3];          /* element type, index type, count */
		memcpy(a, t + 1, sizeof a);
		struct btf_view ev;
		out->kind = BTF_ARRAY;
		out->ref = a[0];
		out->nelem = a[2];
		out->size = btf_view(b, a[0], &ev) ? ev.size * a[2] : 0;
		break;
	}
	case K_STRUCT: case K_UNION:
		out->kind = k == K_STRUCT ? BTF_STRUCT : BTF_UNION;
		out->size = t->size_or_type;
		break;
	default:
		out->kind = BTF_OTHER;
		out->size = k == K_FLOAT ? t->size_or_type : 0;
	}
	return true;
}

bool btf_member(const struct btf *b, uint32_t sid, const char *name, uint32_t *mtype,
                uint64_t *bitoff, uint32_t *bitsize)
{
	const struct btf_type *t = resolve(b, sid);
	uint32_t k = kind_of(t);

	if (k != K_STRUCT && k != K_UNION)
		return false;
	bool kflag = t->info >> 31;
	const uint32_t *m = (const void *)(t + 1);
	for (uint32_t i = 0; i < (t->info & 0xffff); i++, m += 3) {
		uint64_t off = kflag ? (m[2] & 0xffffff) : m[2];
		uint32_t bsz = kflag ? m[2] >> 24 : 0;
		const char *mn = str(b, m[0]);
		if (!*mn) {           /* an anonymous struct/union: its members are ours */
			uint64_t inner;
			if (btf_member(b, m[1], name, mtype, &inner, bitsize)) {
				*bitoff = off + inner;
				return true;
			}
			continue;
		}
		if (strcmp(mn, name))
			continue;
		*mtype = m[1];
		*bitoff = off;
		*bitsize = bsz;
		return true;
	}
	return false;
}

static void names_into(const struct btf *b, uint32_t sid, char *out, size_t n, int depth)
{
	const struct btf_type *t = resolve(b, sid);
	uint32_t k = kind_of(t);

	if ((k != K_STRUCT && k != K_UNION) || depth > 8)
		return;
	const uint32_t *m = (const void *)(t + 1);
	for (uint32_t i = 0; i < (t->info & 0xffff); i++, m += 3) {
		const char *mn = str(b, m[0]);
		size_t len = strlen(out);
		if (!*mn)
			names_into(b, m[1], out, n, depth + 1);
		else if (len + strlen(mn) + 3 < n)
			snprintf(out + len, n - len, "%s%s", len ? ", " : "", mn);
	}
}

void btf_member_names(const struct btf *b, uint32_t sid, char *out, size_t n)
{
	if (n)
		out[0] = 0;
	names_into(b, sid, out, n, 0);
}

void btf_type_name(const struct btf *b, uint32_t id, char *out, size_t n)
{
	type_name(b, id, out, n, 0);
}
