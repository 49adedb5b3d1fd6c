"""The sizes of a service's, a journey's and a step's text fields: the one place the models,
the forms, the API schemas, the domain checks and the file import read them from.

Money, durations and counts are sized in `innohub.core.units`.
"""

from __future__ import annotations

NAME_MAX = 200  # a service's name and local name
TITLE_MAX = 200  # a step's title
OFFICE_MAX = 200
ACTOR_MAX = 100
PAIN_DESCRIPTION_MAX = 2000  # a pain point's description, typed or imported
REF_MAX = 100  # a journey's reference (`journey_ref` in files)
NOTES_MAX = 10_000  # notes and descriptions
# More citizens a year than live on Earth is a typing error.
ANNUAL_VOLUME_MAX = 10_000_000_000
