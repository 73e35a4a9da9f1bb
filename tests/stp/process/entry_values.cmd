$TARGETS/entry_vals -c $TARGETS/entry_vals
