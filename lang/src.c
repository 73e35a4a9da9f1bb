/*
** Source texts: a script file, standard input ("-"), a -e string or a tapset file, kept
** whole in the script arena so that diagnostics can quote any line.
*/
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "arena.h"
#include "parse.h"
#include "session.h"

const struct srcfile *src_from_text(struct session *s, const char *name, const char *text,
                                    bool tapset)
{
	struct srcfile *f = arena_alloc(&s->script_arena, sizeof(*f));
	f->name = arena_strdup(&s->script_arena, name);
	f->len = strlen(text);
	f->text = arena_strndup(&s->script_arena, text, f->len);
	f->tapset = tapset;
	return f;
}

static char *read_all(FILE *fp, size_t *len)
{
	struct strbuf sb;
	char buf[8192];
	size_t n;
	sb_init(&sb);
	sb_add(&sb, "", 0);
	while ((n = fread(buf, 1, sizeof(buf), fp)) > 0)
		sb_add(&sb, buf, n);
	*len = sb.len;
	return sb_steal(&sb);
}

const struct srcfile *src_load_file(struct session *s, const char *path, bool tapset)
{
	bool is_stdin = !strcmp(path, "-");
	FILE *fp = is_stdin ? stdin : fopen(path, "r");
	size_t len;
	if (!fp) {
		fprintf(s->diag.out, access(path, F_OK) == 0
		        ? "Input file '%s' can't be opened for reading.\n"
		        : "Input file '%s' is missing.\n", path);
		s->diag.errors++;
		return NULL;
	}
	char *text = read_all(fp, &len);
	if (!is_stdin)
		fclose(fp);
	struct srcfile *f = arena_alloc(&s->script_arena, sizeof(*f));
	f->name = is_stdin ? "<input>" : arena_strdup(&s->script_arena, path);
	f->text = arena_strndup(&s->script_arena, text, len);
	f->len = len;
	f->tapset = tapset;
	free(text);
	return f;
}
