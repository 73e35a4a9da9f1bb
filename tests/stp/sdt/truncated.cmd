$TARGETS/sdt_marks -p2
