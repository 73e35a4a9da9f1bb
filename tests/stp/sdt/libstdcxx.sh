#!/bin/bash
# A system library's own markers (Debian's libstdc++ has throw/catch/rethrow; its libc has
# none): five exceptions thrown and caught in a small C++ program, the markers in a shared
# library at its load bias, $arg2 of throw (the typeinfo) the same object every time.
lib=$(readlink -f /usr/lib/x86_64-linux-gnu/libstdc++.so.6)
cat > "$TMPDIR/thr.cc" <<'CC'
#include <cstdio>
#include <stdexcept>
int main() {
	int caught = 0;
	for (int i = 0; i < 5; i++)
		try { throw std::runtime_error("x"); } catch (const std::exception &) { caught++; }
	std::printf("caught=%d\n", caught);
}
CC
g++ -O1 -o "$TMPDIR/thr" "$TMPDIR/thr.cc" || exit 1
$USTAP -e 'global t, c, ti
probe process(@1).mark("throw") { t++; ti[$arg2] = 1 }
probe process(@1).provider("libstdcxx").mark("catch") { c++ }
probe end { foreach (k in ti) n++; printf("throw=%d catch=%d typeinfos=%d\n", t, c, n) }' "$lib" -c "$TMPDIR/thr"
