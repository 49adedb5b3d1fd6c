"""Fixed facts the demo data is built from."""

from __future__ import annotations

from innohub.accounts import roles

DEMO_PASSWORD = "innohub-demo-2026"

# One demo person per role: (username, first, last, name in Bangla, role).
DEMO_PEOPLE = [
    ("officer", "Nusrat", "Jahan", "নুসরাত জাহান", roles.CIVIL_SERVANT),
    ("mentor", "Anisur", "Rahman", "আনিসুর রহমান", roles.MENTOR),
    ("trainer", "Farzana", "Akter", "ফারজানা আক্তার", roles.TRAINER),
    ("teamlead", "Kamal", "Hossain", "কামাল হোসেন", roles.TEAM_MEMBER),
    ("manager", "Shirin", "Sultana", "শিরিন সুলতানা", roles.PROGRAMME_MANAGER),
    ("reviewer", "Mahbub", "Alam", "মাহবুব আলম", roles.SENIOR_REVIEWER),
    ("admin", "Tahmina", "Begum", "তাহমিনা বেগম", roles.ADMINISTRATOR),
]
