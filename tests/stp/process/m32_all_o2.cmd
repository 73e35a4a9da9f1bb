$SCRIPT -w $TARGETS/m32_callmem-O2 -c $TARGETS/m32_callmem-O2
