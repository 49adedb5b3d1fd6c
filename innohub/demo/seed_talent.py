"""Demo of Free Agents, made through talent's own functions: twenty civil servants made free
agents by the programme manager, the demo field officer accepted after an interview and a work
sample, one application still being assessed; challenges posted by four ministries (open ones
with seats, one running, two finished with closing reviews that added evidence to the agents'
skills), an offer waiting for an answer; and the workforce counted once. Dates follow today.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.utils import timezone

from innohub.accounts.models import Gender, Profile, Skill, User
from innohub.orgs.models import Organisation
from innohub.talent import matching, services, workforce
from innohub.talent.models import Challenge, FreeAgent

if TYPE_CHECKING:
    from .seed import Seeder

AGENTS = 20
# (title, problem, host ministry, skills asked {name: level}, seats, starts in days, weeks,
# location, remote, cost recovery)
CHALLENGES = [
    (
        "One visit for a land mutation",
        "Citizens come to the AC Land office four or five times for one mutation. Map the "
        "journey with the office and design a one-visit counter with the union land offices.",
        "Ministry of Land",
        {"Journey mapping": 3, "Service process simplification": 3, "User research": 2},
        3,
        21,
        12,
        "Savar, Dhaka",
        False,
        "180000.00",
    ),
    (
        "Birth registration at the hospital",
        "Parents wait weeks for a birth certificate. Work with two upazila health complexes "
        "on registering births before the mother leaves.",
        "Ministry of Health and Family Welfare",
        {"Data analysis": 3, "User research": 3, "Writing in Bangla": 3},
        2,
        35,
        16,
        "Upazila Health Complex, Savar",
        False,
        "120000.00",
    ),
    (
        "Crop advice by phone, measured",
        "The call centre answers farmers, but nobody knows whether the advice is used. Build a "
        "simple follow-up and the figures for the monthly review.",
        "Ministry of Agriculture",
        {"Data analysis": 4, "GIS and maps": 3, "Project management": 2},
        2,
        50,
        10,
        "",
        True,
        "0.00",
    ),
    (
        "Buying for schools without the paper chase",
        "Head teachers spend days on procurement paperwork for small purchases. Draft a simpler "
        "procedure within the rules and test it in one district.",
        "Ministry of Education",
        {"Public procurement": 4, "Legal drafting": 3, "Policy analysis": 3, "Budgeting": 2},
        2,
        28,
        20,
        "Dhaka",
        True,
        "95000.00",
    ),
    (
        "Trade licence renewals online",
        "Renewing a trade licence takes three visits. Redesign the renewal with the city "
        "corporation so that most renewals need none.",
        "Ministry of Commerce",
        {"Web development": 3, "Service process simplification": 3, "Workshop facilitation": 2},
        1,
        14,
        8,
        "Dhaka",
        True,
        "60000.00",
    ),
]
# (title, host, skills, days since the start, weeks, the review, skills shown {name: level})
PAST = [
    (
        "Pension papers in one place",
        "Ministry of Education",
        {"Journey mapping": 3, "Data analysis": 2},
        150,
        12,
        "Mapped the retired teachers' pension from 21 documents to 9 with the district office; "
        "the new checklist is in use in three upazilas.",
        {"Journey mapping": 4, "Data analysis": 3},
    ),
    (
        "A call-back for land hearings",
        "Ministry of Land",
        {"Project management": 3, "Writing in Bangla": 3},
        120,
        10,
        "Set up SMS reminders of hearing dates; missed hearings fell from one in five to one in "
        "twenty over two months.",
        {"Project management": 4, "Writing in Bangla": 4},
    ),
    (
        "Queue-free digital centres",
        "Ministry of Land",
        {"User research": 2, "Workshop facilitation": 3},
        20,
        12,
        "",  # still running
        {},
    ),
]


def seed_talent(seeder: Seeder) -> None:
    if Challenge.objects.exists() or FreeAgent.objects.exists():
        return
    rng = seeder.rng
    today = timezone.localdate()
    manager = User.objects.get(username="manager")
    skills = {skill.name: skill.pk for skill in Skill.objects.all()}
    ministries = {org.name: org for org in Organisation.objects.filter(parent=None)}
    people = list(User.objects.filter(username__startswith="cs").order_by("username")[:AGENTS])
    genders = [Gender.FEMALE, Gender.MALE, Gender.FEMALE, Gender.MALE, Gender.UNSAID]
    for person in people:
        Profile.objects.filter(user=person).update(gender=rng.choice(genders))
        person.refresh_from_db()
        services.make_agent(
            by=manager,
            person=person,
            available_from=today + datetime.timedelta(days=rng.randint(0, 40)),
        )
    for agent in FreeAgent.objects.order_by("pk"):
        joined = today - datetime.timedelta(days=rng.choice([90, 240, 400, 500]))
        FreeAgent.objects.filter(pk=agent.pk).update(joined_on=joined)

    officer = User.objects.get(username="officer")
    applied = services.apply(
        person=officer,
        statement="I cut mutation visits in Savar and want to do it with other ministries.",
        available_from=today,
    )
    services.record_step(
        by=manager,
        application=applied,
        kind="interview",
        outcome="passed",
        note="Clear about what she did and what she would change.",
    )
    services.record_step(
        by=manager,
        application=applied,
        kind="work_sample",
        outcome="passed",
        note="A journey map of the pension service, well argued.",
    )
    services.decide_application(by=manager, application=applied, accept=True, note="Welcome.")
    services.apply(
        person=User.objects.get(username="teamlead"),
        statement="I want to take the hospital birth registration to other upazilas.",
        available_from=today + datetime.timedelta(days=30),
    )

    for past in PAST:
        _past(manager, ministries, skills, today, *past)
    posted = []
    for title, problem, host, asked, seats, starts_in, weeks, where, remote, cost in CHALLENGES:
        if host not in ministries:
            continue
        posted.append(
            services.post_challenge(
                by=manager,
                organisation=ministries[host],
                title=title,
                problem=problem,
                skills=[(skills[name], level) for name, level in asked.items() if name in skills],
                seats=seats,
                starts_on=today + datetime.timedelta(days=starts_in),
                weeks=weeks,
                location=where,
                remote=remote,
                cost_recovery=cost,
            )
        )
    if posted:
        agent = FreeAgent.objects.get(user=officer)
        services.offer(by=manager, challenge=posted[0], agent=agent)
    workforce.count()


def _past(
    manager, ministries, skills, today, title, host, asked, days_ago, weeks, review, shown
) -> None:
    """A challenge that began `days_ago`, its seat taken by the first agent still available;
    closed with `review` (or still running when there is none)."""
    free = list(FreeAgent.objects.filter(status="available", offers_waiting=0).order_by("pk"))
    needs = {skills[name]: level for name, level in asked.items() if name in skills}
    held = matching.held_by([agent.user_id for agent in free], list(needs))
    if host not in ministries or not free:
        return
    agent = max(free, key=lambda agent: matching.explain(needs, held[agent.user_id]).match)
    starts_on = today - datetime.timedelta(days=days_ago)
    challenge = services.post_challenge(
        by=manager,
        organisation=ministries[host],
        title=title,
        problem=(review or title).split(";")[0] + ".",
        seats=1,
        skills=[(skills[name], level) for name, level in asked.items() if name in skills],
        starts_on=starts_on,
        weeks=weeks,
        location="Dhaka",
        remote=False,
        cost_recovery="50000.00",
    )
    FreeAgent.objects.filter(pk=agent.pk).update(available_from=starts_on)
    # Offered as it was then: an offer is refused once a challenge has ended, so the
    # challenge runs until today while it is offered, and gets its length back after.
    Challenge.objects.filter(pk=challenge.pk).update(weeks=days_ago // 7 + 1)
    assignment = services.offer(by=manager, challenge=challenge, agent=agent)
    services.accept(by=agent.user, assignment=assignment)
    services.start(by=manager, assignment=assignment, started_on=starts_on)
    Challenge.objects.filter(pk=challenge.pk).update(weeks=weeks)
    if review:
        services.complete(
            by=manager,
            assignment=assignment,
            review=review,
            shown=[
                (skills[name], level, review.split(";")[0])
                for name, level in shown.items()
                if name in skills
            ],
            completed_on=starts_on + datetime.timedelta(weeks=weeks),
        )
