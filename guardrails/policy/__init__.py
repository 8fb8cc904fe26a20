"""policy: reading policy files (and the usage file), validating them, merging them into one Policy."""
