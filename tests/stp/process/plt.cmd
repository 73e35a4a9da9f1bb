$TARGETS/plt_calls -c "$TARGETS/plt_calls"
