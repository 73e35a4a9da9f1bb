$SCRIPT one two three -G argv_2=deux -G argv_5=cinq -w
