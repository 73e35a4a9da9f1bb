#!/usr/bin/env bash
# seed_ustack.stap (not .stp: run here, not by the runner) at -O2, addresses masked and libc's frames reduced to "(libc)".
"$USTAP" -c "$TARGETS/dwtypes-O2" "$SRCDIR/tests/stp/dwarf/seed_ustack.stap" "$TARGETS/dwtypes-O2" 2>/dev/null |
	sed -E "s|$TARGETS/||; s|^ 0x[0-9a-f]+ : | 0xADDR : |; s|^ 0xADDR : [^ ]+ \[/[^]]*/libc\.so\.6\]$| (libc)|" | uniq
