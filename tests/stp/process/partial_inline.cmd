$SCRIPT $TARGETS/bp_partial-O2 -c "$TARGETS/bp_partial-O2 5"
