"""Benchmark: `POST /talent/plan` through the API, on a database holding 10,000 free agents
and 2,000 challenges (API.md: within 5 s), on SQLite and PostgreSQL.

    make bench-talent        # runs bench/talent_plan.py (the solver alone), then this
    .venv/bin/python bench/talent_service.py [--agents 10000] [--challenges 2000] [--requests 3]
        [--postgres postgres://postgres@127.0.0.1:5432/innohub_bench_talent]  # "" for SQLite

For each database: a new one, migrated; the synthetic service of bench/talent_plan.py written
into it (people, their skills, free agents, challenges and the skills they ask for); then the
plan asked for `--requests` times through the API with a programme manager's token, in
process (Django's test client: no network), each timed end to end, and once again split into
reading the rows (`planning.make_plan`'s queries) and solving. The floor is the solver alone
on the same rows, already in memory.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VAR = ROOT / "var"
DEFAULT_POSTGRES = "postgres://postgres@127.0.0.1:5432/innohub_bench_talent"


def _fresh(url: str) -> None:
    if url.startswith("sqlite"):
        path = Path(url.removeprefix("sqlite:///"))
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return
    name = url.rsplit("/", 1)[-1]
    admin = url.rsplit("/", 1)[0] + "/postgres"
    subprocess.run(
        ["psql", admin, "-qc", f"DROP DATABASE IF EXISTS {name}"], check=True, capture_output=True
    )
    subprocess.run(["psql", admin, "-qc", f"CREATE DATABASE {name}"], check=True)


def _answers(url: str) -> bool:
    admin = url.rsplit("/", 1)[0] + "/postgres"
    return subprocess.run(["psql", admin, "-qc", "SELECT 1"], capture_output=True).returncode == 0


def run(url: str, agents: int, challenges: int, requests: int) -> None:
    """In a process of its own: DATABASE_URL is read when Django starts."""
    _fresh(url)
    env = {**os.environ, "DATABASE_URL": url}
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    subprocess.run(
        [
            sys.executable,
            __file__,
            "--measure",
            url,
            "--agents",
            str(agents),
            "--challenges",
            str(challenges),
            "--requests",
            str(requests),
        ],
        env=env,
        check=True,
    )


def measure(url: str, agents: int, challenges: int, requests: int) -> None:
    sys.path.insert(0, str(ROOT))
    sys.path.insert(0, str(ROOT / "bench"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "innohub.settings")
    import django

    django.setup()
    import talent_plan
    from django.contrib.auth.models import Group
    from django.test import Client

    from innohub.accounts.models import ApiToken, Skill, SkillFamily, User, UserSkill
    from innohub.core.roles import PROGRAMME_MANAGER
    from innohub.geo.models import Area
    from innohub.orgs.models import Organisation
    from innohub.talent import plan, planning
    from innohub.talent.models import Challenge, ChallengeSkill, FreeAgent

    people, work = talent_plan.service(agents, challenges, seed=0)
    began = time.perf_counter()
    family = SkillFamily.objects.create(name="Bench")
    skills = Skill.objects.bulk_create(
        Skill(family=family, name=f"Skill {n}") for n in range(talent_plan.SKILLS)
    )
    skill_id = [skill.pk for skill in skills]
    country = Area.objects.create(code="BN", name="Benchland", level="country")
    host = Organisation.objects.create(name="Bench ministry", kind="ministry", area=country)
    users = User.objects.bulk_create(
        (User(username=f"agent{n}", password="!") for n in range(len(people))), batch_size=2_000
    )
    if users[0].pk is None:  # backends that do not return keys from a bulk insert
        users = list(User.objects.filter(username__startswith="agent").order_by("pk"))
    FreeAgent.objects.bulk_create(
        (
            FreeAgent(
                user=user, available_from=person.available_from, joined_on=person.available_from
            )
            for user, person in zip(users, people, strict=True)
        ),
        batch_size=2_000,
    )
    UserSkill.objects.bulk_create(
        (
            UserSkill(user=user, skill_id=skill_id[skill], level=level)
            for user, person in zip(users, people, strict=True)
            for skill, level in person.skills.items()
        ),
        batch_size=5_000,
    )
    manager = User.objects.create(username="bench-manager", password="!")
    manager.groups.add(Group.objects.get_or_create(name=PROGRAMME_MANAGER)[0])
    made = Challenge.objects.bulk_create(
        (
            Challenge(
                title=f"Challenge {c.id}",
                problem="-",
                organisation=host,
                posted_by=manager,
                seats=c.seats,
                starts_on=c.starts_on,
                weeks=8,
                needs_count=len(c.needs),
            )
            for c in work
        ),
        batch_size=2_000,
    )
    if made[0].pk is None:
        made = list(Challenge.objects.order_by("pk"))
    ChallengeSkill.objects.bulk_create(
        (
            ChallengeSkill(challenge=challenge, skill_id=skill_id[skill], level=level)
            for challenge, c in zip(made, work, strict=True)
            for skill, level in c.needs.items()
        ),
        batch_size=5_000,
    )
    written = time.perf_counter() - began
    _, secret = ApiToken.issue(user=manager)
    client = Client(headers={"Authorization": f"Bearer {secret}"})
    # A running app server has loaded the API and the solver: one request first, not timed.
    client.post(
        "/api/v1/talent/plan",
        json.dumps({"challenges": [made[0].pk]}),
        content_type="application/json",
    )
    times, total = [], None
    for _n in range(requests):
        began = time.perf_counter()
        answer = client.post("/api/v1/talent/plan", "{}", content_type="application/json")
        times.append(time.perf_counter() - began)
        assert answer.status_code == 200, answer.content[:500]
        total = answer.json()["total_match"]
    # Reading and solving, apart: the rows as the plan reads them, then the solver on them.
    captured: dict[str, object] = {}
    solver = plan.best_plan

    def keep(agents_in, challenges_in, **options):  # type: ignore[no-untyped-def]
        captured["rows"] = (agents_in, challenges_in)
        return plan.Plan(placements=[], total_match=0, pairs=0, rounds=0)

    planning.best_plan = keep  # type: ignore[assignment]
    began = time.perf_counter()
    planning.make_plan()
    read = time.perf_counter() - began
    planning.best_plan = solver
    agents_in, challenges_in = captured["rows"]  # type: ignore[misc]
    began = time.perf_counter()
    floor = solver(agents_in, challenges_in)
    solved = time.perf_counter() - began
    vendor = "PostgreSQL" if url.startswith("postgres") else "SQLite"
    print(
        f"{vendor}: {len(people):,} agents, {len(work):,} challenges written in {written:.1f} s; "
        f"POST /talent/plan x{requests}: median {statistics.median(times):.2f} s, "
        f"max {max(times):.2f} s (target < 5 s); total_match {total:,} "
        f"({'=' if total == floor.total_match else '!='} the solver's {floor.total_match:,}); "
        f"reading the rows {read:.2f} s, the solver alone (floor) {solved:.2f} s",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--agents", type=int, default=10_000)
    parser.add_argument("--challenges", type=int, default=2_000)
    parser.add_argument("--requests", type=int, default=3)
    parser.add_argument("--postgres", default=DEFAULT_POSTGRES)
    parser.add_argument("--measure", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        measure(args.measure, args.agents, args.challenges, args.requests)
        return
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"POST /talent/plan on a database (load average {load} on {os.cpu_count()} cores)")
    VAR.mkdir(exist_ok=True)
    run(f"sqlite:///{VAR / 'bench-talent.sqlite3'}", args.agents, args.challenges, args.requests)
    if args.postgres and _answers(args.postgres):
        run(args.postgres, args.agents, args.challenges, args.requests)
    elif args.postgres:
        print(f"PostgreSQL: no answer at {args.postgres}; skipped")


if __name__ == "__main__":
    main()
