"""Who may do what in citizen engagement: the one place that says so.

Citizens need no account: anyone reads a consultation's public page and sends words online
while it is open (that form asks no permission; it is rate limited instead, `quota.py`).
The rest is the work of the consultation's organisation: its officers (a person whose
profile's organisation is the consultation's, or one below or above it), the innovation
teams and programme managers of that organisation's tree, and administrators. They create
consultations, enter what citizens said face to face, by phone or at a digital centre, read
the contributions (they may hold a name or a phone number), and write findings and responses.
"""

from __future__ import annotations

from typing import Any

import rules

from innohub.accounts.rules import manages_place, serves_place
from innohub.core.models import ids_in_path
from innohub.core.roles import is_administrator


def works_for(user: Any, organisation: Any) -> bool:
    """A person whose profile's organisation is `organisation`, one below it or one above it
    (one query)."""
    if organisation is None or not getattr(user, "is_authenticated", False):
        return False
    from innohub.accounts.models import Profile

    found = (
        Profile.objects.filter(user_id=user.pk, organisation__isnull=False)
        .values_list("organisation_id", "organisation__path")
        .first()
    )
    if found is None:
        return False
    organisation_id, path = found
    return organisation_id in ids_in_path(organisation.path) or str(path).startswith(
        organisation.path
    )


def serves_organisation(user: Any, organisation: Any) -> bool:
    """Its officers, the innovation teams and programme managers of its tree."""
    if organisation is None:
        return False
    above = ids_in_path(organisation.path)
    return (
        works_for(user, organisation)
        or serves_place(user, area_ids=[], organisation_ids=above)
        or manages_place(user, area_ids=[], organisation_ids=above)
    )


@rules.predicate
def serves_the_organisation(user: Any, organisation: Any) -> bool:
    return serves_organisation(user, organisation)


@rules.predicate
def serves_the_consultation(user: Any, consultation: Any) -> bool:
    return consultation is not None and serves_organisation(user, consultation.organisation)


runs_consultation = serves_the_consultation | is_administrator

# The public pages: anyone, signed in or not.
rules.add_perm("engagement.view_consultation", rules.always_allow)
# Create a consultation (the object is the organisation it is for).
rules.add_perm("engagement.add_consultation", serves_the_organisation | is_administrator)
# The object of the rest is the consultation.
rules.add_perm("engagement.change_consultation", runs_consultation)
# Enter a citizen's words taken face to face, by phone or at a digital centre.
rules.add_perm("engagement.add_contribution", runs_consultation)
# Read the contributions (a name or a contact may be among them) and the KPIs with real n.
rules.add_perm("engagement.view_contribution", runs_consultation)
rules.add_perm("engagement.add_finding", runs_consultation)
rules.add_perm("engagement.add_response", runs_consultation)
