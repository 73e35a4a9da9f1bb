$TARGETS/bp_coro-O2 -c "$TARGETS/bp_coro-O2 3"
