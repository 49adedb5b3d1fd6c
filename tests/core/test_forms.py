"""`{{ form }}` renders GOV.UK Frontend form groups everywhere, with an error summary."""

from __future__ import annotations

import re

import pytest
from django import forms
from django.contrib.admin.widgets import AdminTextInputWidget
from django.template import engines

from innohub.core.forms import GovukBoundField, GovukFormRenderer, SearchableSelect

pytestmark = pytest.mark.django_db


class ProposalForm(forms.Form):
    """A throwaway form with one field of each kind the renderer styles."""

    title = forms.CharField(label="Title", help_text="A short name for your idea.")
    summary = forms.CharField(label="Summary", widget=forms.Textarea, required=False)
    district = forms.ChoiceField(label="District", choices=[("", "Choose"), ("d", "Dhaka")])
    track = forms.ChoiceField(
        label="Track",
        choices=[("service", "Service"), ("policy", "Policy")],
        widget=forms.RadioSelect,
        help_text="Pick one.",
    )
    themes = forms.MultipleChoiceField(
        label="Themes",
        choices=[("time", "Time"), ("cost", "Cost"), ("visits", "Visits")],
        widget=forms.CheckboxSelectMultiple,
    )
    agree = forms.BooleanField(label="I agree", help_text="You can withdraw later.")
    reference = forms.CharField(widget=forms.HiddenInput, required=False)

    def clean(self):
        if self.cleaned_data.get("title") == "clash":
            raise forms.ValidationError("This title is already taken.")
        return self.cleaned_data


def render(template: str, **context) -> str:
    return engines["django"].from_string(template).render(context)


def tag(html: str, element_id: str) -> str:
    """The one start tag with this id, whatever the order of its attributes."""
    (found,) = re.findall(rf'<[a-z]+\b[^>]*\bid="{element_id}"[^>]*>', html)
    return found


def test_settings_use_the_govuk_renderer_and_bound_field():
    form = ProposalForm()

    assert isinstance(form.renderer, GovukFormRenderer)
    assert isinstance(form["title"], GovukBoundField)


def test_valid_looking_form_renders_govuk_groups_labels_hints_and_controls():
    html = str(ProposalForm())

    assert html.count('class="govuk-form-group"') == 6
    assert '<label class="govuk-label" for="id_title">Title</label>' in html
    assert 'class="govuk-hint"' in tag(html, "id_title_helptext")
    assert 'class="govuk-input"' in tag(html, "id_title")
    assert 'aria-describedby="id_title_helptext"' in tag(html, "id_title")
    assert re.search(r'<textarea[^>]*class="govuk-textarea"', html)
    assert "Summary (optional)" in html
    assert re.search(r'<select[^>]*class="govuk-select"', html)
    assert 'class="govuk-radios govuk-radios--small" data-module="govuk-radios"' in html
    assert html.count('class="govuk-radios__item"') == 2
    assert 'class="govuk-radios__input"' in tag(html, "id_track_0")
    assert 'type="radio"' in tag(html, "id_track_0")
    assert 'class="govuk-checkboxes__input"' in tag(html, "id_themes_2")
    assert 'class="govuk-label govuk-radios__label" for="id_track_0">Service</label>' in html
    assert '<fieldset class="govuk-fieldset" aria-describedby="id_track_helptext">' in html
    assert '<legend class="govuk-fieldset__legend govuk-fieldset__legend--s">Track</legend>' in html
    assert html.count('class="govuk-checkboxes__item"') == 4  # three themes + "I agree"
    assert 'for="id_agree">I agree</label>' in html
    assert 'class="govuk-hint govuk-checkboxes__hint" id="id_agree_helptext"' in html
    assert 'type="hidden"' in tag(html, "id_reference")
    assert "govuk-form-group--error" not in html


def test_invalid_form_shows_errors_per_field_and_keeps_what_was_typed():
    form = ProposalForm(data={"title": "Faster land records", "district": "d", "track": "x"})
    assert not form.is_valid()

    html = str(form)

    assert html.count("govuk-form-group--error") == 3  # track, themes, agree
    assert 'value="Faster land records"' in html
    assert '<option value="d" selected>' in html
    assert '<p class="govuk-error-message" id="id_track_error">' in html
    assert '<span class="govuk-visually-hidden">Error:</span> Select a valid choice.' in html
    assert 'aria-describedby="id_track_helptext id_track_error"' in html
    agree = tag(html, "id_agree")
    assert 'aria-describedby="id_agree_helptext id_agree_error"' in agree
    assert 'aria-invalid="true"' in agree


def test_text_input_with_an_error_gets_the_error_modifier_and_message():
    form = ProposalForm(data={})
    form.is_valid()

    html = str(form)

    assert 'class="govuk-input govuk-input--error"' in tag(html, "id_title")
    assert 'class="govuk-select govuk-select--error"' in tag(html, "id_district")
    assert '<p class="govuk-error-message" id="id_title_error">' in html


def test_error_summary_links_each_error_to_its_field():
    data = {"title": "clash", "district": "d", "track": "service", "themes": ["time"]}
    form = ProposalForm(data=data)
    assert not form.is_valid()

    html = render('{% include "includes/error_summary.html" %}', form=form)

    assert 'class="govuk-error-summary" data-module="govuk-error-summary"' in html
    assert '<div role="alert">' in html
    assert "There is a problem" in html
    assert '<a href="#non-field-errors">This title is already taken.</a>' in html
    assert '<a href="#id_agree">I agree: This field is required.</a>' in html  # names the field
    # The form shows its own error where the summary's link lands.
    assert 'id="non-field-errors"' in str(form)


def test_error_summary_links_option_groups_to_their_first_option():
    form = ProposalForm(data={})
    form.is_valid()

    html = render('{% include "includes/error_summary.html" %}', form=form)

    assert 'href="#id_track_0"' in html
    assert 'href="#id_themes_0"' in html
    assert 'href="#id_title"' in html
    assert 'href="#id_district"' in html


def test_error_summary_is_empty_for_a_form_without_errors():
    assert render('{% include "includes/error_summary.html" %}', form=ProposalForm()).strip() == ""


def test_prefixed_forms_keep_their_anchors_apart():
    form = ProposalForm(data={"a-title": "clash"}, prefix="a")
    form.is_valid()

    html = render('{% include "includes/error_summary.html" %}', form=form)

    assert 'href="#a-non-field-errors"' in html
    assert 'href="#id_a-title"' not in html  # title itself is fine
    assert 'id="a-non-field-errors"' in str(form)


def test_widget_classes_given_by_a_form_are_kept():
    class Styled(forms.Form):
        code = forms.CharField(widget=forms.TextInput(attrs={"class": "govuk-input--width-10"}))

    html = str(Styled())

    assert 'class="govuk-input--width-10 govuk-input"' in html


def test_admin_widgets_keep_their_own_templates():
    class AdminLike(forms.Form):
        name = forms.CharField(widget=AdminTextInputWidget)

    html = AdminLike()["name"].as_widget()

    assert 'class="vTextField govuk-input"' in html


def test_a_page_with_form_errors_says_error_in_its_title(rf, user):
    from django.shortcuts import render as render_page

    form = ProposalForm(data={})
    form.is_valid()
    request = rf.get("/")
    request.user = user

    html = render_page(request, "core/accessibility.html", {"form": form}).content.decode()

    assert "<title>Error: Accessibility statement \N{EN DASH} innohub</title>" in html


@pytest.mark.parametrize("value", ["", "2", None])
def test_a_searchable_select_renders_what_djangos_select_template_renders(value):
    """SearchableSelect writes its options without a template each (fast for hundreds of
    organisations): the markup is Django's own, option for option, groups and escaping too."""
    choices = [
        ("", "Choose one"),
        (1, "Land & Revenue <office>"),
        ("Ministries", [(2, "Ministry of Land"), (3, "ভূমি মন্ত্রণালয়")]),
    ]
    attrs = {"id": "id_place", "class": "govuk-select", "required": True, "data-x": '"q"'}
    fast = SearchableSelect(choices=choices).render("place", value, attrs)
    plain = forms.Select(attrs=SearchableSelect().attrs, choices=choices).render(
        "place", value, attrs
    )
    assert " ".join(fast.split()) == " ".join(plain.split())
    assert "Land &amp; Revenue &lt;office&gt;" in fast
    assert ('value="2" selected' in fast) == (value == "2")
