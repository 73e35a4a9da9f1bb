$SCRIPT one two three
