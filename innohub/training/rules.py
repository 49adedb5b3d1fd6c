"""Who may do what in training: the one place that says so (docs/api.md, "Training";
SETTLED.md: the cohort's trainers take attendance and run exercises, besides programme
managers)."""

from __future__ import annotations

from typing import Any

import rules

from innohub.core.roles import is_administrator, is_programme_manager

runs_training = is_programme_manager | is_administrator


@rules.predicate
def trains(user: Any, cohort: Any) -> bool:
    """One of the cohort's trainers (one query)."""
    if cohort is None or not getattr(user, "is_authenticated", False):
        return False
    return bool(cohort.trainers.filter(pk=user.pk).exists())


@rules.predicate
def takes_part(user: Any, cohort: Any) -> bool:
    """Selected for the cohort (one query)."""
    if cohort is None or not getattr(user, "is_authenticated", False):
        return False
    return bool(cohort.participants.filter(user_id=user.pk).exists())


rules.add_perm("training.view_programme", rules.is_authenticated)
rules.add_perm("training.add_programme", runs_training)
rules.add_perm("training.view_cohort", rules.is_authenticated)
rules.add_perm("training.add_cohort", runs_training)
# Schedule, select, enrol, score, close (the object is the cohort).
rules.add_perm("training.change_cohort", runs_training)
rules.add_perm("training.view_application", runs_training | trains)
rules.add_perm("training.add_attendance", runs_training | trains)
# Facilitate: group hopes and fears into themes, assign secret-shopper services.
rules.add_perm("training.add_theme", runs_training | trains)
rules.add_perm("training.add_assignment", runs_training | trains)
# Take part in the exercises: post a hope or a fear, write a concept.
rules.add_perm("training.add_note", takes_part | trains | runs_training)
rules.add_perm("training.add_concept", takes_part | trains | runs_training)
rules.add_perm("training.view_feedback", runs_training | trains)
rules.add_perm("training.add_feedback", takes_part)
