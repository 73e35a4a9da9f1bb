/*
** Kernel BTF: the parameters of do_sys_openat2 (dfd: signed int, filename and how: pointers)
** and of ksys_read (fd: unsigned int, buf: pointer, count: size_t), from /sys/kernel/btf/vmlinux.
*/
#include <unistd.h>

#include "btf.h"
#include "unit.h"

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
	btf_free(&b);
	return unit_done("test_btf");
}
