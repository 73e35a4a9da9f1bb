$TARGETS/a64_pcrel -c $TARGETS/a64_pcrel
