$SCRIPT -w $TARGETS/m32_callmem -c $TARGETS/m32_callmem
