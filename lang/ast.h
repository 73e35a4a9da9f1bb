/*
** The syntax tree: files, probes, aliases, functions, globals, statements, expressions.
** Built by parse.c, printed by ast.c (-p1), annotated in place by elab.c/types.c (-p2),
** read by compile.c. Every node carries its source position for diagnostics.
*/
#ifndef USTAP_AST_H
#define USTAP_AST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct arena;
struct token;

/* One source text: the script, a -e string, stdin or a tapset file. Kept whole for caret lines. */
struct srcfile {
	const char *name;      /* as stap prints it: path, "<input>" for -e, "<input>" for stdin */
	const char *text;
	size_t len;
	bool tapset;           /* from the tapset library (not the user's script) */
};

struct srcpos {
	const struct srcfile *file;
	int line, col;         /* 1-based */
};

/* Value types, as stap infers them. */
enum type {
	TY_UNKNOWN = 0,
	TY_LONG,
	TY_STRING,
	TY_STATS,              /* an aggregate (<<<) */
	TY_VOID,               /* a function returning nothing / a statement context */
};

struct exp;
struct stmt;
struct vardecl;
struct funcdecl;

/* A NULL-terminated-free growable list of pointers, arena allocated. */
struct ptrvec {
	void **v;
	int n, cap;
};
void ast_vec_push(struct arena *a, struct ptrvec *vec, void *p);

/* ---- expressions ---- */

enum exp_kind {
	E_NUM,          /* num */
	E_STR,          /* str */
	E_SYM,          /* name: a local, a global scalar/array/stat, resolved into ref */
	E_TARGET,       /* $name / $name->a[1].b / $$vars / $var$ / $var$$: name + comps
	                   (str keeps the '$': "$var", "$$vars"; a trailing $/$$ is a COMP_PRETTY) */
	E_CAST,         /* @cast(a0, type, module)->comps (str/module as written, escapes kept);
	                   autocast (p->x on a plain value) is E_AUTOCAST */
	E_ATVAR,        /* @var("name@file", "module")->comps */
	E_ENTRY,        /* @entry(a0) */
	E_DEFINED,      /* @defined(a0) */
	E_PERF,         /* @perf("name") */
	E_BINARY,       /* a0 op a1: + - * / % << >> >>> & | ^ */
	E_UNARY,        /* op a0: - + ! ~ */
	E_AND,          /* a0 && a1 */
	E_OR,           /* a0 || a1 */
	E_COMPARE,      /* a0 op a1: < > <= >= == != */
	E_CONCAT,       /* a0 . a1 */
	E_TERNARY,      /* a0 ? a1 : a2 */
	E_ASSIGN,       /* a0 op a1: = += -= *= /= %= <<= >>= &= |= ^= .= <<< */
	E_PREINC,       /* op a0: ++ -- */
	E_POSTINC,      /* a0 op */
	E_IN,           /* [args] in a0 (a0 is the array E_SYM or E_HIST...) ; args = index tuple */
	E_REGEX,        /* a0 =~ a1 / a0 !~ a1 (a1 is an E_STR literal) */
	E_INDEX,        /* a0[args]: array element (a0 is E_SYM, or E_HIST for @hist_log(s)[i]);
	                   a NULL arg is '*' (delete a[1,*]) */
	E_CALL,         /* name(args): script, tapset or builtin function, resolved into fref */
	E_PRINT,        /* print/printf/sprintf/println/printd/printdln/sprint/sprintln/sprintd...: name, args */
	E_STATOP,       /* @count/@sum/@min/@max/@avg/@variance(a0): name = "count"...;
	                   args: @variance's optional second argument (one E_NUM) */
	E_HIST,         /* @hist_log(a0) / @hist_linear(a0, args: start, stop, interval) */
	E_AUTOCAST,     /* (a0)->comps: a plain value followed by ->field or [i] (stap autocast_op) */
	E_EMBEDDED,     /* %{ code %} used as an expression (guru only): str = code; @const too */
	E_REGISTER,     /* @kregister(num) / @uregister(num): op = "k" or "u" */
	E_DEREF,        /* @kderef(num, a0) / @uderef(num, a0): op = "k" or "u", num = size */
	E_PROBEWRITE,   /* @probewrite(str) */
	E_EXP_KINDS
};

/* Component of a $target / @cast / @var access: ->field, .field, [index], or a final $/$$ */
enum comp_kind { COMP_FIELD, COMP_INDEX_NUM, COMP_INDEX_EXP, COMP_PRETTY };
struct tcomp {
	enum comp_kind kind;
	const char *field;     /* COMP_FIELD */
	int64_t num;           /* COMP_INDEX_NUM */
	struct exp *index;     /* COMP_INDEX_EXP */
	int pretty;            /* COMP_PRETTY: 1 for $, 2 for $$ */
	struct srcpos pos;
};

struct exp {
	enum exp_kind kind;
	struct srcpos pos;     /* of the operator or first token, where stap reports it */
	enum type type;        /* set by elaboration */
	const char *op;        /* operator text: "+", "+=", "<<<", "=~", "++", ... */
	struct exp *a0, *a1, *a2;
	struct ptrvec args;    /* struct exp *: call args, index tuple, print args, hist params */
	int64_t num;           /* E_NUM */
	const char *str;       /* E_STR value (escapes already decoded); E_SYM/E_TARGET/E_CALL/E_PRINT/
	                          E_STATOP name; E_CAST type string; E_ATVAR "name@file" */
	const char *module;    /* E_CAST/E_ATVAR optional module, NULL if absent */
	struct ptrvec comps;   /* struct tcomp *: E_TARGET, E_CAST, E_ATVAR */
	bool addr_of;          /* &$var... */
	bool hist_linear;      /* E_HIST: linear (else log) */
	bool is_tapset_fmt;    /* E_PRINT whose format is a literal, checked at elaboration */
	const char *raw;       /* E_STR: the text as stap keeps it (escapes \n \t \\ \ooo \xhh kept
	                          as written, others resolved), what -p1/-p2 print */
	struct exp *fmt;       /* E_PRINT: the format (printf/sprintf...) or delimiter (printd...) E_STR,
	                          NULL for print/println/sprint/sprintln; a0 = E_HIST for print(@hist_x(s)).
	                          E_IN/E_INDEX/S_FOREACH slice: a NULL entry in args means '*' */

	/* resolution (elaboration) */
	struct vardecl *ref;   /* E_SYM/E_INDEX/E_IN/E_STATOP/E_HIST: the local or global */
	struct funcdecl *fref; /* E_CALL: the function (script/tapset) or NULL for a builtin */
	struct ptrvec alts;    /* E_CALL: further overloads (struct funcdecl *), tried in order
	                          after fref ends with 'next' (stap's referents[1..]) */
	const void *builtin;   /* E_CALL: const struct builtin * when a C builtin */
	void *tvar;            /* E_TARGET etc.: provider's descriptor (struct tvar *) after resolution */
	int slot;              /* compiler's use */
	bool in_entry;         /* inside @entry(...) of a .return probe: resolved as at the entry */
};

/* ---- statements ---- */

enum stmt_kind {
	S_BLOCK,        /* { body } */
	S_EXPR,         /* e; */
	S_NULL,         /* ; */
	S_IF,           /* if (e) s1 else s2 */
	S_WHILE,        /* while (e) s1 (-p1 prints it as stap does: "for (; e; ) s1") */
	S_FOR,          /* for (init; e; incr) s1: init/incr are exps, may be NULL */
	S_FOREACH,      /* foreach ([keys] in array|stat-hist-agg sort limit) s1; e is E_SYM or
	                   E_HIST (foreach (b in @hist_log(s))) */
	S_RETURN,       /* return e? */
	S_DELETE,       /* delete e (E_SYM array, E_INDEX element, E_SYM scalar) ; e NULL: delete * (all) */
	S_NEXT, S_BREAK, S_CONTINUE,
	S_TRY,          /* try s1 catch (var?) s2 */
	S_EMBEDDED,     /* %{ ... %}: refused at elaboration */
	S_STMT_KINDS
};

struct stmt {
	enum stmt_kind kind;
	struct srcpos pos;
	struct exp *e;           /* S_EXPR, S_IF cond, S_WHILE/S_FOR cond, S_RETURN, S_DELETE, S_FOREACH array */
	struct exp *init, *incr; /* S_FOR */
	struct stmt *s1, *s2;    /* bodies; S_TRY: try / catch */
	struct ptrvec body;      /* S_BLOCK: struct stmt * */
	const char *code;        /* S_EMBEDDED text */

	/* S_FOREACH */
	struct ptrvec keys;      /* struct exp * (E_SYM locals) bound to each index */
	struct exp *value;       /* foreach (v = [k...] in a): E_SYM, or NULL */
	int sort_key;            /* 0: unsorted, 1..n: sort by key n, -1: sort by value */
	int sort_dir;            /* +1 ascending (+), -1 descending (-), 0 none */
	struct exp *limit;       /* limit N, or NULL */
	struct vardecl *catch_var; /* S_TRY: catch (msg) variable, or NULL (set by elaboration) */
	struct exp *catch_sym;   /* S_TRY: catch (msg) as parsed: E_SYM, or NULL */
	struct ptrvec slice;     /* S_FOREACH: foreach (k in a[*, 1]): struct exp *, NULL for '*' */
	const char *sort_aggr;   /* S_FOREACH: "count"/"sum"/"min"/"max"/"avg"/"variance" for
	                            "in a @count+", NULL otherwise (sort on the value) */
};

/* ---- declarations ---- */

struct vardecl {
	const char *name;
	struct srcpos pos;
	enum type type;          /* value type (for arrays: the value) */
	int arity;               /* 0 scalar, n: array with n index columns, -1 unknown yet */
	enum type index_types[9];
	bool global;
	bool priv;               /* private global */
	bool wrap;               /* global a% */
	int64_t maxsize;         /* global a[100]: 0 if not given */
	struct exp *init;        /* global x = literal: E_NUM / E_STR, or NULL */
	bool is_param;           /* a function's formal parameter */
	bool used, written;      /* elaboration: for warnings and optimisation */
	bool from_tapset;
	int slot;                /* compiler's use */
	struct srcpos arity_pos; /* elaboration: where the arity was first inferred */
};

struct funcdecl {
	const char *name;
	struct srcpos pos;
	enum type type;          /* declared (function f:long) or inferred; TY_UNKNOWN before */
	struct ptrvec params;    /* struct vardecl * (is_param) */
	struct ptrvec locals;    /* struct vardecl *, filled at elaboration */
	struct stmt *body;       /* S_BLOCK, or S_EMBEDDED for %{ %} functions */
	bool priv;
	bool embedded;
	bool from_tapset;
	bool used;
	int priority;            /* overload priority (stap's function f:long(...) : priority);
	                            unspecified: 0 in the user's script, 1 in a tapset, as stap */
	bool has_next;           /* elaboration: its body has a 'next' (it may fall through) */
	int slot;
};

/* One component of a probe point: name, or name("arg") / name(123). */
struct ppcomp {
	const char *functor;     /* "process", "function", "begin", "timer", "*", "s" ... may hold wildcards */
	struct exp *arg;         /* E_NUM or E_STR literal, or NULL (no parentheses) */
	struct srcpos pos;
	const struct token *tok; /* lang/lex.h: its first token (for error messages) */
};

struct probe_point {
	struct ptrvec comps;     /* struct ppcomp * */
	bool optional;           /* '?' */
	bool sufficient;         /* '!' */
	struct exp *cond;        /* if (cond), or NULL */
	struct srcpos pos;
};

struct probe {                /* 'probe a, b { body }' as written */
	struct ptrvec points;    /* struct probe_point * */
	struct stmt *body;       /* S_BLOCK */
	struct ptrvec locals;    /* struct vardecl *, filled at elaboration */
	struct srcpos pos;
	bool privileged;
	bool from_tapset;
	int id;                  /* stap's probe number, for -p2 "probe #N" style output */
	/* elaboration: an alias expansion records what it came from (-p2's "<- a = b <- a") */
	struct probe *base;      /* the probe this one was expanded from, NULL for the user's */
	struct alias *alias;     /* the alias that made this expansion, or NULL */
	/* elaboration, .return handlers whose provider runs entry snippets: the E_ENTRY nodes
	   (explicit @entry(x), and $vars rewritten into @entry($var) as stap does), e->slot = index */
	struct ptrvec entries;
};

struct alias {                /* 'probe a.b = x.y { body }' or '+=' */
	struct ptrvec names;     /* struct probe_point *: the alias names (a.b, a.c ...) */
	struct probe *probe;     /* the expansion: points + body */
	bool epilogue;           /* '+=' (body runs after the user's), '=' prologue */
	struct srcpos pos;
	struct stmt *body2;      /* 'probe a = b { prologue }, { epilogue }': the epilogue, or NULL */
};

struct file {                 /* a parsed source: the script or one tapset file */
	const struct srcfile *src;
	struct ptrvec probes;    /* struct probe * */
	struct ptrvec aliases;   /* struct alias * */
	struct ptrvec functions; /* struct funcdecl * */
	struct ptrvec globals;   /* struct vardecl * */
	struct ptrvec embeds;    /* struct stmt * (S_EMBEDDED at file scope) */
	bool privileged;
};

/* -p1: print a parsed file the way stap's -p1 prints it. */
struct strbuf;
void ast_print_file(struct strbuf *out, const struct file *f);
void ast_print_exp(struct strbuf *out, const struct exp *e);
void ast_print_stmt(struct strbuf *out, const struct stmt *s, int indent);
void ast_print_point(struct strbuf *out, const struct probe_point *pp);
const char *ast_type_name(enum type t);   /* "long", "string", "stats", "unknown" */

/* Visit every expression under e (or a statement), children first, with its parent (NULL at
   a statement's top): post-order, so a rewrite of a node sees its children already rewritten.
   into_defined: also inside @defined(...). */
typedef void (*ast_exp_fn)(void *ud, struct exp *e, struct exp *parent);
void ast_walk_exp(struct exp *e, struct exp *parent, ast_exp_fn fn, void *ud, bool into_defined);
void ast_walk_stmt(struct stmt *st, ast_exp_fn fn, void *ud, bool into_defined);

#endif
