$SCRIPT -c $TARGETS/dwtypes
