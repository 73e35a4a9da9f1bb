/*
** tracefs: finding (or mounting) it, listing its events, and reading event format files
** into field descriptors; the decoders that turn a raw tracepoint record into values.
*/
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "arena.h"
#include "ks.h"
#include "session.h"
#include "tracefs.h"

static bool has_events(const char *root)
{
	char p[300];
	struct stat st;

	snprintf(p, sizeof p, "%s/events", root);
	return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

const char *tfs_root(struct session *s)
{
	static const char *const roots[] = { "/sys/kernel/tracing", "/sys/kernel/debug/tracing" };
	struct ks_state *ks = ks_get(s);

	if (ks->tfs_checked) {
		errno = ks->tfs_errno;
		return ks->tfs_errno ? NULL : ks->tfs_root;
	}
	ks->tfs_checked = true;
	for (size_t i = 0; i < sizeof roots / sizeof roots[0]; i++)
		if (has_events(roots[i])) {
			snprintf(ks->tfs_root, sizeof ks->tfs_root, "%s", roots[i]);
			return ks->tfs_root;
		}
	/* not mounted: mount it where the kernel made a place for it */
	if (access(roots[0], F_OK) == 0 && mount("nodev", roots[0], "tracefs", 0, NULL) == 0 &&
	    has_events(roots[0])) {
		snprintf(ks->tfs_root, sizeof ks->tfs_root, "%s", roots[0]);
		return ks->tfs_root;
	}
	ks->tfs_errno = errno == EPERM || errno == EACCES ? EACCES : ENOENT;
	/* an unprivileged user cannot see into a mounted tracefs either */
	if (access(roots[0], R_OK | X_OK) < 0 && errno == EACCES)
		ks->tfs_errno = EACCES;
	errno = ks->tfs_errno;
	return NULL;
}

/* Integer C types whose width is smaller than the 8 bytes syscall events give every
   argument: decode them at their own width and sign, so $dfd is -100, not 4294967196.
   umode_t as the 32-bit mode_t the caller passed (stap: __uint32 of the register). */
static const struct { const char *name; int size; bool sign; } ctypes[] = {
	{ "char", 1, true }, { "signed char", 1, true }, { "unsigned char", 1, false },
	{ "short", 2, true }, { "unsigned short", 2, false }, { "int", 4, true },
	{ "unsigned int", 4, false }, { "unsigned", 4, false }, { "umode_t", 4, false },
	{ "pid_t", 4, true }, { "uid_t", 4, false }, { "gid_t", 4, false }, { "qid_t", 4, false },
	{ "key_t", 4, true }, { "mqd_t", 4, true }, { "clockid_t", 4, true }, { "rwf_t", 4, true },
	{ "key_serial_t", 4, true }, { "timer_t", 4, true }, { "old_uid_t", 2, false },
	{ "old_gid_t", 2, false }, { "u8", 1, false }, { "s8", 1, true }, { "u16", 2, false },
	{ "s16", 2, true }, { "u32", 4, false }, { "s32", 4, true }, { "__u32", 4, false },
	{ "__s32", 4, true }, { "__u16", 2, false }, { "__u8", 1, false }, { "bool", 1, false },
};

static void narrow_int(struct tfs_field *f)
{
	const char *t = f->type;

	if (!strncmp(t, "const ", 6))
		t += 6;
	for (size_t i = 0; i < sizeof ctypes / sizeof ctypes[0]; i++)
		if (!strcmp(t, ctypes[i].name) && ctypes[i].size < f->size) {
			f->elem_size = ctypes[i].size;
			f->is_signed = ctypes[i].sign;
			return;
		}
}

/* "char[]" without __data_loc/const, "const char *" -> "const char*" */
static char *clean_type(struct arena *a, const char *t, size_t n)
{
	char buf[256], *o = buf;

	while (n && isspace((unsigned char)t[n - 1]))
		n--;
	for (size_t i = 0; i < n && o < buf + sizeof buf - 1; i++) {
		if (t[i] == ' ' && (t[i + 1] == '*' || t[i + 1] == '['))
			continue;
		*o++ = t[i];
	}
	*o = 0;
	return arena_strdup(a, buf);
}

static bool is_char_type(const char *t)
{
	if (!strncmp(t, "const ", 6))
		t += 6;
	return !strcmp(t, "char") || !strcmp(t, "unsigned char") || !strcmp(t, "signed char");
}

/* decl: "unsigned long args[6]", "__data_loc char[] name", "const char * filename" */
static int parse_decl(struct arena *a, struct tfs_field *f, const char *decl)
{
	size_t n = strlen(decl), end = n, nb;
	char elem[200];
	long count = -1;

	if (end && decl[end - 1] == ']') {       /* NAME[N] */
		const char *lb = memrchr(decl, '[', end);
		if (!lb)
			return -1;
		count = strtol(lb + 1, NULL, 0);
		end = (size_t)(lb - decl);
	}
	nb = end;
	while (nb && (isalnum((unsigned char)decl[nb - 1]) || decl[nb - 1] == '_'))
		nb--;
	if (nb == end)
		return -1;
	f->name = arena_strndup(a, decl + nb, end - nb);
	bool dyn = !strncmp(decl, "__data_loc ", 11), rel = !strncmp(decl, "__rel_loc ", 10);
	const char *t = decl + (dyn ? 11 : rel ? 10 : 0);
	size_t tl = (size_t)(decl + nb - t);
	snprintf(elem, sizeof elem, "%.*s", (int)tl, t);
	for (char *e = elem + strlen(elem); e > elem && (e[-1] == ' ' || e[-1] == '\t');)
		*--e = 0;
	if (dyn || rel) {
		char *br = strstr(elem, "[]");
		if (br)
			*br = 0;
		f->rel = rel;
		f->kind = is_char_type(elem) ? TFS_DYNSTR : TFS_DYNARRAY;
		f->type = arena_printf(a, "%s[]", elem);
	} else if (count >= 0) {
		f->kind = is_char_type(elem) ? TFS_STR : TFS_ARRAY;
		f->count = (int)count;
		f->type = arena_printf(a, "%s[%ld]", elem, count);
	} else {
		f->kind = strchr(elem, '*') ? TFS_PTR : TFS_INT;
		f->type = clean_type(a, elem, strlen(elem));
	}
	return 0;
}

static int parse_field_line(struct arena *a, struct tfs_field *f, const char *line)
{
	const char *p = strstr(line, "field:"), *semi;
	char decl[256];

	if (!p)
		return -1;
	p += 6;
	semi = strchr(p, ';');
	if (!semi || (size_t)(semi - p) >= sizeof decl)
		return -1;
	snprintf(decl, sizeof decl, "%.*s", (int)(semi - p), p);
	if (parse_decl(a, f, decl) < 0)
		return -1;
	const char *o = strstr(semi, "offset:"), *z = strstr(semi, "size:"), *sg = strstr(semi, "signed:");
	if (!o || !z)
		return -1;
	f->offset = atoi(o + 7);
	f->size = atoi(z + 5);
	f->is_signed = sg && atoi(sg + 7);
	/* the syscall number of syscall events is bookkeeping, as common_* is */
	f->common = !strncmp(f->name, "common_", 7) || !strcmp(f->name, "__syscall_nr");
	if (f->kind == TFS_ARRAY || f->kind == TFS_DYNARRAY) {
		f->elem_size = f->kind == TFS_ARRAY && f->count ? f->size / f->count : 0;
		if (f->kind == TFS_DYNARRAY) {   /* the element size comes from the type name */
			char el[200];
			snprintf(el, sizeof el, "%s", f->type);
			el[strlen(el) - 2] = 0;
			struct tfs_field tmp = { .type = el, .size = 8, .elem_size = 8 };
			narrow_int(&tmp);
			f->elem_size = tmp.elem_size;
			f->is_signed = tmp.is_signed;
		}
	} else {
		f->elem_size = f->size;
		if (f->kind == TFS_INT)
			narrow_int(f);
	}
	return 0;
}

struct tfs_event *tfs_parse_format(struct arena *a, const char *system, const char *text)
{
	struct tfs_event *ev = arena_alloc(a, sizeof *ev);
	int cap = 0;
	const char *line = text;

	ev->system = arena_strdup(a, system);
	ev->id = -1;
	while (line && *line) {
		const char *nl = strchr(line, '\n');
		size_t len = nl ? (size_t)(nl - line) : strlen(line);
		char buf[512];

		snprintf(buf, sizeof buf, "%.*s", (int)(len < sizeof buf ? len : sizeof buf - 1), line);
		if (!strncmp(buf, "name: ", 6))
			ev->name = arena_strdup(a, buf + 6);
		else if (!strncmp(buf, "ID: ", 4))
			ev->id = atoi(buf + 4);
		else if (strstr(buf, "field:")) {
			if (ev->nfields == cap) {
				struct tfs_field *nf = arena_alloc(a, sizeof *nf * (size_t)(cap ? cap * 2 : 16));
				if (ev->nfields)
					memcpy(nf, ev->fields, sizeof *nf * (size_t)ev->nfields);
				ev->fields = nf;
				cap = cap ? cap * 2 : 16;
			}
			if (parse_field_line(a, &ev->fields[ev->nfields], buf) == 0)
				ev->nfields++;
		} else if (!strncmp(buf, "print fmt:", 10))
			break;
		line = nl ? nl + 1 : NULL;
	}
	return ev->name && ev->id >= 0 ? ev : NULL;
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf = NULL;
	size_t len = 0, cap = 0, n;

	if (!f)
		return NULL;
	do {
		if (cap - len < 4096) {
			char *nb = realloc(buf, cap = cap ? cap * 2 : 8192);
			if (!nb) {
				free(buf);
				fclose(f);
				errno = ENOMEM;
				return NULL;
			}
			buf = nb;
		}
		n = fread(buf + len, 1, cap - len - 1, f);
		len += n;
	} while (n > 0);
	fclose(f);
	buf[len] = 0;
	return buf;
}

struct tfs_event *tfs_event(struct session *s, const char *system, const char *name)
{
	struct ks_state *ks = ks_get(s);
	const char *root = tfs_root(s);
	char path[512], *text;
	struct tfs_event *ev;

	for (int i = 0; i < ks->ntfs; i++)
		if (!strcmp(ks->tfs[i]->name, name) && !strcmp(ks->tfs[i]->system, system))
			return ks->tfs[i];
	if (!root)
		return NULL;
	snprintf(path, sizeof path, "%s/events/%s/%s/format", root, system, name);
	text = slurp(path);
	if (!text)
		return NULL;
	ev = tfs_parse_format(&s->arena, system, text);
	free(text);
	if (!ev) {
		errno = EINVAL;
		return NULL;
	}
	if (ks->ntfs == ks->tfs_cap) {
		int cap = ks->tfs_cap ? ks->tfs_cap * 2 : 32;
		struct tfs_event **n = arena_alloc(&s->arena, sizeof *n * (size_t)cap);
		if (ks->ntfs)
			memcpy(n, ks->tfs, sizeof *n * (size_t)ks->ntfs);
		ks->tfs = n;
		ks->tfs_cap = cap;
	}
	ks->tfs[ks->ntfs++] = ev;
	return ev;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorted entries of a directory that are directories themselves, matching glob. */
static char **subdirs(const char *path, const char *glob, int *n)
{
	DIR *d = opendir(path);
	struct dirent *de;
	char **v = NULL;
	int cap = 0;

	*n = 0;
	if (!d)
		return NULL;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.' || (de->d_type != DT_DIR && de->d_type != DT_UNKNOWN))
			continue;
		if (fnmatch(glob, de->d_name, 0) != 0)
			continue;
		if (*n == cap) {
			char **nv = realloc(v, sizeof *v * (size_t)(cap = cap ? cap * 2 : 64));
			if (!nv)
				break;
			v = nv;
		}
		v[(*n)++] = strdup(de->d_name);
	}
	closedir(d);
	if (v)
		qsort(v, (size_t)*n, sizeof *v, cmp_str);
	return v;
}

static void free_names(char **v, int n)
{
	for (int i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

int tfs_events(struct session *s, const char *sysglob, const char *evglob, tfs_event_cb cb, void *arg)
{
	const char *root = tfs_root(s);
	char path[512];
	char **sys;
	int nsys, calls = 0, stop = 0;

	if (!root)
		return -1;
	snprintf(path, sizeof path, "%s/events", root);
	if (access(path, R_OK | X_OK) < 0)
		return -1;
	sys = subdirs(path, sysglob, &nsys);
	for (int i = 0; i < nsys && !stop; i++) {
		char **ev;
		int nev;

		if (!strcmp(sys[i], "ftrace"))
			continue;
		snprintf(path, sizeof path, "%s/events/%s", root, sys[i]);
		ev = subdirs(path, evglob, &nev);
		for (int j = 0; j < nev && !stop; j++) {
			calls++;
			stop = cb(arg, sys[i], ev[j]);
		}
		free_names(ev, nev);
	}
	free_names(sys, nsys);
	return calls;
}

const struct tfs_field *tfs_field(const struct tfs_event *ev, const char *name)
{
	for (int i = 0; i < ev->nfields; i++)
		if (!strcmp(ev->fields[i].name, name))
			return &ev->fields[i];
	return NULL;
}

static int64_t load_int(const uint8_t *p, int size, bool sign)
{
	switch (size) {
	case 1: { uint8_t v; memcpy(&v, p, 1); return sign ? (int64_t)(int8_t)v : (int64_t)v; }
	case 2: { uint16_t v; memcpy(&v, p, 2); return sign ? (int64_t)(int16_t)v : (int64_t)v; }
	case 4: { uint32_t v; memcpy(&v, p, 4); return sign ? (int64_t)(int32_t)v : (int64_t)v; }
	default: { uint64_t v; memcpy(&v, p, 8); return (int64_t)v; }
	}
}

/* Where a __data_loc/__rel_loc field's payload lies: [*off, *off + *n). */
static int dyn_span(const struct tfs_field *f, const uint8_t *raw, uint32_t len, uint32_t *off, uint32_t *n)
{
	uint32_t loc;

	if ((uint32_t)f->offset + 4 > len)
		return -1;
	memcpy(&loc, raw + f->offset, 4);
	*off = (loc & 0xffff) + (f->rel ? (uint32_t)f->offset + 4 : 0);
	*n = loc >> 16;
	return *off + *n <= len ? 0 : -1;
}

int tfs_count(const struct tfs_field *f, const uint8_t *raw, uint32_t len)
{
	uint32_t off, n;

	if (f->kind == TFS_ARRAY || f->kind == TFS_STR)
		return f->count;
	if ((f->kind == TFS_DYNARRAY || f->kind == TFS_DYNSTR) && dyn_span(f, raw, len, &off, &n) == 0)
		return f->elem_size ? (int)(n / (uint32_t)f->elem_size) : (int)n;
	return 1;
}

int tfs_get_int(const struct tfs_field *f, const uint8_t *raw, uint32_t len, int64_t idx, int64_t *val)
{
	uint32_t off = (uint32_t)f->offset, n = (uint32_t)f->size;
	int es = f->elem_size ? f->elem_size : 1;

	if (f->kind == TFS_DYNARRAY || f->kind == TFS_DYNSTR) {
		if (dyn_span(f, raw, len, &off, &n) < 0)
			goto range;
	} else if (f->kind == TFS_INT || f->kind == TFS_PTR) {
		n = (uint32_t)es;
	}
	if (idx < 0 || (uint64_t)(idx + 1) * (uint64_t)es > n || off + n > len)
		goto range;
	*val = load_int(raw + off + (uint32_t)idx * (uint32_t)es, es, f->is_signed);
	return 0;
range:
	errno = ERANGE;
	return -1;
}

int tfs_get_str(const struct tfs_field *f, const uint8_t *raw, uint32_t len, char *out, size_t max)
{
	uint32_t off = (uint32_t)f->offset, n = (uint32_t)f->size;
	size_t i;

	if (f->kind == TFS_DYNSTR && dyn_span(f, raw, len, &off, &n) < 0)
		goto range;
	if (off + n > len || max == 0)
		goto range;
	for (i = 0; i < n && i + 1 < max && raw[off + i]; i++)
		out[i] = (char)raw[off + i];
	out[i] = 0;
	return 0;
range:
	errno = ERANGE;
	return -1;
}
