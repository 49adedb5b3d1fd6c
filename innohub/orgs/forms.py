"""Forms of the organisation pages."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from innohub.geo.models import Area
from innohub.geo.selectors import resolve_area_filter

from .models import Kind


class OrganisationFilterForm(forms.Form):
    """Filters of the organisation list (a GET form: the page works without JavaScript)."""

    q = forms.CharField(
        label=_("Name"),
        help_text=_("Part of the name, the local name or the short name."),
        required=False,
        max_length=200,
    )
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[("", _("All kinds")), *Kind.choices], required=False
    )
    area = forms.CharField(
        label=_("Area"),
        help_text=_("An area's code, such as BD-13: includes everything below it."),
        required=False,
        max_length=64,
    )

    def clean_area(self) -> Area | None:
        try:
            return resolve_area_filter("area", self.cleaned_data["area"])
        except ValidationError as error:
            raise ValidationError(error.message_dict["area"]) from error
