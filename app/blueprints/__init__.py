"""One blueprint per department plus the shared ones."""
