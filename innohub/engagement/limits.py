"""The sizes and bounds of engagement's fields: the one place models, forms and schemas read
them (docs/api.md, "Citizen engagement")."""

from __future__ import annotations

TITLE_MAX = 200  # a consultation's title, a finding's title
QUESTION_MAX = 2_000  # what a consultation asks
TEXT_MAX = 2_000  # what a citizen said; what was done
NAME_MAX = 100  # a citizen's name, when they give one
CONTACT_MAX = 100  # a phone number or an e-mail address, when they give one
SATISFACTION_MIN, SATISFACTION_MAX = 1, 5
RETENTION_DAYS_MIN, RETENTION_DAYS_MAX = 1, 3_650
EVIDENCE_MAX = 1_000  # contributions a finding is made from, in one request
