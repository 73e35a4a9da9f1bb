/*
** Elaboration unit test: scripts elaborated with the real parser and providers, their -p2
** text and diagnostics compared with what stap 4.8 -p2 prints for them (checked by hand).
** `test_elab [-v] [-u] [-w] [-I DIR] -e SCRIPT` elaborates one script and prints -p2.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "elab.h"
#include "parse.h"
#include "session.h"

static int run(const char *script, int verbose, bool nowarn, const char *incl, char **out, char **err)
{
	struct session s;
	sess_init(&s);
	size_t errlen = 0;
	FILE *ef = open_memstream(err, &errlen);
	s.diag.out = ef;
	s.diag.no_warn = nowarn;
	s.opt.verbose = verbose;
	s.opt.no_warn = nowarn;
	s.opt.tapset_dir = "tapset";
	const char *incs[1] = { incl };
	if (incl) {
		s.opt.includes = incs;
		s.opt.nincludes = 1;
	}
	const struct srcfile *src = src_from_text(&s, "<input>", script, false);
	struct file *f = parse_file(&s, src);
	int rc = 1;
	struct strbuf sb;
	sb_init(&sb);
	if (f) {
		rc = elab_run(&s, f);
		if (rc == 0)
			elab_print(&s, &sb);
	}
	fclose(ef);
	*out = sb.buf ? sb.buf : strdup("");
	return rc;
}

struct tcase {
	const char *script, *out, *err;   /* err NULL: not checked; "" must be empty */
	int verbose;
};

static const struct tcase cases[] = {
	{ "probe begin { print(1) }", "# probes\nbegin /* <- begin */\n", "", 0 },
	{ "global a, b[10]; function f(x) { return x+1 } probe begin { a = f(2); b[1,\"x\"]=\"s\"; printf(\"%d\\n\", a) }",
	  "# globals\na:long\nb[10]:string [long, string]\n# functions\nf:long (x:long)\n# probes\nbegin /* <- begin */\n"
	  "end /* <- end */\n  # locals\n  __idx0:long\n  __idx1:string\n  __val:string\n", "", 0 },
	{ "probe begin,end { print(1) }", "# probes\nbegin /* <- begin,end */\nend /* <- begin,end */\n", "", 0 },
	{ "probe foo.a = begin { } probe foo.b = end { } probe foo.* { print(1) }",
	  "# probes\nbegin /* <- foo.a = begin <- foo.* */\nend /* <- foo.b = end <- foo.* */\n", "", 0 },
	{ "probe begin { x = 1; print(x) }", "# probes\nbegin /* <- begin */\n  # locals\n  x:long\n", "", 0 },
	{ "global a; probe begin { a[1]=1; a=2 }", "",
	  "semantic error: inconsistent arity (1 vs 0): identifier 'a' at <input>:1:33\n"
	  "        source: global a; probe begin { a[1]=1; a=2 }\n"
	  "                                                ^\n\n"
	  "semantic error: arity 1 first inferred here: identifier 'a' at :1:25\n"
	  "        source: global a; probe begin { a[1]=1; a=2 }\n"
	  "                                        ^\n\n", 0 },
	{ "probe begin { a[1] = 1 }", "",
	  "semantic error: unresolved arity-1 global array a, missing global declaration?: identifier 'a' at <input>:1:15\n"
	  "        source: probe begin { a[1] = 1 }\n"
	  "                              ^\n\n", 0 },
	{ "global x; probe begin { x = 1; x = \"a\" }", "",
	  "semantic error: type mismatch (string): identifier 'x' at <input>:1:32\n"
	  "        source: global x; probe begin { x = 1; x = \"a\" }\n"
	  "                                               ^\n\n"
	  "semantic error: type was first inferred here (long): identifier 'x' at :1:25\n"
	  "        source: global x; probe begin { x = 1; x = \"a\" }\n"
	  "                                        ^\n\n", 0 },
	{ "probe begin if (x > 1) { print(1) }", "",
	  "semantic error: probe condition must not reference undeclared global: identifier 'x' at <input>:1:17\n"
	  "        source: probe begin if (x > 1) { print(1) }\n"
	  "                                ^\n\n", 0 },
	{ "global s; probe begin { s <<< 1; print(@count(s)) }",
	  "# globals\ns:stats\n# probes\nbegin /* <- begin */\n", "", 0 },
	{ "probe begin { print(@defined($foo)) }", "# probes\nbegin /* <- begin */\n", "", 0 },
	{ "probe nosuch? { } probe begin { print(1) }", "# probes\nbegin /* <- begin */\n", "", 0 },
	{ "global a; probe begin { foreach (k in a) print(k) }",
	  "", NULL, 0 },
};

int main(int argc, char **argv)
{
	int verbose = 0;
	bool nowarn = false;
	const char *script = NULL, *incl = NULL;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-v"))
			verbose++;
		else if (!strcmp(argv[i], "-w"))
			nowarn = true;
		else if (!strcmp(argv[i], "-I") && i + 1 < argc)
			incl = argv[++i];
		else if (!strcmp(argv[i], "-e") && i + 1 < argc)
			script = argv[++i];
	}
	char *out, *err;
	if (script) {
		int rc = run(script, verbose, nowarn, incl, &out, &err);
		fputs(err, stderr);
		fputs(out, stdout);
		return rc ? 1 : 0;
	}
	int pass = 0, fail = 0;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const struct tcase *t = &cases[i];
		run(t->script, t->verbose, false, NULL, &out, &err);
		bool ok = !strcmp(out, t->out) && (!t->err || !strcmp(err, t->err));
		if (ok) {
			pass++;
		} else {
			fail++;
			printf("FAIL: %s\n--- got out:\n%s--- want out:\n%s--- got err:\n%s--- want err:\n%s\n",
			       t->script, out, t->out, err, t->err ? t->err : "(any)");
		}
		free(out);
		free(err);
	}
	printf("test_elab: %d passed, %d failed\n", pass, fail);
	return fail != 0;
}
