$SCRIPT $TARGETS/dwtypes -c "$TARGETS/dwtypes one \"\" three"
