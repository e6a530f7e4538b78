"""Organisational inboxes: a structure's shared and on-call inboxes (claim, close, escalation,
handover), fed by workers and by external secure messaging through a connector plugin."""
