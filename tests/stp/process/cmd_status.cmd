$TARGETS/ew_exec -c "$TARGETS/ew_exec sleep 0 3 7"
