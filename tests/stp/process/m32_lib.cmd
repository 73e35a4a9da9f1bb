$SCRIPT $TARGETS/m32_basic -c $TARGETS/m32_basic
