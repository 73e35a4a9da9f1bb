$TARGETS/plt_calls
