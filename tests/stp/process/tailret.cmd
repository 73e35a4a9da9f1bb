$TARGETS/bp_tailret -c "$TARGETS/bp_tailret 5"
