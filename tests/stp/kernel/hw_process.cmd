0x20000000 -c $TARGETS/ks_hwwatch
