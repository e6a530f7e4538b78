"""A person's documents and photos: safe intake, files addressed by their content, secrecy."""
