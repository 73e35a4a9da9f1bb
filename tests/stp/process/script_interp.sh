#!/bin/bash
# process("SCRIPT") of a "#!" script means its interpreter, as stap expands it ("#!/usr/bin/env
# NAME" looked up in $PATH); "#!/bin/bash -e" is no path: the script itself (no marks).
printf '#!%s\necho hi\n' "$TARGETS/sdt_marks" > "$TMPDIR/direct.sh"
printf '#!/usr/bin/env  sdt_marks \n' > "$TMPDIR/env.sh"
printf '#!/bin/bash -e\n' > "$TMPDIR/witharg.sh"
$USTAP -l 'process("'$TMPDIR'/direct.sh").mark("str")' | sed "s|$TARGETS|T|"
PATH=$TARGETS:$PATH $USTAP -l 'process("'$TMPDIR'/env.sh").mark("big")' | sed "s|$TARGETS|T|"
$USTAP -l 'process("'$TMPDIR'/witharg.sh").mark("*")' > /dev/null 2>&1
echo "rc=$?"
