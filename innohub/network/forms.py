"""Forms of the network's pages. They check what a form can (types, sizes, choices); the rules
live in `services.py`, whose errors the views put back beside the field they name."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from innohub.geo.forms import area_code_field, clean_area_code
from innohub.geo.models import Area

from .limits import BODY_MAX, REASON_MAX, SIMILAR_TEXT_MAX, TITLE_MAX, TOPIC_MAX, TOPICS_MAX
from .models import PostKind
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
