"""The a2i profile (`manage.py seed_demo --profile a2i-2019 [--scale N]`): data whose
national funnel shows exactly the seed's reference figures for a2i in 2019 (DOMAIN.md) —
5,392 civil servants trained; 1,137 pilots, 555 completed and 582 ongoing; 57 replicated in
other subdistricts; 18 scaled up nationally, reaching over 18 million citizens; about USD 12
million of innovation budget (in BDT at 84.50 a dollar, 2019's rate) — and N times each at
`--scale N` (100: about 110,000 pilots, 540,000 people, a million journeys).

Written with bulk inserts in batches (Django's signals do not fire), then the derived
figures are counted once: the services' catalogue figures, the search index, the national
roll-ups. Deterministic (a seeded random generator); a database holding pilots, ideas or
people trained already is refused, since the figures must come out exact.

Journeys use the digital centres' measured effect as a believable change: 78% less time,
17% less cost, 17% fewer visits (DOMAIN.md).
"""

from __future__ import annotations

import datetime
import random
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from itertools import islice
from typing import Any, TypeVar

from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.utils import timezone

from innohub.accounts.models import User
from innohub.geo.models import Area, Level
from innohub.orgs.models import Kind, Organisation
from innohub.pipeline import search
from innohub.pipeline.models import (
    Idea,
    Measurement,
    Pilot,
    Reach,
    ScaleUp,
    SearchEntry,
    Status,
)
from innohub.services import totals
from innohub.services.models import Journey, JourneyStatus, JourneyStep, Method, Service
from innohub.training.models import Cohort, Participant, Programme, Trained

T = TypeVar("T", bound=models.Model)
R = TypeVar("R")

PROFILE = "a2i-2019"
TRAINED = 5_392
PILOTS = 1_137
COMPLETED = 555
ONGOING = 582
REPLICATED = 57
SCALED = 18
REACHED_EACH = 1_050_000  # 18 x 1,050,000 = 18,900,000 citizens: "over 18 million"
BUDGET_BDT = Decimal("1014000000.00")  # USD 12,000,000 x 84.50 BDT
IDEAS = 2_000
SERVICE_JOURNEYS = 1_600  # journeys of services not (yet) measured by a pilot, per 1x
PHASE_JOURNEYS = 5
COHORT_SIZE = 25
BATCH = 5_000
# A hash nobody's password matches: profile people do not sign in.
NO_PASSWORD = "!a2i-profile"

MINISTRIES = [
    ("Ministry of Public Administration", "জনপ্রশাসন মন্ত্রণালয়"),
    ("Cabinet Division", "মন্ত্রিপরিষদ বিভাগ"),
    ("ICT Division", "তথ্য ও যোগাযোগ প্রযুক্তি বিভাগ"),
    ("Ministry of Land", "ভূমি মন্ত্রণালয়"),
    ("Health Services Division", "স্বাস্থ্য সেবা বিভাগ"),
    ("Medical Education and Family Welfare Division", "স্বাস্থ্য শিক্ষা ও পরিবার কল্যাণ বিভাগ"),
    ("Secondary and Higher Education Division", "মাধ্যমিক ও উচ্চ শিক্ষা বিভাগ"),
    ("Technical and Madrasah Education Division", "কারিগরি ও মাদ্রাসা শিক্ষা বিভাগ"),
    ("Ministry of Primary and Mass Education", "প্রাথমিক ও গণশিক্ষা মন্ত্রণালয়"),
    ("Ministry of Agriculture", "কৃষি মন্ত্রণালয়"),
    ("Ministry of Fisheries and Livestock", "মৎস্য ও প্রাণিসম্পদ মন্ত্রণালয়"),
    ("Ministry of Food", "খাদ্য মন্ত্রণালয়"),
    ("Ministry of Disaster Management and Relief", "দুর্যোগ ব্যবস্থাপনা ও ত্রাণ মন্ত্রণালয়"),
    ("Local Government Division", "স্থানীয় সরকার বিভাগ"),
    ("Rural Development and Co-operatives Division", "পল্লী উন্নয়ন ও সমবায় বিভাগ"),
    ("Public Security Division", "জননিরাপত্তা বিভাগ"),
    ("Security Services Division", "সুরক্ষা সেবা বিভাগ"),
    ("Law and Justice Division", "আইন ও বিচার বিভাগ"),
    ("Finance Division", "অর্থ বিভাগ"),
    ("Internal Resources Division", "অভ্যন্তরীণ সম্পদ বিভাগ"),
    ("Financial Institutions Division", "আর্থিক প্রতিষ্ঠান বিভাগ"),
    ("Economic Relations Division", "অর্থনৈতিক সম্পর্ক বিভাগ"),
    ("Planning Division", "পরিকল্পনা বিভাগ"),
    ("Ministry of Commerce", "বাণিজ্য মন্ত্রণালয়"),
    ("Ministry of Industries", "শিল্প মন্ত্রণালয়"),
    ("Ministry of Labour and Employment", "শ্রম ও কর্মসংস্থান মন্ত্রণালয়"),
    ("Ministry of Expatriates' Welfare and Overseas Employment", "প্রবাসী কল্যাণ ও বৈদেশিক কর্মসংস্থান মন্ত্রণালয়"),
    ("Ministry of Women and Children Affairs", "মহিলা ও শিশু বিষয়ক মন্ত্রণালয়"),
    ("Ministry of Social Welfare", "সমাজকল্যাণ মন্ত্রণালয়"),
    ("Ministry of Youth and Sports", "যুব ও ক্রীড়া মন্ত্রণালয়"),
    ("Ministry of Cultural Affairs", "সংস্কৃতি বিষয়ক মন্ত্রণালয়"),
    ("Ministry of Religious Affairs", "ধর্ম বিষয়ক মন্ত্রণালয়"),
    ("Ministry of Information and Broadcasting", "তথ্য ও সম্প্রচার মন্ত্রণালয়"),
    ("Posts and Telecommunications Division", "ডাক ও টেলিযোগাযোগ বিভাগ"),
    ("Road Transport and Highways Division", "সড়ক পরিবহন ও মহাসড়ক বিভাগ"),
    ("Bridges Division", "সেতু বিভাগ"),
    ("Ministry of Railways", "রেলপথ মন্ত্রণালয়"),
    ("Ministry of Shipping", "নৌপরিবহন মন্ত্রণালয়"),
    ("Ministry of Civil Aviation and Tourism", "বেসামরিক বিমান পরিবহন ও পর্যটন মন্ত্রণালয়"),
    ("Power Division", "বিদ্যুৎ বিভাগ"),
    ("Energy and Mineral Resources Division", "জ্বালানি ও খনিজ সম্পদ বিভাগ"),
    ("Ministry of Water Resources", "পানিসম্পদ মন্ত্রণালয়"),
    ("Ministry of Environment, Forest and Climate Change", "পরিবেশ, বন ও জলবায়ু পরিবর্তন মন্ত্রণালয়"),
    ("Ministry of Housing and Public Works", "গৃহায়ন ও গণপূর্ত মন্ত্রণালয়"),
    ("Ministry of Textiles and Jute", "বস্ত্র ও পাট মন্ত্রণালয়"),
    ("Ministry of Science and Technology", "বিজ্ঞান ও প্রযুক্তি মন্ত্রণালয়"),
    ("Ministry of Foreign Affairs", "পররাষ্ট্র মন্ত্রণালয়"),
    ("Ministry of Defence", "প্রতিরক্ষা মন্ত্রণালয়"),
    ("Ministry of Liberation War Affairs", "মুক্তিযুদ্ধ বিষয়ক মন্ত্রণালয়"),
    ("Ministry of Chittagong Hill Tracts Affairs", "পার্বত্য চট্টগ্রাম বিষয়ক মন্ত্রণালয়"),
    ("Legislative and Parliamentary Affairs Division", "লেজিসলেটিভ ও সংসদ বিষয়ক বিভাগ"),
    ("Prime Minister's Office", "প্রধানমন্ত্রীর কার্যালয়"),
]  # fmt: skip
DIVISIONS = ["Barishal", "Chattogram", "Dhaka", "Khulna", "Mymensingh", "Rajshahi", "Rangpur", "Sylhet"]  # fmt: skip
SERVICE_KINDS = ["certificate", "licence", "allowance", "registration"]
CHANGES = ["one-stop desk", "online application", "SMS updates", "union digital centre",
           "hotline", "mobile payment"]  # fmt: skip


class ProfileRefused(Exception):
    """The database is not empty of what the profile counts."""


@dataclass
class Place:
    ministries: list[Organisation]
    offices: list[tuple[Organisation, list[Area]]]  # an office and the subdistricts it serves
    services: list[Service]


def _batches(rows: Iterable[R], size: int = BATCH) -> Iterator[list[R]]:
    iterator = iter(rows)
    while batch := list(islice(iterator, size)):
        yield batch


def _bulk(model: type[T], rows: Iterable[T]) -> list[T]:
    made: list[T] = []
    for batch in _batches(rows):
        with transaction.atomic():
            made.extend(model._default_manager.bulk_create(batch))
    return made


def _shift(day: datetime.date | None, days: int) -> datetime.date:
    assert day is not None
    return day + datetime.timedelta(days=days)


def _day(rng: random.Random, start: datetime.date, end: datetime.date) -> datetime.date:
    return start + datetime.timedelta(days=rng.randint(0, (end - start).days))


def _shares(total: Decimal, count: int) -> list[Decimal]:
    """`total` in cents split over `count` as evenly as cents allow, summing exactly."""
    cents = int(total * 100)
    each, left = divmod(cents, count)
    return [Decimal(each + (1 if index < left else 0)) / 100 for index in range(count)]


def refuse_if_not_empty() -> None:
    for model in (Pilot, Idea, Trained):
        if model.objects.exists():
            raise ProfileRefused(
                f"The {PROFILE} profile needs a database without pilots, ideas or people "
                f"trained (it must show exactly its figures): {model._meta.verbose_name_plural} "
                "are there already. Use a new database (DATABASE_URL) or remove var/innohub.sqlite3."
            )


def build(*, scale: int = 1, log: Callable[[str], None] = print) -> dict[str, Any]:
    """Build the profile at `scale`; what was made, with the seconds it took."""
    if scale < 1:
        raise ValueError("The scale is a whole number, 1 or more.")
    refuse_if_not_empty()
    rng = random.Random(2019)
    started = time.perf_counter()
    shown = log
    log = lambda text: shown(f"{text} [{time.perf_counter() - started:.1f} s]")  # noqa: E731
    place = _place(log)
    people = _people(scale, log)
    _training(rng, scale, people, place, log)
    ideas = _ideas(rng, scale, people, place, log)
    pilots = _pilots(rng, scale, people, ideas, place, log)
    journeys = _journeys(rng, scale, pilots, place, log)
    _derived(place, log)
    return {"scale": scale, "people": len(people), "pilots": len(pilots), "journeys": journeys,
            "seconds": round(time.perf_counter() - started, 1)}  # fmt: skip


# --- Places --------------------------------------------------------------------------------


def _area(code: str, name: str, level: str, parent: Area | None) -> Area:
    area, _ = Area.objects.get_or_create(
        code=code, defaults={"name": name, "level": level, "parent": parent}
    )
    return area


def _place(log: Callable[[str], None]) -> Place:
    country = _area("BD", "Bangladesh", Level.COUNTRY, None)
    districts: list[tuple[Area, list[Area]]] = []
    for d_index, division_name in enumerate(DIVISIONS):
        division = _area(f"BD-{chr(65 + d_index)}", division_name, Level.DIVISION, country)
        for n in range(8):
            number = d_index * 8 + n + 1
            district = _area(f"BD-{number:02d}", f"{division_name} district {n + 1}", Level.DISTRICT, division)  # fmt: skip
            subdistricts = [
                _area(
                    f"BD-{number:02d}-{s + 1:02d}",
                    f"{district.name}, upazila {s + 1}",
                    Level.SUBDISTRICT,
                    district,
                )
                for s in range(8)
            ]
            districts.append((district, subdistricts))
    ministries, offices, services = [], [], []
    for m_index, (name, local) in enumerate(MINISTRIES):
        ministry, _ = Organisation.objects.get_or_create(
            name=name, kind=Kind.MINISTRY, defaults={"name_local": local, "area": country}
        )
        ministries.append(ministry)
        for o in range(8):  # one office in a district of each division
            district, subdistricts = districts[(o * 8 + m_index) % len(districts)]
            office, _ = Organisation.objects.get_or_create(
                name=f"{name}, {district.name} office",
                kind=Kind.OFFICE,
                defaults={"parent": ministry, "area": district},
            )
            offices.append((office, subdistricts))
        for kind in SERVICE_KINDS[: 2 + m_index % 3]:
            service, _ = Service.objects.get_or_create(
                name=f"{name}: {kind}",
                organisation=ministry,
                defaults={"annual_volume": 20_000 + 7_919 * m_index % 180_000},
            )
            services.append(service)
    log(f"  places: {len(districts)} districts, {len(ministries)} ministries, "
        f"{len(offices)} offices, {len(services)} services")  # fmt: skip
    return Place(ministries, offices, services)


# --- People and training ---------------------------------------------------------------------


def _people(scale: int, log: Callable[[str], None]) -> list[int]:
    start = User.objects.count()
    _bulk(
        User,
        (
            User(username=f"a2i-{start + n:07d}", password=NO_PASSWORD, first_name="Officer",
                 last_name=f"{start + n:07d}")
            for n in range(TRAINED * scale)
        ),
    )  # fmt: skip
    ids = list(
        User.objects.filter(username__startswith="a2i-").order_by("pk").values_list("pk", flat=True)
    )
    log(f"  people: {len(ids):,}")
    return ids


def _training(
    rng: random.Random, scale: int, people: Sequence[int], place: Place, log: Callable[[str], None]
) -> None:
    programme = (
        Programme.objects.filter(key="empathy").first() or Programme.objects.order_by("pk").first()
    )
    if programme is None:
        raise ProfileRefused("No training programme: run `manage.py migrate` first.")
    count = -(-len(people) // COHORT_SIZE)
    cohorts = []
    for n in range(count):
        starts = _day(rng, datetime.date(2014, 1, 1), datetime.date(2019, 11, 30))
        cohorts.append(
            Cohort(
                programme=programme, title=f"Empathy training, batch {n + 1}",
                starts_on=starts, ends_on=starts + datetime.timedelta(days=4),
                capacity=COHORT_SIZE, closed_on=starts + datetime.timedelta(days=5),
                selected_count=COHORT_SIZE, completed_count=COHORT_SIZE, by_id=people[0],
            )
        )  # fmt: skip
    made = _bulk(Cohort, cohorts)
    stamp = connection.ops.adapt_datetimefield_value(timezone.now())
    participants: list[tuple] = []
    trained: list[tuple] = []
    for index, user_id in enumerate(people):
        cohort = made[index // COHORT_SIZE]
        office, subdistricts = place.offices[(index * 7) % len(place.offices)]
        participants.append((stamp, stamp, cohort.pk, user_id, "", 5, True))
        trained.append(
            (
                user_id,
                cohort.pk,
                cohort.closed_on,
                office.pk,
                subdistricts[index % len(subdistricts)].pk,
            )
        )
    for batch in _batches(participants):
        with transaction.atomic():
            _insert(Participant, ("created", "modified", "cohort_id", "user_id", "track", "attended", "completed"), batch)  # fmt: skip
    for rows in _batches(trained):
        with transaction.atomic():
            _insert(Trained, ("user_id", "cohort_id", "on", "organisation_id", "area_id"), rows)
    last = len(people) - (count - 1) * COHORT_SIZE
    Cohort.objects.filter(pk=made[-1].pk).update(selected_count=last, completed_count=last)
    log(f"  training: {len(made):,} cohorts, {len(trained):,} people trained")


# --- Ideas and pilots ----------------------------------------------------------------------------


def _ideas(
    rng: random.Random, scale: int, people: Sequence[int], place: Place, log: Callable[[str], None]
) -> list[Idea]:
    rows = []
    for n in range(IDEAS * scale):
        office, subdistricts = place.offices[n % len(place.offices)]
        service = place.services[n % len(place.services)]
        change = CHANGES[n % len(CHANGES)]
        rows.append(
            Idea(
                title=f"{change.capitalize()} for {service.name.split(': ')[-1]} ({n + 1})",
                problem=f"Citizens travel to the office several times to get a {service.name.split(': ')[-1]}; "
                        f"a {change} would save them the trips.",
                service=service, proposer_id=people[(n * 13) % len(people)],
                organisation=office, area=rng.choice(subdistricts),
            )
        )  # fmt: skip
    made = _bulk(Idea, rows)
    _bulk(
        SearchEntry,
        (SearchEntry(kind=search.IDEA, object_id=idea.pk, text=search.idea_words(idea)) for idea in made),
    )  # fmt: skip
    log(f"  ideas: {len(made):,}")
    return made


def _pilots(
    rng: random.Random,
    scale: int,
    people: Sequence[int],
    ideas: Sequence[Idea],
    place: Place,
    log: Callable[[str], None],
) -> list[Pilot]:
    """Originals first (the completed, then the ongoing), then one replication of each of
    the first REPLICATED x scale completed ones, ongoing in another subdistrict."""
    total, replications = PILOTS * scale, REPLICATED * scale
    completed, ongoing = COMPLETED * scale, ONGOING * scale
    budgets = _shares(BUDGET_BDT * scale, total)
    originals: list[Pilot] = []
    for n in range(total - replications):
        done = n < completed
        idea = ideas[n]
        starts = _day(rng, datetime.date(2015, 1, 1), datetime.date(2018, 12, 31))
        budget = budgets[n]
        originals.append(
            Pilot(
                title=idea.title, idea=idea, service=idea.service, area=idea.area,
                organisation=idea.organisation or place.offices[0][0], lead_id=people[(n * 31) % len(people)],
                status=Status.COMPLETED if done else Status.ONGOING, budget=budget,
                spent=(budget * Decimal("0.9")).quantize(Decimal("0.01")) if done
                else (budget * Decimal("0.4")).quantize(Decimal("0.01")),
                currency="BDT", annual_volume=rng.randint(2_000, 60_000), started_on=starts,
                ended_on=starts + datetime.timedelta(days=rng.randint(120, 330)) if done else None,
            )
        )  # fmt: skip
    made = _bulk(Pilot, originals)
    copies = []
    for n in range(replications):
        original = made[n]  # completed ones
        office, subdistricts = place.offices[(n * 11 + 5) % len(place.offices)]
        starts = _shift(original.ended_on, 30)
        budget = budgets[len(made) + n]
        copies.append(
            Pilot(
                title=f"{original.title} (replication)", idea_id=original.idea_id,
                service_id=original.service_id, area=subdistricts[n % len(subdistricts)],
                organisation=office, lead_id=people[(n * 37 + 3) % len(people)],
                status=Status.ONGOING, budget=budget,
                spent=(budget * Decimal("0.4")).quantize(Decimal("0.01")), currency="BDT",
                annual_volume=original.annual_volume, started_on=starts, replicates=original,
            )
        )  # fmt: skip
    made += _bulk(Pilot, copies)
    assert sum(1 for p in made if p.status == Status.ONGOING) == ongoing
    scaled = made[replications : replications + SCALED * scale]  # completed, not replicated
    decider = people[0]
    ups = _bulk(
        ScaleUp,
        (ScaleUp(pilot=pilot, decided_on=_shift(pilot.ended_on, 60), by_id=decider)
         for pilot in scaled),
    )  # fmt: skip
    _bulk(
        Reach,
        (Reach(scale_up=up, on=datetime.date(2019, 12, 31), citizens_reached=REACHED_EACH, by_id=decider)
         for up in ups),
    )  # fmt: skip
    Pilot.objects.filter(pk__in=[pilot.pk for pilot in scaled]).update(
        citizens_reached=REACHED_EACH
    )
    _bulk(
        SearchEntry,
        (SearchEntry(kind=search.PILOT, object_id=p.pk, text=search.pilot_words(p)) for p in made),
    )  # fmt: skip
    log(f"  pilots: {len(made):,} ({completed:,} completed, {ongoing:,} ongoing, "
        f"{replications:,} replications, {len(ups):,} scaled up)")  # fmt: skip
    return made


# --- Journeys ----------------------------------------------------------------------------------

EFFECT = {"days": Decimal("0.22"), "cost": Decimal("0.83"), "visits": Decimal("0.83")}


def _burden(rng: random.Random, after: bool) -> tuple[Decimal, Decimal, Decimal, int]:
    days = Decimal(rng.randint(300, 4_500)) / 100
    hours = Decimal(rng.randint(200, 1_600)) / 100
    cost = Decimal(rng.randint(20_000, 250_000)) / 100
    visits = rng.randint(2, 7)
    if after:
        days = (days * EFFECT["days"]).quantize(Decimal("0.01"))
        hours = (hours * EFFECT["days"]).quantize(Decimal("0.01"))
        cost = (cost * EFFECT["cost"]).quantize(Decimal("0.01"))
        visits = max(1, round(visits * EFFECT["visits"]))
    return days, hours, cost, visits


def _next_id(model: type[models.Model]) -> int:
    return (model._default_manager.aggregate(top=models.Max("pk"))["top"] or 0) + 1


def _insert(model: type[models.Model], columns: Sequence[str], rows: list[tuple]) -> None:
    """Rows straight to SQL (`executemany`), past the ORM's per-object work: a million
    journeys with their steps and measurements in a minute, not ten. The values are those
    the database takes (Decimals, dates and the `created` stamp already adapted)."""
    if not rows:
        return
    quote = connection.ops.quote_name
    # The model's own table and columns, quoted; the values are parameters.
    sql = (
        f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(quote(c) for c in columns)}) "  # noqa: S608
        f"VALUES ({', '.join(['%s'] * len(columns))})"
    )
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


JOURNEY_COLUMNS = (
    "id", "created", "modified", "service_id", "area_id", "observer_id", "ref", "observed_on",
    "method", "status", "notes", "tcv_days", "tcv_hours", "tcv_cost", "tcv_visits",
    "tcv_documents",
)  # fmt: skip
STEP_COLUMNS = (
    "journey_id", "position", "title", "office", "actor", "documents", "elapsed_days",
    "citizen_hours", "fees", "travel_cost", "other_cost", "visits",
)  # fmt: skip
MEASUREMENT_COLUMNS = ("pilot_id", "journey_id", "phase", "created")


def _planned(
    rng: random.Random, scale: int, pilots: Sequence[Pilot], place: Place
) -> Iterator[tuple[int | None, str, int, int, datetime.date, bool]]:
    """(pilot, phase, service, area, day, after) of each journey, one at a time."""
    for pilot in pilots:
        phases = ["baseline", "after"] if pilot.status == Status.COMPLETED else ["baseline"]
        for phase in phases:
            for n in range(PHASE_JOURNEYS):
                after = phase == "after"
                day = _shift(pilot.ended_on if after else pilot.started_on, -10 - n)
                yield pilot.pk, phase, pilot.service_id, pilot.area_id, day, after
    for n in range(SERVICE_JOURNEYS * scale):
        service = place.services[n % len(place.services)]
        _office, subdistricts = place.offices[n % len(place.offices)]
        day = _day(rng, datetime.date(2017, 1, 1), datetime.date(2019, 12, 31))
        yield None, "", service.pk, subdistricts[n % len(subdistricts)].pk, day, False


def _journeys(
    rng: random.Random,
    scale: int,
    pilots: Sequence[Pilot],
    place: Place,
    log: Callable[[str], None],
) -> int:
    """Per pilot 5 baseline journeys (and 5 after, once completed), one step each; then
    journeys of the services themselves, unmeasured. Written a batch at a time."""
    observer = (
        User.objects.filter(username__startswith="a2i-")
        .order_by("pk")
        .values_list("pk", flat=True)
        .first()
    )
    stamp = connection.ops.adapt_datetimefield_value(timezone.now())
    next_id = _next_id(Journey)
    count = 0
    for batch in _batches(_planned(rng, scale, pilots, place)):
        journeys, steps, measured = [], [], []
        for pilot_id, phase, service_id, area_id, day, after in batch:
            days, hours, cost, visits = _burden(rng, after)
            journeys.append(
                (next_id, stamp, stamp, service_id, area_id, observer, "", day,
                 Method.SECRET_SHOPPER.value, JourneyStatus.FINAL.value, "", days, hours, cost,
                 visits, 2)
            )  # fmt: skip
            steps.append((next_id, 0, "Apply and collect", "Upazila office", "", 2, days, hours,
                          cost, Decimal(0), Decimal(0), visits))  # fmt: skip
            if pilot_id is not None:
                measured.append((pilot_id, next_id, phase, stamp))
            next_id += 1
        with transaction.atomic():
            _insert(Journey, JOURNEY_COLUMNS, journeys)
            _insert(JourneyStep, STEP_COLUMNS, steps)
            _insert(Measurement, MEASUREMENT_COLUMNS, measured)
        count += len(batch)
    if connection.vendor == "postgresql":  # ids were given: move the sequences past them
        with connection.cursor() as cursor:
            for statement in connection.ops.sequence_reset_sql(
                no_style(), [Journey, JourneyStep, Measurement]
            ):
                cursor.execute(statement)
    log(f"  journeys: {count:,} (one step each)")
    return count


# --- Derived figures ----------------------------------------------------------------------------


def _derived(place: Place, log: Callable[[str], None]) -> None:
    from innohub.insights import rollups

    with transaction.atomic():
        totals.bump(*(service.pk for service in place.services))
    search.recount()
    pairs = rollups.rebuild()
    log(f"  derived: services' figures, the search index, {pairs:,} roll-up pairs")
