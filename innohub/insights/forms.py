"""The pages' forms: the dashboard's filters (an organisation and an area, each with everything
below it), an action plan with its KPIs, a manual KPI's actual, the ranking's period."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import Q
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from innohub.core.forms import SearchableSelect
from innohub.core.models import ids_in_path
from innohub.geo.forms import area_code_field, clean_area_code
from innohub.geo.models import Area
from innohub.orgs.models import Kind, Organisation
from innohub.pipeline.forms import _date

from .models import Measure
from .plans import EVIDENCE_MAX, TITLE_MAX


class PlaceForm(forms.Form):
    """Where the dashboard looks: an organisation (any, by its id: the drill-down's links
    name offices) and an area. The picker offers the ministries and, when an organisation
    below them is chosen, the way down to it — a short list on a phone, whatever the number
    of offices; the table of the organisations one level down opens the rest."""

    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        help_text=_(
            "A ministry, with everything below it. Open a department or office from the table "
            "of the organisations one level down."
        ),
        queryset=Organisation.objects.exclude(kind__in=[Kind.INSTITUTE, Kind.PARTNER]),
        required=False,
        empty_label=_("The whole government"),
        widget=SearchableSelect(),
    )
    area = area_code_field(_("This area and everything below it."), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organisation"]
        assert isinstance(field, forms.ModelChoiceField) and field.queryset is not None
        organisations = field.queryset
        offered = Q(parent__isnull=True)
        chosen = str(self.data.get("organisation", "")) if self.is_bound else ""
        if chosen.isdigit() and len(chosen) < 19:  # an id SQLite and PostgreSQL can hold
            path = organisations.filter(pk=int(chosen)).values_list("path", flat=True).first()
            offered |= Q(pk__in=ids_in_path(path or ""))
        field.widget.choices = [
            ("", field.empty_label),
            *organisations.filter(offered).order_by("name", "id").values_list("pk", "name"),
        ]

    def clean_area(self) -> Area | None:
        return clean_area_code(self.cleaned_data["area"])


# --- Action plans ----------------------------------------------------------------------------

KPI_ROWS = 8


def _decimal(label: Any, *, whole_digits: int, help_text: Any = "") -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        required=False,
        min_value=Decimal(0),
        max_digits=whole_digits + 2,
        decimal_places=2,
        help_text=help_text,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "govuk-input--width-10"}),
    )


class ActionPlanForm(forms.Form):
    """A plan and up to KPI_ROWS KPIs, one row of fields each (`kpi_<n>_<field>`); empty
    rows are left out. The domain's errors on `kpis.<n>.<field>` land on the row's field."""

    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        help_text=_("Usually a ministry; its KPIs count everything below it."),
        queryset=Organisation.objects.exclude(kind__in=[Kind.INSTITUTE, Kind.PARTNER]).order_by(
            "name", "id"
        ),
        empty_label=_("Choose an organisation"),
        widget=SearchableSelect(),
    )
    title = forms.CharField(
        label=_("Title"),
        help_text=_("Such as “Annual Innovation Action Plan 2026-27”."),
        max_length=TITLE_MAX,
    )
    starts_on = _date(_("Starts on"), required=True)
    ends_on = _date(_("Ends on"), required=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for row in range(KPI_ROWS):
            self.fields[f"kpi_{row}_name"] = forms.CharField(
                label=_("What is measured"), required=False, max_length=TITLE_MAX
            )
            self.fields[f"kpi_{row}_measure"] = forms.ChoiceField(
                label=_("How it is measured"),
                required=False,
                choices=[("", _("Choose how")), *Measure.choices],
            )
            self.fields[f"kpi_{row}_target"] = _decimal(_("Target"), whole_digits=12)
            self.fields[f"kpi_{row}_weight"] = _decimal(
                _("Weight"), whole_digits=3, help_text=_("Out of 100, for all the KPIs.")
            )

    def rows(self) -> list[list[Any]]:
        """The bound fields of each KPI row, for the template."""
        names = ("name", "measure", "target", "weight")
        return [[self[f"kpi_{row}_{name}"] for name in names] for row in range(KPI_ROWS)]

    def kpis(self) -> list[dict[str, Any]]:
        data = self.cleaned_data
        found = []
        for row in range(KPI_ROWS):
            values = {name: data.get(f"kpi_{row}_{name}") for name in KPI_FIELDS}
            if any(value not in (None, "") for value in values.values()):
                found.append(values)
        return found

    def add_domain_error(self, key: str, message: str) -> None:
        """`kpis.<n>.<field>` of the n-th filled row onto its field; anything else on top."""
        parts = key.split(".")
        if len(parts) == 3 and parts[0] == "kpis" and parts[1].isdigit():
            filled = [
                row
                for row in range(KPI_ROWS)
                if any(
                    self.cleaned_data.get(f"kpi_{row}_{name}") not in (None, "")
                    for name in KPI_FIELDS
                )
            ]
            index = int(parts[1])
            if index < len(filled) and f"kpi_{filled[index]}_{parts[2]}" in self.fields:
                self.add_error(f"kpi_{filled[index]}_{parts[2]}", message)
                return
        self.add_error(key if key in self.fields else None, message)


KPI_FIELDS = ("name", "measure", "target", "weight")


class ActualForm(forms.Form):
    actual = forms.DecimalField(
        label=_("Actual figure"),
        min_value=Decimal(0),
        max_digits=14,
        decimal_places=2,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "govuk-input--width-10"}),
    )
    evidence = forms.CharField(
        label=_("Evidence"),
        help_text=_("Where the figure comes from: a letter, a report, a link."),
        required=False,
        max_length=EVIDENCE_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class PeriodForm(forms.Form):
    """The ranking's period: the day its plans start on."""

    starts_on = forms.TypedChoiceField(label=_("Period"), required=False, coerce=str)

    def __init__(self, *args: Any, periods: list[datetime.date], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["starts_on"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [
            (f"{day:%Y-%m-%d}", _("Plans starting %(day)s") % {"day": date_format(day)})
            for day in periods
        ]


# --- Monthly reviews ---------------------------------------------------------------------------


class ReviewFilterForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.exclude(kind__in=[Kind.INSTITUTE, Kind.PARTNER]).order_by(
            "name", "id"
        ),
        required=False,
        empty_label=_("Every organisation"),
        widget=SearchableSelect(),
    )
    month = forms.DateField(
        label=_("Month"),
        required=False,
        input_formats=["%Y-%m"],
        help_text=_("For example, 2026-10."),
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
        error_messages={"invalid": _("Enter a month, like 2026-10.")},
    )


class ReviewAskForm(ReviewFilterForm):
    """Ask for one review: an organisation (none for the national one) and a month."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].empty_label = _("The whole government")  # type: ignore[attr-defined]
        self.fields["month"].required = True
