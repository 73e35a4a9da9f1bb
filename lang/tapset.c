/*
** The tapset library, indexed cheaply and parsed on demand. At start-up each tapset file is
** scanned for its top-level `function NAME`, `global NAME` and `probe NAME = / +=` (a token
** scan, no parsing); a file is parsed only when the script needs one of its symbols.
*/
#include "elab.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "arena.h"
#include "builtins.h"
#include "diag.h"
#include "parse.h"
#include "session.h"

enum ts_kind { TS_FUNCTION, TS_GLOBAL, TS_ALIAS };

struct ts_entry {
	enum ts_kind kind;
	const char *name;      /* function/global name, or an alias name's first component */
	int file;
	bool priv;             /* 'private': loadable, but never suggested */
};

struct ts_file {
	const char *path;
	const char *tail;      /* path below its include dir: duplicates by tail are skipped */
	struct srcfile *src;   /* text, once read */
	int state;             /* 0 indexed, 1 loaded, -1 failed to parse */
};

struct tapset_index {
	struct ts_file *files;
	int nfiles, cap;
	struct ts_entry *ents;
	int nents, entcap;
};

static char *read_whole(struct arena *a, const char *path, size_t *len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	struct stat st;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return NULL;
	}
	char *buf = arena_alloc(a, (size_t)st.st_size + 1);
	size_t got = 0;
	while (got < (size_t)st.st_size) {
		ssize_t n = read(fd, buf + got, (size_t)st.st_size - got);
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	close(fd);
	buf[got] = 0;
	*len = got;
	return buf;
}

/* ---- the token scan ---- */

struct scan {
	const char *p, *end;
	char tok[128];         /* identifier text, or the punctuation ("+=" is one token) */
	int kind;              /* 'i' identifier, 's' string, 'n' number, 'p' punctuation, 0 end */
};

static void skip_space(struct scan *sc)
{
	const char *p = sc->p, *e = sc->end;
	for (;;) {
		while (p < e && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
			p++;
		if (p < e && *p == '#') {
			while (p < e && *p != '\n')
				p++;
		} else if (p + 1 < e && p[0] == '/' && p[1] == '/') {
			while (p < e && *p != '\n')
				p++;
		} else if (p + 1 < e && p[0] == '/' && p[1] == '*') {
			p += 2;
			while (p + 1 < e && !(p[0] == '*' && p[1] == '/'))
				p++;
			p = p + 2 < e ? p + 2 : e;
		} else if (p + 1 < e && p[0] == '%' && p[1] == '{') {
			p += 2;
			while (p + 1 < e && !(p[0] == '%' && p[1] == '}'))
				p++;
			p = p + 2 < e ? p + 2 : e;
		} else {
			break;
		}
	}
	sc->p = p;
}

static int next_tok(struct scan *sc)
{
	skip_space(sc);
	const char *p = sc->p, *e = sc->end;
	if (p >= e)
		return sc->kind = 0;
	if (*p == '_' || (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z')) {
		size_t n = 0;
		while (p < e && (*p == '_' || (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		                 (*p >= '0' && *p <= '9'))) {
			if (n + 1 < sizeof sc->tok)
				sc->tok[n++] = *p;
			p++;
		}
		sc->tok[n] = 0;
		sc->p = p;
		return sc->kind = 'i';
	}
	if (*p == '"') {
		for (p++; p < e && *p != '"'; p++)
			if (*p == '\\' && p + 1 < e)
				p++;
		sc->p = p < e ? p + 1 : e;
		sc->tok[0] = 0;
		return sc->kind = 's';
	}
	if (*p >= '0' && *p <= '9') {
		while (p < e && ((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z')))
			p++;
		sc->p = p;
		sc->tok[0] = 0;
		return sc->kind = 'n';
	}
	sc->tok[0] = *p;
	sc->tok[1] = 0;
	if (p + 1 < e && p[0] == '+' && p[1] == '=') {
		sc->tok[1] = '=';
		sc->tok[2] = 0;
		p++;
	}
	sc->p = p + 1;
	return sc->kind = 'p';
}

static void add_entry(struct session *s, struct tapset_index *ti, enum ts_kind k, const char *name, int file,
                      bool priv)
{
	if (ti->nents == ti->entcap) {
		ti->entcap = ti->entcap ? 2 * ti->entcap : 256;
		struct ts_entry *n = arena_alloc(&s->arena, sizeof *n * (size_t)ti->entcap);
		if (ti->nents)
			memcpy(n, ti->ents, sizeof *n * (size_t)ti->nents);
		ti->ents = n;
	}
	ti->ents[ti->nents++] = (struct ts_entry){ k, arena_strdup(&s->arena, name), file, priv };
}

/* probe NAMES = ... / += ...: collect the first component of each name, until '=' or '{'. */
static void scan_probe(struct session *s, struct tapset_index *ti, struct scan *sc, int file)
{
	char firsts[16][128];
	int n = 0, depth = 0;
	bool at_start = true;
	while (next_tok(sc)) {
		if (sc->kind == 'p' && depth == 0 && (!strcmp(sc->tok, "=") || !strcmp(sc->tok, "+="))) {
			for (int i = 0; i < n; i++)
				add_entry(s, ti, TS_ALIAS, firsts[i], file, false);
			return;
		}
		if (sc->kind == 'p' && depth == 0 && sc->tok[0] == '{')
			return;   /* a plain probe: its body is skipped by the caller's brace count */
		if (sc->kind == 'p' && sc->tok[0] == '(')
			depth++;
		else if (sc->kind == 'p' && sc->tok[0] == ')')
			depth--;
		else if (sc->kind == 'p' && depth == 0 && sc->tok[0] == ',')
			at_start = true;
		else if (at_start && (sc->kind == 'i' || (sc->kind == 'p' && sc->tok[0] == '*'))) {
			if (n < 16) {
				/* a first component may mix identifier characters and '*' */
				snprintf(firsts[n], sizeof firsts[n], "%s", sc->tok);
				while (sc->p < sc->end && (*sc->p == '*' || *sc->p == '_' ||
				       (*sc->p >= 'a' && *sc->p <= 'z') || (*sc->p >= '0' && *sc->p <= '9'))) {
					size_t l = strlen(firsts[n]);
					if (l + 1 < sizeof firsts[n]) {
						firsts[n][l] = *sc->p;
						firsts[n][l + 1] = 0;
					}
					sc->p++;
				}
				n++;
			}
			at_start = false;
		}
	}
}

static void scan_file(struct session *s, struct tapset_index *ti, int file, const char *text, size_t len)
{
	struct scan sc = { text, text + len, {0}, 0 };
	int depth = 0;
	bool priv = false, was_priv;
	while (next_tok(&sc)) {
		was_priv = priv;
		priv = sc.kind == 'i' && depth == 0 && !strcmp(sc.tok, "private");
		if (sc.kind == 'p') {
			if (sc.tok[0] == '{')
				depth++;
			else if (sc.tok[0] == '}' && depth > 0)
				depth--;
			continue;
		}
		if (sc.kind != 'i' || depth != 0)
			continue;
		if (!strcmp(sc.tok, "function")) {
			if (next_tok(&sc) == 'i')
				add_entry(s, ti, TS_FUNCTION, sc.tok, file, was_priv);
		} else if (!strcmp(sc.tok, "global")) {
			/* global a, b[10], c = 1: names follow 'global' or a ',' at bracket depth 0 */
			int bd = 0;
			bool want = true;
			const char *save = sc.p;
			while (next_tok(&sc)) {
				if (sc.kind == 'i' && want && bd == 0) {
					if (!strcmp(sc.tok, "probe") || !strcmp(sc.tok, "function") ||
					    !strcmp(sc.tok, "global") || !strcmp(sc.tok, "private")) {
						sc.p = save;
						break;
					}
					add_entry(s, ti, TS_GLOBAL, sc.tok, file, was_priv);
					want = false;
				} else if (sc.kind == 'p' && (sc.tok[0] == '[' || sc.tok[0] == '('))
					bd++;
				else if (sc.kind == 'p' && (sc.tok[0] == ']' || sc.tok[0] == ')'))
					bd--;
				else if (sc.kind == 'p' && sc.tok[0] == ',' && bd == 0)
					want = true;
				else if (!want && bd == 0 && sc.kind == 'i') {
					sc.p = save;
					break;
				} else if (sc.kind == 'p' && (sc.tok[0] == '{' || sc.tok[0] == ';')) {
					if (sc.tok[0] == '{')
						depth++;
					break;
				}
				save = sc.p;
			}
		} else if (!strcmp(sc.tok, "probe")) {
			scan_probe(s, ti, &sc, file);
			if (sc.kind == 'p' && sc.tok[0] == '{')
				depth++;
		}
	}
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void add_dir(struct session *s, struct tapset_index *ti, const char *base, const char *dir)
{
	DIR *d = opendir(dir);
	if (!d)
		return;
	struct ptrvec names = {0};
	struct dirent *de;
	size_t dl = strlen(dir);
	const char *sep = dl && dir[dl - 1] == '/' ? "" : "/";   /* -I dir/: no "dir//f.stp" */
	while ((de = readdir(d))) {
		size_t l = strlen(de->d_name);
		if (l > 4 && !strcmp(de->d_name + l - 4, ".stp"))
			ast_vec_push(&s->arena, &names, arena_printf(&s->arena, "%s%s%s", dir, sep, de->d_name));
	}
	closedir(d);
	if (names.n)   /* stap's nftw set is sorted */
		qsort(names.v, (size_t)names.n, sizeof *names.v, cmp_str);
	size_t blen = strlen(base);
	for (int i = 0; i < names.n; i++) {
		const char *path = names.v[i];
		const char *tail = path + blen;
		while (*tail == '/')
			tail++;
		bool dup = false;
		for (int j = 0; j < ti->nfiles && !dup; j++)
			dup = !strcmp(ti->files[j].tail, tail) || !strcmp(ti->files[j].path, path);
		if (dup)
			continue;
		size_t len;
		char *text = read_whole(&s->arena, path, &len);
		if (!text)
			continue;
		if (ti->nfiles == ti->cap) {
			ti->cap = ti->cap ? 2 * ti->cap : 64;
			struct ts_file *n = arena_alloc(&s->arena, sizeof *n * (size_t)ti->cap);
			if (ti->nfiles)
				memcpy(n, ti->files, sizeof *n * (size_t)ti->nfiles);
			ti->files = n;
		}
		struct srcfile *src = arena_alloc(&s->arena, sizeof *src);
		src->name = path;
		src->text = text;
		src->len = len;
		src->tapset = true;
		ti->files[ti->nfiles] = (struct ts_file){ path, tail, src, 0 };
		scan_file(s, ti, ti->nfiles, text, len);
		ti->nfiles++;
	}
}

/* stap's search order for each include dir (main.cxx): runtime and arch variants first.
   ustap's runtime is "linux"-like for the kernel-side aliases, so: linux/ARCH, linux, ARCH, "". */
struct tapset_index *tapset_index(struct session *s)
{
	struct tapset_index *ti = arena_alloc(&s->arena, sizeof *ti);
	struct utsname u;
	const char *arch = uname(&u) == 0 ? u.machine : "x86_64";
	if (!strcmp(arch, "aarch64"))
		arch = "arm64";
	const char *suffix[4] = { "/linux/", "/linux", "/", "" };
	int ndirs = 0;
	const char *dirs[64];
	if (s->opt.tapset_dir)
		dirs[ndirs++] = s->opt.tapset_dir;
	for (int i = 0; i < s->opt.nincludes && ndirs < 64; i++)
		dirs[ndirs++] = s->opt.includes[i];
	for (int i = 0; i < ndirs; i++)
		for (int k = 0; k < 4; k++) {
			const char *dir = (k == 0 || k == 2)
				? arena_printf(&s->arena, "%s%s%s", dirs[i], suffix[k], arch)
				: arena_printf(&s->arena, "%s%s", dirs[i], suffix[k]);
			add_dir(s, ti, dirs[i], dir);
		}
	return ti;
}

/* stap parses every tapset file in pass 1: a -I file with parse errors has them reported
   and is skipped with a warning, which -W makes fatal. ustap parses a tapset file only when
   the script needs one of its symbols, so a broken file nobody uses goes unnoticed; only
   with -W are the -I directories parsed up front, so that stap's failure happens too. */
int tapset_check_includes(struct session *s)
{
	if (!s->opt.nincludes || !s->opt.warn_error)
		return 0;
	const char *td = s->opt.tapset_dir;
	s->opt.tapset_dir = NULL;
	struct tapset_index *all = tapset_index(s);
	s->opt.tapset_dir = td;
	int bad = 0;
	for (int i = 0; i < all->nfiles; i++) {
		if (parse_file(s, all->files[i].src))
			continue;
		diag_warn(&s->diag, NULL, "tapset \"%s\" has errors, and will be skipped",
		          all->files[i].path);
		bad++;
	}
	return bad;
}

static int load_file(struct session *s, struct tapset_index *ti, int i)
{
	struct ts_file *tf = &ti->files[i];
	if (tf->state)
		return 0;
	struct file *f = parse_file(s, tf->src);
	if (!f) {
		tf->state = -1;
		return -1;
	}
	tf->state = 1;
	elab_add_file(s, f);
	return 1;
}

static int load_matching(struct session *s, enum ts_kind k, const char *name)
{
	struct tapset_index *ti = s->elab->ts;
	int loaded = 0;
	if (!ti)
		return 0;
	for (int i = 0; i < ti->nents; i++) {
		struct ts_entry *e = &ti->ents[i];
		if (e->kind != k || ti->files[e->file].state)
			continue;
		bool match = k == TS_ALIAS ? (elab_glob(name, e->name) || elab_glob(e->name, name))
		                           : !strcmp(e->name, name);
		if (!match)
			continue;
		int r = load_file(s, ti, e->file);
		if (r < 0)
			return -1;
		loaded += r;
	}
	return loaded;
}

int tapset_load_function(struct session *s, const char *name)
{
	return load_matching(s, TS_FUNCTION, name);
}

int tapset_load_global(struct session *s, const char *name)
{
	return load_matching(s, TS_GLOBAL, name);
}

int tapset_load_alias(struct session *s, const char *first)
{
	return load_matching(s, TS_ALIAS, first);
}

void tapset_alias_names(struct session *s, struct ptrvec *out)
{
	struct tapset_index *ti = s->elab->ts;
	for (int i = 0; ti && i < ti->nents; i++)
		if (ti->ents[i].kind == TS_ALIAS && !strchr(ti->ents[i].name, '*'))
			ast_vec_push(&s->script_arena, out, (void *)ti->ents[i].name);
}

void tapset_function_names(struct session *s, struct ptrvec *out)
{
	struct tapset_index *ti = s->elab->ts;
	for (int i = 0; ti && i < ti->nents; i++)
		if (ti->ents[i].kind == TS_FUNCTION && !ti->ents[i].priv)
			ast_vec_push(&s->script_arena, out, (void *)ti->ents[i].name);
	for (int i = 0; bi_at(i); i++)
		ast_vec_push(&s->script_arena, out, (void *)bi_at(i)->name);
}
