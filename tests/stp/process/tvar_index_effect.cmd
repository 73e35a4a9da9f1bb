$SCRIPT $TARGETS/dwtypes -c $TARGETS/dwtypes
