"""The sizes and bounds of talent's fields: the one place models, forms, schemas and checks
read them from."""

from __future__ import annotations

TITLE_MAX = 200  # a challenge's title
TEXT_MAX = 10_000  # a problem, a statement, a review
NOTE_MAX = 2_000  # an assessment's note, a decision's reason
LOCATION_MAX = 200
SEATS_MAX = 50  # agents one challenge takes
WEEKS_MAX = 104  # a challenge's length
NEEDS_MAX = 12  # skills one challenge asks for
PLAN_CHALLENGES_MAX = 5_000  # challenges one plan may name
SMALL_GROUP = 5  # workforce groups smaller than this are not shown
