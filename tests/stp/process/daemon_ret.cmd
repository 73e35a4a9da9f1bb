$TARGETS/bp_daemon -c "sh -c '$TARGETS/bp_daemon 5 | cat'"
