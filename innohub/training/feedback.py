"""The end-of-course survey: each participant rates the course once, from its last day on,
and the cohort's results are read in one query."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Avg, Count, Q
from django.utils.translation import gettext as _

from innohub.core.errors import Conflict
from innohub.core.text import collect_text

from .cohorts import today
from .limits import TEXT_MAX
from .models import Cohort, Feedback

if TYPE_CHECKING:
    from innohub.accounts.models import User

RATINGS = ("overall", "relevance", "facilitation")


@transaction.atomic
def give_feedback(
    *,
    by: User,
    cohort: Cohort,
    overall: int,
    relevance: int,
    facilitation: int,
    recommend: bool,
    comment: str = "",
) -> Feedback:
    if not by.has_perm("training.add_feedback", cohort):
        raise PermissionDenied(_("Only the cohort's participants give feedback on it."))
    if today() < cohort.ends_on:
        raise Conflict(
            _("The survey opens on the course's last day, %(day)s.")
            % {"day": cohort.ends_on.isoformat()}
        )
    errors: dict[str, str] = {}
    for name, value in zip(RATINGS, (overall, relevance, facilitation), strict=True):
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5:
            errors[name] = _("Give a whole number from 1 to 5.")
    comment = collect_text(errors, comment, "comment", max_length=TEXT_MAX)
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            return Feedback.objects.create(
                cohort=cohort,
                user=by,
                overall=overall,
                relevance=relevance,
                facilitation=facilitation,
                recommend=recommend,
                comment=comment,
            )
    except IntegrityError:
        raise Conflict(_("You have given your feedback on this course already.")) from None


@dataclass(frozen=True)
class Results:
    n: int
    overall: Decimal | None
    relevance: Decimal | None
    facilitation: Decimal | None
    recommend_pct: int | None


def _mean(value: float | None) -> Decimal | None:
    if value is None:
        return None
    return Decimal(str(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def results(cohort: Cohort) -> Results:
    """Means to one decimal and the share who would recommend it (one query)."""
    row = Feedback.objects.filter(cohort=cohort).aggregate(
        n=Count("id"),
        overall=Avg("overall"),
        relevance=Avg("relevance"),
        facilitation=Avg("facilitation"),
        recommend=Count("id", filter=Q(recommend=True)),
    )
    n = row["n"]
    return Results(
        n=n,
        overall=_mean(row["overall"]),
        relevance=_mean(row["relevance"]),
        facilitation=_mean(row["facilitation"]),
        recommend_pct=int(
            (Decimal(100 * row["recommend"]) / n).quantize(Decimal(1), rounding=ROUND_HALF_UP)
        )
        if n
        else None,
    )


def comments(cohort: Cohort) -> list[str]:
    return list(
        Feedback.objects.filter(cohort=cohort)
        .exclude(comment="")
        .order_by("id")
        .values_list("comment", flat=True)
    )
