// sdt_legacy.c as an i386 program: its V1/V2 .probes entries with 4-byte addresses in their
// 8-byte slots, operands in i386 registers ("%eax", "-16(%ebp)", "8(%esp)").
// CFLAGS: -m32
#include "sdt_legacy.c"
