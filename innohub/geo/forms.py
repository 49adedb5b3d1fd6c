"""Forms of the area pages and of the admin's CSV import."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from innohub.core.forms import AreaCodeInput
from innohub.core.imports import too_large

from .models import Area, Level
from .selectors import resolve_area_filter


def area_code_field(help_text: Any, *, required: bool, label: Any = None) -> forms.CharField:
    """An area typed as its code, with suggestions as it is typed (any case)."""
    return forms.CharField(
        label=label or _("Area"),
        help_text=help_text,
        required=required,
        max_length=64,
        widget=AreaCodeInput(),
    )


def clean_area_code(value: str) -> Area | None:
    """The area of a code typed into `area_code_field`, or a form error saying why not."""
    try:
        return resolve_area_filter("area", value)
    except ValidationError as error:
        raise ValidationError(error.message_dict["area"]) from error


class AreaFilterForm(forms.Form):
    """Filters of the area list (a GET form: the page works without JavaScript)."""

    q = forms.CharField(
        label=_("Name"),
        help_text=_("Part of the name, in English or in local script."),
        required=False,
        max_length=200,
    )
    level = forms.ChoiceField(
        label=_("Level"),
        choices=[("", _("All levels")), *Level.choices],
        required=False,
    )


class AreaImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_(
            "UTF-8, comma-separated, with the header "
            "code,name,name_local,level,parent_code,population,hourly_wage,wage_currency"
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        # One limit for every import (settings.IMPORT_MAX_BYTES): a CSV of every union of a
        # country is a few hundred kilobytes.
        if problem := too_large(upload.size):
            raise forms.ValidationError(problem)
        return upload
