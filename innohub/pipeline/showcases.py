"""Showcases: completed pilots presented to reviewers, who score impact, cost,
replicability and readiness (1 to 5 each) and recommend replicate, scale or stop.

Each pilot at a showcase is a `Presentation` that keeps its scores rolled up (how many, the
sum of their totals, the mean total, the count of each recommendation), so the ranked
results are one ordered query whatever the number of reviewers.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from innohub.core.errors import Conflict
from innohub.core.text import clean_text
from innohub.orgs.models import Organisation

from .funding import half_up, scale_errors
from .limits import TEXT_MAX, TITLE_MAX
from .models import Pilot, Presentation, Recommendation, Showcase, ShowcaseScore, Status

if TYPE_CHECKING:
    from innohub.accounts.models import User

CRITERIA = ("impact", "cost", "replicability", "readiness")


@transaction.atomic
def create_showcase(
    *,
    by: User,
    title: str,
    organisation: Organisation,
    held_on: datetime.date,
    venue: str = "",
    pilots: list[Pilot] | None = None,
) -> Showcase:
    """A showcase of an organisation (programme managers and administrators, 403), with the
    completed pilots it presents (any other is 422 naming `pilots.N`)."""
    if not by.has_perm("pipeline.add_showcase"):
        raise PermissionDenied(_("Only a programme manager organises a showcase."))
    errors: dict[str, str] = {}
    for index, pilot in enumerate(pilots or []):
        if pilot.status != Status.COMPLETED:
            errors[f"pilots.{index}"] = _("Only completed pilots are showcased.")
    try:
        title = clean_text(title, "title", max_length=TITLE_MAX, required=True)
        venue = clean_text(venue, "venue", max_length=TITLE_MAX)
    except ValidationError as error:
        errors.update({key: value[0] for key, value in error.message_dict.items()})
    if errors:
        raise ValidationError(errors)
    showcase = Showcase.objects.create(
        title=title, organisation=organisation, held_on=held_on, venue=venue, by=by
    )
    Presentation.objects.bulk_create(
        [
            Presentation(showcase=showcase, pilot=pilot)
            for pilot in {p.pk: p for p in pilots or []}.values()
        ]
    )
    return showcase


def present(*, by: User, showcase: Showcase, pilot: Pilot) -> Presentation:
    """Add a completed pilot (409 otherwise) to the showcase; again changes nothing."""
    if not by.has_perm("pipeline.add_showcase"):
        raise PermissionDenied(_("Only a programme manager organises a showcase."))
    return _presentation(showcase, pilot)


def _presentation(showcase: Showcase, pilot: Pilot) -> Presentation:
    if pilot.status != Status.COMPLETED:
        raise Conflict(_("Only completed pilots are showcased."))
    presentation, _created = Presentation.objects.get_or_create(showcase=showcase, pilot=pilot)
    return presentation


def scores_error(scores: dict[str, Any], recommendation: Any) -> dict[str, str]:
    errors = scale_errors(scores, CRITERIA)
    if recommendation not in Recommendation.values:
        errors["recommendation"] = _("Recommend replicate, scale or stop.")
    return errors


@transaction.atomic
def score(
    *,
    by: User,
    showcase: Showcase,
    pilot: Pilot,
    recommendation: str,
    note: str = "",
    **scores: int,
) -> ShowcaseScore:
    """A reviewer's scores of a completed pilot (409 otherwise) at the showcase, once
    (409); the pilot's lead and mentor do not score it (403)."""
    if not by.has_perm("pipeline.add_showcasescore", pilot):
        raise PermissionDenied(
            _("Senior reviewers and programme managers score pilots, not their own team.")
        )
    if errors := scores_error(scores, recommendation):
        raise ValidationError(errors)
    note = clean_text(note, "note", max_length=TEXT_MAX)
    presentation = _presentation(showcase, pilot)
    presentation = Presentation.objects.select_for_update().get(pk=presentation.pk)
    if ShowcaseScore.objects.filter(presentation=presentation, reviewer=by).exists():
        raise Conflict(_("You have already scored this pilot at this showcase."))
    try:
        with transaction.atomic():
            written = ShowcaseScore.objects.create(
                presentation=presentation,
                reviewer=by,
                recommendation=recommendation,
                note=note,
                **{name: scores[name] for name in CRITERIA},
            )
    except IntegrityError as error:
        raise Conflict(_("You have already scored this pilot at this showcase.")) from error
    n, total_sum = presentation.n + 1, presentation.total_sum + written.total
    Presentation.objects.filter(pk=presentation.pk).update(
        n=n,
        total_sum=total_sum,
        mean_total=half_up(Decimal(total_sum) / n),
        **{recommendation: F(recommendation) + 1},
    )
    return written
