$TARGETS/bp_tailret-O2 -c "$TARGETS/bp_tailret-O2 5"
