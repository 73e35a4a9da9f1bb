// bp_coro.c built as an i386 program (tests/stp/process/m32_coro): coroutine frames whose
// 4-byte return slots must be seen as alive.
// CFLAGS: -m32
#include "bp_coro.c"
