#!/bin/bash
# C++ exceptions through hijacked return addresses: libgcc's unwinder finds no unwind info at
# the return trampoline, so a throw through a function with a .return probe ended in
# std::terminate (SIGABRT). The target must give its own results, unharmed; the functions an
# exception leaves do not fire .return (as with uretprobes), the ones that return do (also the
# catching function and main after a catch, and after a rethrow), -O0 and -O2.
for opt in -O0 -O2; do
	g++ -g $opt -o "$TMPDIR/cxx_eh" cxx_eh.cc -lpthread || exit 1
	$USTAP -e 'global c, r
probe process(@1).function("thrower").call, process(@1).function("middle").call,
      process(@1).function("rethrower").call, process(@1).function("catcher").call,
      process(@1).function("blocked").call { c[ppfunc()]++ }
probe process(@1).function("thrower").return, process(@1).function("middle").return,
      process(@1).function("rethrower").return, process(@1).function("catcher").return,
      process(@1).function("blocked").return, process(@1).function("main").return { r[ppfunc()]++ }
probe end {
	foreach (f+ in c) printf("%s: %d calls, %d returns\n", f, c[f], r[f])
	printf("main returns: %d\n", r["main"])
}' "$TMPDIR/cxx_eh" -c "$TMPDIR/cxx_eh 9" || { echo "ustap exit $? ($opt)"; exit 1; }
done
