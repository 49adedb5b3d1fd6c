"""Pages of ideas, pilots and lessons: thin views over `ideas.py`, `pilots.py`, the
selectors and the rules. Every page works without JavaScript; writes redirect after success
and a refusal shows its reason beside the field it names, with what was typed kept."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import BaseForm
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from innohub.accounts.auth import signed_in
from innohub.accounts.models import User
from innohub.core.errors import Conflict
from innohub.core.forms import apply_errors
from innohub.core.pagination import paginate
from innohub.geo.models import Area
from innohub.geo.templatetags.geo import named
from innohub.services.models import PainPoint

from . import design_pdf as pdf
from . import designs, ideas, mentors, moves, pilots, replication, rules, scaling, search, selectors
from .family_tree import family_tree
from .forms import (
    ActivityFormSet,
    BudgetLineFormSet,
    CommentForm,
    DesignForm,
    DesignRiskFormSet,
    IdeaFilterForm,
    IdeaForm,
    JoinForm,
    LessonFilterForm,
    LessonForm,
    MentoringNoteForm,
    MoveForm,
    PilotEditForm,
    PilotFilterForm,
    PilotForm,
    RiskForm,
    SpendForm,
)
from .forms_fund import ReachForm, ReplicationForm, ScaleUpForm
from .impact import impact as impact_of
from .impact_words import impact_in_words
from .models import Idea, Pilot, ProjectDesign, ScaleUp, Status

SIMILAR_ON_PAGE = 5


_apply_errors = apply_errors


def _refused(request: HttpRequest, refusal: Exception) -> None:
    messages.error(request, str(getattr(refusal, "message", "") or refusal.args[0]))


def _done(request: HttpRequest, write: Any, success: Any) -> None:
    """Run a write from a button on the pilot's page; its refusal, or `success()`, becomes
    the message shown when the page comes back."""
    try:
        write()
    except (PermissionDenied, Conflict) as refusal:
        _refused(request, refusal)
    except ValidationError as error:
        messages.error(request, " ".join(m for found in error.message_dict.values() for m in found))
    else:
        messages.success(request, success())


# ---- Ideas ---------------------------------------------------------------------------------


def _similar(text: str, *, leave_out: tuple[str, int] | None = None) -> list[dict[str, Any]]:
    """Ideas and pilots like `text`, with their titles, for a page (one query each kind)."""
    if not search.words(text):
        return []
    matches = [
        m for m in search.similar(text, limit=SIMILAR_ON_PAGE + 1) if (m.kind, m.id) != leave_out
    ][:SIMILAR_ON_PAGE]
    ideas_found = Idea.objects.in_bulk([m.id for m in matches if m.kind == search.IDEA])
    pilots_found = Pilot.objects.select_related("area").in_bulk(
        [m.id for m in matches if m.kind == search.PILOT]
    )
    found: list[dict[str, Any]] = []
    for match in matches:
        thing = (ideas_found if match.kind == search.IDEA else pilots_found).get(match.id)
        if thing is not None:
            found.append({"kind": match.kind, "object": thing, "score": match.score})
    return found


@login_required
def idea_list(request: HttpRequest) -> HttpResponse:
    form = IdeaFilterForm(request.GET)
    found = Idea.objects.none()
    if form.is_valid():
        data = form.cleaned_data
        found = selectors.idea_list(
            q=data["q"] or None,
            service=data["service"].pk if data["service"] else None,
            area=data["area"],
        )
    context = {
        "form": form,
        "filtered": any(form.data.get(name) for name in form.fields),
        "pager": paginate(request, found),
    }
    return render(request, "pipeline/idea_list.html", context)


def _pain_point(request: HttpRequest) -> PainPoint | None:
    raw = request.GET.get("pain_point") or request.POST.get("pain_point") or ""
    if not raw.isdigit() or len(raw) > 18:
        return None
    return (
        PainPoint.objects.select_related(
            "journey_step__journey__service", "map_step__process_map__service"
        )
        .filter(pk=int(raw))
        .first()
    )


def _service_of(pain: PainPoint | None) -> Any:
    if pain is None:
        return None
    if pain.journey_step is not None:
        return pain.journey_step.journey.service
    assert pain.map_step is not None
    return pain.map_step.process_map.service


@login_required
def idea_new(request: HttpRequest) -> HttpResponse:
    """Write an idea, from scratch or from a pain point (`?pain_point=`); similar ideas and
    pilots from every organisation are shown beside it."""
    user = signed_in(request)
    pain = _pain_point(request)
    initial: dict[str, Any] = {}
    if pain is not None:
        initial = {"service": _service_of(pain), "problem": pain.description}
    form = IdeaForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            idea = ideas.create_idea(
                by=user,
                title=data["title"],
                problem=data["problem"],
                who_suffers=data["who_suffers"],
                proposed_change=data["proposed_change"],
                expected_change=data["expected_change"],
                service=data["service"],
                pain_points=[pain] if pain is not None else [],
                skills=list(data["skills"]),
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("Your idea is published for everyone to see."))
            return redirect("pipeline:idea_detail", idea.pk)
    text = " ".join(str(form[name].value() or "") for name in ("title", "problem"))
    context = {"form": form, "pain": pain, "similar": _similar(text), "similar_text": text}
    return render(request, "pipeline/idea_new.html", context)


@login_required
def idea_similar(request: HttpRequest) -> HttpResponse:
    """The similar ideas panel alone, for the new-idea page to refresh as one types."""
    text = request.GET.get("text", "")[:2000]
    return render(request, "pipeline/includes/similar.html", {"similar": _similar(text)})


@login_required
def idea_detail(request: HttpRequest, pk: int) -> HttpResponse:
    idea = selectors.idea_detail(pk)
    if idea is None:
        raise Http404
    user = signed_in(request)
    context = {
        "idea": idea,
        "pilots": list(selectors.pilot_list(idea=idea.pk)[:20]),
        "comments": list(idea.comments.select_related("author")[:200]),
        "supported": idea.supports.filter(user=user).exists(),
        "has_design": ProjectDesign.objects.filter(idea=idea).exists(),
        "asked": idea.join_requests.filter(user=user).exists(),
        "join_requests": list(idea.join_requests.select_related("user"))
        if idea.proposer_id == user.pk
        else [],
        "comment_form": CommentForm(),
        "join_form": JoinForm(),
        "similar": _similar(f"{idea.title} {idea.problem}", leave_out=(search.IDEA, idea.pk)),
        "proposals": list(selectors.proposals_of_idea(idea)[:20]),
        "open_calls": (
            list(selectors.open_calls()[:5]) if user.has_perm("pipeline.add_proposal", idea) else []
        ),
    }
    return render(request, "pipeline/idea_detail.html", context)


def _idea_or_404(pk: int) -> Idea:
    idea = Idea.objects.filter(pk=pk).first()
    if idea is None:
        raise Http404
    return idea


@login_required
@require_POST
def idea_support(request: HttpRequest, pk: int) -> HttpResponse:
    idea = _idea_or_404(pk)
    if request.POST.get("withdraw"):
        ideas.withdraw_support(by=signed_in(request), idea=idea)
    else:
        ideas.support(by=signed_in(request), idea=idea)
    return redirect("pipeline:idea_detail", pk)


@login_required
@require_POST
def idea_comment(request: HttpRequest, pk: int) -> HttpResponse:
    idea = _idea_or_404(pk)
    form = CommentForm(request.POST)
    if form.is_valid():
        ideas.comment(by=signed_in(request), idea=idea, text=form.cleaned_data["text"])
        messages.success(request, _("Your comment is added."))
    else:
        messages.error(request, _("Write a comment first."))
    return redirect("pipeline:idea_detail", pk)


@login_required
@require_POST
def idea_join(request: HttpRequest, pk: int) -> HttpResponse:
    idea = _idea_or_404(pk)
    form = JoinForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        ideas.ask_to_join(by=signed_in(request), idea=idea, note=note)
    except Conflict as refusal:
        _refused(request, refusal)
    else:
        messages.success(request, _("The proposer can see that you asked to join."))
    return redirect("pipeline:idea_detail", pk)


# ---- Pilots --------------------------------------------------------------------------------


@login_required
def pilot_list(request: HttpRequest) -> HttpResponse:
    form = PilotFilterForm(request.GET)
    found = Pilot.objects.none()
    if form.is_valid():
        data = form.cleaned_data
        found = selectors.pilot_list(
            status=data["status"] or None,
            area=data["area"],
            involving=signed_in(request).pk if data["mine"] else None,
        )
    context = {
        "form": form,
        "filtered": any(form.data.get(name) for name in form.fields),
        "pager": paginate(request, found),
    }
    return render(request, "pipeline/pilot_list.html", context)


@login_required
def pilot_new(request: HttpRequest, idea_pk: int) -> HttpResponse:
    """Start a pilot of an idea: its lead is the person starting it."""
    idea = selectors.idea_detail(idea_pk)
    if idea is None:
        raise Http404
    form = PilotForm(request.POST or None, initial={"title": idea.title})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            pilot = pilots.create_pilot(
                by=signed_in(request),
                title=data["title"],
                idea=idea,
                area=data["area"],
                organisation=data["organisation"],
                budget=data["budget"],
                budget_code=data["budget_code"],
                annual_volume=data["annual_volume"],
                partner=data["partner"],
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("The pilot is a draft: name a mentor, then submit it."))
            return redirect("pipeline:pilot_detail", pilot.pk)
    return render(request, "pipeline/pilot_new.html", {"form": form, "idea": idea})


def _pilot_or_404(pk: int) -> Pilot:
    pilot = selectors.pilot_detail(pk)
    if pilot is None:
        raise Http404
    return pilot


MENTOR_SUGGESTIONS_ON_PAGE = 5

MEASURE_LABELS = {
    "days": gettext_lazy("Days to get the service"),
    "hours": gettext_lazy("Citizen's hours"),
    "cost": gettext_lazy("Cost to the citizen"),
    "visits": gettext_lazy("Visits"),
}

# The words of each move's button.
MOVE_LABELS = {
    Status.SUBMITTED: gettext_lazy("Submit for approval"),
    Status.APPROVED: gettext_lazy("Approve"),
    Status.DRAFT: gettext_lazy("Return for changes"),
    Status.ONGOING: gettext_lazy("Start the pilot"),
    Status.COMPLETED: gettext_lazy("Mark as completed"),
    Status.DISCONTINUED: gettext_lazy("Discontinue"),
}


def _moves_for(user: Any, pilot: Pilot) -> list[dict[str, Any]]:
    """The moves `user` may make now, each with its button's words."""
    found = []
    standing = rules.standing(user, pilot)
    for to in moves.allowed_moves(pilot.status):
        try:
            moves.check_move(
                status=pilot.status,
                to=to,
                standing=standing,
                has_mentor=pilot.mentor_id is not None,
                note="-",
            )
        except moves.MoveRefused:
            continue
        found.append({"to": to, "label": MOVE_LABELS[Status(to)]})
    return found


@login_required
def pilot_detail(request: HttpRequest, pk: int) -> HttpResponse:
    pilot = _pilot_or_404(pk)
    user = signed_in(request)
    phases = selectors.phase_totals(pilot)
    impact = impact_of(phases["baseline"], phases["after"], annual_volume=pilot.annual_volume)
    context = {
        "pilot": pilot,
        "events": list(selectors.events_of(pilot)),
        "impact": impact,
        "impact_rows": [
            (
                {
                    "before": impact["baseline"][measure],
                    "after": impact["after"][measure],
                    "reduction": impact["reduction"][measure],
                    "pct": impact["reduction_pct"][measure],
                    "ci": impact["ci95"][measure],
                },
                f"{label} ({pilot.currency})" if measure == "cost" else label,
            )
            for measure, label in MEASURE_LABELS.items()
        ],
        "impact_words": impact_in_words(
            phases["baseline"],
            phases["after"],
            annual_volume=pilot.annual_volume,
            currency=pilot.currency,
        ),
        "risks": list(selectors.risks_of(pilot)[:200]),
        "spends": list(pilot.spends.select_related("by").order_by("-spent_on", "-id")[:200]),
        "lessons": list(pilot.lessons.select_related("by")[:200]),
        "moves": _moves_for(user, pilot),
        "move_form": MoveForm(),
        "may_change": user.has_perm("pipeline.change_pilot", pilot),
        "may_spend": user.has_perm("pipeline.add_spend", pilot) and pilot.status in pilots.SPENDING,
        "may_add_risk": user.has_perm("pipeline.add_risk", pilot),
        "may_add_lesson": user.has_perm("pipeline.add_lesson", pilot),
        "may_link": user.has_perm("pipeline.add_measurement", pilot),
        "left": pilot.budget - pilot.spent,
        "mentor_load": selectors.mentor_load(pilot.mentor_id) if pilot.mentor_id else None,
        "suggestions": (
            mentors.suggestions(pilot, limit=MENTOR_SUGGESTIONS_ON_PAGE)
            if user.has_perm("pipeline.change_pilot", pilot) and pilot.status not in pilots.ENDED
            else []
        ),
        "notes": (
            list(pilot.mentoring_notes.select_related("author")[:200])
            if user.has_perm("pipeline.view_mentoringnote", pilot)
            else None
        ),
        "may_note": user.has_perm("pipeline.add_mentoringnote", pilot),
        "note_form": MentoringNoteForm(),
        **_replication_context(user, pilot),
    }
    return render(request, "pipeline/pilot_detail.html", context)


CANDIDATES_ON_PAGE = 20


def _replication_context(user: Any, pilot: Pilot) -> dict[str, Any]:
    """The family tree, the areas where the burden is still measured, the national
    scale-up and its reach: for a completed pilot or one with a family."""
    completed = pilot.status == Status.COMPLETED
    in_family = pilot.replicates_id is not None or pilot.replications.exists()
    found = replication.candidates(pilot)[:CANDIDATES_ON_PAGE] if completed else []
    areas = Area.objects.in_bulk([c["area"] for c in found])
    candidates = [{**c, "place": areas.get(c["area"])} for c in found]
    decision = ScaleUp.objects.filter(pilot=pilot).first()
    reach = scaling.reach_of(pilot) if decision else []
    return {
        "family": family_tree(pilot) if in_family or completed else None,
        "candidates": candidates,
        "candidates_chart": {
            "type": "bar",
            "horizontal": True,
            "labels": [f"{named(c['place'])} ({c['place'].code})" for c in candidates],
            "values": [float(c["visits"]) for c in candidates],
            "series": _("Mean visits"),
        },
        "scale_up": decision,
        "reach": reach,
        "reach_chart": {
            "type": "line",
            "labels": [date_format(r.on, "SHORT_DATE_FORMAT") for r in reach],
            "values": [r.citizens_reached for r in reach],
            "series": _("Citizens reached"),
        },
        "may_replicate": completed and user.has_perm("pipeline.add_replication", pilot),
        "may_scale": completed and user.has_perm("pipeline.add_scaleup", pilot),
    }


@login_required
@require_POST
def pilot_move(request: HttpRequest, pk: int) -> HttpResponse:
    pilot = _pilot_or_404(pk)
    form = MoveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a stage to move the pilot to."))
        return redirect("pipeline:pilot_detail", pk)
    to, note = form.cleaned_data["to"], form.cleaned_data["note"]
    _done(
        request,
        lambda: pilots.move(by=signed_in(request), pilot=pilot, to=to, note=note),
        lambda: _("The pilot is now “%(status)s”.") % {"status": Status(to).label},
    )
    return redirect("pipeline:pilot_detail", pk)


def _record(
    request: HttpRequest,
    pk: int,
    *,
    form_class: type[BaseForm],
    permission: str,
    heading: Any,
    button: Any,
    write: Any,
    done: str,
    initial: dict[str, Any] | None = None,
) -> HttpResponse:
    """A page with one form that adds something to a pilot (spending, a risk, a lesson)."""
    pilot = _pilot_or_404(pk)
    user = signed_in(request)
    if not user.has_perm(permission, pilot):
        raise PermissionDenied
    form = form_class(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            write(user, pilot, form.cleaned_data)
        except ValidationError as error:
            _apply_errors(form, error)
        except Conflict as refusal:
            form.add_error(None, refusal.message)
        else:
            messages.success(request, done)
            return redirect("pipeline:pilot_detail", pk)
    context = {"form": form, "pilot": pilot, "heading": heading, "button": button}
    return render(request, "pipeline/pilot_form.html", context)


@login_required
def pilot_spend(request: HttpRequest, pk: int) -> HttpResponse:
    return _record(
        request,
        pk,
        form_class=SpendForm,
        permission="pipeline.add_spend",
        heading=_("Record spending"),
        button=_("Record the spending"),
        write=lambda user, pilot, data: pilots.record_spend(by=user, pilot=pilot, **data),
        done=_("The spending is recorded."),
    )


@login_required
def pilot_risk(request: HttpRequest, pk: int) -> HttpResponse:
    return _record(
        request,
        pk,
        form_class=RiskForm,
        permission="pipeline.add_risk",
        heading=_("Add a risk"),
        button=_("Add the risk"),
        write=lambda user, pilot, data: pilots.add_risk(by=user, pilot=pilot, **data),
        done=_("The risk is in the register."),
    )


@login_required
def pilot_lesson(request: HttpRequest, pk: int) -> HttpResponse:
    return _record(
        request,
        pk,
        form_class=LessonForm,
        permission="pipeline.add_lesson",
        heading=_("Add a lesson learned"),
        button=_("Keep the lesson"),
        write=lambda user, pilot, data: pilots.add_lesson(by=user, pilot=pilot, **data),
        done=_("The lesson is kept."),
    )


@login_required
def pilot_replicate(request: HttpRequest, pk: int) -> HttpResponse:
    """Try a completed pilot again in another area: a new draft pilot, led by someone there."""
    made: list[Pilot] = []

    def write(user: User, pilot: Pilot, data: dict[str, Any]) -> None:
        made.append(
            replication.replicate(by=user, original=pilot, area=data["area"], lead=data["lead"])
        )

    response = _record(
        request,
        pk,
        form_class=ReplicationForm,
        permission="pipeline.add_replication",
        heading=_("Replicate the pilot in another area"),
        button=_("Start the replication"),
        write=write,
        done=_("The replication is a draft pilot: its lead names a mentor and submits it."),
        # "Replicate here" beside a candidate area names it.
        initial={"area": request.GET.get("area", "")[:100]},
    )
    return redirect("pipeline:pilot_detail", made[0].pk) if made else response


@login_required
def pilot_scale_up(request: HttpRequest, pk: int) -> HttpResponse:
    return _record(
        request,
        pk,
        form_class=ScaleUpForm,
        permission="pipeline.add_scaleup",
        heading=_("Record the national scale-up"),
        button=_("Record the decision"),
        write=lambda user, pilot, data: scaling.scale_up(by=user, pilot=pilot, **data),
        done=_("The pilot is scaled up nationally."),
    )


@login_required
def pilot_reach(request: HttpRequest, pk: int) -> HttpResponse:
    return _record(
        request,
        pk,
        form_class=ReachForm,
        permission="pipeline.add_scaleup",
        heading=_("Record the citizens reached"),
        button=_("Record the figure"),
        write=lambda user, pilot, data: scaling.record_reach(by=user, pilot=pilot, **data),
        done=_("The figure is recorded."),
    )


@login_required
def pilot_edit(request: HttpRequest, pk: int) -> HttpResponse:
    pilot = _pilot_or_404(pk)
    user = signed_in(request)
    if not user.has_perm("pipeline.change_pilot", pilot):
        raise PermissionDenied
    initial = {
        "title": pilot.title,
        "mentor": pilot.mentor.username if pilot.mentor else "",
        "budget": pilot.budget,
        "budget_code": pilot.budget_code,
        "annual_volume": pilot.annual_volume,
        "started_on": pilot.started_on,
        "ended_on": pilot.ended_on,
        "partner": pilot.partner_id,
    }
    form = PilotEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        changed = {name: form.cleaned_data[name] for name in form.changed_data}
        try:
            pilots.update_pilot(by=user, pilot=pilot, **changed)
        except ValidationError as error:
            _apply_errors(form, error)
        except Conflict as refusal:
            form.add_error(None, refusal.message)
        else:
            messages.success(request, _("The pilot is saved."))
            return redirect("pipeline:pilot_detail", pk)
    context = {
        "form": form,
        "pilot": pilot,
        "heading": _("Change the pilot"),
        "button": _("Save"),
    }
    return render(request, "pipeline/pilot_form.html", context)


@login_required
@require_POST
def pilot_mentor(request: HttpRequest, pk: int) -> HttpResponse:
    """Name a suggested person the pilot's mentor (the lead or a programme manager)."""
    pilot = _pilot_or_404(pk)
    raw = request.POST.get("mentor", "")
    mentor = (
        User.objects.filter(pk=int(raw), is_active=True).first()
        if raw.isdigit() and len(raw) < 19
        else None
    )
    if mentor is None:
        messages.error(request, _("Choose a person to name as mentor."))
        return redirect("pipeline:pilot_detail", pk)
    _done(
        request,
        lambda: pilots.update_pilot(by=signed_in(request), pilot=pilot, mentor=mentor),
        lambda: _("%(name)s is now the pilot's mentor.") % {"name": mentor.name},
    )
    return redirect("pipeline:pilot_detail", pk)


@login_required
@require_POST
def pilot_note(request: HttpRequest, pk: int) -> HttpResponse:
    """A mentoring note, from the pilot's page (the mentor or the lead)."""
    pilot = _pilot_or_404(pk)
    form = MentoringNoteForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(m) for found in form.errors.values() for m in found))
        return redirect("pipeline:pilot_detail", pk)
    _done(
        request,
        lambda: pilots.add_mentoring_note(by=signed_in(request), pilot=pilot, **form.cleaned_data),
        lambda: _("The note is kept."),
    )
    return redirect("pipeline:pilot_detail", pk)


# ---- Lessons -------------------------------------------------------------------------------


@login_required
def lesson_list(request: HttpRequest) -> HttpResponse:
    """What we learned: every lesson, from completed pilots and discontinued ones alike."""
    form = LessonFilterForm(request.GET)
    found = selectors.lessons()
    if form.is_valid():
        found = selectors.lessons(
            q=form.cleaned_data["q"] or None, outcome=form.cleaned_data["outcome"] or None
        )
    context = {
        "form": form,
        "filtered": any(form.data.get(name) for name in form.fields),
        "pager": paginate(request, found),
    }
    return render(request, "pipeline/lesson_list.html", context)


# ---- Project design ------------------------------------------------------------------------


def _design_context(idea: Idea) -> dict[str, Any]:
    design = selectors.design_of(idea)
    total = sum((line.amount for line in design.budget_lines.all()), Decimal(0)) if design else None
    return {"idea": idea, "design": design, "budget_total": total}


@login_required
def design_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The design document, as a page that prints well."""
    idea = selectors.idea_detail(pk)
    if idea is None:
        raise Http404
    context = _design_context(idea)
    context["may_change"] = signed_in(request).has_perm("pipeline.change_projectdesign", idea)
    return render(request, "pipeline/design_detail.html", context)


@login_required
def design_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    idea = selectors.idea_detail(pk)
    if idea is None:
        raise Http404
    context = _design_context(idea)
    if context["design"] is None:
        raise Http404
    document = pdf.design_pdf({**context, "LANGUAGE_CODE": request.LANGUAGE_CODE})
    response = HttpResponse(document, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="design-{idea.pk}.pdf"'
    return response


def _rows(formset: Any, make: Any) -> list[Any]:
    """The filled, kept rows of a valid formset, as data."""
    return [
        make(**{k: v for k, v in form.cleaned_data.items() if k != "DELETE"})
        for form in formset.forms
        if form.cleaned_data and not form.cleaned_data.get("DELETE")
    ]


def _formset_errors(formsets: dict[str, Any], error: ValidationError) -> dict[str, Any]:
    """Row errors (`activities.1.ends_on`) onto their formset's form; the rest returned."""
    rest: dict[str, Any] = {}
    for key, found in error.message_dict.items():
        name, _dot, tail = key.partition(".")
        index, _dot, field = tail.partition(".")
        formset = formsets.get(name)
        if formset is not None and index.isdigit() and int(index) < len(formset.forms):
            kept = [f for f in formset.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]
            form = kept[int(index)] if int(index) < len(kept) else formset.forms[int(index)]
            for message in found:
                form.add_error(field if field in form.fields else None, message)
        else:
            rest[key] = found
    return rest


@login_required
def design_edit(request: HttpRequest, pk: int) -> HttpResponse:
    idea = selectors.idea_detail(pk)
    if idea is None:
        raise Http404
    user = signed_in(request)
    if not user.has_perm("pipeline.change_projectdesign", idea):
        raise PermissionDenied
    design = selectors.design_of(idea)
    data = request.POST if request.method == "POST" else None
    initial: dict[str, Any] = {"title": idea.title}
    rows: dict[str, list[dict[str, Any]]] = {"activities": [], "budget_lines": [], "risks": []}
    if design is not None:
        initial = {name: getattr(design, name) for name in DesignForm.base_fields}
        rows = {
            "activities": [
                {"title": a.title, "starts_on": a.starts_on, "ends_on": a.ends_on, "who": a.who}
                for a in design.activities.all()
            ],
            "budget_lines": [
                {"item": b.item, "amount": b.amount, "note": b.note}
                for b in design.budget_lines.all()
            ],
            "risks": [
                {
                    "description": r.description,
                    "likelihood": r.likelihood,
                    "impact": r.impact,
                    "exposure": r.exposure,
                    "course_correction": r.course_correction,
                }
                for r in design.risks.all()
            ],
        }
    form = DesignForm(data, initial=initial)
    formsets: dict[str, Any] = {
        "activities": ActivityFormSet(data, initial=rows["activities"], prefix="activities"),
        "budget_lines": BudgetLineFormSet(
            data, initial=rows["budget_lines"], prefix="budget_lines"
        ),
        "risks": DesignRiskFormSet(data, initial=rows["risks"], prefix="risks"),
    }
    if data is not None and form.is_valid() and all(f.is_valid() for f in formsets.values()):
        try:
            designs.save_design(
                by=user,
                idea=idea,
                **form.cleaned_data,
                activities=_rows(formsets["activities"], designs.ActivityData),
                budget_lines=_rows(formsets["budget_lines"], designs.BudgetLineData),
                risks=_rows(formsets["risks"], designs.RiskData),
            )
        except ValidationError as error:
            rest = _formset_errors(formsets, error)
            if rest:
                _apply_errors(form, ValidationError(rest))
        else:
            messages.success(request, _("The design is saved."))
            if "more" in request.POST:
                return redirect("pipeline:design_edit", pk)
            return redirect("pipeline:design_detail", pk)
    context = {"idea": idea, "form": form, "formsets": formsets}
    return render(request, "pipeline/design_edit.html", context)
