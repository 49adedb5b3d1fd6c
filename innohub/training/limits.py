"""The sizes of training's text fields: the one place models, forms and schemas read them."""

from __future__ import annotations

NAME_MAX = 200  # a programme's name
TITLE_MAX = 200  # cohorts, sessions, modules, themes, concepts, notes
TRACK_MAX = 40
TEXT_MAX = 10_000  # motivations, problems, proposals
NOTE_MAX = 200  # a hope or a fear: what fits on a sticky note
