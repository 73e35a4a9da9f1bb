/*
** Pass 1: source loading, the preprocessor and the parser. Everything built here lives in
** s->script_arena; errors go to s->diag in stap's layout, several per file.
*/
#ifndef USTAP_PARSE_H
#define USTAP_PARSE_H

#include <stdbool.h>

#include "ast.h"

struct session;
struct token;
struct lexer;

/* Load a source: a path ("-" reads stdin and is named "<input>"), or -e text (name
   "<input>"). NULL + a message like stap's ("Input file 'x' is missing.") on error. */
const struct srcfile *src_load_file(struct session *s, const char *path, bool tapset);
const struct srcfile *src_from_text(struct session *s, const char *name, const char *text,
                                    bool tapset);

/* Parse one source. NULL if parse errors were reported (after "N parse error(s)."), or
   if a user script is empty ("Input file '<input>' is empty."). Tapset files never fail
   on emptiness. Embedded C (%{ %}) is refused here, as stap does, unless -g or a tapset. */
struct file *parse_file(struct session *s, const struct srcfile *src);

/* Read the *.stpm files of tapset_dir and of the -I dirs (each with its linux/ARCH, linux,
   ARCH subdirs, as stap searches them) so library @macros are known. Call once before
   parsing the user's script. Returns the number of .stpm files with errors: each is skipped
   after its errors and a warning; stap 4.8 still parses the user's script, then fails pass 1
   ("Pass 1: parse failed.") without printing the tree. */
int parse_load_macros(struct session *s, const char *tapset_dir);

/* ---- the preprocessor (pp.c), used by parse.c ---- */
struct pp;                          /* one file's preprocessor state */
/* Reports a preprocessor error (tok NULL: at the current token) and must not return. site:
   where it was raised (for duplicate suppression); chain_msg/chain_tok: a second message
   ("macro '@x' first defined here"), or NULL. */
typedef void (*pp_error_fn)(void *ctx, const char *msg, const struct token *tok, const char *site,
                            const char *chain_msg, const struct token *chain_tok);
struct pp *pp_open(struct session *s, struct lexer *lx, pp_error_fn err, void *ctx);
/* Next token after macro expansion and %( %) conditionals, NULL at the end of input. */
const struct token *pp_scan(struct pp *p);
/* .stpm files: make this file's macros library macros. On a duplicate, nothing is committed
   and the macro's name is returned with its two definitions' tokens. */
const char *pp_commit_library(struct pp *p, const struct token **dup, const struct token **first);
void pp_close(struct pp *p);
/* stap's name for this machine ("x86_64", "arm64", "i386"...), as `arch` in %( %) */
const char *pp_arch(struct session *s);
/* The systemtap version ustap claims for systemtap_v and version-gated syntax. */
#define USTAP_COMPAT_VERSION "4.8"

#endif
