/*
** The runtime value the VM hands to the library: a long or a string, the type being
** known at compile time (map key columns, printf arguments, builtin arguments).
*/
#ifndef USTAP_VALUE_H
#define USTAP_VALUE_H

#include <stdint.h>

struct mval {
	int64_t l;          /* the long, when the column/argument is a long */
	const char *s;      /* the string (NUL-terminated), when it is a string */
};

#endif
