$SCRIPT $TARGETS/utf_strs -c $TARGETS/utf_strs
