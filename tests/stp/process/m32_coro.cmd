$TARGETS/m32_coro -c "$TARGETS/m32_coro 3"
