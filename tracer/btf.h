/*
** Kernel BTF, just enough for kernel.function parameters by name.
*/
#ifndef USTAP_BTF_H
#define USTAP_BTF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct btf {
	char *data;
	size_t len;
	const char *types, *strs;
	size_t types_len, strs_len;
	uint32_t *off;            /* offset of each type id in types */
	size_t ntypes;
};

struct btf_param {
	char name[64];
	int size;                 /* bytes of the value: 1, 2, 4 or 8 */
	bool is_signed, is_ptr;
	char type[96];            /* as stap -L prints a C type: "struct file*", "size_t", "char const*" */
};

/* Read BTF (NULL: /sys/kernel/btf/vmlinux). 0, or -1 when there is none or it is malformed. */
int btf_load(struct btf *b, const char *path);
void btf_free(struct btf *b);
/* The parameters of a kernel function: how many (at most max), or -1 when BTF has no such
   function. */
int btf_func_params(const struct btf *b, const char *func, struct btf_param *out, int max);

#endif
