$SCRIPT $TARGETS/bp_labels -c "$TARGETS/bp_labels 6"
