"""Forms of engagement's pages. They check types, sizes and choices; the rules live in
`services.py`, whose errors the views put back beside the field they name."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from innohub.core.forms import SearchableSelect
from innohub.geo.forms import area_code_field, clean_area_code
from innohub.geo.models import Area, Level
from innohub.orgs.models import Organisation
from innohub.pipeline.forms import _date
from innohub.pipeline.models import Pilot
from innohub.services.models import Service

from .limits import (
    CONTACT_MAX,
    NAME_MAX,
    QUESTION_MAX,
    RETENTION_DAYS_MAX,
    RETENTION_DAYS_MIN,
    TEXT_MAX,
    TITLE_MAX,
)
from .models import OFFICER_CHANNELS, Channel, Consultation, ResponseKind, default_retention_days

_SATISFACTION = [
    ("", _("I would rather not say")),
    (1, _("1: very unhappy")),
    (2, _("2: unhappy")),
    (3, _("3: neither happy nor unhappy")),
    (4, _("4: happy")),
    (5, _("5: very happy")),
]


def _set_choices(form: forms.Form, name: str, choices: list[Any]) -> None:
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField)
    field.choices = choices


def _satisfaction() -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=_("How happy are you with the service today?"),
        choices=_SATISFACTION,
        coerce=int,
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
    )


class ConsultationForm(forms.Form):
    title = forms.CharField(
        label=_("Title"),
        help_text=_("What citizens will recognise, such as “Land mutation in Savar”."),
        max_length=TITLE_MAX,
    )
    question = forms.CharField(
        label=_("The question you ask citizens"),
        max_length=QUESTION_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        help_text=_("The ministry, department or office that consults and answers."),
        queryset=Organisation.objects.order_by("name", "id"),
        empty_label=_("Choose an organisation"),
        widget=SearchableSelect(),
    )
    service = forms.ModelChoiceField(
        label=_("Service"),
        queryset=Service.objects.order_by("name", "id"),
        required=False,
        empty_label=_("No service: a policy"),
        widget=SearchableSelect(),
    )
    opens_on = _date(_("Opens on"), required=True)
    closes_on = _date(_("Closes on"), required=True)
    channels = forms.MultipleChoiceField(
        label=_("Channels"),
        help_text=_("How citizens take part. Officers enter what they hear in person."),
        choices=Channel.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    retention_days = forms.IntegerField(
        label=_("Days a citizen's name and contact are kept"),
        help_text=_("Only when the citizen gives them and agrees. Then the worker erases them."),
        min_value=RETENTION_DAYS_MIN,
        max_value=RETENTION_DAYS_MAX,
        initial=default_retention_days,
    )


def _districts() -> list[tuple[Any, Any]]:
    """The districts, named in Bangla on a Bangla page (one query, 64 rows)."""
    local = get_language() == "bn"
    districts = Area.objects.filter(level=Level.DISTRICT).order_by("name")
    return [("", _("I would rather not say"))] + [
        (area.pk, (area.name_local if local and area.name_local else area.name))
        for area in districts
    ]


class ConsultationEditForm(ConsultationForm):
    """The same, without the organisation: a consultation's figures are counted there."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["organisation"]


class ContributionForm(forms.Form):
    """What a citizen sends online: their words, and the rest only if they wish."""

    text = forms.CharField(
        label=_("Your answer"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    area = forms.TypedChoiceField(
        label=_("Your district"),
        help_text=_("So that we know where people took part."),
        coerce=int,
        empty_value=None,
        required=False,
    )
    satisfaction = _satisfaction()
    name = forms.CharField(label=_("Your name"), max_length=NAME_MAX, required=False)
    contact = forms.CharField(
        label=_("Your phone number or e-mail address"),
        help_text=_("Only if you want us to tell you what we did."),
        max_length=CONTACT_MAX,
        required=False,
    )
    consent = forms.BooleanField(
        label=_("I agree that my name and contact are kept until the consultation is answered"),
        required=False,
    )
    # Left empty by people; filled by robots that fill every box (not shown on screen).
    website = forms.CharField(
        label=_("Leave this box empty"),
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _set_choices(self, "area", _districts())

    def clean_area(self) -> Area | None:
        pk = self.cleaned_data["area"]
        return Area.objects.filter(pk=pk).first() if pk else None

    @property
    def is_robot(self) -> bool:
        return bool(self.data.get("website"))


class OfficerContributionForm(forms.Form):
    """What an officer enters for a citizen met face to face, by phone or at a centre."""

    channel = forms.ChoiceField(label=_("Where you heard it"), widget=forms.RadioSelect)
    text = forms.CharField(
        label=_("What the citizen said"),
        help_text=_("In their words, as far as you can."),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    area = area_code_field(_("The code of the citizen's area, such as BD-13."), required=False)
    satisfaction = _satisfaction()
    name = forms.CharField(label=_("Their name"), max_length=NAME_MAX, required=False)
    contact = forms.CharField(
        label=_("Their phone number or e-mail address"), max_length=CONTACT_MAX, required=False
    )
    consent = forms.BooleanField(
        label=_("They agreed that their name and contact are kept"), required=False
    )

    def __init__(self, *args: Any, consultation: Consultation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        labels = dict(Channel.choices)
        _set_choices(
            self,
            "channel",
            [
                (channel, labels[channel])
                for channel in OFFICER_CHANNELS
                if channel in consultation.channels
            ],
        )

    def clean_area(self) -> Area | None:
        return clean_area_code(self.cleaned_data["area"])


class FindingForm(forms.Form):
    title = forms.CharField(
        label=_("What we heard"),
        help_text=_("One sentence a citizen would recognise, such as “The queue takes all day”."),
        max_length=TITLE_MAX,
    )
    contributions = forms.TypedMultipleChoiceField(
        label=_("Its evidence"), coerce=int, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, choices: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _set_choices(self, "contributions", choices)


class EvidenceForm(forms.Form):
    contributions = forms.TypedMultipleChoiceField(
        label=_("Add as evidence"), coerce=int, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, choices: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _set_choices(self, "contributions", choices)


class ResponseForm(forms.Form):
    text = forms.CharField(
        label=_("What we did"), max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 3})
    )
    kind = forms.ChoiceField(
        label=_("Kind"), choices=ResponseKind.choices, widget=forms.RadioSelect
    )
    responded_on = _date(_("Done on"), required=True)
    pilot = forms.ModelChoiceField(
        label=_("Pilot"),
        help_text=_("When the finding led to a pilot."),
        queryset=Pilot.objects.order_by("title", "id"),
        required=False,
        empty_label=_("No pilot"),
        widget=SearchableSelect(),
    )
