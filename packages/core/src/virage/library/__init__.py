"""The structure's shared library: folders, documents with versions, full-text search, offline."""
