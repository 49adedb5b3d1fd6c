"""Forms of the area pages and of the admin's CSV import."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from innohub.core.imports import too_large

from .models import Level


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
