"""Who may do what with organisations: the one place that says so."""

from __future__ import annotations

import rules

from innohub.core.roles import keeps_reference_data

rules.add_perm("orgs.view_organisation", rules.is_authenticated)
rules.add_perm("orgs.add_organisation", keeps_reference_data)
rules.add_perm("orgs.change_organisation", keeps_reference_data)
