$TARGETS/dwtypes -c $TARGETS/dwtypes
