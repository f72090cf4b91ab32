"""The words of the figures package (``daotao-figures/1``, docs/figures-format.md) as the
Academy reads them: the relations, modes, fundings and kinds of program a package may name,
and their labels.

These are the format's own vocabulary, not the school's models: the Academy stores what the
packages say and never reads a school's records (``cohorts``, ``programs``, ``reports`` are
not imported here). The values are the school side's (``reports/engine.py`` RELATIONS,
``cohorts.models.Mode`` and ``Funding``, ``programs.models.ProgramKind``); the labels reuse
their messages."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

FORMAT = "daotao-figures/1"

OPENED, CARRIED_OVER, ACTIVE, CLOSED = "opened", "carried_over", "active", "closed"
CARRIED_OVER_RUNNING = "carried_over_running"
RELATIONS = {
    OPENED: _("Opened in the period"),
    CARRIED_OVER: _("Carried over into the period"),
    ACTIVE: _("Running in the period"),
    CLOSED: _("Closed in the period"),
    CARRIED_OVER_RUNNING: _("Carried over into the period and still running at its end"),
}
MODES = {"concentrated": _("Concentrated"), "non_concentrated": _("Non-concentrated")}
FUNDINGS = {"supported": _("Training costs supported"), "self_funded": _("Self-funded")}
TRAINING, FOSTERING = "training", "fostering"
KINDS = {TRAINING: _("Training (diploma)"), FOSTERING: _("Fostering (certificate)")}

# The three filters of a line; in a package ``null`` means "every value", stored as ALL.
DIMENSIONS = ("mode", "funding", "locality")
ALL = ""
