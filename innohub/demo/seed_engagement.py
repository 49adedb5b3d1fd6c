"""Demo of citizen engagement, made through engagement's own functions: a closed consultation
on land mutation in Savar with contributions in every channel, findings made from them and
what the office did (one a pilot); an open one on birth registration at union digital
centres, its first finding not yet answered; and one on agricultural advice by phone that
opens next week. Dates follow today, so the open one stays open whenever the demo is made.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.utils import timezone

from innohub.accounts.models import User
from innohub.engagement import services
from innohub.engagement.models import Consultation, Contribution
from innohub.geo.models import Area
from innohub.orgs.models import Organisation
from innohub.pipeline.models import Pilot
from innohub.services.models import Service

if TYPE_CHECKING:
    from .seed import Seeder

LAND = "Land mutation in Savar: what slows you down?"
BIRTH = "Birth registration at union digital centres"
ADVICE = "Crop advice by phone"

# (channel, text, area code, satisfaction)
LAND_SAID = [
    ("online", "I went to the AC Land office four times for one mutation.", "BD-13-SAVAR", 1),
    ("online", "Four visits to the land office and a broker asked for money.", "BD-13-SAVAR", 1),
    ("online", "নামজারির জন্য ভূমি অফিসে চারবার যেতে হয়েছে", "BD-13-SAVAR", 2),
    ("face_to_face", "ভূমি অফিসে চারবার যেতে হয়েছে, দালাল টাকা চেয়েছে", "BD-13-SAVAR", 2),
    ("face_to_face", "The hearing date was changed twice without telling us.", "BD-13-DHAMRAI", 2),
    ("phone", "Nobody told me the hearing date changed; I lost a day's work.", "BD-13-DHAMRAI", 1),
    ("phone", "শুনানির তারিখ বদলেছে, কেউ জানায়নি", "BD-13-KERANIGANJ", 2),
    ("digital_centre", "The fee for mutation is not written anywhere.", "BD-13-SAVAR", 3),
    ("digital_centre", "Nobody could tell me the mutation fee.", "BD-13-SAVAR", 2),
    ("digital_centre", "নামজারির ফি কোথাও লেখা নেই", "BD-13-KERANIGANJ", 3),
    ("online", "Applying online worked well, thank you.", "BD-13-SAVAR", 5),
    ("face_to_face", "The staff were kind to my mother.", "BD-13-DHAMRAI", 4),
]
LAND_FINDINGS = [
    (
        "Too many visits to the land office, and brokers asking for money",
        (0, 1, 2, 3),
        "A one-stop counter at the union digital centre is being piloted.",
        -5,
        True,
    ),
    (
        "Hearing dates change without notice",
        (4, 5, 6),
        "Hearing dates are now sent by SMS, and again when they change.",
        12,
        False,
    ),
    ("The mutation fee is not shown", (7, 8, 9), "", 0, False),
]
BIRTH_SAID = [
    ("online", "The union digital centre asked for a paper from the chairman first.", "BD-18", 2),
    ("digital_centre", "The entrepreneur helped me fill the form in ten minutes.", "BD-18", 5),
    ("digital_centre", "ইউনিয়ন ডিজিটাল সেন্টারে চেয়ারম্যানের প্রত্যয়নপত্র চাওয়া হয়", "BD-18", 2),
    ("phone", "The chairman's paper took a week to get.", "BD-10", 2),
    ("online", "Please let us pay the fee by mobile money.", "BD-10", 3),
]


def _area(code: str) -> Area | None:
    return Area.objects.filter(code=code).first()


def _say(
    consultation: Consultation, said: list[tuple[str, str, str, int]], officer: User,
    day: datetime.date,
) -> list[Contribution]:  # fmt: skip
    made = []
    for n, (channel, text, code, satisfaction) in enumerate(said):
        made.append(
            services.contribute(
                consultation=consultation,
                text=text,
                channel=channel,
                by=None if channel == "online" else officer,
                client=f"192.0.2.{n + 1}",  # documentation addresses: one each
                area=_area(code),
                satisfaction=satisfaction,
                today=day,
            )
        )
    return made


def seed_engagement(seeder: Seeder) -> None:
    if Consultation.objects.filter(title=LAND).exists():
        return
    today = timezone.localdate()
    officer = User.objects.get(username="officer")
    admin = User.objects.get(username="admin")
    savar = Organisation.objects.filter(name="Assistant Commissioner (Land) Office, Savar").first()
    registrar = Organisation.objects.filter(name__startswith="Office of the Registrar").first()
    extension = Organisation.objects.filter(name__startswith="Department of Agricultural").first()
    if savar is None or registrar is None or extension is None:
        return
    services_by_name = {service.name: service for service in Service.objects.all()}

    land = services.create_consultation(
        by=officer, title=LAND,
        question="Tell us about your last land mutation: what took time, what cost money, "
        "and what should change.",
        organisation=savar, service=services_by_name.get("Land mutation (namjari)"),
        opens_on=today - datetime.timedelta(days=75), closes_on=today - datetime.timedelta(days=30),
        channels=["online", "face_to_face", "phone", "digital_centre"], retention_days=180,
    )  # fmt: skip
    said = _say(land, LAND_SAID, officer, today - datetime.timedelta(days=50))
    pilot = Pilot.objects.filter(service__name__startswith="Land mutation").order_by("pk").first()
    for title, evidence, done, after_close, is_pilot in LAND_FINDINGS:
        finding = services.create_finding(
            by=officer, consultation=land, title=title,
            contributions=[said[index].pk for index in evidence],
        )  # fmt: skip
        if done:
            services.respond(
                by=officer, finding=finding, text=done,
                responded_on=land.closes_on + datetime.timedelta(days=after_close),
                pilot=pilot if is_pilot else None,
            )  # fmt: skip

    birth = services.create_consultation(
        by=admin, title=BIRTH,
        question="আপনার সন্তানের জন্ম নিবন্ধন কেমন হয়েছে? What would make it easier?",
        organisation=registrar, service=services_by_name.get("Birth registration"),
        opens_on=today - datetime.timedelta(days=10), closes_on=today + datetime.timedelta(days=20),
        channels=["online", "phone", "digital_centre"],
    )  # fmt: skip
    said = _say(birth, BIRTH_SAID, admin, today)
    services.create_finding(
        by=admin, consultation=birth,
        title="The chairman's certificate is asked for first, and takes long",
        contributions=[said[0].pk, said[2].pk, said[3].pk],
    )  # fmt: skip

    services.create_consultation(
        by=admin, title=ADVICE,
        question="Would you call a number for advice on a crop disease? What should it offer?",
        organisation=extension, service=services_by_name.get("Agricultural advice"),
        opens_on=today + datetime.timedelta(days=7), closes_on=today + datetime.timedelta(days=37),
        channels=["phone", "face_to_face", "online"],
    )  # fmt: skip
