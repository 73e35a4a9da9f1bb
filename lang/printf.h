/*
** stap's printf: a format string is parsed once (at compile time) into segments; at run
** time the segments format long/string arguments into a strbuf, exactly as stap's
** runtime/vsprintf.c does (%d %i %u %x %X %o %s %c %p %b %m %M %%, flags, width, precision, '*').
*/
#ifndef USTAP_PRINTF_H
#define USTAP_PRINTF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "value.h"

struct arena;
struct strbuf;

enum fmt_conv {
	FC_LIT,         /* literal text (also %% after parsing) */
	FC_SIGNED,      /* %d %i */
	FC_UNSIGNED,    /* %u */
	FC_OCTAL,       /* %o */
	FC_HEX,         /* %x */
	FC_HEXUP,       /* %X */
	FC_POINTER,     /* %p */
	FC_STRING,      /* %s */
	FC_CHAR,        /* %c */
	FC_BINARY,      /* %b: the long's bytes, width = 1/2/4/8 (default 8) */
	FC_MEMORY,      /* %m: memory at the long address, precision = bytes */
	FC_MEMHEX,      /* %M: the same, as hex digits */
};

#define FMT_LEFT    0x01   /* '-' */
#define FMT_ZERO    0x02   /* '0' */
#define FMT_SPECIAL 0x04   /* '#' */
#define FMT_PLUS    0x08   /* '+' */
#define FMT_SPACE   0x10   /* ' ' */
#define FMT_STAR_W  0x20   /* width from the argument list ('*') */
#define FMT_STAR_P  0x40   /* precision from the argument list ('.*') */
#define FMT_PTR_OLD 0x80   /* %p as stap before 1.3 (--compatible): zero-padded to the width,
                              by default 0x and 16 digits */

struct fmt_seg {
	enum fmt_conv conv;
	unsigned flags;
	int width;              /* -1: none */
	int prec;               /* -1: none */
	const char *lit;        /* FC_LIT: text (not NUL-terminated), litlen bytes */
	size_t litlen;
};

struct fmt {
	struct fmt_seg *segs;
	int nsegs;
	int nargs;              /* arguments consumed, '*' included */
	const char *argtypes;   /* one char per argument: 'l' long, 's' string (NUL-terminated) */
};

/* Parse `format` as stap's print_format::string_to_components does (one flag character at
   most, an optional 'l'); the result lives in arena a. NULL on a bad format, with err set to
   stap's parse error text: "invalid or missing conversion specifier" or "trailing incomplete
   print format conversion". */
struct fmt *fmt_parse(struct arena *a, const char *format, char *err, size_t errlen);

/* Memory reader for %m/%M: 0 ok, -1 on a fault. */
typedef int (*fmt_read_fn)(void *ud, uint64_t addr, void *buf, size_t len);

/* printf: append the formatted text to out. args[i] is read as argtypes[i] says. rd may be
   NULL when the format has no %m/%M. At most FMT_STREAM_CAP bytes per call (stap's print
   buffer, STP_BUFFER_SIZE). Returns 0, or -1 with err set and nothing appended:
   "N is too many bytes for a memory dump", "read fault [man error::fault] at 0x..." */
int fmt_format(struct strbuf *out, const struct fmt *f, const struct mval *args,
	       fmt_read_fn rd, void *ud, char *err, size_t errlen);
#define FMT_STREAM_CAP 8192
/* sprintf: the same into a string buffer of cap bytes (MAXSTRINGLEN): widths clamp to the
   room left and at most cap-1 bytes are appended, as in stap's string buffer. */
int fmt_sprintf(struct strbuf *out, const struct fmt *f, const struct mval *args, size_t cap,
		fmt_read_fn rd, void *ud, char *err, size_t errlen);

/* stap's _stp_text_str (text_str, text_strn, string_quoted, user_string_quoted ...): C escapes,
   \ooo octal, \uXXXX for UTF-8, optionally in quotes with "..." when truncated. msl is
   MAXSTRINGLEN (out's size); inlen/outlen <= 0 or > msl-1 mean msl-1. */
void fmt_text_str(char *out, size_t msl, const char *in, int inlen, int outlen, bool quoted);

/* print/println/sprint: a long in decimal, a string as is. */
void fmt_long(struct strbuf *out, int64_t v);

#endif
