/*
** Parser unit tests: scripts in, -p1 text or stap's error text out.
** With arguments it is a small "ustap -p1" for manual comparison with stap:
**   test_parse [-g] [-I dir] (-e SCRIPT | FILE) [ARGS...]
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "arena.h"
#include "parse.h"
#include "session.h"

static int failures, passes;

static void sess_setup(struct session *s, char **args, int nargs, bool guru)
{
	memset(s, 0, sizeof(*s));
	arena_init(&s->script_arena);
	arena_init(&s->arena);
	diag_init(&s->diag, stderr);
	s->opt.args = args;
	s->opt.nargs = nargs;
	s->opt.guru = guru;
}

static void sess_done(struct session *s)
{
	diag_free(&s->diag);
	arena_free(&s->script_arena);
	arena_free(&s->arena);
}

/* parse text; returns -p1 output or the error text (malloc'd) */
static char *run(const char *text, char **args, int nargs, bool guru, bool *ok)
{
	struct session s;
	char *errbuf = NULL;
	size_t errlen = 0;
	FILE *err = open_memstream(&errbuf, &errlen);
	sess_setup(&s, args, nargs, guru);
	s.diag.out = err;
	const struct srcfile *src = src_from_text(&s, "<input>", text, false);
	struct file *f = parse_file(&s, src);
	struct strbuf out;
	sb_init(&out);
	if (f) {
		sb_puts(&out, "# parse tree dump\n");
		ast_print_file(&out, f);
		sb_putc(&out, '\n');
	}
	fclose(err);
	*ok = f != NULL;
	sess_done(&s);
	if (f) {
		free(errbuf);
		return sb_steal(&out);
	}
	sb_free(&out);
	return errbuf;
}

static void check_g(const char *name, const char *text, bool guru, bool want_ok, const char *want)
{
	bool ok;
	char *got = run(text, NULL, 0, guru, &ok);
	if (ok != want_ok || strcmp(got, want)) {
		failures++;
		printf("FAIL %s\n--- want (%s)\n%s--- got (%s)\n%s---\n", name, want_ok ? "ok" : "error",
		       want, ok ? "ok" : "error", got);
	} else {
		passes++;
	}
	free(got);
}

static void check(const char *name, const char *text, bool want_ok, const char *want)
{
	check_g(name, text, false, want_ok, want);
}

static void check_args(const char *name, const char *text, char **args, int n, const char *want)
{
	bool ok;
	char *got = run(text, args, n, false, &ok);
	if (strcmp(got, want)) {
		failures++;
		printf("FAIL %s\n--- want\n%s--- got\n%s---\n", name, want, got);
	} else {
		passes++;
	}
	free(got);
}

#define HDR "# parse tree dump\n# file <input>\n"

static void unit_tests(void)
{
	check("hello", "probe begin { printf(\"hello\\n\"); exit() }", true,
	      HDR "probe begin{\nprintf(\"hello\\\\n\");\nexit();\n}\n\n");
	check("precedence", "probe begin { x = 1 + 2 * 3 - -4 << 1 . \"s\" }", true,
	      HDR "probe begin{\n(x) = ((((1) + ((2) * (3))) - (-(4))) << ((1) . (\"s\")));\n}\n\n");
	check("globals", "global a, b = 3, c[10], d%, e% [5]\nprivate f", true,
	      HDR "global a\nglobal b = 3\nglobal c[10]\nglobal d%\nglobal e%[5]\nglobal f\n\n");
	check("function", "function f:long(a:long, b) { return a . b }", true,
	      HDR "function f (a, b)\n{\nreturn (a) . (b);\n}\n\n");
	check("alternation", "probe a.{b,c}.d? { }", true,
	      HDR "probe a.b.d?,a.c.d?{\n}\n\n");
	check("foreach", "global a probe end { foreach ([k1, k2-] in a limit 3) print(k1) }", true,
	      HDR "global a\nprobe end{\nforeach ([k1, k2-] in a limit 3) print(k1);\n}\n\n");
	check("err-params", "function f(a b) { return a }", false,
	      "parse error: expected ',' or ')'\n"
	      "        saw: identifier 'b' at <input>:1:14\n"
	      "     source: function f(a b) { return a }\n"
	      "                          ^\n\n1 parse error.\n");
	check("err-eof", "probe begin { x = 1 +", false,
	      "parse error: expected value\n        saw: <input> EOF\n\n1 parse error.\n");
	check("err-number", "probe begin { x = 99999999999999999999 }", false,
	      "parse error: number invalid or out of range\n"
	      "        saw: number '99999999999999999999' at <input>:1:19\n"
	      "     source: probe begin { x = 99999999999999999999 }\n"
	      "                               ^\n\n1 parse error.\n");
	check("err-embedded", "%{ int x; %}", false,
	      "parse error: embedded code in unprivileged script; need stap -g\n"
	      "        saw: embedded-code at <input>:1:1\n"
	      "     source: %{ int x; %}\n"
	      "             ^\n\n1 parse error.\n");
	check("empty", "# nothing\n", false, "Input file '<input>' is empty.\n");
	check("pp-empty", "%( 1 == 2 %? probe begin {} %)", false,
	      "Input file '<input>' is empty after preprocessing.\n");
	char *args[] = { "42", "str" };
	check_args("args", "probe begin { x = $1 + $# ; y = @2 . @# }", args, 2,
	           HDR "probe begin{\n(x) = ((42) + (2));\n(y) = ((\"str\") . (\"2\"));\n}\n\n");
	check_args("arg-range", "probe begin { x = $3 }", args, 2,
	           "parse error: command line argument out of range [1-2]\n"
	           "         at: junk '' at <input>:1:19\n"
	           "     source: probe begin { x = $3 }\n"
	           "                               ^\n\n1 parse error.\n");
	/* three errors, one per declaration after resync; repeats of one site are not shown */
	check("resync", "probe begin { x = 1 +; y = 2 } global g probe end { z = ) } "
	      "function f() { return 1 +}", false,
	      "parse error: expected literal string or number\n"
	      "        saw: operator ';' at <input>:1:22\n"
	      "     source: probe begin { x = 1 +; y = 2 } global g probe end { z = ) } "
	      "function f() { return 1 +}\n"
	      "                                  ^\n\n3 parse errors.\n");
	check_g("guru embedded", "%{ #include <x.h> %} function f:long() %{ STAP_RETURN(1); %} "
	        "probe begin { x = %{ 2 %} }", true, true,
	        HDR "%{ #include <x.h> %}probe begin{\n(x) = (%{  2  %});\n}\n"
	        "function f ()\n%{ STAP_RETURN(1); %}\n\n");
	check("macro", "@define inc(x) %( @x + 1 %) probe begin { y = @inc(2 * 3) }", true,
	      HDR "probe begin{\n(y) = (((2) * (3)) + (1));\n}\n\n");
}

static int driver(int argc, char **argv)
{
	struct session s;
	bool guru = false;
	const char *text = NULL, *file = NULL;
	int i = 1;
	sess_setup(&s, NULL, 0, false);
	for (; i < argc; i++) {
		if (!strcmp(argv[i], "-g"))
			guru = true;
		else if (!strcmp(argv[i], "-e") && i + 1 < argc)
			text = argv[++i];
		else if (!strcmp(argv[i], "-I") && i + 1 < argc)
			parse_load_macros(&s, argv[++i]);
		else
			break;
	}
	if (!text && i < argc)
		file = argv[i++];
	s.opt.guru = guru;
	s.opt.args = argv + i;
	s.opt.nargs = argc - i;
	const struct srcfile *src = text ? src_from_text(&s, "<input>", text, false)
	                                 : src_load_file(&s, file ? file : "-", false);
	struct file *f = src ? parse_file(&s, src) : NULL;
	if (!f) {
		fputs("Pass 1: parse failed.  [man error::pass1]\n", stderr);
		diag_report_suppression(&s.diag);
		sess_done(&s);
		return 1;
	}
	struct strbuf out;
	sb_init(&out);
	sb_puts(&out, "# parse tree dump\n");
	ast_print_file(&out, f);
	sb_putc(&out, '\n');
	fwrite(out.buf, 1, out.len, stdout);
	sb_free(&out);
	sess_done(&s);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc > 1)
		return driver(argc, argv);
	unit_tests();
	printf("test_parse: %d passed, %d failed\n", passes, failures);
	return failures != 0;
}
