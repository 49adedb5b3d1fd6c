"""Demo of the peer network, made through the network's own functions: a field officer and an
additional secretary posting in the same space (challenges, ideas, stories of rules bent for
good, in Bangla and English), colleagues of other ministries answering, people following
people, topics and a district, one report a moderator has yet to read, and one comment a
moderator hid with a reason; a decided fellowship whose fellows keep a circle, an open one,
and awards and endorsements; exchanges out of the office with reflections."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.utils import timezone

from innohub.accounts.models import User
from innohub.geo.models import Area
from innohub.network import exchanges, fellowships, services
from innohub.network.models import (
    CircleKind,
    Exchange,
    ExchangeKind,
    Fellowship,
    Post,
    PostKind,
    RecognitionKind,
)
from innohub.orgs.models import Kind, Organisation

if TYPE_CHECKING:
    from .seed import Seeder

# (author, kind, title, text, topics, comments: [(author, text)])
POSTS = [
    (
        "officer",
        PostKind.CHALLENGE,
        "Mutation takes 45 days and five visits",
        "Land owners come to the AC Land office five times for one mutation: to apply, to "
        "bring a missing deed, for the hearing, to pay, to collect. Most of the waiting is for "
        "a record from the union land office. Who has cut this?",
        ["land records", "mutation"],
        [
            ("cs001", "In Cumilla the union office scans the record and e-mails it the same day."),
            ("mentor", "Write it up as an idea: the e-mailed record is a small pilot."),
        ],
    ),
    (
        "reviewer",
        PostKind.STORY,
        "We let a scanned deed count as the original",
        "For two months the Cabinet Division accepted scanned deeds for the first hearing, with "
        "the original shown only at collection. Nobody was cheated, and the hearings came a week "
        "earlier. The rule said 'original'; the circular now says 'original or certified scan'.",
        ["rules", "land records"],
        [("officer", "Could the same circular cover mutation hearings at upazila level?")],
    ),
    (
        "teamlead",
        PostKind.IDEA,
        "জন্ম নিবন্ধন হাসপাতালেই",
        "শিশুর জন্মের দিনই হাসপাতালের ডেস্ক থেকে জন্ম নিবন্ধনের আবেদন। মা-বাবাকে ইউনিয়ন "
        "পরিষদে তিনবার যেতে হবে না।",
        ["জন্ম নিবন্ধন", "health"],
        [("cs002", "আমাদের উপজেলায় ইউনিয়ন ডিজিটাল সেন্টার এটা করতে পারে।")],
    ),
    (
        "cs003",
        PostKind.CHALLENGE,
        "Farmers wait three weeks for crop advice",
        "The agriculture extension officer visits each union once a month. A farmer with a sick "
        "crop waits for the visit, or travels to the upazila. Has anyone tried advice by phone?",
        ["agriculture", "phone"],
        [],
    ),
    (
        "manager",
        PostKind.STORY,
        "A secretary who sat at the counter for a day",
        "During the empathy training the additional secretary served at the passport counter "
        "for a morning. The queue was the same; the forms changed the following month.",
        ["empathy", "rules"],
        [("cs004", "Buy one, get one: should be part of every induction.")],
    ),
]


def seed_network(seeder: Seeder) -> None:
    if Post.objects.exists():
        return
    people = {user.username: user for user in User.objects.filter(is_active=True)}
    posts = []
    for author, kind, title, text, topics, comments in POSTS:
        post = services.write_post(
            by=people[author], kind=kind, title=title, body=text, topics=topics
        )
        for commenter, comment in comments:
            services.comment_on(by=people[commenter], post=post, body=comment)
        posts.append(post)
    officer, manager = people["officer"], people["manager"]
    services.follow(by=officer, person=people["reviewer"])
    services.follow(by=officer, topic=posts[0].topics.get(name="land records"))
    services.follow(by=people["mentor"], person=officer)
    services.follow(by=people["reviewer"], topic=posts[1].topics.get(name="rules"))
    dhaka = Area.objects.filter(code="BD-13").first()
    if dhaka is not None:
        services.follow(by=manager, area=dhaka)
    # A report waiting for a moderator, and a comment a moderator hid (with the reason).
    services.report(
        by=people["cs005"], post=posts[3], reason="Names a farmer and his phone number."
    )
    hidden = services.comment_on(
        by=people["cs006"], post=posts[4], body="Call 01711-000000 for a fast passport."
    )
    services.hide(by=manager, post=posts[4], comment=hidden, reason="Advertising a broker.")


NOMINATIONS = [
    ("mentor", "officer", "To make every mutation in Savar a one-visit service by next year."),
    ("teamlead", "officer", "Brings the union land offices and the AC Land office to one table."),
    ("officer", "teamlead", "A birth registered on the day of the birth, at the hospital desk."),
    ("cs001", "cs003", "Phone advice for farmers, so nobody waits a month for a visit."),
    ("cs002", "cs004", "Wants every new officer to spend a day at a counter."),
]


def seed_fellowship(seeder: Seeder) -> None:
    """A decided fellowship whose fellows keep a circle, an open one taking nominations, and
    awards and endorsements on profiles."""
    if Fellowship.objects.exists():
        return
    people = {user.username: user for user in User.objects.filter(is_active=True)}
    manager, reviewer = people["manager"], people["reviewer"]
    today = timezone.localdate()
    past = fellowships.open_fellowship(
        by=manager,
        title="Bureaucrat hackers 2026",
        description="A year of peer support for civil servants changing a service from inside.",
        seats=3,
        closes_on=today,
        panel=[reviewer, people["mentor"], people["trainer"]],
    )
    made = [
        fellowships.nominate(by=people[by], fellowship=past, nominee=people[nominee], aims=aims)
        for by, nominee, aims in NOMINATIONS
    ]
    scores = {0: (5, 4, 5), 1: (4, 5, 4), 2: (4, 4, 5), 3: (3, 4, 4), 4: (3, 3, 2)}
    panel = [reviewer, people["mentor"], people["trainer"]]
    for index, nomination in enumerate(made):
        for member, score in zip(panel, scores[index], strict=True):
            if member.pk in (nomination.nominator_id, nomination.nominee_id):
                continue
            fellowships.review(by=member, nomination=nomination, score=score)
    fellowships.decide(by=manager, fellowship=past)
    fellow = people["officer"]
    ask = fellowships.add_to_circle(
        by=fellow,
        fellowship=past,
        kind=CircleKind.ASK,
        text="Who has moved a paper register to e-Nothi without losing the old files?",
    )
    fellowships.add_to_circle(
        by=people["teamlead"],
        fellowship=past,
        kind=CircleKind.OFFER,
        text="We scanned ours over two weekends; I can send the checklist.",
        reply_to=ask,
    )
    fellowships.mark_answered(by=fellow, entry=ask)
    fellowships.add_to_circle(
        by=people["teamlead"],
        fellowship=past,
        kind=CircleKind.CHECK_IN,
        text="The hospital desk registered 41 births this month; the union office agreed.",
    )
    fellowships.open_fellowship(
        by=manager,
        title="Bureaucrat hackers 2027",
        description="Nominate a colleague for the change they are trying to make.",
        seats=5,
        closes_on=today + datetime.timedelta(days=45),
        panel=[reviewer, people["mentor"]],
    )
    fellowships.recognise(
        by=manager,
        user=people["teamlead"],
        kind=RecognitionKind.AWARD,
        citation="Public Service Innovation Award: births registered at the hospital desk.",
    )
    fellowships.recognise(
        by=people["cs001"],
        user=fellow,
        kind=RecognitionKind.ENDORSEMENT,
        citation="Showed our union office how to send a record the same day.",
    )


EXCHANGES = [
    # (person, kind, host, days ago it started, length in days, plan, reflection, follow-up)
    (
        "officer",
        ExchangeKind.FIELD_DAY,
        "Union Digital Centre, Savar",
        70,
        1,
        "Sit beside the entrepreneur and see what citizens ask for about land.",
        "Half of the people came for a record the union office could have printed.",
        "We now send records to the digital centre the same day; two visits fewer.",
    ),
    (
        "teamlead",
        ExchangeKind.LEARNING_VISIT,
        "University of Dhaka, Institute of Governance Studies",
        30,
        3,
        "Learn how their students test a service change with real citizens.",
        "Their students ran a two-week test for a tenth of what we pay a firm.",
        "",
    ),
    (
        "cs002",
        ExchangeKind.CITY_EXCHANGE,
        "Cumilla City Corporation",
        -10,
        5,
        "See the one-stop counter for trade licences.",
        "",
        "",
    ),
]


def seed_exchanges(seeder: Seeder) -> None:
    """Exchanges with reflections: one followed up, one waiting for its follow-up, one ahead."""
    if Exchange.objects.exists():
        return
    people = {user.username: user for user in User.objects.filter(is_active=True)}
    partner = Organisation.objects.filter(kind=Kind.PARTNER).order_by("pk").first()
    today = timezone.localdate()
    for person, kind, host, ago, days, plan, learned, changed in EXCHANGES:
        start = today - datetime.timedelta(days=ago)
        made = exchanges.record_exchange(
            by=people[person],
            kind=kind,
            host=host,
            host_organisation=partner if "University" in host else None,
            starts_on=start,
            ends_on=start + datetime.timedelta(days=days - 1),
            plan=plan,
        )
        if learned:
            exchanges.reflect(by=people[person], exchange=made, text=learned)
        if changed:
            exchanges.follow_up(by=people[person], exchange=made, changed_at_home=changed)
