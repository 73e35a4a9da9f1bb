$TARGETS/bp_stripped -c "$TARGETS/bp_stripped 100"
