$TARGETS/bp_loop -p2
