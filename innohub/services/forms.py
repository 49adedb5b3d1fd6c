"""Forms of the service and journey pages. Every form works without JavaScript.

Django's CharField already refuses NUL characters; numbers are typed into text inputs with
`inputmode` (GOV.UK's advice: `type=number` misbehaves with scrolling and on some phones).
"""

from __future__ import annotations

import datetime
import json
from dataclasses import replace
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from innohub.core.forms import SearchableSelect
from innohub.core.units import (
    DURATION_DIGITS,
    MAX_COUNT_PER_STEP,
    MAX_DURATION,
    MAX_MONEY,
    MONEY_DIGITS,
)
from innohub.geo.forms import area_code_field, clean_area_code
from innohub.geo.models import Area
from innohub.orgs.models import Organisation

from . import second_look
from .checks import observed_on_error
from .limits import ACTOR_MAX, OFFICE_MAX, PAIN_DESCRIPTION_MAX, REF_MAX, TITLE_MAX
from .models import (
    Channel,
    JourneyStatus,
    Method,
    PainCategory,
    Service,
    Variant,
)


class ServiceFilterForm(forms.Form):
    """Filters of the service catalogue (a GET form)."""

    q = forms.CharField(
        label=_("Search"),
        help_text=_("Part of the name, the local name or the description."),
        required=False,
        max_length=200,
    )
    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        help_text=_("Includes the units below it."),
        # Every organisation is an option: read only what the options and the filter use.
        queryset=Organisation.objects.only("id", "name", "path").order_by("name", "id"),
        required=False,
        empty_label=_("All organisations"),
        widget=SearchableSelect(),
    )
    area = area_code_field(
        _("An area's code, such as BD-13: services of organisations in it or below it."),
        required=False,
    )
    channel = forms.ChoiceField(
        label=_("Channel"), choices=[("", _("All channels")), *Channel.choices], required=False
    )
    order = forms.ChoiceField(
        label=_("Sort by"),
        help_text=_("The figures are the mean of the service's final journeys."),
        choices=[
            ("name", _("Name")),
            ("days", _("Most days first")),
            ("cost", _("Highest cost first")),
            ("visits", _("Most visits first")),
            ("journeys", _("Most journeys observed first")),
        ],
        required=False,
    )

    def clean_area(self) -> Area | None:
        return clean_area_code(self.cleaned_data["area"])

    def clean_order(self) -> str:
        return self.cleaned_data["order"] or "name"


class FigureFilterForm(forms.Form):
    """Where and when the figures of a service's journeys are drawn from (a GET form)."""

    area = area_code_field(
        _("An area's code, such as BD-13: journeys in it or below it."), required=False
    )
    observed_from = forms.DateField(
        label=_("Observed from"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    observed_to = forms.DateField(
        label=_("Observed until"),
        help_text=_("Both days included."),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def clean_area(self) -> Area | None:
        return clean_area_code(self.cleaned_data["area"])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, last = data.get("observed_from"), data.get("observed_to")
        if first and last and last < first:
            self.add_error("observed_to", _("The last day is before the first."))
        return data

    def filters(self) -> dict[str, Any]:
        """The valid filters, as the selectors take them."""
        data = self.cleaned_data
        return {name: data[name] for name in ("area", "observed_from", "observed_to")}


class JourneyFilterForm(FigureFilterForm):
    """Filters of a list of journeys: where, when, how, and how far along."""

    method = forms.ChoiceField(
        label=_("Method"), choices=[("", _("All methods")), *Method.choices], required=False
    )
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("", _("Final and drafts")), *JourneyStatus.choices],
        required=False,
    )

    def filters(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            **super().filters(),
            "method": data["method"] or None,
            "status": data["status"] or None,
        }


class SecondLookForm(forms.Form):
    """A form that asks to look again at unusual values (`second_look.py`) before it saves
    them: each is marked at its field, with a box to tick once checked; ticked, they save."""

    confirm_unusual = forms.BooleanField(
        label=_("I have checked: these values are right"),
        required=False,
        widget=forms.HiddenInput,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["confirm_unusual"] = self.fields.pop("confirm_unusual")  # last

    def unusual(self, data: dict[str, Any]) -> dict[str, str]:
        """{field: message} of the cleaned values worth a second look; each form says which
        (`second_look.py`). A form that says none never asks."""
        return {}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        found = {
            name: message for name, message in self.unusual(data).items() if name not in self.errors
        }
        if found and not data.get("confirm_unusual"):
            for name, message in found.items():
                self.add_error(name, message)
            self.fields["confirm_unusual"].widget = forms.CheckboxInput()
        return data


class JourneyStartForm(SecondLookForm):
    """The first page of recording a journey: what, where, when, how. Saved as a draft."""

    service = forms.ModelChoiceField(
        label=_("Service"),
        queryset=Service.objects.order_by("name", "id"),
        empty_label=_("Choose a service"),
        widget=SearchableSelect(),
    )
    area = area_code_field(
        _("The code of the area where the journey happens, such as BD-13."), required=True
    )
    observed_on = forms.DateField(
        label=_("Date the journey began"),
        help_text=_("For example, 2026-03-27."),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    method = forms.ChoiceField(
        label=_("How is it observed?"),
        choices=Method.choices,
        initial=Method.SECRET_SHOPPER,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose how the journey is observed.")},
    )
    ref = forms.CharField(
        label=_("Your reference"),
        help_text=_("Optional: your own name for this journey, unique for the service."),
        required=False,
        max_length=REF_MAX,
    )
    phase = forms.ChoiceField(
        label=_("Does it measure a pilot?"),
        choices=[
            ("none", _("No")),
            ("baseline", _("Yes: before the pilot's change (baseline)")),
            ("after", _("Yes: after the pilot's change")),
        ],
        initial="none",
        required=False,
        widget=forms.RadioSelect,
    )
    pilot = forms.IntegerField(
        label=_("Pilot number"),
        help_text=_("Shown on the pilot's page; only for a baseline or after journey."),
        required=False,
        min_value=1,
        max_value=2**63 - 1,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-10"}),
    )
    # Made when the form is drawn: "Start the journey" pressed twice on a slow connection (or
    # sent again after a lost answer) starts one draft, not two.
    client_id = forms.UUIDField(required=False, widget=forms.HiddenInput)

    def clean_area(self) -> Area | None:
        return clean_area_code(self.cleaned_data["area"])

    def unusual(self, data: dict[str, Any]) -> dict[str, str]:
        return second_look.journey_values(observed_on=data.get("observed_on"))

    def clean_observed_on(self) -> datetime.date:
        # Checked here too, so that a future date shows beside a bad area, not after it.
        day: datetime.date = self.cleaned_data["observed_on"]
        if message := observed_on_error(day, today=timezone.localdate()):
            raise ValidationError(message)
        return day


def _decimal(label: Any, maximum: Decimal, max_digits: int, help_text: Any = "") -> forms.Field:
    return forms.DecimalField(
        label=label,
        help_text=help_text,
        min_value=Decimal("0"),
        max_value=maximum,
        max_digits=max_digits,
        decimal_places=2,
        initial=Decimal("0"),
        widget=forms.TextInput(
            attrs={"inputmode": "decimal", "class": "govuk-input--width-10", "spellcheck": "false"}
        ),
        error_messages={
            "required": _("Enter a number: 0 if nothing was spent."),
            "invalid": _("Enter a number, like 2 or 1.5."),
            "min_value": _("Enter 0 or more."),
        },
    )


def _count(label: Any, help_text: Any = "") -> forms.Field:
    return forms.IntegerField(
        label=label,
        help_text=help_text,
        min_value=0,
        max_value=MAX_COUNT_PER_STEP,
        initial=0,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "class": "govuk-input--width-5", "spellcheck": "false"}
        ),
        error_messages={
            "required": _("Enter a whole number: 0 if none."),
            "invalid": _("Enter a whole number, like 0 or 2."),
            "min_value": _("Enter 0 or more."),
        },
    )


# The step's fields, in the order they are typed; also the keys of StepData.
STEP_NUMBER_FIELDS = (
    "documents",
    "elapsed_days",
    "citizen_hours",
    "fees",
    "travel_cost",
    "other_cost",
    "visits",
)


class StepForm(SecondLookForm):
    """One step: what happened, how long, how much, how many visits, and what hurt."""

    title = forms.CharField(
        label=_("What happened at this step?"),
        help_text=_("For example, “Submitted the application at the land office”."),
        max_length=TITLE_MAX,
        error_messages={"required": _("Enter what happened at this step.")},
    )
    office = forms.CharField(label=_("Office"), required=False, max_length=OFFICE_MAX)
    actor = forms.CharField(
        label=_("Who acts"),
        help_text=_("Citizen, clerk, officer, …"),
        required=False,
        max_length=ACTOR_MAX,
    )
    documents = _count(_("Documents asked for"))
    elapsed_days = _decimal(
        _("Elapsed days"),
        MAX_DURATION,
        DURATION_DIGITS,
        _("Calendar days this step took, such as 0.5."),
    )
    citizen_hours = _decimal(
        _("Citizen's hours"), MAX_DURATION, DURATION_DIGITS, _("Hours of the citizen's own time.")
    )
    fees = _decimal(_("Fees"), MAX_MONEY, MONEY_DIGITS, _("Official fees paid."))
    travel_cost = _decimal(_("Travel cost"), MAX_MONEY, MONEY_DIGITS)
    other_cost = _decimal(
        _("Other cost"), MAX_MONEY, MONEY_DIGITS, _("Copies, stays, informal payments, …")
    )
    visits = _count(_("Visits to an office"))
    pain_category = forms.ChoiceField(
        label=_("Pain point"),
        help_text=_("Optional: what hurt at this step."),
        choices=[("", _("None")), *PainCategory.choices],
        required=False,
    )
    pain_description = forms.CharField(
        label=_("Describe the pain point"),
        required=False,
        max_length=PAIN_DESCRIPTION_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    # Pain points beyond those the form shows (recorded through the API) ride along unseen,
    # as JSON, so that saving a step in the form never drops them.
    more_pain_points = forms.CharField(required=False, widget=forms.HiddenInput)

    # The first pain point's fields are above; the others sit in a "details" the officer opens
    # (services/forms/step_form.html): several pain points a step, without JavaScript.
    template_name = "services/forms/step_form.html"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        last = ("more_pain_points", "confirm_unusual")
        shown = [name for name in self.fields if name not in last]
        for slot in range(2, PAIN_SLOTS + 1):
            self.fields[f"pain_category_{slot}"] = forms.ChoiceField(
                label=_("Pain point %(number)s") % {"number": slot},
                choices=[("", _("None")), *PainCategory.choices],
                required=False,
            )
            self.fields[f"pain_description_{slot}"] = forms.CharField(
                label=_("Describe pain point %(number)s") % {"number": slot},
                required=False,
                max_length=PAIN_DESCRIPTION_MAX,
                widget=forms.Textarea(attrs={"rows": 3}),
            )
        self.order_fields([*shown, *_extra_pain_fields(), *last])

    def extra_pain_fields(self) -> list[Any]:
        """The bound fields of the pain points after the first, for the template."""
        return [self[name] for name in _extra_pain_fields()]

    def extra_pain_points_shown(self) -> bool:
        """Open the extra pain points where one is filled in or in error."""
        return any(self[name].value() or self[name].errors for name in _extra_pain_fields())

    def unusual(self, data: dict[str, Any]) -> dict[str, str]:
        return second_look.step_values(data)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for category, description in pain_slot_names():
            if data.get(description) and not data.get(category):
                self.add_error(category, _("Choose what kind of pain point this is."))
        try:
            data["more_pain_points"] = _parse_more_pain_points(data.get("more_pain_points", ""))
        except ValueError:
            self.add_error(
                None, _("The step's other pain points could not be read; reload the page.")
            )
        return data

    def step_data(self) -> Any:
        """The cleaned step as the domain's StepData."""
        from .steps import PainPointData, StepData

        data = self.cleaned_data
        pain_points: tuple[Any, ...] = tuple(
            PainPointData(category=data[category], description=data.get(description, ""))
            for category, description in pain_slot_names()
            if data.get(category)
        )
        pain_points += tuple(
            PainPointData(category=category, description=description)
            for category, description in data.get("more_pain_points") or ()
        )
        return StepData(
            title=data["title"],
            office=data.get("office", ""),
            actor=data.get("actor", ""),
            pain_points=pain_points,
            **{name: data[name] for name in STEP_NUMBER_FIELDS},
        )


# How many pain points of a step the form shows; more (from the API) are kept unseen.
PAIN_SLOTS = 3


def pain_slot_names() -> list[tuple[str, str]]:
    """(category, description) field names of each pain point the form shows, in order."""
    return [("pain_category", "pain_description")] + [
        (f"pain_category_{slot}", f"pain_description_{slot}") for slot in range(2, PAIN_SLOTS + 1)
    ]


def _extra_pain_fields() -> list[str]:
    return [name for pair in pain_slot_names()[1:] for name in pair]


def step_initial(step: Any) -> dict[str, Any]:
    """A saved step (MapStep / JourneyStep, pain points prefetched) as a StepForm's initial."""
    pains = list(step.pain_points.all())
    initial: dict[str, Any] = {
        "title": step.title,
        "office": step.office,
        "actor": step.actor,
        **{name: getattr(step, name) for name in STEP_NUMBER_FIELDS},
    }
    for (category, description), pain in zip(pain_slot_names(), pains, strict=False):
        initial[category] = pain.category
        initial[description] = pain.description
    beyond = pains[PAIN_SLOTS:]
    initial["more_pain_points"] = (
        json.dumps([[p.category, p.description] for p in beyond]) if beyond else ""
    )
    return initial


def _parse_more_pain_points(raw: str) -> list[tuple[str, str]]:
    """The hidden field's JSON: [[category, description], ...] with known categories."""
    if not raw:
        return []
    items = json.loads(raw)
    if not isinstance(items, list):
        raise ValueError("not a list")
    parsed = []
    for item in items:
        if (
            not isinstance(item, list)
            or len(item) != 2
            or item[0] not in PainCategory.values
            or not isinstance(item[1], str)
            or "\x00" in item[1]
        ):
            raise ValueError("not a pain point")
        parsed.append((item[0], item[1]))
    return parsed


class RecorderStepForm(StepForm):
    """The recorder's next step, with an id made when the form is drawn: sending the same
    form twice (a double tap, a resend after a lost answer) saves the step once."""

    client_id = forms.UUIDField(required=False, widget=forms.HiddenInput)

    def step_data(self) -> Any:
        return replace(super().step_data(), client_id=self.cleaned_data.get("client_id"))


class MapStepForm(StepForm):
    """A step in the workshop editor: the same fields, with larger labels in the template."""


MapStepFormSet = forms.formset_factory(MapStepForm, extra=0, max_num=200, validate_max=True)


class VariantForm(forms.Form):
    variant = forms.ChoiceField(label=_("Variant"), choices=Variant.choices)
