"""Writes that bring people into innohub: an account made for someone, and its invitation.

Kept apart from `services.py` (profiles, skills, tokens, two-factor), which is long enough.
"""

from __future__ import annotations

import logging
from functools import partial

import rules
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from innohub.core.imports import cell_text
from innohub.core.text import refuse_nul
from innohub.geo.models import Area
from innohub.orgs.models import Organisation

from .models import Profile, User

logger = logging.getLogger(__name__)

# The password-reset e-mail's neighbours: the link in it opens the same set-password page.
INVITATION_SUBJECT = "accounts/email/invitation_subject.txt"
INVITATION_BODY = "accounts/email/invitation.txt"


@transaction.atomic
def invite_person(
    *,
    by: User,
    username: str,
    name: str,
    email: str,
    organisation: Organisation | None = None,
    area: Area | None = None,
    grade: str = "",
    domain: str,
    use_https: bool,
) -> User:
    """Make an account for someone else, with no usable password, and e-mail them an
    invitation to choose one: a link to the password-reset page on `domain`, valid once and
    for `PASSWORD_RESET_TIMEOUT`. The e-mail goes once the account is committed; a failure to
    send it is logged and leaves the account in place.

    `name` is split at its last space into first and last name (one word: a first name only);
    `get_full_name()` gives it back.

    Refuses: anyone but administrators and programme managers (PermissionDenied); a username
    someone has already, whatever its capitals, or one Django would not accept; an e-mail
    address that is not one; NUL characters; values longer than their fields
    (ValidationError on `username`, `name`, `email` or `grade`).
    """
    if not rules.has_perm("accounts.add_person", by):
        raise PermissionDenied(_("Only programme managers and administrators add people."))
    refuse_nul(username=username, name=name, email=email, grade=grade)

    username = User.normalize_username(username.strip())
    words = cell_text(name).split()
    person = User(
        username=username,
        first_name=" ".join(words[:-1]) if len(words) > 1 else " ".join(words),
        last_name=words[-1] if len(words) > 1 else "",
        email=User.objects.normalize_email(email.strip()),
    )
    person.set_unusable_password()
    errors = _errors_of(
        person, exclude=["password"], renamed={"first_name": "name", "last_name": "name"}
    )
    if not words:
        errors["name"] = [_("Enter the person's name.")]
    if not person.email:
        errors["email"] = [_("Enter an e-mail address: the invitation goes there.")]
    if username and User.objects.filter(username__iexact=username).exists():
        errors["username"] = [_("Someone has this username already.")]
    profile = Profile(user=person, organisation=organisation, area=area, grade=grade.strip())
    errors |= _errors_of(profile, exclude=["user"])
    if errors:
        raise ValidationError(errors)

    try:
        with transaction.atomic():
            person.save()
    except IntegrityError as error:  # the same username, taken at the same moment
        raise ValidationError({"username": _("Someone has this username already.")}) from error
    profile.save()

    message = _invitation(person=person, by=by, domain=domain, use_https=use_https)
    transaction.on_commit(partial(_send, message, person))
    return person


def _errors_of(
    instance: User | Profile, *, exclude: list[str], renamed: dict[str, str] | None = None
) -> dict[str, list[str]]:
    """`full_clean`'s messages by field (none when the instance is valid)."""
    try:
        instance.full_clean(exclude=exclude, validate_unique=False)
    except ValidationError as error:
        names = renamed or {}
        found: dict[str, list[str]] = {}
        for field, messages in error.message_dict.items():
            said = found.setdefault(names.get(field, field), [])
            said.extend(message for message in messages if message not in said)
        return found
    return {}


def _invitation(*, person: User, by: User, domain: str, use_https: bool) -> EmailMessage:
    """The invitation e-mail, in the language of the request that made the account."""
    context = {
        "user": person,
        "inviter": by.name,
        "domain": domain,
        "protocol": "https" if use_https else "http",
        "uid": urlsafe_base64_encode(force_bytes(person.pk)),
        "token": default_token_generator.make_token(person),
    }
    subject = "".join(render_to_string(INVITATION_SUBJECT, context).splitlines())
    body = render_to_string(INVITATION_BODY, context)
    return EmailMessage(subject, body, to=[person.email])


def _send(message: EmailMessage, person: User) -> None:
    # As Django's password reset does: a mail server that fails is logged, not shown as an
    # error for an account that now exists.
    try:
        message.send()
    except Exception:
        logger.exception("Failed to send the invitation e-mail to person %s", person.pk)
