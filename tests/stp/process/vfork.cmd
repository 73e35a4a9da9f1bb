$TARGETS/bp_spawn -c "$TARGETS/bp_spawn 10"
