#!/usr/bin/env bash
# char16_t/char32_t (DW_ATE_UTF, so built as C++ here) in $var$: characters as '%#c', UTF-8/
# UTF-16/UTF-32 strings and arrays quoted as stap's user_string_quoted(_utf16/_utf32) does
# (\uXXXX, \UXXXXXXXX beyond the BMP); the C build (char16_t a typedef of an unsigned short)
# prints numbers, as stap does for such a type.
g++ -x c++ -std=c++11 -g -O0 -o "$TMPDIR/dw_utf_cxx" "$SRCDIR/tests/targets/dw_utf.c" || exit 1
s='probe process(@1).function("utf_mark") { println($t$); println($t->arr$, " ", $t->arr16$, " ", $t->s16$) }'
"$USTAP" -e "$s" -c "$TMPDIR/dw_utf_cxx" "$TMPDIR/dw_utf_cxx"
"$USTAP" -e 'probe process(@1).function("utf_mark") { println($t->c16$, " ", $t->arr16[0]) }' \
	-c "$TARGETS/dw_utf" "$TARGETS/dw_utf"
