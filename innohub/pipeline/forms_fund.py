"""Forms of the fund, showcase, replication and scale-up pages. They check types, sizes and
choices; the rules live in `funding.py`, `showcases.py`, `replication.py` and `scaling.py`,
whose errors the views put back beside the field they name."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from innohub.accounts.forms import person_named, username_field
from innohub.accounts.models import User
from innohub.core.forms import SearchableSelect
from innohub.geo.forms import area_code_field, clean_area_code
from innohub.geo.models import Area, is_known_currency
from innohub.orgs.models import Organisation

from .forms import _date, _money
from .limits import TEXT_MAX, TITLE_MAX
from .models import Idea, Pilot, Recommendation
from .scaling import REACH_MAX

_SCALE = [(n, str(n)) for n in range(1, 6)]


def _scale(label: Any) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        choices=_SCALE,
        coerce=int,
        widget=forms.RadioSelect(attrs={"class": "govuk-radios--inline"}),
    )


def _organisation() -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.order_by("name", "id"),
        empty_label=_("Choose an organisation"),
        widget=SearchableSelect(),
    )


def _citizens(label: Any) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        min_value=0,
        max_value=REACH_MAX,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-10"}),
    )


def _pilot_label(pilot: Pilot) -> str:
    """A pilot and where it runs: a replication has its original's title."""
    return f"{pilot.title} ({pilot.area.code})"


def _not_to_come(day: datetime.date) -> datetime.date:
    if day > timezone.localdate():
        raise ValidationError(_("Give a day that has come."))
    return day


# --- The fund -------------------------------------------------------------------------------


class CallForm(forms.Form):
    title = forms.CharField(
        label=_("Title"),
        help_text=_("Such as “Service Innovation Fund, round 8”."),
        max_length=TITLE_MAX,
    )
    organisation = _organisation()
    budget = _money(_("Budget"), minimum=Decimal("0.01"))
    currency = forms.CharField(
        label=_("Currency"),
        help_text=_("The ISO code, such as BDT."),
        initial="BDT",
        min_length=3,
        max_length=3,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-3", "spellcheck": "false"}),
    )
    opens_on = _date(_("Opens on"), required=True)
    closes_on = _date(_("Closes on"), required=True)
    criteria = forms.CharField(
        label=_("What the call looks for"),
        help_text=_(
            "Proposals are scored on impact, feasibility, replicability and value for money; "
            "say here what else matters in this round."
        ),
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean_currency(self) -> str:
        code = str(self.cleaned_data["currency"]).strip().upper()
        if not is_known_currency(code):
            raise ValidationError(_("Give a currency code such as BDT or EUR."))
        return code


class ProposalForm(forms.Form):
    """Propose one of the person's ideas (and, if it has one, its pilot) to a call."""

    idea = forms.ModelChoiceField(
        label=_("Idea"), queryset=Idea.objects.none(), empty_label=_("Choose an idea")
    )
    pilot = forms.ModelChoiceField(
        label=_("Pilot"),
        help_text=_("If the idea has a pilot, an award adds to its budget."),
        queryset=Pilot.objects.none(),
        required=False,
        empty_label=_("No pilot yet"),
    )
    requested = _money(_("Amount requested"), minimum=Decimal("0.01"))
    summary = forms.CharField(
        label=_("Summary"),
        help_text=_("What the money does, and the change in time, cost and visits you expect."),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args: Any, ideas: Any, pilots: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["idea"].queryset = ideas  # type: ignore[attr-defined]
        self.fields["pilot"].queryset = pilots  # type: ignore[attr-defined]
        self.fields["pilot"].label_from_instance = _pilot_label  # type: ignore[attr-defined]


class AssessorForm(forms.Form):
    prefix = "assessor"  # four forms share the proposal's page
    username = username_field(_("Assessor's username"), _("Anyone but the idea's proposer."))

    def clean_username(self) -> User:
        return person_named(self.cleaned_data["username"])


class ReviewForm(forms.Form):
    prefix = "review"
    impact = _scale(_("Impact on citizens' time, cost and visits (1 little, 5 a great deal)"))
    feasibility = _scale(_("Feasibility (1 doubtful, 5 certain)"))
    replicability = _scale(_("Replicability in other areas (1 hard, 5 easy)"))
    value_for_money = _scale(_("Value for money (1 poor, 5 excellent)"))
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class AwardForm(forms.Form):
    """An award above the amount requested is allowed, but only when the box says so."""

    prefix = "award"

    amount = _money(_("Amount to award"), minimum=Decimal("0.01"))
    above_request = forms.BooleanField(
        label=_("I mean to award more than was requested"), required=False
    )

    def __init__(self, *args: Any, requested: Decimal, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.requested = requested

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        amount = data.get("amount")
        if amount is not None and amount > self.requested and not data.get("above_request"):
            self.add_error(
                "above_request",
                _("This is more than the %(requested)s requested: tick the box to award it.")
                % {"requested": self.requested},
            )
        return data


class DeclineForm(forms.Form):
    prefix = "decline"
    note = forms.CharField(
        label=_("Why it is declined"),
        help_text=_("The proposer reads this."),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


# --- Showcases ------------------------------------------------------------------------------


class ShowcaseForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=TITLE_MAX)
    organisation = _organisation()
    held_on = _date(_("Held on"), required=True)
    venue = forms.CharField(label=_("Venue"), required=False, max_length=TITLE_MAX)


class PresentForm(forms.Form):
    pilot = forms.ModelChoiceField(
        label=_("Completed pilot"),
        queryset=Pilot.objects.none(),
        empty_label=_("Choose a pilot"),
        widget=SearchableSelect(),
    )

    def __init__(self, *args: Any, pilots: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["pilot"].queryset = pilots  # type: ignore[attr-defined]
        self.fields["pilot"].label_from_instance = _pilot_label  # type: ignore[attr-defined]


class ShowcaseScoreForm(forms.Form):
    impact = _scale(_("Impact (1 little, 5 a great deal)"))
    cost = _scale(_("Cost (1 costly, 5 cheap to run)"))
    replicability = _scale(_("Replicability (1 hard, 5 easy)"))
    readiness = _scale(_("Readiness (1 not ready, 5 ready now)"))
    recommendation = forms.ChoiceField(
        label=_("Recommendation"), choices=Recommendation.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


# --- Replication and scale-up ---------------------------------------------------------------


class ReplicationForm(forms.Form):
    area = area_code_field(_("The code of the area where it is tried again."), required=True)
    lead = username_field(_("Lead's username"), _("Who leads the replication there."))

    def clean_area(self) -> Area | None:
        return clean_area_code(self.cleaned_data["area"])

    def clean_lead(self) -> User:
        return person_named(self.cleaned_data["lead"])


class ScaleUpForm(forms.Form):
    decided_on = _date(_("Decided on"), required=True)
    citizens_reached = _citizens(_("Citizens reached so far"))
    note = forms.CharField(
        label=_("The decision"),
        help_text=_("Who decided, and how it is taken to the whole country."),
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean_decided_on(self) -> datetime.date:
        return _not_to_come(self.cleaned_data["decided_on"])


class ReachForm(forms.Form):
    on = _date(_("As of"), required=True)
    citizens_reached = _citizens(_("Citizens reached"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["on"].initial = timezone.localdate

    def clean_on(self) -> datetime.date:
        return _not_to_come(self.cleaned_data["on"])
