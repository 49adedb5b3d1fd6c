"""The dashboard's filters: an organisation (with everything below it) and an area (by code,
with everything below it)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from innohub.core.forms import SearchableSelect
from innohub.geo.forms import area_code_field, clean_area_code
from innohub.geo.models import Area
from innohub.orgs.models import Kind, Organisation


class PlaceForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        help_text=_("A ministry, department or office, with everything below it."),
        queryset=Organisation.objects.exclude(kind__in=[Kind.INSTITUTE, Kind.PARTNER]).order_by(
            "name", "id"
        ),
        required=False,
        empty_label=_("The whole government"),
        widget=SearchableSelect(),
    )
    area = area_code_field(_("This area and everything below it."), required=False)

    def clean_area(self) -> Area | None:
        return clean_area_code(self.cleaned_data["area"])
