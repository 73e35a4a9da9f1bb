/*
** SDT markers: the .note.stapsdt notes of a module (probe pc, semaphore, "N@OP" arguments,
** addresses adjusted by .stapsdt.base as stap's sdt_query does), their expansion into
** breakpoint probes, $argN read at a hit, -l/-L text, and the per-process semaphore counts.
*/
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <gelf.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "context.h"
#include "dwarf.h"
#include "elab.h"
#include "engine.h"
#include "lex.h"
#include "prov_process.h"
#include "provider.h"
#include "sdt.h"
#include "session.h"

extern const struct provider prov_process;

#define SDT_NOTE_TYPE 3       /* sys/sdt.h's _SDT_NOTE_TYPE */

/* "-4@-12(%rbp)": size -4, operand "-12(%rbp)"; a symbol operand resolved in m. V1/V2
   operands have no "N@" (stap reads them as signed longs, here the target's: stap takes its
   own sizeof(long), 8 bytes of an i386 marker's 4-byte slot), and an '@' in one is the
   operand's own ("sym@GOTOFF(%ebx)", which stap does not read). */
static void parse_arg(struct session *s, struct dw_module *m, int mode, int version,
                      const char *tok, struct sdt_arg *a)
{
	const char *at = version == 3 ? strchr(tok, '@') : NULL;
	/* no size (asm probes): stap's unsigned long */
	a->size = at ? atoi(tok) : version == 3 ? arch_ptr_bytes(mode) : -arch_ptr_bytes(mode);
	a->text = at ? at + 1 : tok;
	a->ok = arch_sdt_operand_mode(a->text, mode, &a->op) == 0;
	if (a->ok && a->op.sym[0]) {
		uint64_t addr, size;
		a->ok = m && dw_sym_addr(m, a->op.sym, &addr, &size) == 0;
		a->op.disp += a->ok ? (int64_t)addr : 0;
	}
}

static void parse_args(struct session *s, struct dw_module *m, int mode, const char *text,
                       struct sdt_note *n)
{
	char *copy = arena_strdup(&s->arena, text), *save = NULL, *tok[64];
	int ntok = 0, nat = 0;
	for (char *t = strtok_r(copy, " ", &save); t && ntok < 64; t = strtok_r(NULL, " ", &save))
		tok[ntok++] = t;
	/* stap PR13934: the count is the number of '@' (or of words without any); V1/V2 entries
	   hold the count themselves */
	for (const char *p = text; *p; p++)
		nat += *p == '@';
	if (n->version == 3)
		n->nargs = nat && nat < ntok ? nat : ntok;
	n->args = arena_alloc(&s->arena, (n->nargs ? n->nargs : 1) * sizeof(*n->args));
	for (int i = 0; i < n->nargs; i++) {
		if (i >= ntok) {     /* fewer operands than the V2 count says */
			n->args[i].text = "";
			continue;
		}
		parse_arg(s, m, mode, n->version, tok[i], &n->args[i]);
	}
}

/* One note's descriptor: pc, base, semaphore (class-sized), then provider\0name\0args\0. */
static bool note_fields(Elf *e, const char *d, size_t len, uint64_t base, struct sdt_note *n,
                        const char **args)
{
	uint64_t w[3] = { 0, 0, 0 };
	size_t aw = gelf_getclass(e) == ELFCLASS32 ? 4 : 8;
	if (len < 3 * aw + 3 || d[len - 1])
		return false;
	for (int i = 0; i < 3; i++) {
		uint32_t v32;
		if (aw == 4) {
			memcpy(&v32, d + 4 * i, 4);
			w[i] = v32;
		} else {
			memcpy(&w[i], d + 8 * i, 8);
		}
	}
	n->provider = d + 3 * aw;
	n->name = memchr(n->provider, 0, len - 3 * aw) + 1;
	if (n->name >= d + len)
		return false;
	*args = memchr(n->name, 0, d + len - n->name) + 1;
	if (*args >= d + len)
		return false;
	/* prelink may have moved the code: the note's base is where .stapsdt.base was then */
	n->pc = w[0] + (base ? base - w[1] : 0);
	n->sema = w[2] ? w[2] + (base ? base - w[1] : 0) : 0;
	return true;
}

struct note_scan {
	struct session *s;
	struct dw_module *m;
	int mode;                 /* the module's code: arch_elf_mode (x86_64 1: i386) */
	struct sdt_note *v;
	int n, cap;
};

/* stap's record_semaphore: a site without a semaphore address uses the symbol
   PROVIDER_NAME_semaphore, else NAME_semaphore, when the module has one */
static void sema_by_symbol(struct note_scan *q, struct sdt_note *n)
{
	uint64_t addr = 0, size;
	for (int i = 0; i < 2 && q->m && !n->sema; i++) {
		const char *sym = arena_printf(&q->s->arena, "%s%s%s_semaphore", i ? "" : n->provider,
		                               i ? "" : "_", n->name);
		if (dw_sym_addr(q->m, sym, &addr, &size) == 0)
			n->sema = addr;
	}
}

static void push_site(void *arg, struct sdt_note *n, const char *args)
{
	struct note_scan *q = arg;
	n->provider = arena_strdup(&q->s->arena, n->provider);
	n->name = arena_strdup(&q->s->arena, n->name);
	parse_args(q->s, q->m, q->mode, args, n);
	sema_by_symbol(q, n);
	if (q->n == q->cap) {
		q->cap = q->cap ? 2 * q->cap : 16;
		q->v = realloc(q->v, q->cap * sizeof(*q->v));
		if (!q->v)
			abort();
	}
	q->v[q->n++] = *n;
}

static void scan_section(struct note_scan *q, Elf *e, Elf_Scn *scn, uint64_t base)
{
	Elf_Data *data = elf_getdata(scn, NULL);
	GElf_Nhdr nh;
	size_t off = 0, noff, doff;
	while (data && (off = gelf_getnote(data, off, &nh, &noff, &doff)) > 0) {
		const char *d = (const char *)data->d_buf + doff, *args;
		struct sdt_note n = { .version = 3 };
		if (nh.n_type != SDT_NOTE_TYPE || nh.n_namesz != 8 ||
		    memcmp((const char *)data->d_buf + noff, "stapsdt", 8) ||
		    !note_fields(e, d, nh.n_descsz, base, &n, &args))
			continue;
		push_site(q, &n, args);
	}
}

/* The V1/V2 .probes section, as the file holds it (stap reads it raw: no relocations). */
static void scan_probes(struct note_scan *q, Elf *e, const GElf_Shdr *sh)
{
	Elf_Data *raw = sh->sh_type == SHT_NOBITS ? NULL :
	                elf_getdata_rawchunk(e, sh->sh_offset, sh->sh_size, ELF_T_BYTE);
	if (raw)
		sdt_probes_scan(raw->d_buf, raw->d_size, sh->sh_addr, push_site, q);
}

/* Every marker site of the file at path, in note order. Returns the count (0: none). */
static int load_notes(struct session *s, const char *path, struct dw_module *m, struct sdt_note **out)
{
	struct note_scan q = { s, m };
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	elf_version(EV_CURRENT);
	Elf *e = fd >= 0 ? elf_begin(fd, ELF_C_READ_MMAP, NULL) : NULL;
	size_t shstrndx;
	uint64_t base = 0;
	GElf_Shdr probes = { 0 };
	bool notes = false;
	GElf_Ehdr eh;
	if (e && gelf_getehdr(e, &eh))
		q.mode = arch_elf_mode(gelf_getclass(e), eh.e_machine) > 0 ? 1 : 0;
	if (e && elf_getshdrstrndx(e, &shstrndx) == 0) {
		for (int pass = 0; pass < 2; pass++)
			for (Elf_Scn *scn = NULL; (scn = elf_nextscn(e, scn));) {
				GElf_Shdr sh;
				const char *name = gelf_getshdr(scn, &sh) ? elf_strptr(e, shstrndx, sh.sh_name) : NULL;
				if (!name)
					continue;
				if (pass == 0 && !strcmp(name, ".stapsdt.base"))
					base = sh.sh_addr;
				if (pass == 0 && !strcmp(name, ".probes"))
					probes = sh;
				if (pass == 1 && sh.sh_type == SHT_NOTE && !strcmp(name, ".note.stapsdt")) {
					scan_section(&q, e, scn, base);
					notes = true;
				}
			}
		/* stap's init_probe_scn: the notes when there are any (V3 keeps its semaphores in
		   .probes), else the V1/V2 entries there */
		if (!notes && probes.sh_size)
			scan_probes(&q, e, &probes);
	}
	if (e)
		elf_end(e);
	if (fd >= 0)
		close(fd);
	*out = arena_alloc(&s->arena, (q.n ? q.n : 1) * sizeof(**out));
	if (q.n)
		memcpy(*out, q.v, q.n * sizeof(**out));
	free(q.v);
	return q.n;
}

static int comp_error(struct session *s, const struct probe_point *pt, int ci, const char *msg)
{
	const struct ppcomp *c = pt->comps.v[ci < pt->comps.n ? ci : pt->comps.n - 1];
	const char *desc = c->tok ? lex_describe(&s->arena, c->tok) :
	                   arena_printf(&s->arena, "identifier '%s'", c->functor);
	diag_error(&s->diag, "semantic", prov_comp_pos(s, &c->pos), desc, "%s", msg);
	return -1;
}

static const char *str_arg(const struct probe_point *pt, int i, const char *functor)
{
	const struct ppcomp *c = i < pt->comps.n ? pt->comps.v[i] : NULL;
	if (!c || strcmp(c->functor, functor) || !c->arg || c->arg->kind != E_STR)
		return NULL;
	return c->arg->str;
}

/* provider("") is any provider, as in stap's sdt_query (its pp_provider "" is unspecified) */
static bool prov_match(const char *prov, const char *provider)
{
	return !prov || !*prov || fnmatch(prov, provider, 0) == 0;
}

/* stap's "no match (similar marks: a, b)" from the module's marker names. */
static int no_match(struct session *s, const struct sdt_note *v, int n, const char *mark,
                    const char *prov)
{
	struct ptrvec names = { 0 };
	char similar[512] = "";
	for (int i = 0; i < n; i++) {
		bool dup = false;
		for (int j = 0; j < i && !dup; j++)
			dup = !strcmp(v[j].name, v[i].name);
		if (!dup && prov_match(prov, v[i].provider))
			ast_vec_push(&s->arena, &names, (void *)v[i].name);
	}
	elab_levenshtein_suggest(mark, &names, 5, similar, sizeof similar);
	if (similar[0])
		diag_error(&s->diag, "semantic", NULL, NULL, "no match (similar mark%s: %s)",
		           strchr(similar, ',') ? "s" : "", similar);
	else
		diag_error(&s->diag, "semantic", NULL, NULL, "no match");
	return -1;
}

static void add_site(struct session *s, struct probe *src, struct probe_point *pt,
                     const struct pprobe *proto, const struct sdt_note *n, const char *prov)
{
	struct dw_module *m = proto->dw;
	char pp[1024];
	snprintf(pp, sizeof pp, "process(\"%s\").statement(0x%" PRIx64 ")", proto->path, n->pc);
	struct dprobe *dp = sess_add_probe(s, &prov_process, src, pt, arena_strdup(&s->arena, pp));
	struct pprobe *p = arena_alloc(&s->arena, sizeof(*p));
	struct sdt_note *copy = arena_alloc(&s->arena, sizeof(*copy));
	*copy = *n;
	const char *lp = proto->list_prefix ? proto->list_prefix :   /* .library(): PLT's */
	                 arena_printf(&s->arena, "process(\"%s\")", proto->path);
	if (prov)
		snprintf(pp, sizeof pp, "%s.provider(\"%s\").mark(\"%s\")", lp, n->provider, n->name);
	else
		snprintf(pp, sizeof pp, "%s.mark(\"%s\")", lp, n->name);
	copy->list_pp = arena_strdup(&s->arena, pp);
	*p = *proto;
	p->dp = dp;
	p->kind = PK_CODE;
	p->addr = p->entry = n->pc;
	p->sdt = copy;
	const struct dw_func *f = m ? dw_func_at(m, n->pc) : NULL;
	p->func = f ? f->name : "";
	dp->data = p;
	dp->rewrites_point = true;
	if (m)
		dp->sig_note = arena_printf(&s->arena, "pc=%s+0x%" PRIx64, dw_module_is_pie(m) ?
		                            ".dynamic" : ".absolute", n->pc - dw_module_base(m));
}

int sdt_expand(struct session *s, struct probe *src, struct probe_point *pt, int ci,
               const struct pprobe *proto, const char *prefix)
{
	const char *prov = str_arg(pt, ci, "provider"), *mark;
	int mi = prov ? ci + 1 : ci;
	if (!prov && strcmp(((const struct ppcomp *)pt->comps.v[ci])->functor, "mark"))
		return comp_error(s, pt, ci, "probe point mismatch");
	if (prov && pt->comps.n == mi)
		return comp_error(s, pt, ci, "probe point truncated (follow:  mark(string))");
	if (!(mark = str_arg(pt, mi, "mark")))
		return comp_error(s, pt, mi, "probe point mismatch");
	if (pt->comps.n != mi + 1)
		return comp_error(s, pt, mi + 1, "invalid suffix for probe");
	/* dtrace's "-" in marker names is "__" in the notes (stap PR10245) */
	char *glob = arena_alloc(&s->arena, 2 * strlen(mark) + 1), *g = glob;
	for (const char *c = mark; *c; c++)
		g = *c == '-' ? memcpy(g, "__", 2) + 2 : (*g = *c, g + 1);
	*g = 0;
	struct pprobe pr = *proto;
	pr.dw = dw_module_get(s, proto->path);
	pr.is_exe = !strstr(proto->path, ".so");
	struct sdt_note *v;
	int n = load_notes(s, proto->path, pr.dw, &v), hits = 0;
	bool nodwarf = !pr.dw || !dw_module_has_dwarf(pr.dw), warned = false;
	for (int i = 0; i < n; i++) {
		if (fnmatch(glob, v[i].name, 0) || !prov_match(prov, v[i].provider))
			continue;
		/* stap resolves a V1 site as a DWARF statement probe: none without debuginfo */
		if (v[i].version == 1 && nodwarf) {
			if (!warned && !s->opt.list)
				diag_warn(&s->diag, NULL, "cannot find module %s debuginfo: No DWARF "
				          "information found [man warning::debuginfo]", proto->path);
			warned = true;
			continue;
		}
		add_site(s, src, pt, &pr, &v[i], prov);
		hits++;
	}
	if (hits || pt->optional)
		return hits;
	return no_match(s, v, n, mark, prov);
}

/* ---- $argN at a hit ---- */

/* v as the C type of an N@ size: N bytes, sign-extended when N < 0. */
static int64_t narrow(uint64_t v, int size)
{
	int bytes = size < 0 ? -size : size, bits = bytes * 8;
	if (bytes <= 0 || bytes >= 8)
		return (int64_t)v;
	v &= (1ull << bits) - 1;
	if (size < 0 && (v >> (bits - 1)))
		v |= ~0ull << bits;
	return (int64_t)v;
}

static int reg(struct ctx *c, int no, uint64_t *v)
{
	if (c->ops->reg(c, no, v) == 0)
		return 0;
	snprintf(c->err, sizeof c->err, "cannot read register %d for an SDT argument", no);
	return -1;
}

/* The value stap's sdt_uprobe_var_expanding_visitor makes of the operand: registers masked
   to their width (16/32-bit ones sign-extended for signed sizes) then cast to the size;
   memory read with user_int8 (1 and -1), user_[u]int16/32, user_int64, 0 on a fault. */
static int arg_value(struct ctx *c, const struct sdt_arg *a, int64_t *out)
{
	const struct arch_sdt_op *op = &a->op;
	uint64_t v = 0, b = 0, x = 0;
	if (op->kind == ARCH_SDT_CONST) {
		*out = narrow((uint64_t)op->disp, a->size);
		return 0;
	}
	if (op->kind == ARCH_SDT_REG) {
		if (reg(c, op->base, &v) < 0)
			return -1;
		v >>= op->shift;
		if (op->bytes < 8)
			v = (uint64_t)narrow(v, (a->size < 0 && op->bytes > 1) ? -op->bytes : op->bytes);
		*out = narrow(v, a->size);
		return 0;
	}
	if ((op->base >= 0 && reg(c, op->base, &b) < 0) || (op->index >= 0 && reg(c, op->index, &x) < 0))
		return -1;
	uint64_t addr = b + x * (uint64_t)op->scale + (uint64_t)op->disp + (op->sym[0] ? c->mod_bias : 0);
	int n = a->size < 0 ? -a->size : a->size;
	if (n != 1 && n != 2 && n != 4)
		n = 8;
	if (c->ops->read(c, addr, &v, n) < 0)
		v = 0;
	*out = narrow(v, (a->size < 0 || n == 1) ? -n : n);
	return 0;
}

enum { TV_ARG, TV_NAME, TV_PROVIDER, TV_PARMS };

struct sdt_tv {
	const struct sdt_note *n;
	int what, argno;
};

static int tv_read(struct ctx *c, const struct tvar *tv, const int64_t *idx, int64_t *l, char *str)
{
	const struct sdt_tv *t = tv->data;
	size_t max = (size_t)c->sess->lim.maxstringlen + 1;
	switch (t->what) {
	case TV_ARG:
		return arg_value(c, &t->n->args[t->argno - 1], l);
	case TV_NAME:
	case TV_PROVIDER:
		snprintf(str, max, "%s", t->what == TV_NAME ? t->n->name : t->n->provider);
		return 0;
	}
	size_t len = 0;
	str[0] = 0;
	for (int i = 0; i < t->n->nargs && len < max; i++) {
		int64_t v;
		if (arg_value(c, &t->n->args[i], &v) < 0)
			return -1;
		/* stap's %#x: 0 is 0x0 too */
		len += snprintf(str + len, max - len, "%s$arg%d=0x%" PRIx64, i ? " " : "", i + 1, (uint64_t)v);
	}
	return 0;
}

static int argno_of(const char *name)
{
	char *end;
	if (strncmp(name, "$arg", 4) || !name[4])
		return 0;
	long n = strtol(name + 4, &end, 10);
	return *end || n < 1 || n > 1000 ? 0 : (int)n;
}

/* What stap says when a marker variable is not one: the DWARF lookup at the marker, then
   its own chained reason. */
static int dwarf_fallback(struct session *s, struct pprobe *p, struct exp *e, struct tvar *out,
                          const char *why)
{
	if (p->dw && dw_tvar(s, p->dw, p->addr, false, e, out) == 0)
		return 0;
	diag_error(&s->diag, "semantic", &e->pos, elab_tokdesc(s, e), "%s", why);
	return -1;
}

/* stap's warning for an operand it cannot read (then it tries DWARF) */
static void warn_operand(struct session *s, const struct sdt_note *n, struct exp *e,
                         const struct sdt_arg *a)
{
	if (n->version == 3)
		diag_warn_tok(&s->diag, &e->pos, elab_tokdesc(s, e),
		              "Can't parse SDT_V3 operand '%s' [man error::sdt]", a->text);
	else
		diag_warn_tok(&s->diag, &e->pos, elab_tokdesc(s, e), "Downgrading SDT_V2 probe "
		              "argument to dwarf, can't parse '%s' [man error::sdt]", a->text);
}

static int bad_operand(struct session *s, struct pprobe *p, struct exp *e, struct tvar *out,
                       const struct sdt_arg *a)
{
	warn_operand(s, p->sdt, e, a);
	return dwarf_fallback(s, p, e, out, "SDT asm not understood, requires debuginfo [man error::sdt]");
}

static int err(struct session *s, struct exp *e, const char *msg)
{
	diag_error(&s->diag, "semantic", &e->pos, elab_tokdesc(s, e), "%s", msg);
	return -1;
}

/* &$var: stap tries the DWARF scope first, and has none for a marker */
static void no_scope(struct session *s, struct pprobe *p, struct exp *e)
{
	err(s, e, arena_printf(&s->arena, "debuginfo scope not found for module '%s', cannot "
	                       "resolve context variable [man error::dwarf]", p->path));
}

/* $$name, $$provider, $$parms, $$vars (stap's visit_target_symbol_context) */
static int context_var(struct session *s, struct pprobe *p, struct exp *e, struct sdt_tv *t)
{
	const struct sdt_note *n = p->sdt;
	const char *name = e->str;
	bool pretty = false;
	if (e->addr_of)
		return no_scope(s, p, e), err(s, e, "cannot take address of context variable");
	for (int i = 0; i < e->comps.n; i++)
		pretty |= ((const struct tcomp *)e->comps.v[i])->kind == COMP_PRETTY;
	if (pretty && name[2] == 'p' && n->nargs)
		return err(s, e, arena_printf(&s->arena, "type definition '%s_arg1' not found in '%s'",
		                              n->name, p->path));
	t->what = name[2] == 'n' ? TV_NAME : name[3] == 'r' ? TV_PROVIDER : TV_PARMS;
	for (int i = 0; t->what == TV_PARMS && i < n->nargs; i++)
		if (!n->args[i].ok) {   /* stap expands it to $argN each: $argN's error */
			warn_operand(s, n, e, &n->args[i]);
			return err(s, e, "SDT asm not understood, requires debuginfo [man error::sdt]");
		}
	return 0;
}

/* $argN (stap's visit_target_symbol_arg); anything else is looked for in DWARF. */
static int arg_var(struct session *s, struct pprobe *p, struct exp *e, struct tvar *out,
                   struct sdt_tv *t)
{
	const struct sdt_note *n = p->sdt;
	int k = argno_of(e->str);
	if (!k || k > n->nargs)
		return dwarf_fallback(s, p, e, out, "target-symbol requires debuginfo");
	if (!n->args[k - 1].ok)
		return bad_operand(s, p, e, out, &n->args[k - 1]);
	if (e->comps.n)
		return err(s, e, arena_printf(&s->arena, "type definition '%s_arg%d' not found in '%s'",
		                              n->name, k, p->path));
	if (e->addr_of)
		return no_scope(s, p, e), err(s, e, "cannot take address of sdt variable");
	t->what = TV_ARG;
	t->argno = k;
	return 1;
}

int sdt_tvar(struct session *s, struct pprobe *p, struct exp *e, struct tvar *out)
{
	const char *name = e->str ? e->str : "";
	struct sdt_tv *t = arena_alloc(&s->arena, sizeof(*t));
	int rc;
	t->n = p->sdt;
	if (e->kind != E_TARGET)
		return p->dw ? dw_tvar(s, p->dw, p->addr, false, e, out) : -1;
	if (!strcmp(name, "$$name") || !strcmp(name, "$$provider") || !strcmp(name, "$$parms") ||
	    !strcmp(name, "$$vars")) {
		if (context_var(s, p, e, t) < 0)
			return -1;
		out->type = TY_STRING;
	} else {
		if ((rc = arg_var(s, p, e, out, t)) <= 0)
			return rc;   /* an error, or resolved in DWARF */
		out->type = TY_LONG;
	}
	out->read = tv_read;
	out->write = NULL;
	out->data = t;
	return 0;
}

void sdt_list(struct session *s, struct dprobe *dp, bool vars, struct strbuf *out)
{
	const struct pprobe *p = dp->data;
	const struct sdt_note *n = p->sdt;
	sb_puts(out, n->list_pp);
	/* stap resolves a V1 marker as a DWARF statement probe: -L lists the variables there */
	if (vars && n->version == 1 && p->dw)
		dw_list_vars(s, p->dw, p->addr, out);
	for (int i = 0; vars && i < n->nargs; i++)
		sb_printf(out, " $arg%d:long", i + 1);
	sb_putc(out, '\n');
}

/* ---- semaphores ---- */

struct sema_set {
	int n, cap;
	struct {
		uint64_t pc, sema;        /* runtime addresses */
		const char *path;         /* the module holding them */
	} *v;
};

static int sema_add(struct pt_proc *p, uint64_t sema, int delta)
{
	uint16_t v;
	if (p->gone || pt_read(p, sema, &v, 2) < 0)
		return -1;
	v = (uint16_t)(v + delta);
	return pt_write(p, sema, &v, 2);
}

void sdt_sema_arm(struct pt_proc *p, const struct pprobe *pp, uint64_t bias)
{
	struct sema_set *set = p->user;
	if (!pp->sdt || !pp->sdt->sema)
		return;
	uint64_t pc = pp->addr + bias, sema = pp->sdt->sema + bias;
	if (!set)
		set = p->user = calloc(1, sizeof(*set));
	for (int i = 0; set && i < set->n; i++) {
		uint16_t v;
		if (set->v[i].pc != pc)
			continue;
		/* one count per site and process, as kernel uprobes' ref_ctr; a 0 there means the
		   library was unloaded and loaded again at the same place: count it up again */
		if (pt_read(p, sema, &v, 2) == 0 && v == 0)
			sema_add(p, sema, 1);
		return;
	}
	if (!set || sema_add(p, sema, 1) < 0)
		return;
	if (set->n == set->cap) {
		set->cap = set->cap ? 2 * set->cap : 8;
		set->v = realloc(set->v, set->cap * sizeof(*set->v));
		if (!set->v)
			abort();
	}
	set->v[set->n].pc = pc;
	set->v[set->n].path = pp->path;
	set->v[set->n++].sema = sema;
}

/* Is addr still in a mapping of path in p? (a dlclose'd library's place may hold other data) */
static bool mapped_from(struct pt_proc *p, uint64_t addr, const char *path)
{
	char name[64], line[4096 + 128];
	bool yes = false;
	snprintf(name, sizeof name, "/proc/%d/maps", p->pid);
	FILE *f = fopen(name, "re");
	while (f && !yes && fgets(line, sizeof line, f)) {
		unsigned long long lo, hi;
		char *file = strchr(line, '/');
		if (!file || sscanf(line, "%llx-%llx", &lo, &hi) != 2 || addr < lo || addr + 2 > hi)
			continue;
		file[strcspn(file, "\n")] = 0;
		yes = !strcmp(file, path) || mod_same_file(file, path);
	}
	if (f)
		fclose(f);
	return yes;
}

void sdt_sema_forget(struct pt_proc *p)
{
	struct sema_set *set = p->user;
	if (!set)
		return;
	free(set->v);
	free(set);
	p->user = NULL;
}

void sdt_sema_release(struct pt_proc *p)
{
	struct sema_set *set = p->user;
	for (int i = 0; set && !p->shares_mm && i < set->n; i++)
		if (mapped_from(p, set->v[i].sema, set->v[i].path))
			sema_add(p, set->v[i].sema, -1);
	sdt_sema_forget(p);
}

void sdt_sema_fork(struct pt_proc *parent, struct pt_proc *child, bool keep)
{
	const struct sema_set *ps = parent->user;
	if (!ps || !ps->n || child->shares_mm)
		return;
	struct sema_set *cs = calloc(1, sizeof(*cs));
	cs->v = malloc(ps->n * sizeof(*cs->v));
	if (!cs->v)
		abort();
	memcpy(cs->v, ps->v, ps->n * sizeof(*cs->v));
	cs->n = cs->cap = ps->n;
	sdt_sema_forget(child);
	child->user = cs;
	if (!keep)
		sdt_sema_release(child);
}
