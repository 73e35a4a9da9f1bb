$TARGETS/sdt_marks-O2 -p2
