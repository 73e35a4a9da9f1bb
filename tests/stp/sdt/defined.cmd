$TARGETS/sdt_marks-O2 -c "$TARGETS/sdt_marks-O2 2"
