$TARGETS/sdt_legacy -p2
