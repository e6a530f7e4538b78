"""Secure conversations between professionals about a person, and the notification hook."""
