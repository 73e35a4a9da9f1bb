$TARGETS/entry_vals-O2 -c $TARGETS/entry_vals-O2
