"""The sizes of the pipeline's text fields: the one place models, forms, schemas and checks
read them from."""

from __future__ import annotations

TITLE_MAX = 200  # an idea's or a pilot's title
TEXT_MAX = 10_000  # problems, notes, lessons, risk descriptions
BUDGET_CODE_MAX = 64
SIMILAR_TEXT_MAX = 2_000  # the text /ideas/similar compares
SIMILAR_LIMIT_MAX = 50
