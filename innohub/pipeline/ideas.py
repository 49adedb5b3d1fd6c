"""Writes for ideas: propose one, support it, comment on it, ask to join it.

Keyword-only and atomic, with the errors of `pilots.py`. An idea keeps the organisation and
area its proposer had when it was written (SETTLED: ideas count there), and its counts of
supporters and comments are kept on write, so lists never count rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from innohub.accounts.models import Profile, Skill
from innohub.core.errors import Conflict
from innohub.core.text import clean_text
from innohub.services.models import PainPoint, Service

from . import search
from .limits import TEXT_MAX, TITLE_MAX
from .models import Comment, Idea, JoinRequest, Support

if TYPE_CHECKING:
    from innohub.accounts.models import User

TEXT_FIELDS = ("title", "problem", "who_suffers", "proposed_change", "expected_change")


def _idea_values(fields: dict[str, Any]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for name in TEXT_FIELDS:
        if name not in fields:
            continue
        try:
            values[name] = clean_text(
                fields[name],
                name,
                max_length=TITLE_MAX if name == "title" else TEXT_MAX,
                required=name in ("title", "problem"),
            )
        except ValidationError as error:
            errors[name] = error.message_dict[name][0]
    if errors:
        raise ValidationError(errors)
    return values


def _check_pain_points(pain_points: Sequence[PainPoint], service: Service | None) -> None:
    """The pain points an idea answers are of its service's journeys or maps."""
    if not pain_points:
        return
    if service is None:
        raise ValidationError(
            {"service": _("Name the service whose pain points the idea answers.")}
        )
    wrong = (
        PainPoint.objects.filter(pk__in=[p.pk for p in pain_points])
        .exclude(journey_step__journey__service=service)
        .exclude(map_step__process_map__service=service)
    )
    if wrong.exists():
        raise ValidationError({"pain_points": _("Each pain point must be of the idea's service.")})


@transaction.atomic
def create_idea(
    *,
    by: User,
    title: str,
    problem: str,
    who_suffers: str = "",
    proposed_change: str = "",
    expected_change: str = "",
    service: Service | None = None,
    pain_points: Sequence[PainPoint] = (),
    skills: Sequence[Skill] = (),
) -> Idea:
    """Anyone signed in proposes an idea; it is theirs."""
    values = _idea_values(
        {
            "title": title,
            "problem": problem,
            "who_suffers": who_suffers,
            "proposed_change": proposed_change,
            "expected_change": expected_change,
        }
    )
    _check_pain_points(pain_points, service)
    profile = Profile.objects.filter(user=by).only("organisation_id", "area_id").first()
    idea = Idea.objects.create(
        proposer=by,
        service=service,
        organisation_id=profile.organisation_id if profile else None,
        area_id=profile.area_id if profile else None,
        **values,
    )
    if pain_points:
        idea.pain_points.set(pain_points)
    if skills:
        idea.skills.set(skills)
    search.index_idea(idea)
    return idea


@transaction.atomic
def update_idea(*, by: User, idea: Idea, **fields: Any) -> Idea:
    """The proposer (or an administrator) rewrites the idea's text and service."""
    if not by.has_perm("pipeline.change_idea", idea):
        raise PermissionDenied(_("Only the idea's proposer changes it."))
    pain_points = fields.pop("pain_points", None)
    skills = fields.pop("skills", None)
    service = fields.pop("service", idea.service)
    unknown = set(fields) - set(TEXT_FIELDS)
    if unknown:
        raise ValidationError({name: _("This field cannot be changed.") for name in unknown})
    values = _idea_values(fields)
    if pain_points is not None:
        _check_pain_points(pain_points, service)
    for name, value in values.items():
        setattr(idea, name, value)
    idea.service = service
    idea.save()
    if pain_points is not None:
        idea.pain_points.set(pain_points)
    if skills is not None:
        idea.skills.set(skills)
    search.index_idea(idea)
    return idea


@transaction.atomic
def support(*, by: User, idea: Idea) -> bool:
    """`by` supports the idea; answers whether that was new (supporting twice is once)."""
    try:
        with transaction.atomic():
            Support.objects.create(idea=idea, user=by)
    except IntegrityError:
        return False
    Idea.objects.filter(pk=idea.pk).update(supporters_count=F("supporters_count") + 1)
    return True


@transaction.atomic
def withdraw_support(*, by: User, idea: Idea) -> bool:
    deleted, _rows = Support.objects.filter(idea=idea, user=by).delete()
    if deleted:
        Idea.objects.filter(pk=idea.pk).update(supporters_count=F("supporters_count") - 1)
    return bool(deleted)


@transaction.atomic
def comment(*, by: User, idea: Idea, text: str) -> Comment:
    text = clean_text(text, "text", max_length=TEXT_MAX, required=True)
    created = Comment.objects.create(idea=idea, author=by, text=text)
    Idea.objects.filter(pk=idea.pk).update(comments_count=F("comments_count") + 1)
    return created


@transaction.atomic
def ask_to_join(*, by: User, idea: Idea, note: str = "") -> JoinRequest:
    """Ask the proposer to join the work on an idea; once per person (409 the second time)."""
    if idea.proposer_id == by.pk:
        raise Conflict(_("This is your own idea."))
    note = clean_text(note, "note", max_length=TEXT_MAX)
    try:
        with transaction.atomic():
            return JoinRequest.objects.create(idea=idea, user=by, note=note)
    except IntegrityError:
        raise Conflict(_("You have already asked to join this idea.")) from None
