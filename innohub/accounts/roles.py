"""The roles of innohub, as Django groups. Object-level rules live in each app's rules.py."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

CIVIL_SERVANT = "civil_servant"
MENTOR = "mentor"
TRAINER = "trainer"
TEAM_MEMBER = "innovation_team_member"
PROGRAMME_MANAGER = "programme_manager"
SENIOR_REVIEWER = "senior_reviewer"
ADMINISTRATOR = "administrator"

ROLES = {
    CIVIL_SERVANT: _("Civil servant"),
    MENTOR: _("Mentor"),
    TRAINER: _("Trainer"),
    TEAM_MEMBER: _("Innovation team member"),
    PROGRAMME_MANAGER: _("Programme manager"),
    SENIOR_REVIEWER: _("Senior reviewer"),
    ADMINISTRATOR: _("Administrator"),
}
