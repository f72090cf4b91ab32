"""Signals the helpers of every page send, for the apps above them to act on."""

from django.dispatch import Signal

# Sent by a restore (``web.backup``) inside its transaction once every record is in, with
# ``using``: an app whose rows hold figures derived from other rows sets them again
# (records are saved raw, so a stored figure would meet the database's own bookkeeping
# twice: ``cohorts.counts``).
restored = Signal()
