$TARGETS/bp_riprel-O2 -c "$TARGETS/bp_riprel-O2 100"
