$TARGETS/bp_nopie-O2 -c "$TARGETS/bp_nopie-O2 100"
