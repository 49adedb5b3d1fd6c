"""The selection criteria a programme manager scores applications on, 1 to 5 each (a2i
selects "entrepreneurial civil servants who are eager to improve the current environment and
who have the interpersonal skills to catalyse changes"). A cohort chooses which of them it
scores; level mix, organisation and gender balance are read off the selection itself
(`selection.balance`)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

CRITERIA = {
    "entrepreneurial_drive": gettext_lazy("Entrepreneurial drive"),
    "eagerness": gettext_lazy("Eagerness to improve services"),
    "interpersonal_skills": gettext_lazy("Interpersonal skills"),
}


def every_criterion() -> list[str]:
    """A cohort's criteria unless it chooses others (a callable default for the model)."""
    return list(CRITERIA)
