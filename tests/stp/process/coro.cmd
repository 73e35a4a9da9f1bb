$TARGETS/bp_coro -c "$TARGETS/bp_coro 3"
