"""Pages of services, process maps and journeys: thin views over the domain's services,
selectors and rules. Every page works without JavaScript; writes redirect after success."""

from __future__ import annotations

import uuid
from dataclasses import replace
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet, prefetch_related_objects
from django.forms import BaseForm
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from innohub.accounts.auth import signed_in
from innohub.accounts.selectors import office_area_of
from innohub.core.errors import Conflict
from innohub.core.numbers import figure
from innohub.core.pagination import paginate
from innohub.geo.models import Area

from . import journeys, pain_actions, pilot_link, selectors, services, views_offline
from .forms import (
    FigureFilterForm,
    JourneyFilterForm,
    JourneyStartForm,
    MapStepFormSet,
    RecorderStepForm,
    ServiceFilterForm,
    StepForm,
    step_initial,
)
from .models import (
    Journey,
    JourneyStatus,
    Service,
    Variant,
)
from .pilot_link import Link
from .steps import step_data_of
from .tcv import opportunity_cost


def _apply_errors(form: BaseForm, error: ValidationError, *, prefix: str = "") -> None:
    """Put a domain ValidationError (keyed by field, maybe "steps.0.visits") on the form;
    what matches no field goes to the whole form."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for key, messages_ in error.message_dict.items():
        field = key.removeprefix(prefix) if prefix else key
        if ".pain_points." in field:
            field = "pain_" + field.rsplit(".", 1)[-1]
        field = field.rsplit(".", 1)[-1]
        target = field if field in form.fields else None
        for message in messages_:
            form.add_error(target, message)


# ---- The catalogue and the service page ----------------------------------------------------


@login_required
def service_list(request: HttpRequest) -> HttpResponse:
    form = ServiceFilterForm(request.GET)
    found: QuerySet[Service] = Service.objects.none()
    if form.is_valid():
        data = form.cleaned_data
        found = selectors.service_list(
            organisation=data["organisation"],
            area=data["area"],
            channel=data["channel"] or None,
            q=data["q"] or None,
            order=data["order"],
        )
    context = {
        "form": form,
        "filtered": any(form.data.get(name) for name in form.fields if name != "order"),
        "pager": paginate(request, found),
        "may_add": request.user.has_perm("services.add_service"),
    }
    return render(request, "services/service_list.html", context)


@login_required
def service_detail(request: HttpRequest, pk: int) -> HttpResponse:
    service = selectors.service_for_page(pk)
    if service is None:
        raise Http404
    # Maps have no area of their own: their opportunity cost is at the organisation's wage.
    wage = selectors.hourly_wage_for(service.organisation.area)
    rows: list[dict[str, Any]] = [
        {
            "row": row,
            "opportunity_cost": opportunity_cost(hours=row.tcv.hours, hourly_wage=wage),
        }
        for row in selectors.variant_comparison(service=service)
    ]
    form = FigureFilterForm(request.GET)
    distribution = histograms = None
    latest: list[Journey] = []
    if form.is_valid():  # else the errors say what to fix, and no figure misleads
        filters = form.filters()
        distribution = selectors.tcv_distribution(service=service, **filters)
        histograms = selectors.tcv_histograms(service=service, **filters)
        latest = list(
            selectors.journey_rows(service=service, status=JourneyStatus.FINAL, **filters)[
                :LATEST_JOURNEYS
            ]
        )
    existing = {item["row"].process_map.variant for item in rows}
    # What each variant's difference is measured against (its per cent).
    existing_tcv = next(
        (item["row"].tcv for item in rows if item["row"].process_map.variant == Variant.EXISTING),
        None,
    )
    context = {
        "service": service,
        "rows": rows,
        "has_existing": Variant.EXISTING in existing,
        "existing_tcv": existing_tcv,
        "form": form,
        "filtered": any(form.data.get(name) for name in form.fields),
        "distribution": distribution,
        "histograms": _histogram_rows(histograms, currency=service.currency),
        "chart": _chart_data(histograms, currency=service.currency),
        "latest": latest,
        "missing_variants": [(v.value, v.label) for v in Variant if v.value not in existing],
        "may_edit_maps": request.user.has_perm("services.change_processmap"),
    }
    return render(request, "services/service_detail.html", context)


# The service page lists this many of the latest journeys; the journeys page has them all.
LATEST_JOURNEYS = 5


def _histogram_labels() -> dict[str, Any]:
    return {"days": _("Days"), "cost": _("Cost"), "visits": _("Visits")}


def _bin_label(measure: str, low: Any, high: Any) -> str:
    """A bin as people read it, with an en dash: "0-5" days, "1,000-2,000" money; one visit
    count alone."""
    if measure == "visits" and high - low == 1:
        return figure(low)
    return f"{figure(low)}\u2013{figure(high)}"


def _histogram_rows(histograms: Any, *, currency: str) -> list[dict[str, Any]]:
    """Each histogram as the page's tables show it: a caption and (span, journeys) rows."""
    if not histograms:
        return []
    labels = _histogram_labels()
    return [
        {
            "key": key,
            "label": labels[key] if key != "cost" else f"{labels[key]} ({currency})",
            "bins": [{"span": _bin_label(key, b.low, b.high), "count": b.count} for b in bins],
        }
        for key, bins in histograms.items()
        if bins
    ]


def _chart_data(histograms: Any, *, currency: str) -> dict[str, Any] | None:
    """What the chart module draws: per measure, its bins' labels and journey counts."""
    rows = _histogram_rows(histograms, currency=currency)
    if not rows:
        return None
    return {
        "journeys": _("Journeys"),
        "metrics": [
            {
                "key": row["key"],
                "label": row["label"],
                "labels": [b["span"] for b in row["bins"]],
                "counts": [b["count"] for b in row["bins"]],
            }
            for row in rows
        ],
    }


# ---- Recording a journey, one step a page --------------------------------------------------


def _journey_for_change(request: HttpRequest, pk: int) -> Journey:
    journey = selectors.journey_with_place(pk)
    if journey is None:
        raise Http404
    if not request.user.has_perm("services.change_journey", journey):
        raise PermissionDenied
    return journey


@login_required
def journey_start(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("services.add_journey"):
        raise PermissionDenied
    initial: dict[str, Any] = {}
    if (service_id := request.GET.get("service", "")) and service_id.isdigit():
        initial["service"] = service_id
    if request.method != "POST" and (office := office_area_of(signed_in(request))) is not None:
        initial["area"] = office.code  # most journeys are observed where the officer works
    initial.update(_pilot_initial(request), client_id=uuid.uuid4())
    form = JourneyStartForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            journey = journeys.create_journey(
                by=signed_in(request),
                service=data["service"],
                area=data["area"],
                observed_on=data["observed_on"],
                method=data["method"],
                ref=data["ref"],
                status=JourneyStatus.DRAFT,
                link=Link(data["pilot"], data["phase"] or "none"),
                client_id=data.get("client_id"),
            )
        except ValidationError as error:
            _apply_errors(form, error)
        except PermissionDenied as error:
            form.add_error("pilot", str(error))
        except Conflict as error:
            form.add_error("ref", str(error))
        else:
            messages.success(request, _("Journey started. Record its first step."))
            return redirect("services:journey_record", pk=journey.pk)
    return render(request, "services/journey_start.html", {"form": form})


def _pilot_initial(request: HttpRequest) -> dict[str, Any]:
    """Coming from a pilot's page (`?pilot=&phase=`): the journey measures that pilot, of its
    service, in its area."""
    raw, phase = request.GET.get("pilot", ""), request.GET.get("phase", "")
    linker = pilot_link.linker()
    if not raw.isdigit() or len(raw) > 18 or phase not in ("baseline", "after") or linker is None:
        return {}
    facts = linker.facts(int(raw), by=signed_in(request))
    if facts is None:
        return {}
    area = Area.objects.filter(pk=facts.area_id).only("code").first()
    return {
        "pilot": facts.id,
        "phase": phase,
        "service": facts.service_id,
        **({"area": area.code} if area is not None else {}),
    }


@login_required
def journey_record(request: HttpRequest, pk: int) -> HttpResponse:
    """The step page: the steps so far, and a form for the next one (saved on submit)."""
    journey = _journey_for_change(request, pk)
    prefetch_related_objects([journey], selectors.steps_prefetch())
    steps = list(journey.steps.all())
    # Office and actor usually stay the same from one step to the next: carried over.
    carried = {"office": steps[-1].office, "actor": steps[-1].actor} if steps else {}
    form = RecorderStepForm(request.POST or None, initial={**carried, "client_id": uuid.uuid4()})
    if request.method == "POST" and form.is_valid():
        step = form.step_data()
        try:
            journeys.add_journey_step(
                by=signed_in(request), journey=journey, step=step, client_id=step.client_id
            )
        except ValidationError as error:
            _apply_errors(form, error, prefix="step.")
        else:
            messages.success(
                request,
                _("Step %(number)d saved. Record the next one, or finish.")
                % {"number": len(steps) + 1},
            )
            return redirect("services:journey_record", pk=journey.pk)
    context = {
        "journey": journey,
        "steps": steps,
        "form": form,
        "next_number": len(steps) + 1,
        "tcv": selectors.journey_tcv(journey),
        "recorder": views_offline.recorder_setup(request, journey, form),
    }
    return render(request, "services/journey_record.html", context)


def _step_of(request: HttpRequest, pk: int, step_pk: int) -> tuple[Journey, list[Any], Any]:
    """The journey (if the person may change it), its steps in order, and the one asked for."""
    journey = _journey_for_change(request, pk)
    steps = list(journey.steps.order_by("position", "id").prefetch_related("pain_points"))
    step = next((step for step in steps if step.pk == step_pk), None)
    if step is None:
        raise Http404
    return journey, steps, step


@login_required
def journey_edit_step(request: HttpRequest, pk: int, step_pk: int) -> HttpResponse:
    """Correct a saved step: its form, filled in; saved, the journey's other steps keep their
    order and their pain points."""
    journey, steps, step = _step_of(request, pk, step_pk)
    number = steps.index(step) + 1
    form = StepForm(request.POST or None, initial=step_initial(step))
    if request.method == "POST" and form.is_valid():
        # The edited step keeps the id the recorder gave it.
        edited = [
            replace(form.step_data(), client_id=s.client_id) if s is step else step_data_of(s)
            for s in steps
        ]
        try:
            journeys.replace_journey_steps(by=signed_in(request), journey=journey, steps=edited)
        except ValidationError as error:
            _apply_errors(form, error, prefix=f"steps.{number - 1}.")
        else:
            messages.success(request, _("Step %(number)d changed.") % {"number": number})
            return redirect("services:journey_record", pk=journey.pk)
    context = {"journey": journey, "step": step, "number": number, "form": form}
    return render(request, "services/journey_edit_step.html", context)


@login_required
def journey_remove_step(request: HttpRequest, pk: int, step_pk: int) -> HttpResponse:
    """Remove one recorded step (a mistake on the phone), once confirmed: the others keep
    their order."""
    journey, steps, step = _step_of(request, pk, step_pk)
    number = steps.index(step) + 1
    if request.method != "POST":
        context = {"journey": journey, "step": step, "number": number}
        return render(request, "services/journey_remove_step.html", context)
    kept = [step_data_of(s) for s in steps if s is not step]
    try:
        journeys.replace_journey_steps(by=signed_in(request), journey=journey, steps=kept)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("Step %(number)d (%(title)s) removed.") % {"number": number, "title": step.title},
        )
    return redirect("services:journey_record", pk=journey.pk)


@login_required
def journey_discard(request: HttpRequest, pk: int) -> HttpResponse:
    """Discard a draft that will not be finished, once confirmed."""
    journey = _journey_for_change(request, pk)
    if request.method != "POST":
        return render(request, "services/journey_discard.html", {"journey": journey})
    try:
        journeys.discard_draft(by=signed_in(request), journey=journey)
    except Conflict as error:
        messages.error(request, str(error))
        return redirect("services:journey_detail", pk=journey.pk)
    messages.success(request, _("The draft journey was discarded."))
    return redirect("services:my_drafts")


@login_required
@require_POST
def journey_finish(request: HttpRequest, pk: int) -> HttpResponse:
    journey = _journey_for_change(request, pk)
    try:
        journeys.finish_journey(by=signed_in(request), journey=journey)
    except Conflict:
        return redirect("services:journey_detail", pk=journey.pk)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("services:journey_record", pk=journey.pk)
    messages.success(request, _("Journey finished: it now counts in the service's TCV."))
    return redirect("services:journey_detail", pk=journey.pk)


def _journey_list_page(
    request: HttpRequest, *, title: str, service: Service | None = None, **fixed: Any
) -> HttpResponse:
    form = JourneyFilterForm(request.GET)
    found: QuerySet[Journey] = Journey.objects.none()
    area = None
    if form.is_valid():
        found = selectors.journey_rows(service=service, **fixed, **form.filters())
        area = form.cleaned_data["area"]
    context = {
        "title": title,
        "service": service,
        "form": form,
        "filtered": any(form.data.get(name) for name in form.fields),
        "area_code": area.code if area is not None else "",  # what the downloads narrow to
        "pager": paginate(request, found),
    }
    return render(request, "services/journey_list.html", context)


@login_required
def my_journeys(request: HttpRequest) -> HttpResponse:
    """Every journey the person observed, finished or not: the way back to them. With
    `?import=<id>`, the journeys that import wrote (for who may follow the import)."""
    raw = request.GET.get("import", "")
    if not raw:
        return _journey_list_page(request, title=_("My journeys"), observer=request.user)
    job = (
        selectors.journey_import_for(import_id=int(raw), user=request.user)
        if raw.isdigit() and len(raw) < 19
        else None
    )
    if job is None:
        raise Http404
    title = _("Journeys imported from %(file)s") % {"file": job.file_name or f"#{job.pk}"}
    return _journey_list_page(request, title=title, source_import=job.pk)


@login_required
def service_journeys(request: HttpRequest, pk: int) -> HttpResponse:
    """The journeys observed of one service, filterable by area, dates, method and status."""
    service = selectors.service_with_organisation(pk)
    if service is None:
        raise Http404
    title = _("Journeys of %(service)s") % {"service": service.name}
    return _journey_list_page(request, title=title, service=service)


@login_required
def my_drafts(request: HttpRequest) -> HttpResponse:
    drafts = selectors.drafts_of(request.user)
    return render(request, "services/my_drafts.html", {"pager": paginate(request, drafts)})


@login_required
def journey_detail(request: HttpRequest, pk: int) -> HttpResponse:
    journey = selectors.journey_with_steps(pk)
    if journey is None:
        raise Http404
    steps = list(journey.steps.all())
    tcv = selectors.journey_tcv(journey)
    wage = selectors.hourly_wage_for(journey.area)
    context = {
        "journey": journey,
        "steps": steps,
        "tcv": tcv,
        "hourly_wage": wage,
        "opportunity_cost": opportunity_cost(hours=tcv.hours, hourly_wage=wage),
        "may_change": request.user.has_perm("services.change_journey", journey),
        "pain_actions": [
            {"label": action.label, "url": reverse(action.url_name)}
            for action in pain_actions.actions()
        ],
    }
    return render(request, "services/journey_detail.html", context)


# ---- The process map step editor (workshops) -----------------------------------------------

FORMSET_PREFIX = "steps"


def _posted_steps(data: Any) -> list[dict[str, str]]:
    """The rows of the posted formset, as typed (not validated), in their order."""
    try:
        total = min(int(data.get(f"{FORMSET_PREFIX}-TOTAL_FORMS", "0")), 200)
    except ValueError:
        total = 0
    names = list(StepForm.base_fields)
    return [
        {name: data.get(f"{FORMSET_PREFIX}-{i}-{name}", "") for name in names} for i in range(total)
    ]


def _edit_action(data: Any) -> tuple[str, int]:
    """The button pressed: ("save", -1), ("add", -1), ("up"|"down"|"remove", row)."""
    if "add" in data:
        return "add", -1
    for action in ("up", "down", "remove"):
        if action in data:
            try:
                return action, int(data[action])
            except ValueError:
                return "none", -1
    return "save", -1


def _rearranged(rows: list[dict[str, str]], action: str, index: int) -> list[dict[str, str]]:
    rows = list(rows)
    if action == "add":
        rows.append({})
    elif action == "remove" and 0 <= index < len(rows):
        del rows[index]
    elif action == "up" and 0 < index < len(rows):
        rows[index - 1], rows[index] = rows[index], rows[index - 1]
    elif action == "down" and 0 <= index < len(rows) - 1:
        rows[index + 1], rows[index] = rows[index], rows[index + 1]
    return rows


@login_required
def map_editor(request: HttpRequest, pk: int, variant: str) -> HttpResponse:
    """Add, reorder and remove the steps of one variant. Every button submits the whole
    form, so nothing typed is lost; only "Save steps" writes."""
    service = selectors.service_with_organisation(pk)
    if service is None or variant not in Variant.values:
        raise Http404
    process_map = selectors.process_map_with_steps(service=service, variant=variant)
    permission = "services.change_processmap" if process_map else "services.add_processmap"
    if not request.user.has_perm(permission, process_map):
        raise PermissionDenied
    formset = None
    if request.method == "POST":
        action, index = _edit_action(request.POST)
        if action == "save":
            formset = MapStepFormSet(request.POST, prefix=FORMSET_PREFIX)
            if formset.is_valid():
                steps = [form.step_data() for form in formset.forms]
                try:
                    if process_map is None:
                        process_map = services.create_process_map(
                            by=signed_in(request), service=service, variant=variant, steps=steps
                        )
                    else:
                        services.replace_map_steps(
                            by=signed_in(request), process_map=process_map, steps=steps
                        )
                except ValidationError as error:
                    _apply_formset_errors(formset, error)
                except Conflict as error:
                    formset._non_form_errors = formset.error_class([str(error)])  # type: ignore[attr-defined]
                else:
                    messages.success(request, _("Steps saved."))
                    return redirect("services:map_editor", pk=service.pk, variant=variant)
        else:
            rows = _rearranged(_posted_steps(request.POST), action, index)
            formset = MapStepFormSet(initial=rows, prefix=FORMSET_PREFIX)
    if formset is None:
        initial = [step_initial(step) for step in process_map.steps.all()] if process_map else []
        formset = MapStepFormSet(initial=initial or [{}], prefix=FORMSET_PREFIX)
    context = {
        "service": service,
        "variant": variant,
        "variant_label": Variant(variant).label,
        "process_map": process_map,
        "formset": formset,
        "error_forms": [
            (number, form) for number, form in enumerate(formset.forms, start=1) if form.errors
        ]
        if formset.is_bound
        else [],
        "service_url": reverse("services:service_detail", args=[service.pk]),
    }
    return render(request, "services/map_editor.html", context)


def _apply_formset_errors(formset: Any, error: ValidationError) -> None:
    """Domain errors keyed "steps.2.visits" go to that row's field; others to the formset."""
    leftover: list[str] = []
    for key, messages_ in getattr(error, "message_dict", {"": error.messages}).items():
        parts = key.split(".")
        if len(parts) == 3 and parts[1].isdigit() and int(parts[1]) < len(formset.forms):
            form = formset.forms[int(parts[1])]
            field = parts[2] if parts[2] in form.fields else None
            for message in messages_:
                form.add_error(field, message)
        else:
            leftover.extend(messages_)
    if leftover:
        formset._non_form_errors = formset.error_class(leftover)
