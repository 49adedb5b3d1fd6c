"""Fellowship and recognition: calls with seats, nominations by peers for what the nominee is
trying to achieve, the panel's scores, the decision, the fellows' circle, and recognition
(docs/api.md, "Network and getting out of the office").

Rules, each enforced here:
- anyone signed in nominates, until the call closes (`closes_on`, in the deployment's time
  zone) or is decided; never themself; the same person once per nominator;
- panel members score each nomination once (1-5), never one they made or one of themselves;
- the decision (programme managers, administrators; once): the `seats` nominees with the
  highest mean score, a nominee's reviews over all their nominations counted together; ties
  go to the earliest nomination; nominees nobody scored are not chosen. Each fellow gets a
  recognition on their profile.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from innohub.accounts.models import Profile
from innohub.core.errors import Conflict
from innohub.core.text import clean_text, collect_text

from .limits import BODY_MAX, TITLE_MAX
from .models import (
    CircleEntry,
    CircleKind,
    Fellow,
    Fellowship,
    Nomination,
    NominationReview,
    Recognition,
    RecognitionKind,
)
from .rules import is_fellow, moderates, on_the_panel

if TYPE_CHECKING:
    from innohub.accounts.models import User

SEATS_MAX = 500
TWO_PLACES = Decimal("0.01")


def _today() -> datetime.date:
    return timezone.localdate()


@transaction.atomic
def open_fellowship(
    *,
    by: User,
    title: Any,
    seats: Any,
    closes_on: datetime.date,
    panel: Sequence[User],
    description: Any = "",
) -> Fellowship:
    """Programme managers and administrators open a call."""
    if not moderates(by):
        raise PermissionDenied
    errors: dict[str, str] = {}
    clean_title = collect_text(errors, title, "title", max_length=TITLE_MAX, required=True)
    clean_description = collect_text(errors, description, "description", max_length=BODY_MAX)
    if not isinstance(seats, int) or isinstance(seats, bool) or not 1 <= seats <= SEATS_MAX:
        errors["seats"] = _("Give a number of seats from 1 to %(n)d.") % {"n": SEATS_MAX}
    if closes_on < _today():
        errors["closes_on"] = _("The closing day cannot be in the past.")
    if not panel:
        errors["panel"] = _("Name at least one panel member.")
    if errors:
        raise ValidationError(errors)
    fellowship = Fellowship.objects.create(
        title=clean_title, description=clean_description, seats=seats, closes_on=closes_on
    )
    fellowship.panel.set(panel)
    return fellowship


def is_open(fellowship: Fellowship) -> bool:
    return fellowship.decided_at is None and _today() <= fellowship.closes_on


@transaction.atomic
def nominate(*, by: User, fellowship: Fellowship, nominee: User, aims: Any) -> Nomination:
    """Anyone signed in nominates a colleague, saying what they are trying to achieve."""
    text = clean_text(aims, "aims", max_length=BODY_MAX, required=True)
    if nominee.pk == by.pk:
        raise ValidationError({"nominee": _("Nominate a colleague, not yourself.")})
    if not nominee.is_active:
        raise ValidationError({"nominee": _("This person's account is closed.")})
    fellowship = Fellowship.objects.select_for_update().get(pk=fellowship.pk)
    if not is_open(fellowship):
        raise Conflict(_("Nominations for this fellowship are closed."))
    try:
        with transaction.atomic():
            nomination = Nomination.objects.create(
                fellowship=fellowship, nominee=nominee, nominator=by, aims=text
            )
    except IntegrityError:
        raise Conflict(_("You have already nominated this person for this fellowship.")) from None
    Fellowship.objects.filter(pk=fellowship.pk).update(nominations_count=F("nominations_count") + 1)
    return nomination


def is_panel_member(user: Any, fellowship: Fellowship) -> bool:
    return bool(
        getattr(user, "is_authenticated", False) and fellowship.panel.filter(pk=user.pk).exists()
    )


@transaction.atomic
def review(*, by: User, nomination: Nomination, score: Any, comment: Any = "") -> NominationReview:
    """A panel member scores a nomination once, before the decision; never one they made,
    nor one of themselves."""
    fellowship = nomination.fellowship
    if not on_the_panel(by, fellowship):
        raise PermissionDenied
    if by.pk in (nomination.nominee_id, nomination.nominator_id):
        raise PermissionDenied
    if not isinstance(score, int) or isinstance(score, bool) or not 1 <= score <= 5:
        raise ValidationError({"score": _("Give a whole number from 1 to 5.")})
    text = clean_text(comment, "comment", max_length=BODY_MAX)
    Fellowship.objects.select_for_update().filter(pk=fellowship.pk).first()
    fellowship.refresh_from_db(fields=["decided_at"])
    if fellowship.decided_at is not None:
        raise Conflict(_("This fellowship is decided; reviews are closed."))
    try:
        with transaction.atomic():
            made = NominationReview.objects.create(
                nomination=nomination, reviewer=by, score=score, comment=text
            )
    except IntegrityError:
        raise Conflict(_("You have already reviewed this nomination.")) from None
    Nomination.objects.filter(pk=nomination.pk).update(
        reviews_count=F("reviews_count") + 1, score_sum=F("score_sum") + score
    )
    return made


@dataclass(frozen=True)
class Standing:
    """A nominee's place before the decision: their reviews and score over every nomination
    of them, and their earliest nomination (the tie-break)."""

    user_id: int
    reviews: int
    total: int
    first_nomination: int

    @property
    def exact(self) -> Fraction | None:
        return Fraction(self.total, self.reviews) if self.reviews else None

    @property
    def mean(self) -> Decimal | None:
        """To two places, as shown and stored (the order uses the exact mean)."""
        if not self.reviews:
            return None
        return (Decimal(self.total) / self.reviews).quantize(TWO_PLACES, ROUND_HALF_UP)


def standings(fellowship: Fellowship) -> list[Standing]:
    """Every nominee, best first: reviewed ones by mean score (ties: earliest nomination),
    then those nobody reviewed."""
    found: dict[int, Standing] = {}
    for nominee, reviews, total, pk in Nomination.objects.filter(fellowship=fellowship).values_list(
        "nominee_id", "reviews_count", "score_sum", "pk"
    ):
        before = found.get(nominee)
        found[nominee] = Standing(
            nominee,
            reviews + (before.reviews if before else 0),
            total + (before.total if before else 0),
            min(pk, before.first_nomination) if before else pk,
        )
    return sorted(
        found.values(),
        key=lambda row: (row.exact is None, -(row.exact or 0), row.first_nomination),
    )


@transaction.atomic
def decide(*, by: User, fellowship: Fellowship) -> list[Fellow]:
    """Choose the fellows (it closes the nominations); each gets a recognition."""
    if not moderates(by):
        raise PermissionDenied
    fellowship = Fellowship.objects.select_for_update().get(pk=fellowship.pk)
    if fellowship.decided_at is not None:
        raise Conflict(_("This fellowship is already decided."))
    chosen = [row for row in standings(fellowship) if row.reviews][: fellowship.seats]
    fellows = Fellow.objects.bulk_create(
        [
            Fellow(fellowship=fellowship, user_id=row.user_id, rank=rank, mean_score=row.mean or 0)
            for rank, row in enumerate(chosen, start=1)
        ]
    )
    places = dict(
        Profile.objects.filter(user_id__in=[row.user_id for row in chosen]).values_list(
            "user_id", "organisation_id"
        )
    )
    Recognition.objects.bulk_create(
        [
            Recognition(
                user_id=row.user_id,
                kind=RecognitionKind.FELLOWSHIP,
                citation=fellowship.title,
                by=by,
                organisation_id=places.get(row.user_id),
                fellowship=fellowship,
            )
            for row in chosen
        ]
    )
    fellowship.decided_at, fellowship.decided_by = timezone.now(), by
    fellowship.save(update_fields=["decided_at", "decided_by", "modified"])
    return fellows


# --- Recognition -----------------------------------------------------------------------------


@transaction.atomic
def recognise(*, by: User, user: User, kind: Any, citation: Any) -> Recognition:
    """An award (programme managers and administrators) or an endorsement (any colleague,
    never of themself)."""
    if kind not in (RecognitionKind.AWARD, RecognitionKind.ENDORSEMENT):
        raise ValidationError({"kind": _("Choose an award or an endorsement.")})
    text = clean_text(citation, "citation", max_length=BODY_MAX, required=True)
    if user.pk == by.pk:
        raise ValidationError({"user": _("Recognise a colleague, not yourself.")})
    if kind == RecognitionKind.AWARD and not moderates(by):
        raise PermissionDenied
    organisation = Profile.objects.filter(user=user).values_list("organisation_id", flat=True)
    return Recognition.objects.create(
        user=user, kind=kind, citation=text, by=by, organisation_id=organisation.first()
    )


# --- The fellows' circle ---------------------------------------------------------------------


@transaction.atomic
def add_to_circle(
    *, by: User, fellowship: Fellowship, kind: Any, text: Any, reply_to: CircleEntry | None = None
) -> CircleEntry:
    if not (is_fellow(by, fellowship) or moderates(by)):
        raise PermissionDenied
    if kind not in CircleKind.values:
        raise ValidationError({"kind": _("Choose a check-in, an ask or an offer.")})
    clean = clean_text(text, "text", max_length=BODY_MAX, required=True)
    if reply_to is not None and reply_to.fellowship_id != fellowship.pk:
        raise ValidationError({"reply_to": _("Reply within the same circle.")})
    return CircleEntry.objects.create(
        fellowship=fellowship, author=by, kind=kind, text=clean, reply_to=reply_to
    )


@transaction.atomic
def mark_answered(*, by: User, entry: CircleEntry) -> CircleEntry:
    """The author of an ask says it was answered: the loop is closed."""
    if entry.author_id != by.pk:
        raise PermissionDenied
    if entry.kind != CircleKind.ASK:
        raise Conflict(_("Only an ask is answered."))
    if entry.answered_at is None:
        entry.answered_at = timezone.now()
        entry.save(update_fields=["answered_at", "modified"])
    return entry
