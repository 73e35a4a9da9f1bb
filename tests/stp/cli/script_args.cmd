foo 42
