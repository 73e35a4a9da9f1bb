/*
** Compatibility name of lang/rx.h (ustap's =~ support). Because the build puts lang/ on the
** include path, <regex.h> finds this file first: pass the system's POSIX header through.
*/
#ifndef USTAP_REGEX_FWD_H
#define USTAP_REGEX_FWD_H
#include_next <regex.h>
#include "rx.h"
#endif
