$TARGETS/bp_loop-O2 -c "$TARGETS/bp_loop-O2 1000"
