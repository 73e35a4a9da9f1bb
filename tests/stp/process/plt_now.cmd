$TARGETS/plt_now -c "$TARGETS/plt_now"
