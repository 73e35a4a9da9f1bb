/*
** Exceptions through hijacked return addresses: libgcc's unwinder (C++ throw, pthread_cancel)
** reads return addresses from the stack, and the return trampoline has no unwind information,
** so a throw through a function with a .return probe ended in std::terminate. Breakpoints at
** the unwinder's entry points put the real return addresses back first, and one at
** __cxa_begin_catch hijacks again those of the frames still alive (shadow.c).
*/
#include <string.h>

#include "dwarf.h"
#include "eh.h"
#include "engine.h"
#include "session.h"

/* cookies of the engine's own breakpoint users (their addresses, never dereferenced) */
static const char eh_unwind_cookie, eh_catch_cookie;

/* where the unwinder starts walking: a throw, a rethrow, the resume after a cleanup, a
   thread's forced unwind (pthread_cancel/pthread_exit); _Unwind_Backtrace stays out (it only
   stops early at a trampoline, and nothing would hijack again after it) */
static const char *const unwinders[] = {
	"_Unwind_RaiseException", "_Unwind_Resume", "_Unwind_Resume_or_Rethrow",
	"_Unwind_ForcedUnwind", NULL
};

static void place_syms(struct session *s, struct pt_thread *t, struct mod *m,
                       const char *const *names, const void *cookie)
{
	struct dw_module *dm = m->dw ? m->dw : (m->dw = dw_module_get(s, m->path));
	uint64_t a, size;
	for (int i = 0; dm && names[i]; i++)
		if (dw_sym_addr(dm, names[i], &a, &size) == 0 && a)
			bp_add(s, t, a + m->bias, (void *)cookie, false, false);   /* idempotent */
}

void eh_place(struct session *s, struct pt_thread *t)
{
	static const char *const catchers[] = { "__cxa_begin_catch", NULL };
	struct pt_proc *p = t->proc;
	if (!p->tramp)
		return;   /* no return address hijacked here, ever */
	for (struct mod *m = p->mods; m; m = m->next) {
		const char *base = strrchr(m->path, '/');
		base = base ? base + 1 : m->path;
		/* the unwinder lives in libgcc_s, or is linked into the program (-static-libgcc);
		   the catch in libstdc++ or the program */
		bool exe = m == p->mods;
		if (exe || !strncmp(base, "libgcc_s.so", 11))
			place_syms(s, t, m, unwinders, &eh_unwind_cookie);
		if (exe || !strncmp(base, "libstdc++.so", 12))
			place_syms(s, t, m, catchers, &eh_catch_cookie);
	}
}

bool eh_hit(struct pt_thread *t, const void *cookie)
{
	if (cookie == &eh_unwind_cookie)
		bp_unhijack_frames(t);
	else if (cookie == &eh_catch_cookie)
		shadow_eh_caught(t);
	else
		return false;
	return true;
}
