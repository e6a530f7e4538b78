"""Virage: the reference implementation of the Virage toolkit."""

__version__ = "0.1.0"
