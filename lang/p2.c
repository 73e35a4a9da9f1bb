/*
** The -p2 printer: what stap -p2 prints after elaboration (main.cxx printscript): used
** globals, used functions by name, derived probes with their derivation chain; -v adds
** global initialisers and the bodies.
*/
#include <inttypes.h>
#include <string.h>

#include "arena.h"
#include "elab.h"
#include "session.h"

static const char *tname(enum type t)
{
	return t == TY_VOID ? "unknown" : ast_type_name(t);
}

static void printsig_var(struct strbuf *out, const struct vardecl *v)
{
	sb_puts(out, v->name);
	if (v->wrap)
		sb_putc(out, '%');
	if (v->maxsize > 0)
		sb_printf(out, "[%" PRId64 "]", v->maxsize);
	sb_printf(out, ":%s", tname(v->type));
	if (v->arity > 0) {
		sb_puts(out, " [");
		for (int i = 0; i < v->arity && i < 9; i++)
			sb_printf(out, "%s%s", i ? ", " : "", tname(v->index_types[i]));
		sb_putc(out, ']');
	}
}

static void print_locals(struct strbuf *out, const struct ptrvec *locals)
{
	if (locals->n > 0)
		sb_puts(out, "  # locals\n");
	for (int i = 0; i < locals->n; i++) {
		sb_puts(out, "  ");
		printsig_var(out, locals->v[i]);
		sb_putc(out, '\n');
	}
}

static void print_body(struct session *s, struct strbuf *out, const struct stmt *body)
{
	if (!s->opt.verbose || !body)
		return;
	sb_puts(out, "{ ");
	ast_print_stmt(out, body, 0);
	sb_puts(out, " }\n");
}

/* probe::printsig: an alias expansion prints its alias ("a = b, c" or "a += b"), a user's
   probe its points joined by ",". */
static void printsig_probe(struct strbuf *out, const struct probe *p)
{
	const struct ptrvec *pts = &p->points;
	if (p->alias) {
		const struct alias *al = p->alias;
		for (int i = 0; i < al->names.n; i++) {
			if (i)
				sb_puts(out, " = ");
			ast_print_point(out, al->names.v[i]);
		}
		sb_puts(out, al->epilogue ? " += " : " = ");
		pts = &al->probe->points;
		for (int i = 0; i < pts->n; i++) {
			if (i)
				sb_puts(out, ", ");
			ast_print_point(out, pts->v[i]);
		}
		return;
	}
	for (int i = 0; i < pts->n; i++) {
		if (i)
			sb_putc(out, ',');
		ast_print_point(out, pts->v[i]);
	}
}

void elab_print(struct session *s, struct strbuf *out)
{
	struct elab_state *es = s->elab;
	if (!es)
		return;
	if (es->globals.n > 0)
		sb_puts(out, "# globals\n");
	for (int i = 0; i < es->globals.n; i++) {
		const struct vardecl *v = es->globals.v[i];
		printsig_var(out, v);
		if (s->opt.verbose && v->init) {
			sb_puts(out, " = ");
			ast_print_exp(out, v->init);
		}
		sb_putc(out, '\n');
	}
	if (es->functions.n > 0)
		sb_puts(out, "# functions\n");
	for (int i = 0; i < es->functions.n; i++) {
		const struct funcdecl *f = es->functions.v[i];
		sb_printf(out, "%s:%s (", f->name, tname(f->type));
		for (int k = 0; k < f->params.n; k++) {
			const struct vardecl *p = f->params.v[k];
			sb_printf(out, "%s%s:%s", k ? ", " : "", p->name, tname(p->type));
		}
		sb_puts(out, ")\n");
		print_locals(out, &f->locals);
		print_body(s, out, f->body);
	}
	if (s->nprobes > 0)
		sb_puts(out, "# probes\n");
	for (int i = 0; i < s->nprobes; i++) {
		const struct dprobe *dp = s->probes[i];
		sb_puts(out, dp->pp ? dp->pp : "?");
		sb_puts(out, " /*");
		for (const struct probe *p = dp->src; p; p = p->base) {
			sb_puts(out, " <- ");
			printsig_probe(out, p);
		}
		sb_puts(out, " */\n");
		print_locals(out, &dp->src->locals);
		print_body(s, out, dp->src->body);
	}
}
