"""Forms of the idea, pilot and lesson pages. They check what a form can (types, sizes,
choices); the rules live in `ideas.py` and `pilots.py`, whose errors the views put back on
the form beside the field they name."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from innohub.accounts.models import Skill, User
from innohub.core.forms import SearchableSelect
from innohub.core.units import MAX_MONEY, MONEY_DIGITS
from innohub.geo.forms import area_code_field, clean_area_code
from innohub.geo.models import Area
from innohub.orgs.models import Kind, Organisation
from innohub.services.limits import ANNUAL_VOLUME_MAX
from innohub.services.models import Service

from .limits import BUDGET_CODE_MAX, TEXT_MAX, TITLE_MAX
from .models import Status

_TEXTAREA = {"rows": 4}


def _money(label: Any, help_text: Any = "", *, minimum: Decimal = Decimal(0)) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        help_text=help_text,
        min_value=minimum,
        max_value=MAX_MONEY,
        max_digits=MONEY_DIGITS,
        decimal_places=2,
        widget=forms.TextInput(
            attrs={"inputmode": "decimal", "class": "govuk-input--width-10", "spellcheck": "false"}
        ),
        error_messages={
            "invalid": _("Enter an amount, like 1500 or 1500.50."),
            "min_value": _("Enter an amount above %(limit_value)s."),
            "max_decimal_places": _("At most 2 digits after the decimal point."),
        },
    )


def _date(label: Any, *, required: bool = False, help_text: Any = "") -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        help_text=help_text or _("For example, 2026-03-27."),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Enter a date, like 2026-03-27.")},
    )


class IdeaForm(forms.Form):
    title = forms.CharField(
        label=_("Title"),
        help_text=_("A short name for the change, such as “Birth registration in one visit”."),
        max_length=TITLE_MAX,
    )
    problem = forms.CharField(
        label=_("The problem"),
        help_text=_("What citizens go through today: the time, the cost, the trips."),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs=_TEXTAREA),
    )
    who_suffers = forms.CharField(
        label=_("Who suffers"),
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    proposed_change = forms.CharField(
        label=_("The change you propose"),
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs=_TEXTAREA),
    )
    expected_change = forms.CharField(
        label=_("What it should change in time, cost and visits"),
        help_text=_("For example, “from 3 visits to 1, and 20 days to 5”."),
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    service = forms.ModelChoiceField(
        label=_("Service"),
        help_text=_("The public service the idea changes."),
        queryset=Service.objects.order_by("name", "id"),
        required=False,
        empty_label=_("Choose a service"),
        widget=SearchableSelect(),
    )
    skills = forms.ModelMultipleChoiceField(
        label=_("Skills it needs"),
        help_text=_("Mentor suggestions look for people with these skills."),
        queryset=Skill.objects.select_related("family").order_by("family__name", "name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class IdeaFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        help_text=_("Words of the title or the problem, in any language."),
        required=False,
        max_length=200,
    )
    service = forms.ModelChoiceField(
        label=_("Service"),
        queryset=Service.objects.order_by("name", "id"),
        required=False,
        empty_label=_("Every service"),
        widget=SearchableSelect(),
    )
    area = area_code_field(_("Ideas of people in this area and below."), required=False)

    def clean_area(self) -> Area | None:
        return clean_area_code(self.cleaned_data["area"])


class CommentForm(forms.Form):
    text = forms.CharField(
        label=_("Your comment"), max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 3})
    )


class JoinForm(forms.Form):
    note = forms.CharField(
        label=_("What you would bring"),
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class PilotForm(forms.Form):
    """A new pilot of an idea: where, by whom, with what budget."""

    title = forms.CharField(label=_("Title"), max_length=TITLE_MAX)
    area = area_code_field(
        _("The code of the area where the pilot runs, such as BD-13-SAVAR."), required=True
    )
    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        help_text=_("The office or department that runs the pilot."),
        queryset=Organisation.objects.order_by("name", "id"),
        empty_label=_("Choose an organisation"),
        widget=SearchableSelect(),
    )
    budget = _money(_("Budget"), _("The most the pilot may spend, in the service's currency."))
    budget_code = forms.CharField(
        label=_("Budget code"),
        help_text=_("The organisation's innovation budget code."),
        required=False,
        max_length=BUDGET_CODE_MAX,
    )
    annual_volume = forms.IntegerField(
        label=_("Citizens served a year in the pilot area"),
        min_value=0,
        max_value=ANNUAL_VOLUME_MAX,
        initial=0,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-10"}),
    )
    partner = forms.ModelChoiceField(
        label=_("Testbed partner"),
        help_text=_("A university, an NGO or a company that hosts the pilot as a testbed, if any."),
        queryset=Organisation.objects.filter(kind=Kind.PARTNER)
        .only("id", "name")
        .order_by("name", "id"),
        required=False,
        empty_label=_("None"),
    )

    def clean_area(self) -> Area | None:
        return clean_area_code(self.cleaned_data["area"])


class PilotEditForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=TITLE_MAX)
    mentor = forms.CharField(
        label=_("Mentor's username"),
        help_text=_("Leave empty for no mentor yet."),
        required=False,
        max_length=150,
        widget=forms.TextInput(attrs={"spellcheck": "false", "autocapitalize": "none"}),
    )
    budget = _money(_("Budget"))
    budget_code = forms.CharField(
        label=_("Budget code"), required=False, max_length=BUDGET_CODE_MAX
    )
    annual_volume = forms.IntegerField(
        label=_("Citizens served a year in the pilot area"),
        min_value=0,
        max_value=ANNUAL_VOLUME_MAX,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-10"}),
    )
    started_on = _date(_("Started on"))
    ended_on = _date(_("Ended on"))
    partner = forms.ModelChoiceField(
        label=_("Testbed partner"),
        help_text=_("A university, an NGO or a company that hosts the pilot as a testbed, if any."),
        queryset=Organisation.objects.filter(kind=Kind.PARTNER)
        .only("id", "name")
        .order_by("name", "id"),
        required=False,
        empty_label=_("None"),
    )

    def clean_mentor(self) -> User | None:
        username = self.cleaned_data["mentor"].strip()
        if not username:
            return None
        found = User.objects.filter(username__iexact=username, is_active=True).first()
        if found is None:
            raise ValidationError(_("Nobody has the username “%(name)s”.") % {"name": username})
        return found


class MoveForm(forms.Form):
    to = forms.ChoiceField(choices=Status.choices, widget=forms.HiddenInput)
    note = forms.CharField(
        label=_("Note"),
        help_text=_("Why, for the record. Discontinuing needs one: what was learned."),
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class SpendForm(forms.Form):
    amount = _money(_("Amount"), minimum=Decimal("0.01"))
    spent_on = _date(_("Spent on"), required=True)
    note = forms.CharField(label=_("What for"), required=False, max_length=TEXT_MAX)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["spent_on"].initial = timezone.localdate

    def clean_spent_on(self) -> datetime.date:
        day: datetime.date = self.cleaned_data["spent_on"]
        if day > timezone.localdate():
            raise ValidationError(_("The day of spending cannot be in the future."))
        return day


_SCALE = [(n, str(n)) for n in range(1, 6)]


class RiskForm(forms.Form):
    description = forms.CharField(
        label=_("The risk"), max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 2})
    )
    likelihood = forms.TypedChoiceField(
        label=_("Likelihood (1 rare, 5 almost certain)"),
        choices=_SCALE,
        coerce=int,
        widget=forms.RadioSelect(attrs={"class": "govuk-radios--inline"}),
    )
    impact = forms.TypedChoiceField(
        label=_("Impact (1 small, 5 severe)"),
        choices=_SCALE,
        coerce=int,
        widget=forms.RadioSelect(attrs={"class": "govuk-radios--inline"}),
    )
    exposure = forms.CharField(
        label=_("Exposure agreed with the decision makers"),
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    course_correction = forms.CharField(
        label=_("Course correction if it happens"),
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class LessonForm(forms.Form):
    text = forms.CharField(
        label=_("What did the pilot teach?"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class LessonFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    outcome = forms.ChoiceField(
        label=_("Pilots that"),
        choices=[
            ("", _("Ended either way")),
            (Status.COMPLETED, _("Completed")),
            (Status.DISCONTINUED, _("Were discontinued")),
        ],
        required=False,
    )


class PilotFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Stage"), choices=[("", _("Every stage")), *Status.choices], required=False
    )
    area = area_code_field(_("Pilots in this area and below."), required=False)
    mine = forms.BooleanField(label=_("Only pilots I lead or mentor"), required=False)

    def clean_area(self) -> Area | None:
        return clean_area_code(self.cleaned_data["area"])


# ---- Project design -------------------------------------------------------------------------


class DesignForm(forms.Form):
    title = forms.CharField(label=_("Title of the project"), max_length=TITLE_MAX)
    objectives = forms.CharField(
        label=_("Objectives"),
        help_text=_("What the project will change for citizens, and by how much."),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs=_TEXTAREA),
    )
    team = forms.CharField(
        label=_("Team"),
        help_text=_("Who does what, one person a line."),
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    measurement_method = forms.CharField(
        label=_("Which journeys will be measured"),
        help_text=_("For example, secret shoppers at the union centre and the upazila office."),
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    baseline_journeys = forms.IntegerField(
        label=_("Baseline journeys"),
        min_value=0,
        max_value=100_000,
        initial=0,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-5"}),
    )
    baseline_from = _date(_("Baseline from"))
    baseline_to = _date(_("Baseline to"))
    after_journeys = forms.IntegerField(
        label=_("After journeys"),
        min_value=0,
        max_value=100_000,
        initial=0,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-5"}),
    )
    after_from = _date(_("After from"))
    after_to = _date(_("After to"))


class ActivityForm(forms.Form):
    title = forms.CharField(label=_("Activity"), max_length=TITLE_MAX)
    starts_on = _date(_("Starts on"), required=True)
    ends_on = _date(_("Ends on"), required=True)
    who = forms.CharField(label=_("Who"), required=False, max_length=TITLE_MAX)


class BudgetLineForm(forms.Form):
    item = forms.CharField(label=_("Item"), max_length=TITLE_MAX)
    amount = _money(_("Amount"))
    note = forms.CharField(label=_("Note"), required=False, max_length=TITLE_MAX)


class DesignRiskForm(RiskForm):
    pass


ActivityFormSet = forms.formset_factory(ActivityForm, extra=2, can_delete=True, max_num=100)
BudgetLineFormSet = forms.formset_factory(BudgetLineForm, extra=2, can_delete=True, max_num=100)
DesignRiskFormSet = forms.formset_factory(DesignRiskForm, extra=1, can_delete=True, max_num=100)


class MentoringNoteForm(forms.Form):
    met_on = _date(_("Met on"), required=True)
    text = forms.CharField(
        label=_("What was discussed and agreed"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["met_on"].initial = timezone.localdate
