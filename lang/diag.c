/*
** Diagnostics with stap's wording and layout (session.cxx build_error_msg,
** print_error_source, print_warning): counted per pass, duplicates shown once.
*/
#include <ctype.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "diag.h"

void diag_init(struct diag *d, FILE *out)
{
	memset(d, 0, sizeof(*d));
	d->out = out;
}

void diag_free(struct diag *d)
{
	for (int i = 0; i < d->nseen; i++)
		free(d->seen[i]);
	free(d->seen);
	d->seen = NULL;
	d->nseen = d->seen_cap = 0;
}

/* true the first time kind+msg is seen (always true when verbose) */
static bool first_time(struct diag *d, const char *kind, const char *msg)
{
	if (!*msg)
		return true;   /* an empty key: never suppressed */
	size_t kl = strlen(kind), ml = strlen(msg);
	char *key = malloc(kl + ml + 2);
	if (!key)
		abort();
	memcpy(key, kind, kl);
	key[kl] = 1;
	memcpy(key + kl + 1, msg, ml + 1);
	for (int i = 0; i < d->nseen; i++)
		if (!strcmp(d->seen[i], key)) {
			free(key);
			return d->verbose > 0;
		}
	if (d->nseen == d->seen_cap) {
		d->seen_cap = d->seen_cap ? d->seen_cap * 2 : 16;
		d->seen = realloc(d->seen, sizeof(char *) * (size_t)d->seen_cap);
		if (!d->seen)
			abort();
	}
	d->seen[d->nseen++] = key;
	return true;
}

static void print_source(struct diag *d, const char *align, const struct srcpos *pos)
{
	if (!pos || !pos->file || !pos->file->text)
		return;
	const char *text = pos->file->text, *end = text + pos->file->len;
	const char *start = text;
	for (int i = 1; i < pos->line && start < end; i++) {
		const char *nl = memchr(start, '\n', (size_t)(end - start));
		start = nl ? nl + 1 : end;
	}
	const char *eol = memchr(start, '\n', (size_t)(end - start));
	if (!eol)
		eol = end;
	fprintf(d->out, "%ssource: %.*s\n%s        ", align, (int)(eol - start), start, align);
	for (int i = 0; i < pos->col - 1; i++) {
		char c = start + i < end ? start[i] : ' ';
		fputc(isspace((unsigned char)c) ? c : ' ', d->out);
	}
	fputs("^\n", d->out);
}

static void print_at(struct diag *d, const struct srcpos *pos)
{
	fprintf(d->out, " at %s:%d:%d", pos->file ? pos->file->name : "", pos->line, pos->col);
}

/* semantic errors and warnings: stap's print_token drops the file name when the previous
   such location was in the same file */
static void print_token_at(struct diag *d, const struct srcpos *pos)
{
	if (pos->file && d->last_file == pos->file)
		fprintf(d->out, " at :%d:%d", pos->line, pos->col);
	else
		print_at(d, pos);
	d->last_file = pos->file;
}

void diag_source(struct diag *d, const struct srcpos *pos)
{
	print_source(d, "        ", pos);
}

bool diag_parse(struct diag *d, const char *key, const char *msg, const char *label,
                const char *tokdesc, const struct srcpos *pos, const char *eofname)
{
	d->errors++;
	if (!first_time(d, "parse", key ? key : msg)) {
		d->suppressed_errors++;
		return false;
	}
	fprintf(d->out, "parse error: %s\n", msg);
	if (!pos) {
		fprintf(d->out, "        saw: %s EOF\n", eofname ? eofname : "");
		return true;
	}
	fprintf(d->out, "     %6s: %s", !strcmp(label, "at") ? "   at" : "  saw", tokdesc);
	print_at(d, pos);
	fputc('\n', d->out);
	print_source(d, "     ", pos);
	return true;
}

void diag_chain(struct diag *d, const char *what, const char *tokdesc, const struct srcpos *pos)
{
	fprintf(d->out, "\t%s: %s", what, tokdesc);
	print_at(d, pos);
	fputc('\n', d->out);
	print_source(d, "     ", pos);
}

void diag_end(struct diag *d)
{
	fputc('\n', d->out);
}

void diag_error(struct diag *d, const char *kind, const struct srcpos *pos, const char *saw,
                const char *fmt, ...)
{
	struct strbuf msg;
	va_list ap;
	sb_init(&msg);
	va_start(ap, fmt);
	sb_vprintf(&msg, fmt, ap);
	va_end(ap);
	if (!strcmp(kind, "parse")) {
		if (diag_parse(d, NULL, msg.buf, saw ? "saw" : "at", saw ? saw : "", pos, ""))
			diag_end(d);
		sb_free(&msg);
		return;
	}
	d->errors++;
	if (!first_time(d, kind, msg.buf)) {
		d->suppressed_errors++;
		sb_free(&msg);
		return;
	}
	fprintf(d->out, "%s error: %s", kind, msg.buf);
	if (pos) {
		fprintf(d->out, ": %s", saw ? saw : "");
		print_token_at(d, pos);
	}
	fputc('\n', d->out);
	if (pos)
		print_source(d, "        ", pos);
	fputc('\n', d->out);
	sb_free(&msg);
}

static void vwarn(struct diag *d, const struct srcpos *pos, const char *tokdesc,
                  const char *fmt, va_list ap)
{
	struct strbuf msg;
	if (d->no_warn)
		return;
	sb_init(&msg);
	sb_vprintf(&msg, fmt, ap);
	d->warnings++;
	if (!first_time(d, "WARNING", msg.buf)) {
		d->suppressed_warnings++;
		sb_free(&msg);
		return;
	}
	fprintf(d->out, "WARNING: %s", msg.buf);
	if (pos && tokdesc) {
		fprintf(d->out, ": %s", tokdesc);
		print_token_at(d, pos);
	}
	fputc('\n', d->out);
	if (pos)
		print_source(d, " ", pos);
	sb_free(&msg);
}

void diag_warn(struct diag *d, const struct srcpos *pos, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vwarn(d, pos, NULL, fmt, ap);
	va_end(ap);
}

void diag_warn_tok(struct diag *d, const struct srcpos *pos, const char *tokdesc,
                   const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vwarn(d, pos, tokdesc, fmt, ap);
	va_end(ap);
}

void diag_report_suppression(struct diag *d)
{
	if (d->suppressed_errors > 0)
		fprintf(d->out, "Number of similar error messages suppressed: %d.\n",
		        d->suppressed_errors);
	if (d->suppressed_warnings > 0)
		fprintf(d->out, "Number of similar warning messages suppressed: %d.\n",
		        d->suppressed_warnings);
	if (d->suppressed_errors > 0 || d->suppressed_warnings > 0)
		fputs("Rerun with -v to see them.\n", d->out);
}
