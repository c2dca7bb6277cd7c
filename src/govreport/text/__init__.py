"""Text: normalising decoded text (fold, furniture), finding the sections, reading what the prose states."""
