#!/bin/bash
# process("PATH") is that path, as stap's task finder matches it: a hard link to the same file
# under another name is another program (stap's probe_by_pid test). Both names run under -c;
# only the probed name's calls count, and process(LINK).begin fires once, for its process.
cp "$TARGETS/bp_loop" "$TMPDIR/prog"
ln "$TMPDIR/prog" "$TMPDIR/prog2"
$USTAP -e 'global n, b
probe process(@1).function("add") { n++ }
probe process(@1).begin { b++ }
probe end { printf("add=%d begin=%d\n", n, b) }' "$TMPDIR/prog2" \
	-c "sh -c '$TMPDIR/prog 5 && $TMPDIR/prog2 7 && $TMPDIR/prog 11'"
