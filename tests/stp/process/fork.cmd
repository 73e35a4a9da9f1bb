$TARGETS/bp_fork -c "$TARGETS/bp_fork 10"
