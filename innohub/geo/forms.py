"""Forms of the area pages and of the admin's CSV import."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Level

# A CSV of every union of a country is a few hundred kilobytes; far more is a wrong file.
IMPORT_MAX_BYTES = 20 * 1024 * 1024


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
        if upload.size > IMPORT_MAX_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(size)d MB: split it into smaller files.")
                % {"size": IMPORT_MAX_BYTES // (1024 * 1024)}
            )
        return upload
