"""What the Free Agents pages share: the sentence that explains a match, trying a write from
a form, and going back to the page a button was on."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from innohub.accounts.models import Skill
from innohub.core.errors import Conflict
from innohub.core.forms import apply_errors
from innohub.core.numbers import figure

from .matching import Fit

DONE, WRONG_VALUE, NOT_NOW = 200, 400, 409


def explain(fit: Fit, names: Mapping[int, str]) -> str:
    """ "3 of 4 skills at the level asked; missing: Procurement" (`names`: skill id → name)."""
    values = {"match": figure(fit.match), "of": figure(fit.of)}
    if not fit.missing:
        return (
            ngettext(
                "%(match)s of %(of)s skill at the level asked",
                "%(match)s of %(of)s skills at the level asked",
                fit.of,
            )
            % values
        )
    # Translators: what separates the names of the skills missing.
    missing = _(", ").join(names.get(skill, "") for skill in fit.missing)
    return ngettext(
        "%(match)s of %(of)s skill at the level asked; missing: %(missing)s",
        "%(match)s of %(of)s skills at the level asked; missing: %(missing)s",
        fit.of,
    ) % {**values, "missing": missing}


def skill_names(ids: Iterable[int]) -> dict[int, str]:
    """The names of skills by id (one query; none for no ids)."""
    wanted = set(ids)
    if not wanted:
        return {}
    return dict(Skill.objects.filter(pk__in=wanted).values_list("pk", "name"))


def attempt(
    form: forms.BaseForm,
    write: Callable[[dict[str, Any]], Any],
    *,
    rename: Mapping[str, str] | None = None,
) -> int:
    """Run a write with the form's cleaned data. DONE, or the refusal put on the form and the
    status the page answers with: WRONG_VALUE (a ValidationError, beside the field it names;
    `rename` maps a domain key to a form field) or NOT_NOW (a Conflict, on top of the form).
    PermissionDenied goes up: a 403 page."""
    try:
        write(form.cleaned_data)
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            error = ValidationError(
                {(rename or {}).get(key, key): found for key, found in error.message_dict.items()}
            )
        apply_errors(form, error)
        return WRONG_VALUE
    except Conflict as refusal:
        form.add_error(None, refusal.message)
        return NOT_NOW
    return DONE


def back(request: HttpRequest, fallback: str) -> HttpResponse:
    """To the page the button was on (`next`, this site only), else `fallback`."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect(fallback)
