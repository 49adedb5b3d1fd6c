"""What the pipeline tells apps above it: a pilot's stored figures changed without a save of
the pilot (its spending, budget or citizens reached, written with an `UPDATE`). Saves of
pilots, ideas and scale-ups are Django's own `post_save`."""

from __future__ import annotations

from django.dispatch import Signal

# Sent with `pilot` (the Pilot, its organisation and area as they are) inside the writer's
# transaction.
pilot_figures_changed = Signal()
