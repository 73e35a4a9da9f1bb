$TARGETS/sdt_marks -c "$TARGETS/sdt_marks 2"
