"""Who may do what with areas: the one place that says so."""

from __future__ import annotations

import rules

from innohub.core.roles import keeps_reference_data

rules.add_perm("geo.view_area", rules.is_authenticated)
rules.add_perm("geo.add_area", keeps_reference_data)
rules.add_perm("geo.change_area", keeps_reference_data)
# An import adds areas and changes existing ones: the same people.
rules.add_perm("geo.import_areas", keeps_reference_data)
