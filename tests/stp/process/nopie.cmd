$TARGETS/bp_nopie -c "$TARGETS/bp_nopie 100"
