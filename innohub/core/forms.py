"""GOV.UK Frontend form rendering for every form: `{{ form }}` gives GOV.UK form groups.

`FORM_RENDERER = "innohub.core.forms.GovukFormRenderer"`. The renderer finds our
`django/forms/div.html` (the form) and `django/forms/field.html` (one form group) in
innohub/templates before Django's own; widget templates stay Django's, so the admin's
widgets are untouched. A bound-field class adds the GOV.UK classes to each widget. Django itself sets `aria-invalid` and `aria-describedby`
(`<id>_helptext`, `<id>_error`); our templates give the hint and error those ids.
"""

from __future__ import annotations

from functools import cached_property
from pathlib import Path
from typing import Any

import django.forms
from django.conf import settings
from django.forms import widgets
from django.forms.boundfield import BoundField
from django.forms.renderers import DjangoTemplates
from django.template.backends.django import DjangoTemplates as DjangoTemplatesBackend
from django.urls import reverse_lazy
from django.utils.functional import lazy
from django.utils.html import conditional_escape, escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

# (widget class, GOV.UK class, error modifier or ""), most specific first.
_WIDGET_CLASSES: list[tuple[type[widgets.Widget], str, str]] = [
    (widgets.HiddenInput, "", ""),
    (widgets.CheckboxSelectMultiple, "govuk-checkboxes__input", ""),
    (widgets.RadioSelect, "govuk-radios__input", ""),
    (widgets.CheckboxInput, "govuk-checkboxes__input", ""),
    (widgets.FileInput, "govuk-file-upload", "govuk-file-upload--error"),
    (widgets.Textarea, "govuk-textarea", "govuk-textarea--error"),
    (widgets.Select, "govuk-select", "govuk-select--error"),
    (widgets.Input, "govuk-input", "govuk-input--error"),
]


def govuk_classes(widget: widgets.Widget, *, has_errors: bool) -> list[str]:
    """The GOV.UK classes for a widget; the error modifier only when the field has errors."""
    for widget_class, css_class, error_class in _WIDGET_CLASSES:
        if isinstance(widget, widget_class):
            classes = [css_class] if css_class else []
            if has_errors and error_class:
                classes.append(error_class)
            return classes
    return []


class GovukBoundField(BoundField):
    def build_widget_attrs(self, attrs: dict[str, Any], widget: Any = None) -> dict[str, Any]:
        attrs = super().build_widget_attrs(attrs, widget)
        widget = widget or self.field.widget
        # These attrs replace the widget's own `class` when rendered: keep both, ours last.
        given = f"{widget.attrs.get('class', '')} {attrs.get('class', '')}".split()
        ours = govuk_classes(widget, has_errors=bool(self.errors))
        if classes := " ".join(dict.fromkeys([*given, *ours])):
            attrs["class"] = classes
        return attrs

    @property
    def error_target_id(self) -> str:
        """The id an error summary links to: the first option of a group of radios or
        checkboxes (GOV.UK's convention), else the control the label is for."""
        if self.use_fieldset and self.auto_id:
            for subwidget in self.subwidgets:
                return str(subwidget.id_for_label)
        return str(self.id_for_label or self.auto_id or "")

    @property
    def fieldset_type(self) -> str:
        """ "radios" or "checkboxes" for option groups rendered as GOV.UK fieldsets, else ""."""
        widget = self.field.widget
        if isinstance(widget, widgets.CheckboxSelectMultiple):
            return "checkboxes"
        if isinstance(widget, widgets.RadioSelect):
            return "radios"
        return ""

    @property
    def is_single_checkbox(self) -> bool:
        return isinstance(self.field.widget, widgets.CheckboxInput)


class GovukFormRenderer(DjangoTemplates):
    """Django's template renderer, looking in innohub/templates first for our form and
    field templates, then in Django's and the apps' own (the admin's widgets)."""

    bound_field_class = GovukBoundField

    @cached_property
    def engine(self) -> DjangoTemplatesBackend:
        return DjangoTemplatesBackend(
            {
                "APP_DIRS": True,
                "DIRS": [
                    Path(settings.BASE_DIR) / "innohub" / "templates",
                    Path(django.forms.__file__).parent / "templates",
                ],
                "NAME": "innohub-forms",
                "OPTIONS": {},
            }
        )


def _picker_script() -> str:
    from django.templatetags.static import static

    return static("js/accessible-autocomplete.min.js")


def _attributes(attrs: dict[str, Any]) -> SafeString:
    """HTML attributes in the given order, as Django's attrs.html writes them: `True` bare,
    `False` left out."""
    return format_html_join(
        "",
        "{}",
        (
            (format_html(" {}", name) if value is True else format_html(' {}="{}"', name, value),)
            for name, value in attrs.items()
            if value is not False
        ),
    )


class SearchableSelect(widgets.Select):
    """A select that static/js/pickers.js turns into a search-as-you-type box (GOV.UK's
    accessible autocomplete); a plain select without JavaScript. Its messages to screen
    readers are translated here, as data attributes."""

    def __init__(self, attrs: dict[str, Any] | None = None, choices: Any = ()) -> None:
        picker = {
            "data-picker": "",
            "data-picker-src": lazy(_picker_script, str)(),
            "data-no-results": _("No results found"),
            "data-assistive-hint": _(
                "Type to narrow the list, then use the up and down arrows and Enter to choose."
            ),
            "data-query-too-short": _("Type {n} or more characters for results."),
            "data-selected-option": _("{option}: {index} of {length}, highlighted."),
            "data-results": _("Results available: {length}."),
        }
        super().__init__({**picker, **(attrs or {})}, choices)

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        """What Django's select template gives (held to it by a test), written directly: the
        few hundred organisations of a picker take a few milliseconds, not tens of them."""
        chosen = set(self.format_value(value))
        taken = False  # a single select marks its first match only, as Django's does

        def option(option_value: Any, label: Any) -> str:
            nonlocal taken
            text = "" if option_value is None else str(option_value)
            selected = not taken and text in chosen
            taken = taken or selected
            mark = " selected" if selected else ""
            return f'\n  <option value="{escape(text)}"{mark}>{conditional_escape(label)}</option>'

        parts = []
        for option_value, label in self.choices:
            if isinstance(label, list | tuple):
                inner = "".join(option(value, text) for value, text in label)
                group = conditional_escape(option_value)
                parts.append(f'\n  <optgroup label="{group}">{inner}\n  </optgroup>')
            else:
                parts.append(option(option_value, label))
        attributes = _attributes(self.build_attrs(self.attrs, attrs))
        # Every value and label above is escaped.
        return mark_safe(  # noqa: S308
            f'<select name="{escape(name)}"{attributes}>{"".join(parts)}\n</select>'
        )


class AreaCodeInput(widgets.TextInput):
    """The code of an area, with suggestions as it is typed (static/js/pickers.js asks
    /areas/suggest/); a plain text box without JavaScript."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        box = {
            "data-area-picker": reverse_lazy("geo:area_suggest"),
            "spellcheck": "false",
            "autocapitalize": "characters",
        }
        super().__init__({**box, **(attrs or {})})


def apply_errors(form: django.forms.BaseForm, error: Any) -> None:
    """A domain ValidationError (keyed by field) onto the form; unknown keys go on top."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for key, found in error.message_dict.items():
        target = key if key in form.fields else None
        for message in found:
            form.add_error(target, message)


def write_with(form: django.forms.BaseForm, write: Any) -> bool:
    """Run a write with the form's cleaned data; a refusal (ValidationError by field,
    Conflict, PermissionDenied) goes onto the form. True when done."""
    from django.core.exceptions import PermissionDenied, ValidationError

    from .errors import Conflict

    try:
        write(form.cleaned_data)
    except ValidationError as error:
        apply_errors(form, error)
    except (Conflict, PermissionDenied) as refusal:
        message = getattr(refusal, "message", "") or (refusal.args[0] if refusal.args else "")
        form.add_error(None, str(message) or _("You may not do this."))
    else:
        return True
    return False
