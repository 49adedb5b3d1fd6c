"""Forms of the Free Agents pages. They check what a form can (types, sizes, choices); the
rules live in `services.py`, whose errors the views put back beside the field they name."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from innohub.accounts.forms import (
    OrganisationChoiceField,
    SkillChoiceField,
    person_named,
    username_field,
)
from innohub.accounts.models import Skill, SkillLevel
from innohub.core.units import MAX_MONEY, MONEY_DIGITS
from innohub.orgs.models import Organisation

from .limits import LOCATION_MAX, NEEDS_MAX, NOTE_MAX, SEATS_MAX, TEXT_MAX, TITLE_MAX, WEEKS_MAX
from .models import AgentStatus, ApplicationStatus, ChallengeSkill, StepKind, StepOutcome

# Rows of "skill + level" a challenge's form offers (no JavaScript adds rows); a challenge
# posted through the API with more skills gets as many rows as it has.
SKILL_ROWS = 6

OPEN, EVERY = "open", "all"


def _date(label: Any, *, required: bool = True, help_text: Any = "") -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        help_text=help_text,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Enter a date, like 2027-03-31.")},
    )


def _number(label: Any, *, maximum: int, help_text: Any = "") -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        help_text=help_text,
        min_value=1,
        max_value=maximum,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-4"}),
        error_messages={
            "invalid": _("Enter a whole number."),
            "min_value": _("Enter 1 or more."),
            "max_value": _("Enter at most %(limit_value)s."),
        },
    )


def _skills() -> QuerySet[Skill]:
    return Skill.objects.select_related("family").order_by("family__name", "name")


def _levels(empty: Any) -> list[tuple[Any, Any]]:
    return [("", empty), *SkillLevel.choices]


# --- The list of challenges ---------------------------------------------------------------------


class ChallengeFilterForm(forms.Form):
    """The list's filters (a GET form: the page works without JavaScript)."""

    show = forms.ChoiceField(
        label=_("Show"),
        help_text=_("Open: starting later, with a seat not yet offered."),
        choices=[(OPEN, _("Open challenges")), (EVERY, _("Every challenge"))],
        required=False,
    )
    organisation = OrganisationChoiceField(
        label=_("Host organisation"),
        help_text=_("Includes the units below it."),
        queryset=Organisation.objects.only("id", "name", "path", "depth").order_by("path"),
        required=False,
        empty_label=_("All organisations"),
    )
    skill = SkillChoiceField(
        label=_("Skill asked for"),
        queryset=_skills(),
        required=False,
        empty_label=_("Any skill"),
    )

    def clean_show(self) -> str:
        return self.cleaned_data["show"] or OPEN


# --- Posting and changing a challenge -----------------------------------------------------------


class ChallengeForm(forms.Form):
    """A challenge: what, where, when, how many seats, and the skills asked for in rows of
    a skill and a level (`skill_1`, `level_1` …). `skills` in `cleaned_data` is the list of
    `(skill id, level)` the services take."""

    title = forms.CharField(label=_("Title"), max_length=TITLE_MAX)
    problem = forms.CharField(
        label=_("The problem"),
        help_text=_("What is wrong today, for whom, and what a good result would be."),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    organisation = OrganisationChoiceField(
        label=_("Host organisation"),
        help_text=_("The organisation where the free agents will work."),
        queryset=Organisation.objects.none(),
        empty_label=_("Choose an organisation"),
    )
    seats = _number(_("Seats"), maximum=SEATS_MAX, help_text=_("How many free agents it takes."))
    starts_on = _date(_("Starts on"), help_text=_("For example, 2027-03-31."))
    weeks = _number(_("Length in weeks"), maximum=WEEKS_MAX)
    location = forms.CharField(
        label=_("Location"),
        help_text=_("Where the work is done, such as an office and its town."),
        max_length=LOCATION_MAX,
        required=False,
    )
    remote = forms.BooleanField(label=_("It can be done remotely"), required=False)
    cost_recovery = forms.DecimalField(
        label=_("Cost recovery"),
        help_text=_(
            "What the host pays back to the agent's home organisation for the whole challenge; "
            "0 when nothing."
        ),
        min_value=0,
        max_value=MAX_MONEY,
        max_digits=MONEY_DIGITS,
        decimal_places=2,
        initial=0,
        widget=forms.TextInput(
            attrs={"inputmode": "decimal", "class": "govuk-input--width-10", "spellcheck": "false"}
        ),
        error_messages={
            "invalid": _("Enter an amount, like 1500 or 1500.50."),
            "min_value": _("Enter an amount of 0 or more."),
            "max_decimal_places": _("At most 2 digits after the decimal point."),
        },
    )
    currency = forms.CharField(
        label=_("Currency"),
        help_text=_("ISO 4217 code, e.g. BDT."),
        max_length=3,
        initial="BDT",
        widget=forms.TextInput(
            attrs={
                "class": "govuk-input--width-4",
                "spellcheck": "false",
                "autocapitalize": "characters",
            }
        ),
    )

    def __init__(
        self,
        *args: Any,
        organisations: QuerySet[Organisation] | None = None,
        rows: int = SKILL_ROWS,
        **kwargs: Any,
    ) -> None:
        """`organisations`: those the person may post for; None leaves the host out (a
        challenge keeps its host). `rows`: how many rows of skills to offer."""
        super().__init__(*args, **kwargs)
        if organisations is None:
            del self.fields["organisation"]
        else:
            field = self.fields["organisation"]
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = organisations
        self.rows = list(range(1, max(rows, SKILL_ROWS) + 1))[:NEEDS_MAX]
        skills = _skills()
        for n in self.rows:
            self.fields[f"skill_{n}"] = SkillChoiceField(
                label=gettext("Skill %(n)d") % {"n": n},
                queryset=skills,
                required=False,
                empty_label=gettext("Choose a skill"),
            )
            self.fields[f"level_{n}"] = forms.TypedChoiceField(
                label=gettext("Level asked for skill %(n)d") % {"n": n},
                choices=_levels(gettext("Choose a level")),
                coerce=int,
                empty_value=None,
                required=False,
            )

    def skill_rows(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        return [(self[f"skill_{n}"], self[f"level_{n}"]) for n in self.rows]

    def first_skill_field(self) -> str:
        return f"skill_{self.rows[0]}"

    def clean_currency(self) -> str:
        return str(self.cleaned_data["currency"]).strip().upper()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        skills: list[tuple[int, int]] = []
        seen: set[int] = set()
        for n in self.rows:
            skill, level = data.get(f"skill_{n}"), data.get(f"level_{n}")
            if f"skill_{n}" in self.errors or f"level_{n}" in self.errors:
                continue
            if skill is None and level is None:
                continue
            if skill is None:
                self.add_error(f"skill_{n}", gettext("Choose the skill, or clear its level."))
            elif level is None:
                self.add_error(f"level_{n}", gettext("Choose the level asked for this skill."))
            elif skill.pk in seen:
                self.add_error(f"skill_{n}", gettext("Ask for each skill once."))
            else:
                seen.add(skill.pk)
                skills.append((skill.pk, level))
        if not skills and not any(
            f"{name}_{n}" in self.errors for n in self.rows for name in ("skill", "level")
        ):
            self.add_error(self.first_skill_field(), gettext("Ask for at least one skill."))
        data["skills"] = skills
        return data

    def challenge_fields(self) -> dict[str, Any]:
        """What `services.post_challenge` and `change_challenge` take, but the host."""
        data = self.cleaned_data
        names = ("title", "problem", "seats", "starts_on", "weeks", "location", "remote")
        return {
            **{name: data[name] for name in names},
            "cost_recovery": data["cost_recovery"],
            "currency": data["currency"],
            "skills": data["skills"],
        }


def challenge_initial(needs: Iterable[ChallengeSkill], **fields: Any) -> dict[str, Any]:
    """The form's starting values from a challenge's fields and its skills asked."""
    initial = dict(fields)
    for n, need in enumerate(needs, start=1):
        initial[f"skill_{n}"] = need.skill_id
        initial[f"level_{n}"] = need.level
    return initial


# --- Offers and assignments ---------------------------------------------------------------------


class OfferForm(forms.Form):
    """Offer a seat to an agent (a button beside a candidate or a row of the plan)."""

    agent = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    challenge = forms.IntegerField(min_value=1, required=False, widget=forms.HiddenInput)


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Why are you declining? (you may leave it empty)"),
        help_text=_("The host reads it."),
        max_length=NOTE_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ReviewForm(forms.Form):
    """The closing review of an assignment: what the agent did, and for each skill the
    challenge asked for, the level they showed and what shows it (`shown`)."""

    review = forms.CharField(
        label=_("Closing review"),
        help_text=_("What the free agent did, and what changed for the host."),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    completed_on = _date(_("Last day"), required=False, help_text=_("Leave it empty for today."))

    def __init__(self, *args: Any, skills: Iterable[Skill] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.skills = list(skills)
        for skill in self.skills:
            self.fields[f"level_{skill.pk}"] = forms.TypedChoiceField(
                label=gettext("Level of “%(skill)s” shown") % {"skill": skill.name},
                choices=_levels(gettext("Not seen")),
                coerce=int,
                empty_value=None,
                required=False,
            )
            self.fields[f"evidence_{skill.pk}"] = forms.CharField(
                label=gettext("What shows “%(skill)s” at that level") % {"skill": skill.name},
                max_length=NOTE_MAX,
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def skill_rows(self) -> list[tuple[Skill, forms.BoundField, forms.BoundField]]:
        return [
            (skill, self[f"level_{skill.pk}"], self[f"evidence_{skill.pk}"])
            for skill in self.skills
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        shown: list[tuple[int, int, str]] = []
        for skill in self.skills:
            level = data.get(f"level_{skill.pk}")
            evidence = (data.get(f"evidence_{skill.pk}") or "").strip()
            if level is None and evidence:
                self.add_error(f"level_{skill.pk}", gettext("Choose the level shown."))
            elif level is not None and not evidence:
                self.add_error(f"evidence_{skill.pk}", gettext("Say what shows this level."))
            elif level is not None:
                shown.append((skill.pk, level, evidence))
        data["shown"] = shown
        return data


# --- Being a free agent -------------------------------------------------------------------------


class ApplicationForm(forms.Form):
    statement = forms.CharField(
        label=_("Why you want to be a free agent"),
        help_text=_("What you would bring, and what you want to learn."),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    available_from = _date(
        _("Available from"), help_text=_("The first day you could start a challenge.")
    )


class AvailabilityForm(forms.Form):
    available_from = _date(
        _("Available from"), help_text=_("Challenges that start before this day do not list you.")
    )


# --- Assessing applications ---------------------------------------------------------------------


class ApplicationFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[*ApplicationStatus.choices, (EVERY, _("All applications"))],
        required=False,
    )

    def clean_status(self) -> str:
        return self.cleaned_data["status"] or ApplicationStatus.SUBMITTED


class StepForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Step"),
        choices=StepKind.choices,
        widget=forms.RadioSelect,
        help_text=_("Recording a step again replaces it."),
    )
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=StepOutcome.choices,
        widget=forms.RadioSelect(attrs={"class": "govuk-radios--inline"}),
    )
    note = forms.CharField(
        label=_("Note"),
        help_text=_("The applicant reads it."),
        max_length=NOTE_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    done_on = _date(_("Done on"), required=False, help_text=_("Leave it empty for today."))


ACCEPT, DECLINE = "accept", "decline"


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[(ACCEPT, _("Accept: they become a free agent")), (DECLINE, _("Decline"))],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Reason"),
        help_text=_("The applicant reads it. Needed when you decline."),
        max_length=NOTE_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


# --- The programme's free agents ----------------------------------------------------------------


class AgentFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[*AgentStatus.choices, (EVERY, _("All free agents"))],
        required=False,
    )
    available_by = _date(
        _("Available by"), required=False, help_text=_("Free on or before this day.")
    )


class MakeAgentForm(forms.Form):
    username = username_field(
        _("Username"), help_text=_("The person's username, as the people list shows it.")
    )
    available_from = _date(_("Available from"))

    def clean_username(self) -> Any:
        return person_named(self.cleaned_data["username"])
