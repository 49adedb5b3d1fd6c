"""Fixed facts the demo data is built from. Names are real places and real kinds of offices;
the people are invented. Figures marked "demo" are assumptions for the demo, not statistics."""

from __future__ import annotations

from decimal import Decimal
from typing import NamedTuple

from innohub.core import roles

DEMO_PASSWORD = "innohub-demo-2026"
SEED = 2019  # the year of the a2i reference figures

# demo: an assumed hourly wage for the opportunity cost of citizens' time.
BD_HOURLY_WAGE = Decimal("70.00")

A2I = "Aspire to Innovate (a2i) Programme"

# Subdistricts (upazilas) under their districts' ISO codes: (code suffix, English, Bangla).
SUBDISTRICTS = {
    "BD-13": [
        ("SAVAR", "Savar", "সাভার"),
        ("DHAMRAI", "Dhamrai", "ধামরাই"),
        ("KERANIGANJ", "Keraniganj", "কেরানীগঞ্জ"),
    ],
    "BD-18": [
        ("KALIAKAIR", "Kaliakair", "কালিয়াকৈর"),
        ("KAPASIA", "Kapasia", "কাপাসিয়া"),
        ("SREEPUR", "Sreepur", "শ্রীপুর"),
    ],
    "BD-10": [
        ("SITAKUNDA", "Sitakunda", "সীতাকুণ্ড"),
        ("PATIYA", "Patiya", "পটিয়া"),
        ("HATHAZARI", "Hathazari", "হাটহাজারী"),
    ],
    "BD-27": [("DUMURIA", "Dumuria", "ডুমুরিয়া"), ("BATIAGHATA", "Batiaghata", "বটিয়াঘাটা")],
    "BD-54": [("PABA", "Paba", "পবা"), ("GODAGARI", "Godagari", "গোদাগাড়ী")],
    "BD-60": [("BEANIBAZAR", "Beanibazar", "বিয়ানীবাজার"), ("GOLAPGANJ", "Golapganj", "গোলাপগঞ্জ")],
    "BD-06": [("BAKERGANJ", "Bakerganj", "বাকেরগঞ্জ")],
    "BD-55": [("MITHAPUKUR", "Mithapukur", "মিঠাপুকুর"), ("PIRGANJ", "Pirganj", "পীরগঞ্জ")],
    "BD-34": [("TRISHAL", "Trishal", "ত্রিশাল"), ("MUKTAGACHHA", "Muktagachha", "মুক্তাগাছা")],
}

# Ministries and divisions of government, with departments under them and the kind of field
# office each department keeps in a subdistrict: (name, Bangla name, short name, departments).
ORGANISATIONS: list[tuple[str, str, str, list[tuple[str, str, str | None]]]] = [
    ("Cabinet Division", "মন্ত্রিপরিষদ বিভাগ", "CD", []),
    (
        "ICT Division",
        "তথ্য ও যোগাযোগ প্রযুক্তি বিভাগ",
        "ICTD",
        [(A2I, "এসপায়ার টু ইনোভেট (এটুআই)", None)],
    ),
    (
        "Ministry of Land",
        "ভূমি মন্ত্রণালয়",
        "MoL",
        [
            (
                "Department of Land Records and Surveys",
                "ভূমি রেকর্ড ও জরিপ অধিদপ্তর",
                "Assistant Commissioner (Land) Office",
            )
        ],
    ),
    (
        "Ministry of Health and Family Welfare",
        "স্বাস্থ্য ও পরিবার কল্যাণ মন্ত্রণালয়",
        "MoHFW",
        [("Directorate General of Health Services", "স্বাস্থ্য অধিদপ্তর", "Upazila Health Complex")],
    ),
    (
        "Ministry of Agriculture",
        "কৃষি মন্ত্রণালয়",
        "MoA",
        [
            (
                "Department of Agricultural Extension",
                "কৃষি সম্প্রসারণ অধিদপ্তর",
                "Upazila Agriculture Office",
            )
        ],
    ),
    (
        "Local Government Division",
        "স্থানীয় সরকার বিভাগ",
        "LGD",
        [
            (
                "Office of the Registrar General, Birth and Death Registration",
                "রেজিস্ট্রার জেনারেলের কার্যালয়, জন্ম ও মৃত্যু নিবন্ধন",
                "Union Digital Centre",
            )
        ],
    ),
    (
        "Ministry of Education",
        "শিক্ষা মন্ত্রণালয়",
        "MoE",
        [
            (
                "Directorate of Secondary and Higher Education",
                "মাধ্যমিক ও উচ্চ শিক্ষা অধিদপ্তর",
                "Upazila Secondary Education Office",
            )
        ],
    ),
    (
        "Ministry of Commerce",
        "বাণিজ্য মন্ত্রণালয়",
        "MoC",
        [("Department of Trade Licensing", "ট্রেড লাইসেন্স অধিদপ্তর", "Trade Licence Office")],
    ),
]

SKILLS = {
    "Service design": ["Journey mapping", "Service process simplification", "User research"],
    "Digital": ["Web development", "Data analysis", "GIS and maps"],
    "Management": ["Project management", "Budgeting", "Public procurement"],
    "Facilitation": ["Training delivery", "Workshop facilitation", "Mentoring"],
    "Policy": ["Policy analysis", "Legal drafting"],
    "Communication": ["Writing in Bangla", "Writing in English", "Public speaking"],
}

FIRST_NAMES = [
    ("Abdul", "আব্দুল"),
    ("Ayesha", "আয়েশা"),
    ("Rafiq", "রফিক"),
    ("Sharmin", "শারমিন"),
    ("Tanvir", "তানভীর"),
    ("Nasrin", "নাসরিন"),
    ("Habib", "হাবিব"),
    ("Roksana", "রোকসানা"),
    ("Jamal", "জামাল"),
    ("Sabina", "সাবিনা"),
    ("Imran", "ইমরান"),
    ("Laila", "লাইলা"),
    ("Mizanur", "মিজানুর"),
    ("Parvin", "পারভীন"),
    ("Sohel", "সোহেল"),
    ("Rumana", "রুমানা"),
]
LAST_NAMES = [
    ("Rahman", "রহমান"),
    ("Islam", "ইসলাম"),
    ("Hossain", "হোসেন"),
    ("Ahmed", "আহমেদ"),
    ("Chowdhury", "চৌধুরী"),
    ("Khatun", "খাতুন"),
    ("Sarker", "সরকার"),
    ("Das", "দাস"),
    ("Uddin", "উদ্দিন"),
    ("Begum", "বেগম"),
    ("Roy", "রায়"),
    ("Mia", "মিয়া"),
]
POSITIONS = [
    ("Upazila Nirbahi Officer", "Grade 5"),
    ("Assistant Commissioner (Land)", "Grade 9"),
    ("Upazila Agriculture Officer", "Grade 9"),
    ("Upazila Health and Family Planning Officer", "Grade 6"),
    ("Union Digital Centre Entrepreneur", "—"),
    ("Senior Assistant Secretary", "Grade 6"),
    ("Deputy Secretary", "Grade 5"),
    ("Upazila Secondary Education Officer", "Grade 9"),
]
GENERATED_PEOPLE = 40


class DemoPerson(NamedTuple):
    username: str
    first: str
    last: str
    name_bn: str
    role: str
    position: str
    organisation: str  # where the role fits: an office for field staff, a ministry for others


DEMO_PEOPLE = [
    DemoPerson(
        "officer",
        "Nusrat",
        "Jahan",
        "নুসরাত জাহান",
        roles.CIVIL_SERVANT,
        "Assistant Commissioner (Land)",
        "Assistant Commissioner (Land) Office, Savar",
    ),
    DemoPerson(
        "mentor",
        "Anisur",
        "Rahman",
        "আনিসুর রহমান",
        roles.MENTOR,
        "Deputy Secretary",
        "Ministry of Land",
    ),
    DemoPerson("trainer", "Farzana", "Akter", "ফারজানা আক্তার", roles.TRAINER, "Senior Trainer", A2I),
    DemoPerson(
        "teamlead",
        "Kamal",
        "Hossain",
        "কামাল হোসেন",
        roles.TEAM_MEMBER,
        "Upazila Health and Family Planning Officer",
        "Upazila Health Complex, Savar",
    ),
    DemoPerson(
        "manager",
        "Shirin",
        "Sultana",
        "শিরিন সুলতানা",
        roles.PROGRAMME_MANAGER,
        "Programme Manager",
        A2I,
    ),
    DemoPerson(
        "reviewer",
        "Mahbub",
        "Alam",
        "মাহবুব আলম",
        roles.SENIOR_REVIEWER,
        "Additional Secretary",
        "Cabinet Division",
    ),
    DemoPerson(
        "admin",
        "Tahmina",
        "Begum",
        "তাহমিনা বেগম",
        roles.ADMINISTRATOR,
        "System Administrator",
        "ICT Division",
    ),
]
