$TARGETS/bp_loop -c "$TARGETS/bp_loop 5"
