"""Forms of the people pages. Django's CharField already refuses the NUL character."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.forms import (
    AdminUserCreationForm,
    AuthenticationForm,
    UserChangeForm,
)
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from innohub.core.forms import AreaCodeInput, SearchableSelect
from innohub.geo.models import Area, Level
from innohub.orgs.models import Organisation

from .models import EVIDENCE_MAX_LENGTH, Gender, Skill, SkillLevel, User
from .services import MAX_TOKEN_DAYS


class SignInForm(AuthenticationForm):
    """Django's sign-in form with one message for every wrong combination, so the page
    never tells whether a username exists."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("Enter a correct username and password."),
        "inactive": _("Enter a correct username and password."),
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].widget.attrs.update(
            {"autocomplete": "username", "spellcheck": "false", "autocapitalize": "none"}
        )


class TokenCreateForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("What the token is for, e.g. “monthly report script”."),
    )
    days = forms.IntegerField(
        label=_("Lifetime in days"),
        min_value=1,
        max_value=MAX_TOKEN_DAYS,
        initial=settings.API_TOKEN_DAYS,
        help_text=_("From 1 to %(max)d days.") % {"max": MAX_TOKEN_DAYS},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-4"}),
    )


def _organisation_label(organisation: Organisation) -> str:
    # The select lists the tree in path order; indentation shows who sits under whom.
    return "\u2003" * organisation.depth + organisation.name


class OrganisationChoiceField(forms.ModelChoiceField):
    widget = SearchableSelect

    def label_from_instance(self, obj: Any) -> str:
        return _organisation_label(obj)


class AreaField(forms.CharField):
    """An area typed as its code (BD-13) or its exact name: areas reach 100,000 rows, too
    many for a select, and a code is what officers already use."""

    widget = AreaCodeInput

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 200)
        super().__init__(**kwargs)

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, Area):
            return value.code
        if isinstance(value, int):
            area = Area.objects.filter(pk=value).only("code").first()
            return area.code if area else ""
        return value

    def clean(self, value: Any) -> Area | None:
        text = super().clean(value)
        if not text:
            return None
        by_code = Area.objects.filter(code__iexact=text).first()
        if by_code is not None:
            return by_code
        named = list(
            Area.objects.filter(Q(name__iexact=text) | Q(name_local__iexact=text)).order_by("path")[
                :6
            ]
        )
        if len(named) == 1:
            return named[0]
        if not named:
            raise forms.ValidationError(
                _("No area has the code or name “%(text)s”."), params={"text": text}
            )
        choices = ", ".join(f"{area.name} ({area.code})" for area in named[:5])
        raise forms.ValidationError(
            _("Several areas are called “%(text)s”: give the code of one of %(choices)s."),
            params={"text": text, "choices": choices},
        )


class ProfileForm(forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)
    name_local = forms.CharField(
        label=_("Name in local script"),
        max_length=200,
        required=False,
        help_text=_("For example, your name in Bangla."),
    )
    organisation = OrganisationChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.order_by("path"),
        required=False,
        empty_label=_("Not set"),
    )
    area = AreaField(
        label=_("Area"),
        required=False,
        help_text=_("The code (for example BD-13) or the exact name of the area you work in."),
    )
    position = forms.CharField(label=_("Position"), max_length=200, required=False)
    grade = forms.CharField(
        label=_("Grade or level"),
        max_length=40,
        required=False,
        help_text=_("For example, Grade 6 or P-3."),
    )
    languages = forms.CharField(
        label=_("Languages"),
        max_length=200,
        required=False,
        help_text=_("Languages you work in, separated by commas."),
    )
    gender = forms.ChoiceField(
        label=_("Gender"),
        choices=[(value, label) for value, label in Gender.choices],
        required=False,
        widget=forms.RadioSelect,
        help_text=_("Used only for balance reports; only you and administrators see it."),
    )
    phone = forms.CharField(
        label=_("Phone"),
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    bio = forms.CharField(label=_("About me"), required=False, widget=forms.Textarea)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["first_name"].widget.attrs["autocomplete"] = "given-name"
        self.fields["last_name"].widget.attrs["autocomplete"] = "family-name"


class SkillChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.family.name}: {obj.name}"


class SkillForm(forms.Form):
    skill = SkillChoiceField(
        label=_("Skill"),
        queryset=Skill.objects.select_related("family").order_by("family__name", "name"),
        empty_label=_("Choose a skill"),
    )
    level = forms.TypedChoiceField(
        label=_("Level"),
        choices=SkillLevel.choices,
        coerce=int,
        initial=SkillLevel.PRACTISING,
        widget=forms.RadioSelect,
    )
    evidence = forms.CharField(
        label=_("Evidence"),
        required=False,
        max_length=EVIDENCE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What you did that shows this skill."),
    )


class CodeForm(forms.Form):
    """A one-time code: from the authenticator app, or a backup code."""

    token = forms.CharField(
        label=_("Code"),
        max_length=32,
        strip=True,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "spellcheck": "false",
                "autocapitalize": "none",
                "class": "govuk-input--width-10",
            }
        ),
    )


class PeopleSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search people"),
        required=False,
        max_length=100,
        help_text=_("A name, position, organisation or skill."),
    )


class TeamFilterForm(forms.Form):
    # The filters offer the upper levels; everything below them is included.
    area = forms.ModelChoiceField(
        label=_("Area"),
        queryset=Area.objects.filter(
            level__in=[Level.COUNTRY, Level.DIVISION, Level.DISTRICT]
        ).order_by("path"),
        required=False,
        empty_label=_("All areas"),
    )
    organisation = OrganisationChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.filter(depth__lte=1).order_by("path"),
        required=False,
        empty_label=_("All organisations"),
    )


class PersonCreationForm(AdminUserCreationForm):
    class Meta(AdminUserCreationForm.Meta):
        model = User
        fields = ("username", "first_name", "last_name", "email")


class PersonChangeForm(UserChangeForm):
    class Meta(UserChangeForm.Meta):
        model = User
        fields = "__all__"


def username_field(label: Any, help_text: Any = "", **options: Any) -> forms.CharField:
    """A person named by their username (any case), as the people list shows it."""
    return forms.CharField(
        label=label,
        help_text=help_text,
        max_length=150,
        widget=forms.TextInput(attrs={"spellcheck": "false", "autocapitalize": "none"}),
        **options,
    )


def person_named(username: str) -> User:
    """The active person with this username (any case), or a form error saying who is not."""
    found = User.objects.filter(username__iexact=username.strip(), is_active=True).first()
    if found is None:
        raise ValidationError(_("Nobody has the username “%(name)s”.") % {"name": username})
    return found
