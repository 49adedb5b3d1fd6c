"""Forms of the network's pages. They check what a form can (types, sizes, choices); the rules
live in `services.py`, whose errors the views put back beside the field they name."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from innohub.accounts.forms import person_named, username_field
from innohub.accounts.models import User
from innohub.geo.forms import area_code_field, clean_area_code
from innohub.geo.models import Area

from .fellowships import SEATS_MAX
from .limits import BODY_MAX, REASON_MAX, SIMILAR_TEXT_MAX, TITLE_MAX, TOPIC_MAX, TOPICS_MAX
from .models import CircleKind, ExchangeKind, PostKind, RecognitionKind
from .selectors import EVERYONE, FOLLOWING


class PostForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What are you sharing?"),
        choices=PostKind.choices,
        widget=forms.RadioSelect,
        initial=PostKind.CHALLENGE,
    )
    title = forms.CharField(label=_("Title"), max_length=TITLE_MAX)
    body = forms.CharField(
        label=_("Tell your colleagues"),
        help_text=_(
            "What citizens go through, what you tried, what stands in the way, what you need."
        ),
        max_length=BODY_MAX,
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    topics = forms.CharField(
        label=_("Topics"),
        help_text=_("Up to %(n)d, separated by commas, such as: land records, ভূমি সেবা")
        % {"n": TOPICS_MAX},
        required=False,
        max_length=(TOPIC_MAX + 2) * TOPICS_MAX,
    )


class FeedFilterForm(forms.Form):
    """The feed's filters (a GET form: the page works without JavaScript)."""

    scope = forms.ChoiceField(
        label=_("Show"),
        choices=[(EVERYONE, _("Everyone's posts")), (FOLLOWING, _("What I follow"))],
        required=False,
        widget=forms.RadioSelect,
    )
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[("", _("Every kind")), *PostKind.choices], required=False
    )
    topic = forms.CharField(label=_("Topic"), max_length=TOPIC_MAX, required=False)
    area = area_code_field(_("This area and everything below it."), required=False)

    def clean_area(self) -> Area | None:
        return clean_area_code(self.cleaned_data["area"])


class CommentForm(forms.Form):
    body = forms.CharField(
        label=_("Your comment"), max_length=BODY_MAX, widget=forms.Textarea(attrs={"rows": 3})
    )


class ReasonForm(forms.Form):
    """Why something is reported, or hidden (the author is shown a moderator's reason)."""

    reason = forms.CharField(
        label=_("Why?"), max_length=REASON_MAX, widget=forms.Textarea(attrs={"rows": 2})
    )
    comment = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1)


class SimilarForm(forms.Form):
    text = forms.CharField(
        label=_("What are you working on?"),
        help_text=_("A problem, a service or a skill, in any language."),
        max_length=SIMILAR_TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def has_text(self) -> Any:
        return self.is_valid() and self.cleaned_data["text"].strip()


# --- Fellowship and recognition ----------------------------------------------------------------


class FellowshipForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=TITLE_MAX)
    description = forms.CharField(
        label=_("What the fellowship offers, and whom it looks for"),
        max_length=BODY_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    seats = forms.IntegerField(
        label=_("Seats"),
        min_value=1,
        max_value=SEATS_MAX,
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-4"}),
    )
    closes_on = forms.DateField(
        label=_("Nominations close on"),
        help_text=_("For example, 2027-03-31."),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Enter a date, like 2027-03-31.")},
    )
    panel = forms.CharField(
        label=_("The panel"),
        help_text=_("Usernames of the panel members, separated by commas."),
        max_length=2_000,
        widget=forms.TextInput(attrs={"spellcheck": "false", "autocapitalize": "none"}),
    )

    def clean_panel(self) -> list[User]:
        names = [name.strip() for name in self.cleaned_data["panel"].split(",") if name.strip()]
        if not names:
            raise forms.ValidationError(_("Name at least one panel member."))
        return list({person.pk: person for person in map(person_named, names)}.values())


class NominationForm(forms.Form):
    nominee = username_field(_("Your colleague's username"), _("Not yourself."))
    aims = forms.CharField(
        label=_("What are they trying to achieve?"),
        help_text=_(
            "The change they are working for, more than what they have done: fellows are "
            "chosen for what they try."
        ),
        max_length=BODY_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
    )

    def clean_nominee(self) -> User:
        return person_named(self.cleaned_data["nominee"])


class NominationReviewForm(forms.Form):
    score = forms.TypedChoiceField(
        label=_("Score"),
        help_text=_("1 little promise, 5 a great deal."),
        choices=[(n, str(n)) for n in range(1, 6)],
        coerce=int,
        widget=forms.RadioSelect(attrs={"class": "govuk-radios--inline"}),
    )
    comment = forms.CharField(
        label=_("Comment for the panel"),
        max_length=BODY_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class CircleForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What is it?"), choices=CircleKind.choices, widget=forms.RadioSelect
    )
    text = forms.CharField(
        label=_("Your message to the circle"),
        max_length=BODY_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class RecognitionForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[
            (RecognitionKind.ENDORSEMENT, _("An endorsement")),
            (RecognitionKind.AWARD, _("An award")),
        ],
        widget=forms.RadioSelect,
        initial=RecognitionKind.ENDORSEMENT,
    )
    citation = forms.CharField(
        label=_("What for?"),
        help_text=_("What they did or tried, in a sentence or two: a promotion board reads it."),
        max_length=BODY_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, awards: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not awards:  # only moderators give awards
            self.fields["kind"].choices = [  # type: ignore[attr-defined]
                (RecognitionKind.ENDORSEMENT, _("An endorsement"))
            ]


# --- Out of the office -------------------------------------------------------------------------


class ExchangeForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What kind of time out?"), choices=ExchangeKind.choices, widget=forms.RadioSelect
    )
    host = forms.CharField(
        label=_("Host"),
        help_text=_("Who hosts you: a university, an NGO, a company, another city, an office."),
        max_length=TITLE_MAX,
    )
    starts_on = forms.DateField(
        label=_("First day"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Enter a date, like 2027-03-31.")},
    )
    ends_on = forms.DateField(
        label=_("Last day"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Enter a date, like 2027-03-31.")},
    )
    plan = forms.CharField(
        label=_("Your plan"),
        help_text=_("What you want to see, learn or try there."),
        max_length=BODY_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class ReflectionForm(forms.Form):
    text = forms.CharField(
        label=_("Your reflection"),
        help_text=_("What you saw, what surprised you, what you would bring home."),
        max_length=BODY_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
    )


class FollowUpForm(forms.Form):
    changed_at_home = forms.CharField(
        label=_("What did you change at home?"),
        help_text=_("A rule, a form, a counter, a habit — or why nothing changed yet."),
        max_length=BODY_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
