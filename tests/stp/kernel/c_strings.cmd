$TARGETS/ks_openexit -c "$TARGETS/ks_openexit $TARGETS/ks_openexit 20"
