$TARGETS/bp_longjmp -c "$TARGETS/bp_longjmp 10"
