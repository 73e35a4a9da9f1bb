/*
** Lexer unit tests: every token kind, numbers, string escapes, comments, embedded code,
** positions, argument pasting ($1 @1 $# @#) and junk tokens.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "lex.h"
#include "parse.h"
#include "session.h"

static int failures, passes;

/* all tokens of text as "type:text@line:col" joined by spaces */
static char *lex_all(const char *text, char **args, int nargs)
{
	struct session s;
	struct lexer lx;
	struct strbuf sb;
	memset(&s, 0, sizeof(s));
	arena_init(&s.script_arena);
	arena_init(&s.arena);
	s.opt.args = args;
	s.opt.nargs = nargs;
	sb_init(&sb);
	lex_init(&lx, &s, src_from_text(&s, "<t>", text, false));
	for (struct token *t; (t = lex_scan(&lx)); ) {
		static const char *const ty[] = { "J", "I", "O", "S", "N", "E", "K" };
		if (sb.len)
			sb_putc(&sb, ' ');
		sb_printf(&sb, "%s:%s@%d:%d", ty[t->type], t->text, t->pos.line, t->pos.col);
		if (t->type == TK_JUNK)
			sb_printf(&sb, "!%d", (int)t->junk);
	}
	lex_free(&lx);
	arena_free(&s.script_arena);
	arena_free(&s.arena);
	sb_add(&sb, "", 0);
	return sb_steal(&sb);
}

static void check(const char *name, const char *text, const char *want)
{
	char *got = lex_all(text, NULL, 0);
	if (strcmp(got, want)) {
		failures++;
		printf("FAIL %s\n  want: %s\n  got:  %s\n", name, want, got);
	} else {
		passes++;
	}
	free(got);
}

static void check_args(const char *name, const char *text, char **args, int n, const char *want)
{
	char *got = lex_all(text, args, n);
	if (strcmp(got, want)) {
		failures++;
		printf("FAIL %s\n  want: %s\n  got:  %s\n", name, want, got);
	} else {
		passes++;
	}
	free(got);
}

static void check_str(const char *name, const char *got, const char *want)
{
	if (strcmp(got, want)) {
		failures++;
		printf("FAIL %s\n  want: %s\n  got:  %s\n", name, want, got);
	} else {
		passes++;
	}
}

static void test_tokens(void)
{
	check("idents", "a _b c9 $x $$vars $x$ @count @1x",
	      "I:a@1:1 I:_b@1:3 I:c9@1:6 I:$x@1:9 I:$$vars@1:12 I:$x$@1:19 O:@count@1:23 "
	      "J:@1:30!3 I:x@1:32");
	check("keywords", "probe global private function if else for foreach in limit return "
	      "delete while break continue next string long try catch other",
	      "K:probe@1:1 K:global@1:7 K:private@1:14 K:function@1:22 K:if@1:31 K:else@1:34 "
	      "K:for@1:39 K:foreach@1:43 K:in@1:51 K:limit@1:54 K:return@1:60 K:delete@1:67 "
	      "K:while@1:74 K:break@1:80 K:continue@1:86 K:next@1:95 K:string@1:100 "
	      "K:long@1:107 K:try@1:112 K:catch@1:116 I:other@1:122");
	check("ops3", "<<< >>> <<= >>=", "O:<<<@1:1 O:>>>@1:5 O:<<=@1:9 O:>>=@1:13");
	check("ops2", "== != <= >= =~ !~ += -= *= /= %= &= ^= |= .= && || ++ -- -> << >>",
	      "O:==@1:1 O:!=@1:4 O:<=@1:7 O:>=@1:10 O:=~@1:13 O:!~@1:16 O:+=@1:19 O:-=@1:22 "
	      "O:*=@1:25 O:/=@1:28 O:%=@1:31 O:&=@1:34 O:^=@1:37 O:|=@1:40 O:.=@1:43 O:&&@1:46 "
	      "O:||@1:49 O:++@1:52 O:--@1:55 O:->@1:58 O:<<@1:61 O:>>@1:64");
	check("pp ops", "%( %? %: %)", "O:%(@1:1 O:%?@1:4 O:%:@1:7 O:%)@1:10");
	check("ops1", "+-*/%<>=!~&|^.,;:?()[]{}", "O:+@1:1 O:-@1:2 O:*@1:3 O:/@1:4 O:%@1:5 "
	      "O:<@1:6 O:>=@1:7 O:!~@1:9 O:&@1:11 O:|@1:12 O:^@1:13 O:.@1:14 O:,@1:15 O:;@1:16 "
	      "O::@1:17 O:?@1:18 O:(@1:19 O:)@1:20 O:[@1:21 O:]@1:22 O:{@1:23 O:}@1:24");
	check("longest", "a<<<=b", "I:a@1:1 O:<<<@1:2 O:=@1:5 I:b@1:6");
}

static void test_numbers_strings(void)
{
	/* the lexer takes alnum runs; the parser checks the value */
	check("numbers", "0 42 0x1F 0777 08 0xg 1abc", "N:0@1:1 N:42@1:3 N:0x1F@1:6 N:0777@1:11 "
	      "N:08@1:16 N:0xg@1:19 N:1abc@1:23");
	check("string", "\"a b\"", "S:a b@1:1");
	check("escapes kept", "\"\\n\\t\\\\\\x41\\101\\a\\b\\v\\f\\r\"",
	      "S:\\n\\t\\\\\\x41\\101\\a\\b\\v\\f\\r@1:1");
	check("escapes resolved", "\"\\\"\\q\\'\"", "S:\"q'@1:1");
	check("unclosed", "\"abc\nx", "J:@1:1!4 I:x@2:1");
	check("empty string", "\"\"", "S:@1:1");
	struct arena a;
	arena_init(&a);
	check_str("unescape", lex_unescape(&a, "a\\n\\t\\\\\\x41\\101\\0z"), "a\n\t\\AA");
	struct strbuf sb;
	sb_init(&sb);
	lex_qstring(&sb, "a\"b\\c\n");
	check_str("qstring", sb.buf, "\"a\\\"b\\\\c\\012\"");
	sb_free(&sb);
	arena_free(&a);
}

static void test_comments_positions(void)
{
	check("comments", "a # shell\nb // c++\nc /* c\n */ d",
	      "I:a@1:1 I:b@2:1 I:c@3:1 I:d@4:5");
	check("tabs", "\ta\n  b", "I:a@1:2 I:b@2:3");
	check("embedded", "%{ int x; %} y", "E: int x; @1:1 I:y@1:14");
	check("embedded multi", "x %{\n}\n%}", "I:x@1:1 E:\n}\n@1:3");
	check("unclosed embedded", "%{ abc", "J:@1:1!5");
	check("junk", "a \x01 b", "I:a@1:1 J:\\x01@1:3!1 I:b@1:5");
	check("unclosed comment", "a /* b", "I:a@1:1");
}

static void test_args(void)
{
	char *args[] = { "5", "x y", "a\"b" };
	check_args("$1", "$1+1", args, 3, "N:5@1:1 O:+@1:3 N:1@1:4");
	check_args("$2 pastes tokens", "$2 z", args, 3, "I:x@1:1 I:y@1:1 I:z@1:4");
	check_args("@3 quotes", "@3", args, 3, "S:a\"b@1:1");
	check_args("$# @#", "$# @#", args, 3, "N:3@1:1 S:3@1:4");
	check_args("glued", "$1abc", args, 3, "N:5abc@1:1");
	check_args("range", "$4 $0", args, 3, "J:@1:1!3 J:@1:4!3");
	char *nested[] = { "$2", "1" };
	check_args("nested", "$1", nested, 2, "J:@1:1!2");
	check_args("no args", "$#", NULL, 0, "N:0@1:1");
}

int main(void)
{
	test_tokens();
	test_numbers_strings();
	test_comments_positions();
	test_args();
	printf("test_lex: %d passed, %d failed\n", passes, failures);
	return failures != 0;
}
