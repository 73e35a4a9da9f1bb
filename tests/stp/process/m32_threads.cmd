$SCRIPT $TARGETS/m32_threads-O2 -c $TARGETS/m32_threads-O2
