/*
** Kernel BTF: the parameters of do_sys_openat2 (dfd: signed int, filename and how: pointers)
** and of ksys_read (fd: unsigned int, buf: pointer, count: size_t), from /sys/kernel/btf/vmlinux;
** types for @cast: struct path { mnt; dentry; }, the UAPI struct __kernel_timespec, pid_t (an
** int through a typedef), sk_buff's next (inside anonymous union and struct members) and
** task_struct's comm (char[16]).
*/
#include <unistd.h>

#include "btf.h"
#include "unit.h"

static void types(const struct btf *b)
{
	struct btf_view v;
	uint32_t t, bsz;
	uint64_t off;
	char names[256], tn[96];

	uint32_t path = btf_find_type(b, "struct path");
	CHECK(path != 0 && path == btf_find_type(b, "path"));
	CHECK(btf_view(b, path, &v) && v.kind == BTF_STRUCT && v.size == 16);
	CHECK(btf_member(b, path, "dentry", &t, &off, &bsz) && off == 64 && bsz == 0);
	CHECK(btf_view(b, t, &v) && v.kind == BTF_PTR && v.size == 8);
	btf_type_name(b, t, tn, sizeof tn);
	CHECK_S(tn, "struct dentry*");
	btf_member_names(b, path, names, sizeof names);
	CHECK_S(names, "mnt, dentry");
	CHECK(!btf_member(b, path, "no_such_member", &t, &off, &bsz));
	uint32_t ts = btf_find_type(b, "struct __kernel_timespec");
	CHECK(btf_member(b, ts, "tv_nsec", &t, &off, &bsz) && off == 64);
	CHECK(btf_view(b, t, &v) && v.kind == BTF_INT && v.size == 8 && v.is_signed);
	uint32_t pid = btf_find_type(b, "pid_t");
	CHECK(pid != 0 && btf_view(b, pid, &v) && v.kind == BTF_INT && v.size == 4 && v.is_signed);
	uint32_t skb = btf_find_type(b, "struct sk_buff");
	CHECK(btf_member(b, skb, "next", &t, &off, &bsz) && off == 0);
	uint32_t task = btf_find_type(b, "task_struct");
	CHECK(btf_member(b, task, "comm", &t, &off, &bsz));
	CHECK(btf_view(b, t, &v) && v.kind == BTF_ARRAY && v.nelem == 16 && v.size == 16);
	CHECK_L(btf_find_type(b, "struct no_such_struct_ustap"), 0);
	CHECK_L(btf_find_type(b, "union path"), 0);
}

int main(void)
{
	struct btf b;
	struct btf_param p[16];

	if (access("/sys/kernel/btf/vmlinux", R_OK) < 0) {
		printf("test_btf: no /sys/kernel/btf/vmlinux: skipped\n");
		return 0;
	}
	CHECK(btf_load(&b, NULL) == 0);
	CHECK_L(btf_func_params(&b, "do_sys_openat2", p, 16), 3);
	CHECK_S(p[0].name, "dfd");
	CHECK(p[0].size == 4 && p[0].is_signed && !p[0].is_ptr);
	CHECK_S(p[1].name, "filename");
	CHECK(p[1].is_ptr && p[1].size == 8);
	CHECK_S(p[2].name, "how");
	CHECK_S(p[0].type, "int");
	CHECK_S(p[1].type, "char const*");
	CHECK_S(p[2].type, "struct open_how*");
	CHECK_L(btf_func_params(&b, "ksys_read", p, 16), 3);
	CHECK_S(p[0].name, "fd");
	CHECK(p[0].size == 4 && !p[0].is_signed);
	CHECK_S(p[2].name, "count");
	CHECK(p[2].size == 8 && !p[2].is_signed);
	CHECK_L(btf_func_params(&b, "no_such_function_ustap", p, 16), -1);
	types(&b);
	btf_free(&b);
	return unit_done("test_btf");
}
