/*
** The builtin registry: the C functions scripts may call, looked up by name and arity at
** elaboration (a linear scan: never on the hit path).
*/
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "builtins.h"

/* Every area's table; add yours here once its file compiles. */
static const struct builtin *const tables[] = {
	bi_string_tab,
	bi_time_tab,
	bi_ctl_tab,
	bi_sym_tab,
	bi_context_tab,
	bi_sysc_tab,
	bi_kernel_tab,
	bi_task_tab,
	bi_fp_tab,
};

int bi_error(struct bi_call *c, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(c->err, sizeof c->err, fmt, ap);
	va_end(ap);
	return -1;
}

/* Does a signature ("l:ss", "s:l*") accept n arguments? */
static bool arity_ok(const char *sig, int n)
{
	const char *args = strchr(sig, ':');
	args = args ? args + 1 : "";
	int len = (int)strlen(args);
	if (len && args[len - 1] == '*')
		return n >= len - 1;           /* the last type once or more */
	return n == len;
}

const struct builtin *bi_at(int i)
{
	for (size_t t = 0; t < sizeof tables / sizeof tables[0]; t++)
		for (const struct builtin *b = tables[t]; b->name; b++)
			if (i-- == 0)
				return b;
	return NULL;
}

const struct builtin *bi_lookup(const char *name, int nargs)
{
	for (size_t t = 0; t < sizeof tables / sizeof tables[0]; t++)
		for (const struct builtin *b = tables[t]; b->name; b++)
			if (strcmp(b->name, name) == 0 && (nargs < 0 || arity_ok(b->sig, nargs)))
				return b;
	return NULL;
}
