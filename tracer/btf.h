/*
** Kernel BTF, just enough for kernel.function parameters by name and for @cast(p, "struct T",
** "kernel") in kernel probes (types, members, offsets: tracer/ks_cast.c).
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

/* A type seen through typedefs and qualifiers (btf_view). */
enum btf_kind { BTF_VOID, BTF_INT, BTF_PTR, BTF_ARRAY, BTF_STRUCT, BTF_UNION, BTF_ENUM, BTF_OTHER };
struct btf_view {
	enum btf_kind kind;
	uint32_t id;              /* the resolved type's id (0: void) */
	uint32_t size;            /* bytes (structs, unions, ints, enums; pointers 8) */
	uint32_t ref;             /* BTF_PTR: the pointee's id; BTF_ARRAY: the element's */
	uint32_t nelem;           /* BTF_ARRAY */
	bool is_signed;
};

/* The id of a named type: "struct T", "union T", "enum T", or a bare name (a struct or union
   first, then a typedef or base type). 0 when there is none (a declaration-only struct does
   not count). */
uint32_t btf_find_type(const struct btf *b, const char *name);
/* id through typedefs and qualifiers; false for an id that does not exist. */
bool btf_view(const struct btf *b, uint32_t id, struct btf_view *out);
/* Member name of struct/union sid, also inside anonymous struct/union members: its type id and
   bit offset from the start; bitsize 0 unless a bitfield. false when there is none. */
bool btf_member(const struct btf *b, uint32_t sid, const char *name, uint32_t *type,
                uint64_t *bitoff, uint32_t *bitsize);
/* "a, b, c": the member names of sid (for "alternatives"), truncated to n bytes. */
void btf_member_names(const struct btf *b, uint32_t sid, char *out, size_t n);
/* A C type name as stap prints one: "struct task_struct", "char*", "long int". */
void btf_type_name(const struct btf *b, uint32_t id, char *out, size_t n);

#endif
