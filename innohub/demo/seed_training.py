"""Demo of training, made through training's own functions: two training institutes, a past
empathy training whose graduates are the proposers and leads of the demo's ideas and pilots,
a past Policy Lab in its service and policy tracks (hopes and fears grouped into themes, the
concepts the teams wrote, one of them already an idea), and a cohort taking applications now.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.utils import timezone

from innohub.accounts.models import User
from innohub.geo.models import Area
from innohub.orgs.models import Kind, Organisation, PartnerType
from innohub.services.models import Service
from innohub.training import attendance, cohorts, exercises, feedback, selection
from innohub.training.models import Cohort, Programme, Session

if TYPE_CHECKING:
    from .seed import Seeder

EMPATHY_PAST = "Empathy training, Dhaka, batch 12"
POLICY_LAB_PAST = "Fundamentals and Policy Lab, Chattogram"
EMPATHY_OPEN = "Empathy training, Rajshahi, batch 13"
# The empathy training ran before the demo's pilots began; the Policy Lab this year.
EMPATHY_START = datetime.date(2024, 11, 3)
POLICY_LAB_START = datetime.date(2026, 3, 8)

INSTITUTES = [
    ("BCS Administration Academy", "বিসিএস প্রশাসন একাডেমি", "BCSAA"),
    ("Bangladesh Public Administration Training Centre", "বাংলাদেশ লোক-প্রশাসন প্রশিক্ষণ কেন্দ্র", "BPATC"),
]  # fmt: skip
PARTNERS = [("University of Dhaka", "ঢাকা বিশ্ববিদ্যালয়", PartnerType.UNIVERSITY)]

HOPES_AND_FEARS = [
    ("hope", "Citizens get land records without a broker"),
    ("hope", "ভূমি অফিসে লাইন কমবে"),
    ("hope", "Fewer visits to the land office"),
    ("fear", "ভূমি অফিসের লাইন আর দালাল থেকেই যাবে"),
    ("hope", "Young people want to work in the public service"),
    ("fear", "Young graduates do not want public service jobs"),
    ("hope", "A plan the ministry keeps to for more than a year"),
    ("fear", "Every new secretary changes the strategic plan"),
    ("fear", "My supervisor will say it is not allowed"),
]
THEMES = [
    ("Digitalisation", (0, 1, 2, 3)),
    ("Employment in the public service", (4, 5)),
    ("Strategic planning", (6, 7)),
]
CONCEPTS = [
    (
        "service",
        "Land records at the union digital centre",
        "Land owners travel to the upazila three times for a record of rights.",
        "Land owners, most of them farmers",
        "Print certified records at the union digital centre from the national database.",
        "Ask the AC Land of one upazila to try it for a month.",
    ),
    (
        "policy",
        "Open recruitment days for young graduates",
        "Graduates see public service as closed and slow to hire.",
        "Young graduates; ministries short of skills",
        "Hold open days where offices show their work and take applications.",
        "Agree a first open day with one division.",
    ),
    (
        "policy",
        "A strategic plan that outlives its author",
        "Plans change with every secretary; staff stop believing in them.",
        "Staff of the ministry, and the citizens its programmes serve",
        "Publish the plan with yearly targets reviewed at the monthly coordination meeting.",
        "Draft the review template.",
    ),
]


def _user(username: str) -> User:
    return User.objects.get(username=username)


def _at(day: datetime.date, hour: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def seed_training(seeder: Seeder) -> None:
    if Cohort.objects.filter(title=EMPATHY_PAST).exists():
        return
    rng = seeder.rng
    country = Area.objects.get(code="BD")
    for name, local, short in INSTITUTES:
        Organisation.objects.get_or_create(
            name=name,
            defaults={
                "name_local": local,
                "short_name": short,
                "kind": Kind.INSTITUTE,
                "area": country,
            },
        )
    for name, local, partner_type in PARTNERS:
        Organisation.objects.get_or_create(
            name=name,
            defaults={
                "name_local": local,
                "kind": Kind.PARTNER,
                "partner_type": partner_type,
                "area": country,
            },
        )
    manager, trainer = _user("manager"), _user("trainer")
    _empathy_past(manager, trainer, [rng.random() for _ in range(40)])
    _policy_lab(manager, trainer)
    _empathy_open(manager, trainer)


def _sessions(
    manager: User, cohort: Cohort, start: datetime.date, days: int, track: str = ""
) -> list[Session]:
    made = []
    for day in range(days):
        on = start + datetime.timedelta(days=day)
        for hour, part in ((9, "morning"), (14, "afternoon")):
            made.append(
                cohorts.add_session(
                    by=manager,
                    cohort=cohort,
                    title=f"Day {day + 1}, {part}" + (f" ({track})" if track else ""),
                    starts_at=_at(on, hour),
                    ends_at=_at(on, hour + 3),
                    track=track,
                )
            )
    return made


def _empathy_past(manager: User, trainer: User, draws: list[float]) -> None:
    """24 officers, 10 sessions; the proposers and leads of the demo's ideas complete it."""
    programme = Programme.objects.get(key="empathy")
    cohort = cohorts.create_cohort(
        by=manager,
        programme=programme,
        title=EMPATHY_PAST,
        venue="BCS Administration Academy, Shahbag, Dhaka",
        institute=Organisation.objects.get(short_name="BCSAA", kind=Kind.INSTITUTE),
        starts_on=EMPATHY_START,
        ends_on=EMPATHY_START + datetime.timedelta(days=4),
        capacity=25,
        trainers=[trainer],
    )
    people = [
        _user("officer"),
        *User.objects.filter(username__startswith="cs").order_by("username")[:23],
    ]
    selection.enrol(by=manager, cohort=cohort, users=people)
    sessions = _sessions(manager, cohort, EMPATHY_START, 5)
    # The first eight (the ideas' people) attend everything; the others 6 to 10 sessions.
    attended = {
        person.pk: 10 if n < 8 else 6 + int(draws[n] * 5) for n, person in enumerate(people)
    }
    for number, session in enumerate(sessions):
        present = [person.pk for person in people if attended[person.pk] > number]
        attendance.take_attendance(by=trainer, session=session, present=present)
    services = list(Service.objects.order_by("name")[:4])
    for n, person in enumerate(people[:8]):
        exercises.assign(
            by=trainer, cohort=cohort, participant=person, service=services[n % len(services)]
        )
    attendance.close(by=manager, cohort=cohort, on=cohort.ends_on)
    for n, person in enumerate(people[:12]):
        feedback.give_feedback(
            by=person,
            cohort=cohort,
            overall=4 + (draws[n] > 0.4),
            relevance=3 + int(draws[n + 12] * 3),
            facilitation=4 + (draws[n + 24] > 0.3),
            recommend=draws[n] > 0.1,
            comment="The secret shopper day changed how I see my own office." if n == 0 else "",
        )


def _policy_lab(manager: User, trainer: User) -> None:
    """Three days of fundamentals for everyone, then two days in the service or policy track."""
    programme = Programme.objects.get(key="policy-lab")
    cohort = cohorts.create_cohort(
        by=manager,
        programme=programme,
        title=POLICY_LAB_PAST,
        venue="Divisional Commissioner's Office, Chattogram",
        institute=Organisation.objects.get(short_name="BPATC", kind=Kind.INSTITUTE),
        starts_on=POLICY_LAB_START,
        ends_on=POLICY_LAB_START + datetime.timedelta(days=4),
        capacity=16,
        trainers=[trainer],
    )
    people = list(User.objects.filter(username__startswith="cs").order_by("username")[23:35])
    selection.enrol(by=manager, cohort=cohort, users=people[:6], track="service")
    selection.enrol(by=manager, cohort=cohort, users=people[6:], track="policy")
    shared = _sessions(manager, cohort, POLICY_LAB_START, 3)
    lab_day = POLICY_LAB_START + datetime.timedelta(days=3)
    for session in [*shared]:
        attendance.take_attendance(by=trainer, session=session, present=[p.pk for p in people])
    for track, members in (("service", people[:6]), ("policy", people[6:])):
        for session in _sessions(manager, cohort, lab_day, 2, track=track):
            attendance.take_attendance(by=trainer, session=session, present=[p.pk for p in members])
    notes = [
        exercises.post_note(by=people[n % len(people)], cohort=cohort, kind=kind, text=text)
        for n, (kind, text) in enumerate(HOPES_AND_FEARS)
    ]
    for title, grouped in THEMES:
        exercises.create_theme(
            by=trainer, cohort=cohort, title=title, notes=[notes[n].pk for n in grouped]
        )
    for n, (track, title, problem, users, proposal, next_step) in enumerate(CONCEPTS):
        team = people[:6] if track == "service" else people[6:]
        concept = exercises.write_concept(
            by=team[0],
            cohort=cohort,
            track=track,
            title=title,
            problem=problem,
            users=users,
            proposal=proposal,
            next_step=next_step,
            team=team[1:4],
        )
        if n == 0:
            exercises.turn_into_idea(by=team[0], concept=concept)
    attendance.close(by=manager, cohort=cohort, on=cohort.ends_on)


def _empathy_open(manager: User, trainer: User) -> None:
    """A cohort starting in three weeks: applications in, a few already scored."""
    start = timezone.localdate() + datetime.timedelta(days=21)
    cohort = cohorts.create_cohort(
        by=manager,
        programme=Programme.objects.get(key="empathy"),
        title=EMPATHY_OPEN,
        venue="Divisional Commissioner's Office, Rajshahi",
        institute=Organisation.objects.get(short_name="BCSAA", kind=Kind.INSTITUTE),
        starts_on=start,
        ends_on=start + datetime.timedelta(days=4),
        capacity=20,
        trainers=[trainer],
    )
    _sessions(manager, cohort, start, 5)
    motivations = [
        "Farmers wait weeks for crop advice; I want to learn how to shorten that.",
        "ট্রেড লাইসেন্স নবায়নে দোকানদারদের পুরো দিন নষ্ট হয়, এটা বদলাতে চাই।",
        "Our office asks citizens for the same papers three times.",
        "I lead a union digital centre and want to bring more services to it.",
        "Pensioners travel to Dhaka for papers we could check locally.",
        "I want my team to see the service as the citizen does.",
    ]
    applicants = User.objects.filter(username__startswith="cs").order_by("username")[35:41]
    applications = [
        selection.apply(by=person, cohort=cohort, motivation=motivations[n])
        for n, person in enumerate(applicants)
    ]
    for n, application in enumerate(applications[:3]):
        selection.score(
            by=manager,
            application=application,
            scores={
                "entrepreneurial_drive": 5 - n,
                "eagerness": 4,
                "interpersonal_skills": 3 + n % 2,
            },
        )
