"""Benchmark: the pilot list and page with 110,000 pilots, and similar ideas over 100,000
ideas in Bangla, English and French, on SQLite and PostgreSQL.

    make bench-pipeline                    # SQLite, and PostgreSQL when one answers
    .venv/bin/python bench/pipeline_scale.py [--pilots 110000] [--ideas 100000] [--requests 60]
        [--postgres postgres://postgres@127.0.0.1:5432/innohub_bench_pipeline]  # "" for SQLite

Fills each database once (kept for the next run): `--ideas` ideas whose words are drawn from
three vocabularies (a real head and a made-up tail of 6,000 words, drawn by Zipf's law, so a
few words are in most ideas and most words in few), indexed for search as the product does, and `--pilots` pilots of them in every stage over 48
districts; one pilot has 14 baseline and 14 after journeys. Then starts gunicorn with two
workers (bench/bench_settings.py: the product plus the 2-byte signed-in floor view) and asks
each page `--requests` times, one after another, signed in: median and p95 in milliseconds, and
p95 against the floor's p95. The similar-ideas rows send a different text each time, drawn
like the ideas (5 to 25 words; a third in Bangla).
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import random
import signal
import statistics
import sys
import time
import urllib.parse
import urllib.request
from datetime import date, timedelta
from pathlib import Path

import serving
from services_scale import _free_port, _server

ROOT = Path(__file__).resolve().parents[1]
VAR = ROOT / "var"
SQLITE_URL = f"sqlite:///{VAR / 'bench-pipeline.sqlite3'}"
DEFAULT_POSTGRES = "postgres://postgres@127.0.0.1:5432/innohub_bench_pipeline"
DISTRICTS = 48
BATCH = 5_000
REPLICATION_JOURNEYS = 200_000
PROPOSALS = 20_000
REPLICATED = "Bench replicated pilot"


def _words(text: str) -> list[str]:
    return text.split()


ENGLISH = _words("""citizen certificate birth registration land record mutation office visit queue
wait day week month fee payment broker file form document copy stamp signature officer clerk
union council upazila district pension teacher school hospital patient doctor medicine farmer
crop seed fertiliser disease advice licence trade shop market road water electricity bill
connection meter complaint hearing court case police report passport identity card mobile
phone online portal digital centre service delivery time cost travel distance bus boat rain
flood relief allowance widow elderly disabled student scholarship exam result admission tax
receipt survey map plot boundary dispute inheritance deed sale purchase notary verification
appointment token counter window desk register ledger approval sanction letter notice""")
BANGLA = _words("""নাগরিক সনদ জন্ম নিবন্ধন ভূমি রেকর্ড নামজারি অফিস যাতায়াত লাইন অপেক্ষা দিন সপ্তাহ মাস
ফি পরিশোধ দালাল ফাইল ফরম কাগজ কপি সিল স্বাক্ষর কর্মকর্তা কেরানি ইউনিয়ন পরিষদ উপজেলা জেলা পেনশন
শিক্ষক স্কুল হাসপাতাল রোগী ডাক্তার ওষুধ কৃষক ফসল বীজ সার রোগ পরামর্শ লাইসেন্স ব্যবসা দোকান বাজার
রাস্তা পানি বিদ্যুৎ বিল সংযোগ মিটার অভিযোগ শুনানি আদালত মামলা পুলিশ পাসপোর্ট পরিচয়পত্র মোবাইল ফোন
অনলাইন ডিজিটাল সেন্টার সেবা সময় খরচ দূরত্ব বাস নৌকা বৃষ্টি বন্যা ত্রাণ ভাতা বিধবা বয়স্ক প্রতিবন্ধী
ছাত্র বৃত্তি পরীক্ষা ফলাফল ভর্তি কর রসিদ জরিপ নকশা দাগ সীমানা বিরোধ উত্তরাধিকার দলিল বিক্রয়""")
FRENCH = _words("""citoyen certificat naissance enregistrement terre registre mutation bureau visite file
attente jour semaine mois frais paiement intermédiaire dossier formulaire document copie tampon
signature agent commune district pension enseignant école hôpital patient médecin agriculteur
récolte semence maladie conseil licence commerce boutique marché route eau électricité facture
raccordement compteur plainte audience tribunal police passeport identité carte téléphone
portail numérique centre service délai coût trajet distance autobus pluie inondation aide
allocation veuve personne âgée handicapé étudiant bourse examen résultat impôt reçu""")

# Real writing has tens of thousands of words: Zipf's law over a long tail. Each vocabulary is
# its real words (the head, most frequent) and then made-up words of the same script.
SYLLABLES = {
    "en": _words("ka to ri mo sen lar pen dus vi tor ga bel mun shi ra lo"),
    "bn": _words("ক কা কি খ গা ঘো চ জা টি ড তা থি দে ধ না প ফু বা ভি ম র লা শ সি হ"),
    "fr": _words("ré ma pon tai lu cho vé bri sa non gé col dé fu mi rat"),
}
TAIL = 6_000


def _vocabulary(head: list[str], syllables: list[str], seed: int) -> list[str]:
    rng = random.Random(seed)
    made: list[str] = []
    seen = set(head)
    while len(made) < TAIL:
        word = "".join(rng.choice(syllables) for _ in range(rng.randint(2, 4)))
        if word not in seen:
            seen.add(word)
            made.append(word)
    return head + made


ZIPF: dict[int, list[float]] = {}
LANGUAGES = [
    (_vocabulary(ENGLISH, SYLLABLES["en"], 1), 6),
    (_vocabulary(BANGLA, SYLLABLES["bn"], 2), 3),
    (_vocabulary(FRENCH, SYLLABLES["fr"], 3), 1),
]
for _vocabulary_words, _share in LANGUAGES:
    ZIPF[len(_vocabulary_words)] = list(
        itertools.accumulate(1 / rank for rank in range(1, len(_vocabulary_words) + 1))
    )
STAGES = ["draft", "submitted", "approved", "ongoing", "completed", "discontinued"]


def _text(rng: random.Random, words: list[str], count: int) -> str:
    # Zipf's law: the word of rank r comes up 1/r as often as the first.
    return " ".join(rng.choices(words, cum_weights=ZIPF[len(words)], k=count))


def _language(rng: random.Random) -> list[str]:
    return rng.choices([words for words, _ in LANGUAGES], [w for _, w in LANGUAGES])[0]


# --- Filling (in the child process, one per database) ----------------------------------------


def fill(pilots: int, ideas: int) -> dict[str, object]:
    from django.core.management import call_command
    from django.db import connection, transaction

    from innohub.accounts.models import User
    from innohub.geo.models import Area, Level
    from innohub.orgs.models import Organisation
    from innohub.pipeline import search
    from innohub.pipeline.models import (
        FundingCall,
        Idea,
        Measurement,
        Pilot,
        Proposal,
        SearchEntry,
        SearchTerm,
    )
    from innohub.services import totals
    from innohub.services.models import Journey, JourneyStep, Service

    call_command("migrate", verbosity=0)
    country, _ = Area.objects.get_or_create(
        code="BP", defaults={"name": "Pilotland", "level": Level.COUNTRY}
    )
    districts = [
        Area.objects.get_or_create(
            code=f"BP-{n:02d}",
            defaults={"name": f"District {n}", "level": Level.DISTRICT, "parent": country},
        )[0]
        for n in range(DISTRICTS)
    ]
    ministry, _ = Organisation.objects.get_or_create(
        name="Bench pipeline ministry", kind="ministry", defaults={"area": country}
    )
    services = [
        Service.objects.get_or_create(name=f"Bench pipeline service {n}", organisation=ministry)[0]
        for n in range(5)
    ]
    user, _ = User.objects.get_or_create(username="bench-pipeline")
    people = [User.objects.get_or_create(username=f"bench-pipeline-{n}")[0] for n in range(200)]
    rng = random.Random(17)
    bench_pilots = Pilot.objects.exclude(title=REPLICATED)
    if Idea.objects.count() != ideas or bench_pilots.count() != pilots:
        started = time.perf_counter()
        with transaction.atomic():
            for model in (Proposal, FundingCall, Measurement, Pilot, Idea, SearchEntry):
                model.objects.all().delete()
        made = 0
        while made < ideas:
            rows = []
            for _ in range(min(BATCH, ideas - made)):
                words = _language(rng)
                rows.append(
                    Idea(
                        title=_text(rng, words, rng.randint(3, 8))[:200],
                        problem=_text(rng, words, rng.randint(12, 40)),
                        proposer=rng.choice(people),
                        service=rng.choice(services),
                        organisation=ministry,
                        area=rng.choice(districts),
                    )
                )
            with transaction.atomic():
                created = Idea.objects.bulk_create(rows)
                SearchEntry.objects.bulk_create(
                    SearchEntry(
                        kind=search.IDEA,
                        object_id=idea.pk,
                        text=" ".join(search.words(f"{idea.title} {idea.problem}")),
                    )
                    for idea in created
                )
            made += len(rows)
        idea_ids = list(Idea.objects.values_list("pk", flat=True))
        made = 0
        while made < pilots:
            rows = []
            for n in range(min(BATCH, pilots - made)):
                lead, mentor = rng.sample(people, 2)
                stage = STAGES[(made + n) % len(STAGES)]
                rows.append(
                    Pilot(
                        title=_text(rng, _language(rng), rng.randint(3, 8))[:200],
                        idea_id=rng.choice(idea_ids),
                        service=rng.choice(services),
                        area=rng.choice(districts),
                        organisation=ministry,
                        lead=lead,
                        mentor=mentor,
                        status=stage,
                        budget="100000.00",
                        annual_volume=rng.randint(100, 50_000),
                        started_on=date(2026, 1, 1) if stage not in STAGES[:3] else None,
                    )
                )
            with transaction.atomic():
                created_pilots = Pilot.objects.bulk_create(rows)
                SearchEntry.objects.bulk_create(
                    SearchEntry(
                        kind=search.PILOT,
                        object_id=pilot.pk,
                        text=" ".join(search.words(pilot.title)),
                    )
                    for pilot in created_pilots
                )
            made += len(rows)
        # One pilot measured: 14 journeys a phase, one step each.
        measured = Pilot.objects.filter(status="ongoing").order_by("pk").first()
        assert measured is not None
        journeys = Journey.objects.bulk_create(
            Journey(
                service=measured.service,
                area=measured.area,
                observer=user,
                observed_on=date(2026, 1, 1) + timedelta(days=(-30 if n < 14 else 30) + n),
                method="secret_shopper",
            )
            for n in range(28)
        )
        JourneyStep.objects.bulk_create(
            JourneyStep(
                journey=journey,
                position=0,
                title="Apply",
                elapsed_days=rng.randint(20, 40) if n < 14 else rng.randint(5, 15),
                citizen_hours=rng.randint(5, 15),
                fees=100,
                travel_cost=rng.randint(100, 600),
                visits=rng.randint(2, 5) if n < 14 else rng.randint(1, 2),
            )
            for n, journey in enumerate(journeys)
        )
        totals.repair(journey.pk for journey in journeys)
        Measurement.objects.bulk_create(
            Measurement(pilot=measured, journey=journey, phase="baseline" if n < 14 else "after")
            for n, journey in enumerate(journeys)
        )
        print(
            f"  filled: {ideas:,} ideas, {pilots:,} pilots in {time.perf_counter() - started:.0f} s"
        )
    if not SearchTerm.objects.exists():  # filled before words were counted
        search.recount()
    measured = Pilot.objects.filter(measurements__isnull=False).distinct().get()
    fund = fill_fund(rng, districts, ministry, user, people)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    return {
        "pilots": Pilot.objects.exclude(title=REPLICATED).count(),
        "ideas": Idea.objects.count(),
        "measured": measured.pk,
        "district": districts[3].code,
        **fund,
    }


def fill_fund(rng: random.Random, districts: list, ministry, user, people: list) -> dict:
    """Pipeline II at scale, added once to the database: a completed pilot whose service has
    REPLICATION_JOURNEYS final journeys, counting for no pilot, over every district (its
    replication candidates), and a funding call with PROPOSALS reviewed proposals."""
    from decimal import Decimal

    from django.db import transaction

    from innohub.pipeline.models import FundingCall, Idea, Pilot, Proposal
    from innohub.services.models import Journey, Service

    service, _ = Service.objects.get_or_create(
        name="Bench replication service", organisation=ministry
    )
    original = Pilot.objects.filter(service=service, status="completed").first()
    if original is None:
        idea = Idea.objects.order_by("pk").first()
        original = Pilot.objects.create(
            title=REPLICATED, idea=idea, service=service, area=districts[0],
            organisation_id=service.organisation_id, lead=people[0], mentor=people[1],
            status="completed", budget="100000.00",
        )  # fmt: skip
    made = Journey.objects.filter(service=service).count()
    if made < REPLICATION_JOURNEYS:
        started = time.perf_counter()
        while made < REPLICATION_JOURNEYS:
            rows = [
                Journey(
                    service=service,
                    area=rng.choice(districts),
                    observer=user,
                    observed_on=date(2026, 1, 1) - timedelta(days=rng.randint(0, 700)),
                    method="secret_shopper",
                    status="final",
                    tcv_days=Decimal(rng.randint(100, 6000)) / 100,
                    tcv_hours=Decimal(rng.randint(100, 2000)) / 100,
                    tcv_cost=Decimal(rng.randint(10000, 900000)) / 100,
                    tcv_visits=rng.randint(1, 9),
                )
                for _ in range(min(BATCH, REPLICATION_JOURNEYS - made))
            ]
            with transaction.atomic():
                Journey.objects.bulk_create(rows)
            made += len(rows)
        print(f"  filled: {made:,} journeys to compare in {time.perf_counter() - started:.0f} s")
    call = FundingCall.objects.filter(title="Bench call").first()
    if call is None:
        started = time.perf_counter()
        call = FundingCall.objects.create(
            title="Bench call", organisation_id=service.organisation_id, budget="900000000.00",
            opens_on=date(2026, 1, 1), closes_on=date(2026, 12, 31), by=user,
            proposals_count=PROPOSALS,
        )  # fmt: skip
        idea_ids = list(Idea.objects.order_by("pk").values_list("pk", flat=True)[:PROPOSALS])
        rows = []
        for idea_id in idea_ids:
            reviews = rng.randint(0, 4)
            total = sum(rng.randint(4, 20) for _ in range(reviews))
            mean = (Decimal(total) / (4 * reviews)).quantize(Decimal("0.01")) if reviews else None
            rows.append(
                Proposal(
                    call=call,
                    idea_id=idea_id,
                    requested=Decimal(rng.randint(1, 900)) * 1000,
                    summary="Bench proposal",
                    by=rng.choice(people),
                    reviews=reviews,
                    score_sum=total,
                    mean_score=mean,
                    rank_score=mean or 0,
                    spread=Decimal("0.50") if reviews else None,
                    status="in_review" if reviews else "submitted",
                )
            )
        for start in range(0, len(rows), BATCH):
            with transaction.atomic():
                Proposal.objects.bulk_create(rows[start : start + BATCH])
        print(f"  filled: {len(rows):,} proposals in {time.perf_counter() - started:.0f} s")
    return {"replicated": original.pk, "call": call.pk, "proposals": PROPOSALS,
            "journeys": REPLICATION_JOURNEYS}  # fmt: skip


# --- Measuring --------------------------------------------------------------------------------


def _p95(times: list[float]) -> float:
    return statistics.quantiles(times, n=20, method="inclusive")[18]


def measure(url: str, *, requests: int, data: dict[str, object]) -> dict[str, dict[str, float]]:
    from django.test import Client

    from innohub.accounts.models import ApiToken, User

    user = User.objects.get(username="bench-pipeline")
    client = Client()
    client.force_login(user)
    session = client.cookies["sessionid"].value
    ApiToken.objects.filter(user=user).delete()
    _, secret = ApiToken.issue(user=user)
    port = _free_port()
    server = _server(url, port)
    headers = {"Cookie": f"sessionid={session}", "Authorization": f"Bearer {secret}"}
    rng = random.Random(99)

    def timed(path_of) -> dict[str, float]:
        times = []
        for attempt in range(requests + 1):
            path = path_of()
            request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers=headers)
            started = time.perf_counter()
            with urllib.request.urlopen(request, timeout=300) as response:
                response.read()
                assert response.status == 200, (path, response.status)
            if attempt:  # the first warms the worker up
                times.append((time.perf_counter() - started) * 1000)
        return {"median": statistics.median(times), "p95": _p95(times)}

    def similar_text() -> str:
        text = _text(rng, _language(rng), rng.randint(5, 25))
        return urllib.parse.quote(text)

    measured, district = data["measured"], data["district"]
    replicated, call = data["replicated"], data["call"]
    pages = {
        "floor (2-byte signed-in view)": lambda: "/bench-floor/",
        "pilot list /pilots/": lambda: "/pilots/",
        "  ?status=ongoing&area=<district>": lambda: f"/pilots/?status=ongoing&area={district}",
        "  page 400": lambda: "/pilots/?page=400",
        "pilot page (28 journeys)": lambda: f"/pilots/{measured}/",
        "GET /pilots?page_size=50": lambda: "/api/v1/pilots?page_size=50",
        "GET /pilots/{id}": lambda: f"/api/v1/pilots/{measured}",
        "GET /pilots/{id}/impact": lambda: f"/api/v1/pilots/{measured}/impact",
        "idea list /ideas/": lambda: "/ideas/",
        "GET /ideas/similar (varied text)": lambda: f"/api/v1/ideas/similar?text={similar_text()}",
        "completed pilot page (candidates)": lambda: f"/pilots/{replicated}/",
        "GET /pilots/{id}/replication-candidates": lambda: (
            f"/api/v1/pilots/{replicated}/replication-candidates"
        ),
        "call page /fund/<id>/ (ranked)": lambda: f"/fund/{call}/",
        "GET /funding-calls/{id}/proposals": lambda: (
            f"/api/v1/funding-calls/{call}/proposals?page_size=50"
        ),
    }
    results: dict[str, dict[str, float]] = {}
    try:
        for name, path_of in pages.items():
            results[name] = timed(path_of)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    return results


def child(url: str, pilots: int, ideas: int, requests: int) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "innohub.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    data = fill(pilots, ideas)
    results = measure(url, requests=requests, data=data)
    print("RESULT " + json.dumps({"data": data, "results": results}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pilots", type=int, default=110_000)
    parser.add_argument("--ideas", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=60)
    parser.add_argument(
        "--postgres", default=os.environ.get("BENCH_PIPELINE_POSTGRES_URL", DEFAULT_POSTGRES)
    )
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.pilots, args.ideas, args.requests)
        return
    figures = serving.on_each_database(
        __file__,
        [
            "--pilots",
            str(args.pilots),
            "--ideas",
            str(args.ideas),
            "--requests",
            str(args.requests),
        ],
        sqlite_url=SQLITE_URL,
        postgres_url=args.postgres,
    )
    report(figures, requests=args.requests)


def report(figures: dict[str, dict], *, requests: int) -> None:
    first = next(iter(figures.values()))["data"]
    print(
        f"\n{requests} requests a row, one after another (ms), gunicorn with 2 workers; "
        f"{first['pilots']:,} pilots, {first['ideas']:,} ideas; {first['journeys']:,} journeys "
        f"to compare for replication candidates; a call of {first['proposals']:,} proposals."
    )
    head = f"{'':36}" + "".join(f" | {engine:^27}" for engine in figures)
    print(head)
    print(f"{'':36}" + f" | {'median':>8} {'p95':>8} {'x floor':>8}" * len(figures))
    for name in next(iter(figures.values()))["results"]:
        line = f"{name:36}"
        for data in figures.values():
            results = data["results"]
            floor = results["floor (2-byte signed-in view)"]["p95"]
            row = results[name]
            line += f" | {row['median']:8.1f} {row['p95']:8.1f} {row['p95'] / floor:7.1f}x"
        print(line)


if __name__ == "__main__":
    main()
