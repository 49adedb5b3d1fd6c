"""Role names, kept in `innohub.core.roles` so that every app may ask about them."""

from innohub.core.roles import (
    ADMINISTRATOR,
    CIVIL_SERVANT,
    MENTOR,
    PROGRAMME_MANAGER,
    ROLES,
    SENIOR_REVIEWER,
    TEAM_MEMBER,
    TRAINER,
)

__all__ = [
    "ADMINISTRATOR",
    "CIVIL_SERVANT",
    "MENTOR",
    "PROGRAMME_MANAGER",
    "ROLES",
    "SENIOR_REVIEWER",
    "TEAM_MEMBER",
    "TRAINER",
]
