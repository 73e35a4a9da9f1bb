/*
** dw_tvar: resolve one $target access at a probe address, as stap's
** dwarf_var_expanding_visitor does: $local/$param in the scopes at pc (then the CU's
** globals), $$vars/$$parms/$$locals/$$return, $return, @var("name@file"), @cast(p, "type"),
** then ->field / [i] / & / $ / $$ into a dwv (dwvar.h), with stap's error texts.
*/
#include <dlfcn.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "arena.h"
#include "dwvar.h"
#include "session.h"

struct tq {
	struct session *s;
	struct dw_module *m;
	struct arena *a;
	struct exp *e;
	uint64_t pc;
	Dwarf_Die cu, *scopes;
	int nscopes;
	char saw[256];
};

static int fail(struct tq *q, const struct srcpos *pos, const char *saw, const char *fmt,
                const char *a1, const char *a2)
{
	diag_error(&q->s->diag, "semantic", pos ? pos : &q->e->pos, saw ? saw : q->saw, fmt,
	           a1 ? a1 : "", a2 ? a2 : "");
	return -1;
}

/* The module @var(..., "M") / @cast(..., "M") names: a path, else (a bare soname, or a path
   this system lays out otherwise: stap's tapsets say "/lib64/libc.so.6", Debian has it in its
   multiarch directory) that file name in the C library's directory and the usual ones. */
static struct dw_module *named_module(struct tq *q, const char *name)
{
	struct dw_module *m = dw_module_get(q->s, name);
	const char *base = strrchr(name, '/');
	const char *dirs[] = { NULL, "/lib64", "/usr/lib64", "/lib", "/usr/lib" };
	char libc_dir[PATH_MAX], path[PATH_MAX + 256];
	Dl_info di;

	if (m)
		return m;
	base = base ? base + 1 : name;
	if (dladdr((void *)&printf, &di) && di.dli_fname && strrchr(di.dli_fname, '/')) {
		snprintf(libc_dir, sizeof libc_dir, "%.*s",
		         (int)(strrchr(di.dli_fname, '/') - di.dli_fname), di.dli_fname);
		dirs[0] = libc_dir;
	}
	for (size_t i = 0; !m && i < sizeof dirs / sizeof dirs[0]; i++)
		if (dirs[i] && snprintf(path, sizeof path, "%s/%s", dirs[i], base) > 0 &&
		    access(path, R_OK) == 0)
			m = dw_module_get(q->s, path);
	return m;
}

/* ---- ->field / [i] ---- */

struct walk {
	struct step steps[64];
	int n;
	Dwarf_Die type;
	int bitsize, bitoff;
	int nidx;                   /* COMP_INDEX_EXP seen so far (+1 for @cast's pointer) */
	bool is_const;              /* an enumerator reached through ->name: cval, no place */
	bool cast_top;              /* @cast(p, "T") before its first component: p is a T* */
	int64_t cval;
};

static void add_step(struct walk *w, uint8_t kind, int idx, int64_t n)
{
	if (w->n < 64)
		w->steps[w->n++] = (struct step){ kind, idx, n };
}

/* An enumerator of an enumeration type declared directly inside parent (a scope or a
   struct): stap takes $name / ->name for that constant when nothing else has the name. */
static bool find_enumerator(Dwarf_Die *parent, const char *name, Dwarf_Die *type,
                            int64_t *val)
{
	Dwarf_Die t, e;
	Dwarf_Attribute at;
	Dwarf_Sword sv;

	if (dwarf_child(parent, &t) != 0)
		return false;
	do {
		if (dwarf_tag(&t) != DW_TAG_enumeration_type || dwarf_child(&t, &e) != 0)
			continue;
		do {
			const char *n = dwarf_diename(&e);
			if (dwarf_tag(&e) == DW_TAG_enumerator && n && !strcmp(n, name) &&
			    dwarf_formsdata(dwarf_attr(&e, DW_AT_const_value, &at), &sv) == 0) {
				*type = t;
				*val = sv;
				return true;
			}
		} while (dwarf_siblingof(&e, &e) == 0);
	} while (dwarf_siblingof(&t, &t) == 0);
	return false;
}

/* A member by name, looking inside anonymous struct/union members too. */
static bool find_member(Dwarf_Die *st, const char *name, Dwarf_Die *mem, int64_t *off)
{
	Dwarf_Die m, mt, r;
	Dwarf_Attribute at;

	if (dwarf_child(st, &m) != 0)
		return false;
	do {
		if (dwarf_tag(&m) != DW_TAG_member)
			continue;
		Dwarf_Word o = 0;
		dwarf_formudata(dwarf_attr_integrate(&m, DW_AT_data_member_location, &at), &o);
		const char *mn = dwarf_diename(&m);
		if (mn && !strcmp(mn, name)) {
			*mem = m;
			*off = (int64_t)o;
			return true;
		}
		if (!mn && dwarf_formref_die(dwarf_attr_integrate(&m, DW_AT_type, &at), &mt) &&
		    dwt_resolve(&mt, &r) && find_member(&r, name, mem, off)) {
			*off += (int64_t)o;
			return true;
		}
	} while (dwarf_siblingof(&m, &m) == 0);
	/* then the base classes (C++ inheritance): a derived member masks a base's */
	dwarf_child(st, &m);
	do {
		Dwarf_Word o = 0;
		if (dwarf_tag(&m) != DW_TAG_inheritance ||
		    !dwarf_formref_die(dwarf_attr_integrate(&m, DW_AT_type, &at), &mt) ||
		    !dwt_resolve(&mt, &r))
			continue;
		dwarf_formudata(dwarf_attr_integrate(&m, DW_AT_data_member_location, &at), &o);
		if (find_member(&r, name, mem, off)) {
			*off += (int64_t)o;
			return true;
		}
	} while (dwarf_siblingof(&m, &m) == 0);
	return false;
}

static const char *member_names(struct tq *q, Dwarf_Die *st)
{
	struct strbuf sb;
	Dwarf_Die m;

	sb_init(&sb);
	sb_puts(&sb, "");
	if (dwarf_child(st, &m) == 0)
		do {
			if (dwarf_tag(&m) == DW_TAG_member && dwarf_diename(&m))
				sb_printf(&sb, "%s%s", sb.len ? ", " : "", dwarf_diename(&m));
		} while (dwarf_siblingof(&m, &m) == 0);
	const char *r = arena_strdup(q->a, sb.buf);
	sb_free(&sb);
	return r;
}

static bool pointee(Dwarf_Die *r, Dwarf_Die *out)
{
	Dwarf_Attribute at;
	int tag = dwarf_tag(r);
	return (tag == DW_TAG_pointer_type || tag == DW_TAG_reference_type ||
	        tag == DW_TAG_rvalue_reference_type) &&
	       dwarf_formref_die(dwarf_attr_integrate(r, DW_AT_type, &at), out);
}

static int walk_field(struct tq *q, struct walk *w, struct tcomp *c)
{
	Dwarf_Die r, mem;
	Dwarf_Attribute at;
	int64_t off;
	char acc[300];

	snprintf(acc, sizeof acc, "->%s", c->field);
	if (!dwt_resolve(&w->type, &r))
		return fail(q, &c->pos, "operator '->'", "invalid access '%s' vs. void%s", acc, NULL);
	if (pointee(&r, &w->type)) {
		add_step(w, ST_DEREF, 0, dwt_ptr_size(&r));
		if (!dwt_resolve(&w->type, &r))
			return fail(q, &c->pos, "operator '->'", "invalid access '%s' vs. void%s", acc, NULL);
	}
	int tag = dwarf_tag(&r);
	if (tag != DW_TAG_structure_type && tag != DW_TAG_union_type && tag != DW_TAG_class_type)
		return fail(q, &c->pos, "operator '->'", "invalid access '%s' vs. %s", acc,
		            dwt_struct_name(&r, q->a));
	if (!find_member(&r, c->field, &mem, &off)) {
		if (find_enumerator(&r, c->field, &w->type, &w->cval)) {
			w->is_const = true;
			w->n = 0;
			return 0;
		}
		char msg[600];
		snprintf(msg, sizeof msg, "unable to find member '%s' for %s (alternatives: %s)",
		         c->field, dwt_struct_name(&r, q->a), member_names(q, &r));
		return fail(q, &c->pos, "operator '->'", "%s%s", msg, NULL);
	}
	if (off)
		add_step(w, ST_ADD, 0, off);
	dwarf_formref_die(dwarf_attr_integrate(&mem, DW_AT_type, &at), &w->type);
	w->bitsize = dwarf_bitsize(&mem) > 0 ? dwarf_bitsize(&mem) : 0;
	if (w->bitsize) {
		Dwarf_Word dbo = 0;
		dwarf_formudata(dwarf_attr_integrate(&mem, DW_AT_data_bit_offset, &at), &dbo);
		add_step(w, ST_ADD, 0, (int64_t)(dbo / 8));
		w->bitoff = (int)(dbo % 8);
	}
	return 0;
}

static int walk_index(struct tq *q, struct walk *w, struct tcomp *c)
{
	Dwarf_Die r, et;
	Dwarf_Attribute at;
	Dwarf_Word esz = 0;
	char acc[64];

	if (c->kind == COMP_INDEX_NUM)
		snprintf(acc, sizeof acc, "[%lld]", (long long)c->num);
	else
		snprintf(acc, sizeof acc, "[...]");
	if (!dwt_resolve(&w->type, &r))
		return fail(q, NULL, NULL, "invalid access '%s' vs. void%s", acc, NULL);
	if (w->cast_top && dwarf_tag(&r) != DW_TAG_array_type && dwarf_tag(&r) != DW_TAG_pointer_type) {
		et = w->type;      /* stap: @cast(p, "T")[i] indexes p as a T* */
	} else if (dwarf_tag(&r) == DW_TAG_array_type) {
		if (!dwarf_formref_die(dwarf_attr_integrate(&r, DW_AT_type, &at), &et))
			return fail(q, NULL, NULL, "invalid access '%s' vs. void%s", acc, NULL);
	} else if (pointee(&r, &et)) {
		add_step(w, ST_DEREF, 0, dwt_ptr_size(&r));
	} else {
		return fail(q, NULL, NULL, "invalid access '%s' for %s", acc,
		            dwt_struct_name(&r, q->a));
	}
	Dwarf_Die er;
	if (!dwt_resolve(&et, &er) || dwarf_aggregate_size(&er, &esz) != 0)
		esz = 1;
	if (c->kind == COMP_INDEX_NUM)
		add_step(w, ST_ADD, 0, c->num * (int64_t)esz);
	else
		add_step(w, ST_INDEX, w->nidx++, (int64_t)esz);
	w->type = et;
	w->bitsize = 0;
	return 0;
}

static int walk_comps(struct tq *q, struct walk *w, int *pretty)
{
	*pretty = 0;
	for (int i = 0; i < q->e->comps.n; i++) {
		struct tcomp *c = q->e->comps.v[i];
		int r = 0;
		if (c->kind == COMP_PRETTY)
			*pretty = c->pretty;
		else if (c->kind == COMP_FIELD)
			r = walk_field(q, w, c);
		else
			r = walk_index(q, w, c);
		if (r < 0)
			return -1;
		w->cast_top = false;
	}
	return 0;
}

/* The value at the end of the walk: scalar, address (arrays, &), or pretty text. */
static int finish(struct tq *q, struct walk *w, int pretty, struct dwv *v)
{
	Dwarf_Die r;

	if (w->is_const) {
		v->base = B_CONST;
		v->cval = w->cval;
	}
	v->steps = arena_alloc(q->a, (w->n ? w->n : 1) * sizeof *v->steps);
	memcpy(v->steps, w->steps, w->n * sizeof *v->steps);
	v->nsteps = w->n;
	if (q->e->addr_of) {
		v->fin = FIN_ADDR;
		return 0;
	}
	if (pretty) {
		v->fin = FIN_PRETTY;
		v->pretty = dwt_plan(q->a, &w->type, pretty == 2);
		return 0;
	}
	if (!dwt_resolve(&w->type, &r))
		return fail(q, NULL, NULL, "cannot access a void value%s%s", NULL, NULL);
	int tag = dwarf_tag(&r);
	if (tag == DW_TAG_array_type) {
		v->fin = FIN_ADDR;      /* an array is its address, as in C */
		return 0;
	}
	if (tag == DW_TAG_structure_type || tag == DW_TAG_union_type || tag == DW_TAG_class_type) {
		char msg[600];
		const char *file = dwarf_decl_file(&r);
		int line = 0;
		Dwarf_Die m;
		const char *first = "";
		dwarf_decl_line(&r, &line);
		if (dwarf_child(&r, &m) == 0 && dwarf_diename(&m))
			first = dwarf_diename(&m);
		snprintf(msg, sizeof msg, "'%s' (%s:%d) is being accessed instead of a member such as '->%s'",
		         dwt_struct_name(&r, q->a), file ? file : "?", line, first);
		return fail(q, NULL, NULL, "%s%s", msg, NULL);
	}
	if (!dwt_scalar(&w->type, &v->sc))
		return fail(q, NULL, NULL, "unsupported type '%s'%s", dwt_struct_name(&r, q->a), NULL);
	v->fin = FIN_SCALAR;
	if (w->bitsize) {
		v->sc.bitsize = w->bitsize;
		v->sc.bitoff = w->bitoff;
		v->sc.size = (w->bitoff + w->bitsize + 7) / 8;
	}
	return 0;
}

/* ---- finding the variable ---- */

static void local_names(struct tq *q, struct strbuf *sb)
{
	Dwarf_Die v;
	if (q->nscopes <= 0 || dwarf_child(&q->scopes[0], &v) != 0)
		return;
	do {       /* stap lists the innermost scope's names */
		int tag = dwarf_tag(&v);
		if ((tag == DW_TAG_variable || tag == DW_TAG_formal_parameter) && dwarf_diename(&v))
			sb_printf(sb, "%s$%s", sb->len ? ", " : "", dwarf_diename(&v));
	} while (dwarf_siblingof(&v, &v) == 0);
}

static int no_local(struct tq *q, const char *name)
{
	struct strbuf sb;
	char msg[1024];
	Dwarf_Die *sd = q->nscopes > 0 ? &q->scopes[0] : &q->cu;

	sb_init(&sb);
	sb_puts(&sb, "");
	local_names(q, &sb);
	snprintf(msg, sizeof msg,
	         "unable to find local '%s', [man error::dwarf] dieoffset %#llx in %s, near pc %#llx "
	         "in %s %s (%s%s)",
	         name, (unsigned long long)dwarf_dieoffset(sd), q->m->path,
	         (unsigned long long)q->pc, dwarf_diename(sd) ? dwarf_diename(sd) : "<unknown>",
	         dwarf_diename(&q->cu) ? dwarf_diename(&q->cu) : "<unknown>",
	         sb.len ? "alternatives: " : "<no alternatives>", sb.len ? sb.buf : "");
	if (sb.len)
		strncat(msg, ")", sizeof msg - strlen(msg) - 1);
	sb_free(&sb);
	return fail(q, NULL, NULL, "%s%s", msg, NULL);
}

static int locate(struct tq *q, Dwarf_Die *var, const char *name, struct dwv *v)
{
	const char *why = NULL;
	char msg[512];

	if (dwv_locate(q->m, q->a, var, q->scopes, q->nscopes, q->pc, v, &why) == 0)
		return 0;
	if (!strcmp(why, "failed to retrieve location attribute"))
		snprintf(msg, sizeof msg, "failed to retrieve location attribute for '%s' "
		         "[man error::dwarf]", name);
	else
		snprintf(msg, sizeof msg, "%s for '%s' at pc %#llx [man error::dwarf]", why, name,
		         (unsigned long long)q->pc);
	return fail(q, NULL, NULL, "%s%s", msg, NULL);
}

/* A CU-level variable name[@file] in any CU (globals and file statics), a definition first. */
static bool find_global(struct tq *q, const char *name, const char *file, Dwarf_Die *var)
{
	Dwarf_Off off = 0, next;
	size_t hs;
	bool found = false;

	/* a definition wins over a declaration (extern in another CU) */
	while (dwarf_nextcu(q->m->dw, off, &next, &hs, NULL, NULL, NULL) == 0) {
		Dwarf_Die cu, v;
		Dwarf_Off cuoff = off + hs;
		off = next;
		if (!dwarf_offdie(q->m->dw, cuoff, &cu) || dwarf_child(&cu, &v) != 0)
			continue;
		if (file && !dw_file_match(file, dwarf_diename(&cu)))
			continue;
		do {
			const char *n = dwarf_diename(&v);
			if (dwarf_tag(&v) != DW_TAG_variable || !n || strcmp(n, name))
				continue;
			*var = v;
			found = true;
			if (!dwarf_hasattr(&v, DW_AT_declaration))
				return true;
		} while (dwarf_siblingof(&v, &v) == 0);
	}
	return found;
}

/* An enumerator at the top of any CU (in file when given), for @var("name[@file]"). */
static bool global_enumerator(struct tq *q, const char *name, const char *file, Dwarf_Die *type,
                              int64_t *val)
{
	Dwarf_Off off = 0, next;
	size_t hs;

	while (dwarf_nextcu(q->m->dw, off, &next, &hs, NULL, NULL, NULL) == 0) {
		Dwarf_Die cu;
		Dwarf_Off cuoff = off + hs;
		off = next;
		if (!dwarf_offdie(q->m->dw, cuoff, &cu))
			continue;
		if (file && !dw_file_match(file, dwarf_diename(&cu)))
			continue;
		if (find_enumerator(&cu, name, type, val))
			return true;
	}
	return false;
}

/* A named type for @cast: "struct foo" (or "class foo": the same, as stap indexes them),
   "union u", "enum e", else a typedef or base type of that name, else (stap's fallback for
   bare names, C++ classes) a struct/class, union or enum of that name. */
static bool type_by_tag(struct tq *q, const char *name, int tag, Dwarf_Die *out)
{
	Dwarf_Off off = 0, next;
	size_t hs;

	while (dwarf_nextcu(q->m->dw, off, &next, &hs, NULL, NULL, NULL) == 0) {
		Dwarf_Die cu, t;
		Dwarf_Off cuoff = off + hs;
		off = next;
		if (!dwarf_offdie(q->m->dw, cuoff, &cu) || dwarf_child(&cu, &t) != 0)
			continue;
		do {
			int tt = dwarf_tag(&t);
			const char *n = dwarf_diename(&t);
			if (!n || strcmp(n, name) || dwarf_hasattr(&t, DW_AT_declaration))
				continue;
			if (tag == DW_TAG_structure_type ? tt == tag || tt == DW_TAG_class_type :
			    tag ? tt == tag : (tt == DW_TAG_typedef || tt == DW_TAG_base_type)) {
				*out = t;
				return true;
			}
		} while (dwarf_siblingof(&t, &t) == 0);
	}
	return false;
}

static bool find_type(struct tq *q, const char *spec, Dwarf_Die *out)
{
	static const struct { const char *kw; int tag; } kws[] = {
		{ "struct ", DW_TAG_structure_type }, { "union ", DW_TAG_union_type },
		{ "enum ", DW_TAG_enumeration_type }, { "class ", DW_TAG_structure_type },
	};

	for (size_t i = 0; i < sizeof kws / sizeof kws[0]; i++)
		if (!strncmp(spec, kws[i].kw, strlen(kws[i].kw)))
			return type_by_tag(q, spec + strlen(kws[i].kw), kws[i].tag, out);
	return type_by_tag(q, spec, 0, out) ||
	       type_by_tag(q, spec, DW_TAG_structure_type, out) ||
	       type_by_tag(q, spec, DW_TAG_union_type, out) ||
	       type_by_tag(q, spec, DW_TAG_enumeration_type, out);
}

/* The function around pc (for $return and $$parms). */
static Dwarf_Die *scope_func(struct tq *q)
{
	for (int i = 0; i < q->nscopes; i++)
		if (dwarf_tag(&q->scopes[i]) == DW_TAG_subprogram)
			return &q->scopes[i];
	return NULL;
}

/* ---- the forms ---- */

static int finish_walk(struct tq *q, struct walk *w, struct dwv *v)
{
	int pretty;
	if (walk_comps(q, w, &pretty) < 0)
		return -1;
	return finish(q, w, pretty, v);
}

/* A variable only the abstract origin of an inlined instance around pc declares (gcc leaves
   constants, DW_AT_const_value, out of the concrete instance). */
static bool origin_var(struct tq *q, const char *name, Dwarf_Die *var)
{
	for (int i = 0; i < q->nscopes; i++) {
		Dwarf_Die o;
		Dwarf_Attribute at;
		if (dwarf_tag(&q->scopes[i]) == DW_TAG_inlined_subroutine &&
		    dwarf_formref_die(dwarf_attr(&q->scopes[i], DW_AT_abstract_origin, &at), &o) &&
		    dwarf_getscopevar(&o, 1, name, 0, NULL, 0, 0, var) >= 0)
			return true;
	}
	return false;
}

static int tvar_local(struct tq *q, const char *name, struct dwv *v)
{
	Dwarf_Die var;
	Dwarf_Attribute at;
	struct walk w = { .n = 0 };

	if (dwarf_getscopevar(q->scopes, q->nscopes, name, 0, NULL, 0, 0, &var) < 0 &&
	    !origin_var(q, name, &var) && !find_global(q, name, NULL, &var)) {
		for (int i = 0; i <= q->nscopes; i++)   /* the scopes, then the CU */
			if (find_enumerator(i < q->nscopes ? &q->scopes[i] : &q->cu, name, &w.type,
			                    &v->cval)) {
				v->base = B_CONST;
				return finish_walk(q, &w, v);
			}
		return no_local(q, name);
	}
	if (locate(q, &var, name, v) < 0)
		return -1;
	if (!dwarf_formref_die(dwarf_attr_integrate(&var, DW_AT_type, &at), &w.type))
		return fail(q, NULL, NULL, "no type for '%s'%s", name, NULL);
	return finish_walk(q, &w, v);
}

/* i386 (CU address size 4): a 64-bit scalar comes back in edx:eax */
static bool ret_in_pair(Dwarf_Die *fn, const struct scalar *sc)
{
	Dwarf_Die cu;
	uint8_t as = 8;
	return sc->size == 8 && dwarf_diecu(fn, &cu, &as, NULL) && as == 4;
}

static int tvar_return(struct tq *q, bool is_return, struct dwv *v)
{
	Dwarf_Die *fn = scope_func(q);
	Dwarf_Attribute at;
	struct walk w = { .n = 0 };

	if (!is_return || !fn)
		return fail(q, NULL, NULL, "unable to find local 'return', [man error::dwarf] "
		            "only available in .return probes%s%s", NULL, NULL);
	if (!dwarf_formref_die(dwarf_attr_integrate(fn, DW_AT_type, &at), &w.type))
		return fail(q, NULL, NULL, "function '%s' has no return value%s",
		            dwarf_diename(fn), NULL);
	v->base = B_RETREG;
	v->retreg = 0;          /* DWARF register 0: rax on x86_64, x0 on aarch64 */
	if (finish_walk(q, &w, v) < 0)
		return -1;
	v->ret_pair = v->fin == FIN_SCALAR && v->nsteps == 0 && ret_in_pair(fn, &v->sc);
	return 0;
}

static int tvar_atvar(struct tq *q, struct dwv *v)
{
	char name[256];
	const char *at = strchr(q->e->str, '@');
	Dwarf_Die var;
	Dwarf_Attribute a;
	struct walk w = { .n = 0 };

	snprintf(name, sizeof name, "%.*s", at ? (int)(at - q->e->str) : 255, q->e->str);
	if (q->e->module && *q->e->module) {    /* @var("name", "/path/lib.so") */
		struct dw_module *m = named_module(q, q->e->module);
		if (!m || !m->dw)
			return fail(q, NULL, "operator '@var'", "unable to find global '%s' in %s", name,
			            q->e->module);
		v->other = m;   /* its load bias is looked up at the hit (also in begin probes) */
		q->m = m;
	}
	if (!find_global(q, name, at ? at + 1 : NULL, &var)) {
		if (global_enumerator(q, name, at ? at + 1 : NULL, &w.type, &v->cval)) {
			v->base = B_CONST;
			return finish_walk(q, &w, v);
		}
		char where[4400];   /* stap: the module as written, ", in CU" */
		snprintf(where, sizeof where, "%s%s%s", q->e->module && *q->e->module ? q->e->module :
		         q->m->path, at ? ", in " : "", at ? at + 1 : "");
		return fail(q, NULL, "operator '@var'", "unable to find global '%s' in %s", name, where);
	}
	if (locate(q, &var, name, v) < 0)
		return -1;
	if (!dwarf_formref_die(dwarf_attr_integrate(&var, DW_AT_type, &a), &w.type))
		return fail(q, NULL, NULL, "no type for '%s'%s", name, NULL);
	return finish_walk(q, &w, v);
}

static int tvar_cast(struct tq *q, struct dwv *v)
{
	struct walk w = { .n = 0, .nidx = 1, .cast_top = true };
	const char *mod = q->e->module;

	/* @cast(p, "type", "/path/lib.so"): the type from that module's DWARF ("<header.h>"
	   modules would need a compiler: refused) */
	if (mod && *mod) {
		struct dw_module *m = mod[0] == '<' ? NULL : named_module(q, mod);
		if (!m || !m->dw)
			return fail(q, NULL, "operator '@cast'", "type definition '%s' not found in '%s'",
			            q->e->str, mod);
		q->m = m;
	}
	if (!find_type(q, q->e->str, &w.type))
		return fail(q, NULL, "operator '@cast'", "type definition '%s' not found in '%s'",
		            q->e->str, q->m->path);
	v->base = B_PTRARG;     /* idx[0]: the pointer value */
	return finish_walk(q, &w, v);
}

static void vars_grow(struct tq *q, struct dwv *v, int *cap)
{
	if (v->nvars < *cap)
		return;
	*cap = *cap ? 2 * *cap : 16;
	const char **nn = arena_alloc(q->a, *cap * sizeof *nn);
	const char **nl = arena_alloc(q->a, *cap * sizeof *nl);
	struct dwv **nv = arena_alloc(q->a, *cap * sizeof *nv);
	if (v->nvars) {
		memcpy(nn, v->vnames, v->nvars * sizeof *nn);
		memcpy(nl, v->vlits, v->nvars * sizeof *nl);
		memcpy(nv, v->vars, v->nvars * sizeof *nv);
	}
	v->vnames = nn, v->vlits = nl, v->vars = nv;
}

/* $$return: "return=0x2a" (or its pretty form); empty for a void function. */
static int vars_return(struct tq *q, bool is_return, struct dwv *v)
{
	Dwarf_Die *fn = scope_func(q), t;
	Dwarf_Attribute at;
	int cap = 0;

	if (!is_return || !fn || !dwarf_formref_die(dwarf_attr_integrate(fn, DW_AT_type, &at), &t))
		return 0;
	struct dwv *x = arena_alloc(q->a, sizeof *x);
	x->base = B_RETREG;
	if (v->vars_pretty) {
		x->fin = FIN_PRETTY;
		x->pretty = dwt_plan(q->a, &t, false);
	} else if (dwt_scalar(&t, &x->sc)) {
		x->fin = FIN_SCALAR;
		x->ret_pair = ret_in_pair(fn, &x->sc);
	} else {
		return 0;
	}
	vars_grow(q, v, &cap);
	v->vnames[0] = "return";
	v->vars[0] = x;
	v->nvars = 1;
	return 0;
}

/* $$vars, $$parms, $$locals (and $$return in .return probes). */
static int tvar_vars(struct tq *q, const char *which, bool is_return, struct dwv *v)
{
	bool pretty = false;
	int cap = 0;

	for (int i = 0; i < q->e->comps.n; i++)
		if (((struct tcomp *)q->e->comps.v[i])->kind == COMP_PRETTY)
			pretty = true;
	v->fin = FIN_VARS;
	v->vars_pretty = pretty;
	if (!strcmp(which, "$$return"))
		return vars_return(q, is_return, v);
	for (int s = 0; s < q->nscopes; s++) {
		Dwarf_Die d;
		if (dwarf_tag(&q->scopes[s]) == DW_TAG_compile_unit || dwarf_child(&q->scopes[s], &d))
			break;
		do {
			int tag = dwarf_tag(&d);
			const char *n = dwarf_diename(&d);
			if (!n || (tag != DW_TAG_variable && tag != DW_TAG_formal_parameter))
				continue;
			if ((tag == DW_TAG_variable && !strcmp(which, "$$parms")) ||
			    (tag == DW_TAG_formal_parameter && !strcmp(which, "$$locals")))
				continue;
			vars_grow(q, v, &cap);
			int k = v->nvars++;
			v->vnames[k] = arena_strdup(q->a, n);
			v->vars[k] = NULL;
			v->vlits[k] = "=?";
			Dwarf_Die t, r;
			Dwarf_Attribute at;
			if (!dwarf_formref_die(dwarf_attr_integrate(&d, DW_AT_type, &at), &t))
				continue;
			if (!pretty && dwt_resolve(&t, &r)) {
				int rt = dwarf_tag(&r);
				if (rt == DW_TAG_structure_type || rt == DW_TAG_union_type ||
				    rt == DW_TAG_class_type) {
					v->vlits[k] = "={...}";
					continue;
				}
				if (rt == DW_TAG_array_type) {
					v->vlits[k] = "=[...]";
					continue;
				}
			}
			struct dwv *x = arena_alloc(q->a, sizeof *x);
			const char *why;
			if (dwv_locate(q->m, q->a, &d, q->scopes, q->nscopes, q->pc, x, &why) < 0)
				continue;
			if (pretty) {
				x->fin = FIN_PRETTY;
				x->pretty = dwt_plan(q->a, &t, false);
			} else if (dwt_scalar(&t, &x->sc)) {
				x->fin = FIN_SCALAR;
			} else {
				continue;
			}
			v->vars[k] = x;
		} while (dwarf_siblingof(&d, &d) == 0);
	}
	return 0;
}

int dw_tvar(struct session *s, struct dw_module *m, uint64_t pc, bool is_return,
            struct exp *e, struct tvar *out)
{
	struct tq q = { s, m, &s->arena, e, pc };
	struct dwv *v = arena_alloc(&s->arena, sizeof *v);
	int r;

	snprintf(q.saw, sizeof q.saw, "%s", e->kind == E_CAST ? "operator '@cast'" :
	         e->kind == E_ATVAR ? "operator '@var'" : "identifier");
	if (e->kind == E_TARGET)
		snprintf(q.saw, sizeof q.saw, "identifier '%s'", e->str);
	if (!m->dw && !((e->kind == E_CAST || e->kind == E_ATVAR) && e->module && *e->module)) {
		diag_error(&s->diag, "semantic", &e->pos, q.saw,
		           "debuginfo scope not found for module '%s', cannot resolve context "
		           "variable [man error::dwarf]", m->path);
		return -1;
	}
	if (e->kind == E_TARGET && !dwarf_addrdie(m->dw, pc, &q.cu)) {
		diag_error(&s->diag, "semantic", &e->pos, q.saw,
		           "no debuginfo at pc %#llx in '%s' [man error::dwarf]",
		           (unsigned long long)pc, m->path);
		return -1;
	}
	q.nscopes = e->kind == E_TARGET ? dw_scopes_at(m, &q.cu, pc, &q.scopes) : 0;
	if (q.nscopes < 0)
		q.nscopes = 0;
	if (e->kind == E_CAST)
		r = tvar_cast(&q, v);   /* may switch q.m to the named module */
	else if (e->kind == E_ATVAR)
		r = tvar_atvar(&q, v);
	else if (e->kind != E_TARGET)
		r = fail(&q, NULL, NULL, "unsupported target expression%s%s", NULL, NULL);
	else if (!strncmp(e->str, "$$", 2))
		r = tvar_vars(&q, e->str, is_return, v);
	else if (!strcmp(e->str, "$return"))
		r = tvar_return(&q, is_return, v);
	else
		r = tvar_local(&q, e->str + 1, v);
	free(q.scopes);
	if (r < 0)
		return -1;
	/* In a .return probe (pc is the entry), $param and $$parms are the entry values, as
	   stap's: evaluated with the registers saved at entry (ctx_ops.entry_reg). */
	if (is_return && v->base == B_LOC)
		v->at_entry = true;
	for (int i = 0; is_return && i < v->nvars; i++)
		if (v->vars[i] && v->vars[i]->base == B_LOC)
			v->vars[i]->at_entry = true;
	dwv_bind(v, out, s->opt.guru && (v->fin == FIN_SCALAR));
	return 0;
}
