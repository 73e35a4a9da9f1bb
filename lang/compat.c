/*
** --compatible=VERSION: which stap language and runtime behaviour the script asks for. A file
** of its own so that the parser, the compiler and the VM can ask without pulling in lang.c.
*/
#include <string.h>

#include "lang.h"
#include "session.h"

bool lang_has_version(const struct session *s, const char *version)
{
	return !s->opt.compatible || strverscmp(s->opt.compatible, version) >= 0;
}
