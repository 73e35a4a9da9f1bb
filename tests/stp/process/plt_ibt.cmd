$TARGETS/plt_ibt -c "$TARGETS/plt_ibt"
