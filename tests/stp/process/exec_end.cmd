$TARGETS/bp_fork $TARGETS/bp_loop -c "$TARGETS/bp_fork 10 $TARGETS/bp_loop 5"
