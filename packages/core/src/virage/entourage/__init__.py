"""A person's entourage and what she declared: trusted person, legal protection, relatives and
what she agreed they may know, advance directives, allergies and current treatments as declared;
and the emergency liaison file (DLU) generated from them."""
