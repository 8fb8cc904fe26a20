"""Reading the files we are given: trees on disk and in git revisions (bounded, confined to the repository), the cache directory, YAML with line numbers."""
