"""Forms of training's pages. They check types, sizes and choices; the rules live in the
domain modules (`cohorts.py`, `selection.py`, `attendance.py`, `exercises.py`,
`feedback.py`), whose errors the views put back beside the field they name."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from innohub.accounts.models import User
from innohub.core import roles
from innohub.core.forms import SearchableSelect
from innohub.orgs.models import Kind, Organisation
from innohub.pipeline.forms import _date
from innohub.services.models import Service

from .criteria import CRITERIA
from .limits import NOTE_MAX, TEXT_MAX, TITLE_MAX
from .models import COMPLETION_PCT_DEFAULT, Cohort, NoteKind, Programme

_SCALE = [(n, str(n)) for n in range(1, 6)]


def _scale(label: Any, *, required: bool = True) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        choices=_SCALE if required else [("", _("Not scored")), *_SCALE],
        coerce=int,
        empty_value=None,
        required=required,
        widget=forms.RadioSelect(attrs={"class": "govuk-radios--inline"}),
    )


def _text(label: Any, *, required: bool = False, rows: int = 3, help_text: Any = "") -> Any:
    return forms.CharField(
        label=label,
        required=required,
        help_text=help_text,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


def _track(cohort: Cohort, *, required: bool = False) -> forms.ChoiceField:
    tracks = cohort.programme.tracks
    return forms.ChoiceField(
        label=_("Track"),
        required=required,
        choices=[("", _("No track (everyone)"))] * (not required)
        + [(track, track) for track in tracks],
        widget=forms.RadioSelect,
    )


class PeopleField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.get_full_name() or obj.username)


class CohortForm(forms.Form):
    programme = forms.ModelChoiceField(
        label=_("Programme"),
        queryset=Programme.objects.order_by("name", "id"),
        empty_label=_("Choose a programme"),
    )
    title = forms.CharField(
        label=_("Title"),
        help_text=_("Such as “Empathy training, Rajshahi, March 2027”."),
        max_length=TITLE_MAX,
    )
    venue = forms.CharField(label=_("Venue"), required=False, max_length=TITLE_MAX)
    institute = forms.ModelChoiceField(
        label=_("Training institute"),
        required=False,
        queryset=Organisation.objects.filter(kind=Kind.INSTITUTE).order_by("name", "id"),
        empty_label=_("None"),
        widget=SearchableSelect(),
    )
    starts_on = _date(_("Starts on"), required=True)
    ends_on = _date(_("Ends on"), required=True)
    applications_close_on = _date(
        _("Applications close on"),
        help_text=_("Leave empty to take applications until the day before the start."),
    )
    capacity = forms.IntegerField(
        label=_("Places"),
        min_value=1,
        max_value=10_000,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-5"}),
    )
    completion_pct = forms.IntegerField(
        label=_("Attendance needed to complete (%)"),
        help_text=_("Of the sessions a participant is expected at; 80 by default."),
        initial=COMPLETION_PCT_DEFAULT,
        min_value=1,
        max_value=100,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-3"}),
    )
    criteria = forms.MultipleChoiceField(
        label=_("Selection criteria"),
        help_text=_(
            "What you score each application on, 1 to 5. The balance of gender, grade and "
            "ministry is shown beside the selection."
        ),
        choices=list(CRITERIA.items()),
        initial=list(CRITERIA),
        widget=forms.CheckboxSelectMultiple,
    )
    trainers = PeopleField(
        label=_("Trainers"),
        required=False,
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        trainers = self.fields["trainers"]
        assert isinstance(trainers, forms.ModelMultipleChoiceField)
        trainers.queryset = User.objects.filter(
            groups__name=roles.TRAINER, is_active=True
        ).order_by("first_name", "last_name", "username")


class SessionForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=TITLE_MAX)
    day = _date(_("Day"), required=True)
    starts_at = forms.TimeField(
        label=_("Starts at"),
        help_text=_("For example, 09:30."),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    ends_at = forms.TimeField(
        label=_("Ends at"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )

    def __init__(self, *args: Any, cohort: Cohort, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if cohort.programme.tracks:
            self.fields["track"] = _track(cohort)

    def moments(self) -> tuple[datetime.datetime, datetime.datetime]:
        data = self.cleaned_data
        return (
            timezone.make_aware(datetime.datetime.combine(data["day"], data["starts_at"])),
            timezone.make_aware(datetime.datetime.combine(data["day"], data["ends_at"])),
        )


class ApplicationForm(forms.Form):
    motivation = _text(
        _("Why do you want to take part?"),
        required=True,
        rows=5,
        help_text=_(
            "What in your service would you like to change for citizens, and what have you "
            "tried already? The programme manager reads this to select participants."
        ),
    )


class ScoreForm(forms.Form):
    """The cohort's selection criteria, 1 to 5, for one application."""

    def __init__(self, *args: Any, cohort: Cohort, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for key, label in CRITERIA.items():
            if key in cohort.criteria:
                self.fields[key] = _scale(label, required=False)


class SelectionForm(forms.Form):
    """The applications to select and to waitlist, ticked in the table."""

    selected = forms.TypedMultipleChoiceField(coerce=int, required=False)
    waitlisted = forms.TypedMultipleChoiceField(coerce=int, required=False)

    def __init__(self, *args: Any, applications: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [(pk, str(pk)) for pk in applications]
        for name in ("selected", "waitlisted"):
            field = self.fields[name]
            assert isinstance(field, forms.TypedMultipleChoiceField)
            field.choices = choices


class EnrolForm(forms.Form):
    usernames = forms.CharField(
        label=_("Usernames of the people to enrol"),
        help_text=_("One per line: people their ministry nominated. They take a place each."),
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 3, "spellcheck": "false", "autocapitalize": "none"}),
    )

    def __init__(self, *args: Any, cohort: Cohort, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if cohort.programme.tracks:
            self.fields["track"] = _track(cohort)

    def clean_usernames(self) -> list[User]:
        names = [line.strip() for line in self.cleaned_data["usernames"].splitlines()]
        names = list(dict.fromkeys(name for name in names if name))
        if not names:
            raise ValidationError(_("Give at least one username."))
        found = {
            user.username.casefold(): user
            for user in User.objects.filter(is_active=True, username__in=names)
        }
        unknown = [name for name in names if name.casefold() not in found]
        if unknown:
            raise ValidationError(
                _("Nobody has the username %(names)s.") % {"names": ", ".join(unknown)}
            )
        return [found[name.casefold()] for name in names]


class NoteForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Is it a hope or a fear?"),
        choices=NoteKind.choices,
        widget=forms.RadioSelect(attrs={"class": "govuk-radios--inline"}),
    )
    text = forms.CharField(
        label=_("Your note"),
        help_text=_("A few words, as on a sticky note."),
        max_length=NOTE_MAX,
    )


class ThemeForm(forms.Form):
    title = forms.CharField(label=_("Name of the theme"), max_length=TITLE_MAX)
    notes = forms.TypedMultipleChoiceField(
        label=_("Notes in this theme"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, notes: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["notes"]
        assert isinstance(field, forms.TypedMultipleChoiceField)
        field.choices = notes


class MoveNoteForm(forms.Form):
    note = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    theme = forms.IntegerField(min_value=0, required=False, widget=forms.HiddenInput)


class AssignmentForm(forms.Form):
    participant = forms.TypedChoiceField(label=_("Participant"), coerce=int)
    service = forms.ModelChoiceField(
        label=_("Service"),
        help_text=_("A real public service the participant goes through as a citizen would."),
        queryset=Service.objects.none(),
        empty_label=_("Choose a service"),
        widget=SearchableSelect(),
    )

    def __init__(
        self,
        *args: Any,
        participants: list[tuple[int, str]],
        services: QuerySet[Service],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["participant"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [("", _("Choose a participant")), *participants]
        service = self.fields["service"]
        assert isinstance(service, forms.ModelChoiceField)
        service.queryset = services


class ConceptForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=TITLE_MAX)
    problem = _text(_("The problem"), required=True)
    users = _text(_("Who suffers from it"))
    proposal = _text(_("What the team proposes"))
    next_step = _text(_("The next step"), rows=2)
    team = forms.TypedMultipleChoiceField(
        label=_("Team"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(
        self, *args: Any, cohort: Cohort, participants: list[tuple[int, str]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        if cohort.programme.tracks:
            self.fields["track"] = _track(cohort, required=True)
            self.order_fields(["track"])
        field = self.fields["team"]
        assert isinstance(field, forms.TypedMultipleChoiceField)
        field.choices = participants


class FeedbackForm(forms.Form):
    overall = _scale(_("How good was the course overall?"))
    relevance = _scale(_("How useful is it for your work?"))
    facilitation = _scale(_("How good was the facilitation?"))
    recommend = forms.TypedChoiceField(
        label=_("Would you recommend it to a colleague?"),
        choices=[("yes", _("Yes")), ("no", _("No"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect(attrs={"class": "govuk-radios--inline"}),
    )
    comment = _text(_("Anything else you want to tell the trainers?"))
