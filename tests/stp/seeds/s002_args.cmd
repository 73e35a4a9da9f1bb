sometext 42
