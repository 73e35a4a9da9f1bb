/*
** libFuzzer entry (QuickJS fuzz/fuzz_compile.c): one arbitrary input as an -e script through
** passes 1-4 (lex, preprocess, parse, elaborate, compile, VM setup) in a fresh session.
** Bad input must end in a diagnostic, never a crash, a hang or a sanitizer report.
*/
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dwarf.h"
#include "lang.h"
#include "session.h"

#ifndef FUZZ_TAPSET_DIR
#define FUZZ_TAPSET_DIR "tapset"
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE *devnull;
	if (!devnull)
		devnull = fopen("/dev/null", "w");
	char *text = malloc(size + 1);
	struct session *s = malloc(sizeof(*s));
	if (!text || !s)
		abort();
	memcpy(text, data, size);
	text[size] = '\0';
	sess_init(s);
	s->diag.out = devnull;         /* the diagnostics' wording is tested elsewhere */
	s->opt.script_text = text;
	s->opt.pass = 4;               /* stop before the run; nothing is printed */
	s->opt.no_warn = s->diag.no_warn = true;
	s->opt.tapset_dir = FUZZ_TAPSET_DIR;
	lang_load(s);
	lang_fini(s);
	sess_free(s);
	free(s);
	free(text);
	return 0;
}
