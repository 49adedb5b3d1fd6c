"""Pages about people: sign-in and security, profiles, skills, teams, API tokens.

Thin: each view checks its form, calls one service or selector, and renders.
"""

from __future__ import annotations

import base64
from typing import Any
from urllib.parse import urlencode

import qrcode
import qrcode.image.svg
import rules
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from innohub.network import selectors as network_selectors
from innohub.talent import selectors as talent_selectors

from . import selectors, services
from .auth import signed_in
from .forms import (
    CodeForm,
    PeopleSearchForm,
    ProfileForm,
    SignInForm,
    SkillForm,
    TeamFilterForm,
    TokenCreateForm,
)
from .models import ApiToken, User
from .rules import is_verified, requires_two_factor

PEOPLE_PER_PAGE = 25
TEAMS_PER_PAGE = 25
TOKENS_PER_PAGE = 50


def _next_url(request: HttpRequest, default: str) -> str:
    """The `next` the person came from, if it is a path on this site."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def _with_next(name: str, next_url: str) -> str:
    return f"{reverse(name)}?{urlencode({'next': next_url})}"


def _apply_errors(form: Any, error: ValidationError) -> None:
    """Show a service's ValidationError on the form's fields (unknown fields on top)."""
    for field, field_errors in error.message_dict.items():
        form.add_error(field if field in form.fields else None, field_errors)


# --- Sign in, sign out, passwords -----------------------------------------------------------


class SignInView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = SignInForm


class SignOutView(auth_views.LogoutView):
    """POST only (Django's rule); goes to `LOGOUT_REDIRECT_URL`."""


class PasswordResetView(auth_views.PasswordResetView):
    # Named templates of our own: the admin ships registration/password_* ones, and
    # its app comes first in INSTALLED_APPS.
    template_name = "accounts/password_reset_form.html"
    email_template_name = "accounts/email/password_reset.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change_form.html"
    success_url = reverse_lazy("accounts:password_change_done")


class PasswordChangeDoneView(auth_views.PasswordChangeDoneView):
    template_name = "accounts/password_change_done.html"


# --- Two-factor -----------------------------------------------------------------------------


def _qr_code_data_uri(text: str) -> str:
    # An SVG as a data: URI: no external image, and the page's CSP allows data: images.
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, border=4)
    return "data:image/svg+xml;base64," + base64.b64encode(image.to_string()).decode()


def _spaced(secret: str) -> str:
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def _pass_second_factor(request: HttpRequest, device: Any) -> None:
    # A new session key for the stronger sign-in, as Django does at login.
    request.session.cycle_key()
    otp_login(request, device)


@never_cache  # secrets and codes must not linger in a cache or the history
@login_required
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    """Set up an authenticator app: QR code and secret, confirm with a code. On success,
    the session counts as verified and the backup codes are shown, once."""
    user = signed_in(request)
    next_url = _next_url(request, reverse("core:home"))
    if selectors.has_confirmed_totp(user=user) and not is_verified(user):
        # Someone who already has an app proves it before adding another.
        return redirect(_with_next("accounts:two_factor_verify", next_url))
    device = services.start_totp_setup(user=user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            codes = services.confirm_totp_device(device=device, token=form.cleaned_data["token"])
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            _pass_second_factor(request, device)
            return render(
                request,
                "accounts/two_factor_backup_codes.html",
                {"codes": codes, "next_url": next_url, "just_set_up": True},
            )
    secret = base64.b32encode(device.bin_key).decode()
    return render(
        request,
        "accounts/two_factor_setup.html",
        {
            "form": form,
            "qr_code": _qr_code_data_uri(device.config_url),
            "secret": _spaced(secret),
            "next_url": next_url,
            "required": requires_two_factor(user),
        },
    )


@never_cache  # secrets and codes must not linger in a cache or the history
@login_required
def two_factor_verify(request: HttpRequest) -> HttpResponse:
    """Enter the current code (or a backup code) to pass two-factor for this session."""
    user = signed_in(request)
    next_url = _next_url(request, reverse("core:home"))
    if not selectors.has_confirmed_device(user=user):
        return redirect(_with_next("accounts:two_factor_setup", next_url))
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device = services.check_second_factor(
                user=user, token=form.cleaned_data["token"], field="token"
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            _pass_second_factor(request, device)
            return HttpResponseRedirect(next_url)
    return render(request, "accounts/two_factor_verify.html", {"form": form, "next_url": next_url})


@never_cache  # secrets and codes must not linger in a cache or the history
@login_required
def two_factor_backup_codes(request: HttpRequest) -> HttpResponse:
    """Make a new set of backup codes (the old ones stop working)."""
    user = signed_in(request)
    if not is_verified(user):
        return redirect(_with_next("accounts:two_factor_verify", request.path))
    if request.method == "POST":
        codes = services.replace_backup_codes(user=user)
        return render(
            request,
            "accounts/two_factor_backup_codes.html",
            {"codes": codes, "next_url": reverse("accounts:profile"), "just_set_up": False},
        )
    return render(request, "accounts/two_factor_backup_codes_new.html", {})


# --- Profiles -------------------------------------------------------------------------------


def _person_or_404(username: str) -> User:
    person = selectors.person_for_profile(username=username)
    if person is None:
        raise Http404
    return person


def _render_profile(request: HttpRequest, person: User) -> HttpResponse:
    viewer = signed_in(request)
    is_me = person.pk == viewer.pk
    work = network_selectors.work_text(person)
    return render(
        request,
        "accounts/profile.html",
        {
            "person": person,
            "profile": selectors.profile_or_blank(person),
            "is_me": is_me,
            "roles": selectors.role_labels(person),
            "skills": person.skills.all(),
            "memberships": person.team_memberships.all(),
            "show_contact": rules.has_perm("accounts.view_contact_details", viewer, person),
            "can_edit": rules.has_perm("accounts.change_profile", viewer, person),
            "has_two_factor": is_me and selectors.has_confirmed_totp(user=person),
            # The network's, shown here (views may read any app's selectors).
            "posts": network_selectors.posts_by(person, viewer),
            "recognitions": network_selectors.recognitions_of(person),
            "similar_people": network_selectors.similar_people(work, limit=5, leave_out=person)
            if work
            else [],
            "following": not is_me and person.pk in network_selectors.follows_of(viewer)["person"],
            # What Free Agents' closing reviews showed of the person's skills.
            "review_evidence": talent_selectors.evidence_of(person),
        },
    )


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    return _render_profile(request, _person_or_404(signed_in(request).username))


@login_required
def person(request: HttpRequest, username: str) -> HttpResponse:
    """Anyone signed in may read another's profile (an internal directory), without
    contact details unless it is their own or they are an administrator."""
    return _render_profile(request, _person_or_404(username))


def _edit_profile(request: HttpRequest, person: User, done_url: str) -> HttpResponse:
    editor = signed_in(request)
    if not rules.has_perm("accounts.change_profile", editor, person):
        raise PermissionDenied
    profile = selectors.profile_or_blank(person)
    initial = {
        "first_name": person.first_name,
        "last_name": person.last_name,
        "name_local": person.name_local,
        "organisation": profile.organisation_id,
        "area": profile.area,
        "position": profile.position,
        "grade": profile.grade,
        "languages": profile.languages,
        "gender": profile.gender,
        "phone": profile.phone,
        "bio": profile.bio,
    }
    form = ProfileForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_profile(person=person, by=editor, **form.cleaned_data)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("The profile is saved."))
            return HttpResponseRedirect(done_url)
    return render(
        request,
        "accounts/profile_edit.html",
        {"form": form, "person": person, "is_me": person.pk == editor.pk, "cancel_url": done_url},
    )


@login_required
def profile_edit(request: HttpRequest) -> HttpResponse:
    me = signed_in(request)
    return _edit_profile(request, me, reverse("accounts:profile"))


@login_required
def person_edit(request: HttpRequest, username: str) -> HttpResponse:
    """Administrators may edit anyone's profile; others only their own (else 403)."""
    person = selectors.person_to_edit(username=username)
    if person is None:
        raise Http404
    return _edit_profile(request, person, reverse("accounts:person", args=[person.username]))


@login_required
def skills(request: HttpRequest) -> HttpResponse:
    """My skills: add one (or change the level and evidence of one I list), remove one."""
    me = signed_in(request)
    form = SkillForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            held = services.set_skill(person=me, by=me, **form.cleaned_data)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(
                request, _("%(skill)s is on your profile.") % {"skill": held.skill.name}
            )
            return redirect("accounts:skills")
    held_skills = selectors.skills_held(person=me).select_related("skill__family")
    return render(request, "accounts/skills.html", {"form": form, "held_skills": held_skills})


@login_required
@require_POST
def skill_remove(request: HttpRequest, pk: int) -> HttpResponse:
    me = signed_in(request)
    held = selectors.skill_held_by(person=me, held_id=pk)
    if held is None:
        raise Http404
    services.remove_skill(held=held, by=me)
    messages.success(request, _("%(skill)s is no longer on your profile.") % {"skill": held.skill})
    return redirect("accounts:skills")


@login_required
def people(request: HttpRequest) -> HttpResponse:
    """The directory: search by name, position, organisation or skill; paginated."""
    form = PeopleSearchForm(request.GET or None)
    search = form.cleaned_data["q"] if form.is_valid() else ""
    page = Paginator(selectors.people(search=search), PEOPLE_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "accounts/people.html",
        {"form": form, "page": page, "search": search, "query": _query_without_page(request)},
    )


def _query_without_page(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


# --- Innovation teams -----------------------------------------------------------------------


@login_required
def teams(request: HttpRequest) -> HttpResponse:
    """Innovation teams, filtered by area or organisation (everything below included)."""
    form = TeamFilterForm(request.GET or None)
    area = organisation = None
    if form.is_valid():
        area, organisation = form.cleaned_data["area"], form.cleaned_data["organisation"]
    found = selectors.innovation_teams(area=area, organisation=organisation)
    page = Paginator(found, TEAMS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "accounts/teams.html",
        {"form": form, "page": page, "query": _query_without_page(request)},
    )


@login_required
def team(request: HttpRequest, pk: int) -> HttpResponse:
    found = selectors.team_with_members(pk=pk)
    if found is None:
        raise Http404
    return render(
        request,
        "accounts/team.html",
        {"team": found, "memberships": found.memberships.all()},
    )


# --- API tokens -----------------------------------------------------------------------------


@never_cache  # secrets and codes must not linger in a cache or the history
@login_required
def tokens(request: HttpRequest) -> HttpResponse:
    """My API tokens; create one (its secret is shown once, on the page that answers)."""
    me = signed_in(request)
    form = TokenCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            token, secret = services.issue_token(
                user=me, name=form.cleaned_data["name"], days=form.cleaned_data["days"]
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            return render(
                request, "accounts/token_created.html", {"token": token, "secret": secret}
            )
    page = Paginator(selectors.tokens_of(user=me), TOKENS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "accounts/tokens.html",
        {"form": form, "page": page, "default_days": settings.API_TOKEN_DAYS},
    )


@login_required
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    """Confirm, then revoke one of my tokens; another person's is 404."""
    me = signed_in(request)
    token: ApiToken = get_object_or_404(selectors.tokens_of(user=me), pk=pk)
    if request.method == "POST":
        services.revoke_token(token=token, by=me)
        messages.success(request, _("The token “%(name)s” is revoked.") % {"name": token.name})
        return redirect("accounts:tokens")
    return render(request, "accounts/token_revoke.html", {"token": token})
