"""Fellowship: nominations (oneself, twice, after closing), the panel's rules, the decision
(mean over all of a nominee's nominations, ties by the earliest nomination, unreviewed never
chosen, once), recognition, and the fellows' circle — through the API, as docs/api.md says."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from innohub.core import roles
from innohub.network import fellowships
from innohub.network.models import Fellowship, Recognition
from tests.factories import OrganisationFactory, ProfileFactory, UserFactory
from tests.geo.conftest import person_in
from tests.services.factories import JsonApi

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


@pytest.fixture
def call(db):
    manager = person_in(roles.PROGRAMME_MANAGER)
    panel = [UserFactory(username=f"panel{n}") for n in range(3)]
    fellowship = fellowships.open_fellowship(
        by=manager,
        title="Bureaucrat hackers 2027",
        seats=2,
        closes_on=TODAY + datetime.timedelta(days=30),
        panel=panel,
    )
    return {"manager": manager, "panel": panel, "fellowship": fellowship}


def nominate(client, by, fellowship, nominee, aims="Cut the mutation to one visit."):
    return JsonApi(client, by).post(
        f"/fellowships/{fellowship.pk}/nominations", {"nominee": nominee.pk, "aims": aims}
    )


def score(client, by, nomination_id, value):
    return JsonApi(client, by).post(f"/nominations/{nomination_id}/reviews", {"score": value})


def test_only_moderators_open_a_fellowship_and_a_bad_one_names_its_fields(client, call):
    body = {"title": "T", "seats": 2, "closes_on": str(TODAY), "panel": [call["panel"][0].pk]}
    assert JsonApi(client, UserFactory()).post("/fellowships", body).status_code == 403
    made = JsonApi(client, call["manager"]).post("/fellowships", body)
    assert made.status_code == 201 and made.json()["panel"] == [call["panel"][0].pk]
    bad = JsonApi(client, call["manager"]).post(
        "/fellowships",
        {"title": "T", "seats": 0, "closes_on": "2020-01-01", "panel": [999_999]},
    )
    assert bad.status_code == 422
    assert {e["field"] for e in bad.json()["errors"]} >= {"seats"}
    past = JsonApi(client, call["manager"]).post(
        "/fellowships", {**body, "closes_on": "2020-01-01"}
    )
    assert past.status_code == 422 and past.json()["errors"][0]["field"] == "closes_on"
    unknown = JsonApi(client, call["manager"]).post("/fellowships", {**body, "panel": [999_999]})
    assert unknown.status_code == 422 and unknown.json()["errors"][0]["field"] == "panel.0"


def test_nominations_oneself_twice_and_after_closing(client, call):
    fellowship = call["fellowship"]
    nominator, nominee = UserFactory(), UserFactory()
    first = nominate(client, nominator, fellowship, nominee)
    assert first.status_code == 201 and first.json()["nominee"] == nominee.pk

    myself = nominate(client, nominator, fellowship, nominator)
    assert myself.status_code == 422 and myself.json()["errors"][0]["field"] == "nominee"
    assert nominate(client, nominator, fellowship, nominee).status_code == 409
    assert nominate(client, UserFactory(), fellowship, nominee).status_code == 201  # another peer
    unknown = JsonApi(client, nominator).post(
        f"/fellowships/{fellowship.pk}/nominations", {"nominee": 999_999, "aims": "x"}
    )
    assert unknown.status_code == 422 and unknown.json()["errors"][0]["field"] == "nominee"

    Fellowship.objects.filter(pk=fellowship.pk).update(closes_on=TODAY - datetime.timedelta(days=1))
    assert nominate(client, UserFactory(), fellowship, UserFactory()).status_code == 409
    fellowship.refresh_from_db()
    assert fellowship.nominations_count == 2


def test_the_panel_scores_once_never_its_own_and_others_may_not(client, call):
    fellowship, panel = call["fellowship"], call["panel"]
    nominee = UserFactory()
    nomination = nominate(client, UserFactory(), fellowship, nominee).json()["id"]
    by_panel = nominate(client, panel[1], fellowship, UserFactory()).json()["id"]
    of_panel = nominate(client, UserFactory(), fellowship, panel[2]).json()["id"]

    assert score(client, UserFactory(), nomination, 5).status_code == 403
    assert score(client, panel[0], nomination, 4).status_code == 201
    assert score(client, panel[0], nomination, 5).status_code == 409
    assert score(client, panel[1], by_panel, 5).status_code == 403  # their own nomination
    assert score(client, panel[2], of_panel, 5).status_code == 403  # of themself
    bad = score(client, panel[1], nomination, 6)
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "score"
    assert score(client, panel[1], nomination, True).status_code == 422
    assert score(client, panel[1], 999_999, 3).status_code == 404

    everyone = JsonApi(client, panel[0]).get(f"/fellowships/{fellowship.pk}/nominations")
    assert everyone.json()["count"] == 3
    stranger = JsonApi(client, UserFactory()).get(f"/fellowships/{fellowship.pk}/nominations")
    assert stranger.json()["count"] == 0


def test_the_decision_mean_over_nominations_ties_and_the_unreviewed(client, call):
    fellowship, panel, manager = call["fellowship"], call["panel"], call["manager"]
    fellowship.seats = 3
    fellowship.save()
    amina, babul, chitra, dipu = (
        UserFactory(username=n) for n in ("amina", "babul", "chitra", "dipu")
    )
    ProfileFactory(user=amina, organisation=OrganisationFactory())
    # Amina: two nominations, scores 5 and 3 and 4 -> mean 4 over all of them.
    a1 = nominate(client, UserFactory(), fellowship, amina).json()["id"]
    b1 = nominate(client, UserFactory(), fellowship, babul).json()["id"]
    a2 = nominate(client, UserFactory(), fellowship, amina).json()["id"]
    c1 = nominate(client, UserFactory(), fellowship, chitra).json()["id"]
    nominate(client, UserFactory(), fellowship, dipu)  # nobody scores Dipu
    score(client, panel[0], a1, 5)
    score(client, panel[1], a1, 3)
    score(client, panel[0], a2, 4)
    score(client, panel[0], b1, 4)  # Babul: 4, nominated before Chitra
    score(client, panel[0], c1, 4)  # Chitra: 4, a tie broken by the earlier nomination
    standings = fellowships.standings(fellowship)
    assert [row.user_id for row in standings] == [amina.pk, babul.pk, chitra.pk, dipu.pk]
    assert standings[0].mean == 4 and standings[-1].mean is None

    assert JsonApi(client, panel[0]).post(f"/fellowships/{fellowship.pk}/decide").status_code == 403
    decided = JsonApi(client, manager).post(f"/fellowships/{fellowship.pk}/decide")
    assert decided.status_code == 200
    assert decided.json() == {"fellows": [amina.pk, babul.pk, chitra.pk]}
    assert JsonApi(client, manager).post(f"/fellowships/{fellowship.pk}/decide").status_code == 409
    # The decision closes the nominations and the reviews.
    assert nominate(client, UserFactory(), fellowship, UserFactory()).status_code == 409
    assert score(client, panel[2], a1, 5).status_code == 409
    recognition = Recognition.objects.get(user=amina)
    assert (recognition.kind, recognition.citation) == ("fellowship", "Bureaucrat hackers 2027")
    assert recognition.organisation == amina.profile.organisation
    shown = JsonApi(client, UserFactory()).get(f"/people/{amina.pk}/recognitions").json()
    assert [row["kind"] for row in shown] == ["fellowship"]


def test_fewer_reviewed_nominees_than_seats_leaves_seats_empty(client, call):
    fellowship = call["fellowship"]
    only = UserFactory()
    nomination = nominate(client, UserFactory(), fellowship, only).json()["id"]
    nominate(client, UserFactory(), fellowship, UserFactory())
    score(client, call["panel"][0], nomination, 2)
    decided = JsonApi(client, call["manager"]).post(f"/fellowships/{fellowship.pk}/decide")
    assert decided.json() == {"fellows": [only.pk]}


def test_recognition_endorsements_by_anyone_awards_by_moderators(client, call):
    colleague, peer = UserFactory(), UserFactory()
    endorsed = JsonApi(client, peer).post(
        "/recognitions", {"user": colleague.pk, "kind": "endorsement", "citation": "Taught us."}
    )
    assert endorsed.status_code == 201 and endorsed.json()["by"] == peer.pk
    award = {"user": colleague.pk, "kind": "award", "citation": "Innovator of the year"}
    assert JsonApi(client, peer).post("/recognitions", award).status_code == 403
    assert JsonApi(client, call["manager"]).post("/recognitions", award).status_code == 201
    myself = JsonApi(client, peer).post(
        "/recognitions", {"user": peer.pk, "kind": "endorsement", "citation": "Me"}
    )
    assert myself.status_code == 422 and myself.json()["errors"][0]["field"] == "user"
    assert JsonApi(client, peer).get(f"/people/{colleague.pk}/recognitions").json()[0]["kind"] == (
        "award"
    )
    assert JsonApi(client, peer).get("/people/999999/recognitions").status_code == 404


def test_the_circle_is_for_fellows_and_an_ask_is_closed_by_its_author(client, call):
    fellowship, panel, manager = call["fellowship"], call["panel"], call["manager"]
    fellow, other = UserFactory(), UserFactory()
    nomination = nominate(client, UserFactory(), fellowship, fellow).json()["id"]
    score(client, panel[0], nomination, 5)
    fellowships.decide(by=manager, fellowship=fellowship)
    ask = fellowships.add_to_circle(
        by=fellow, fellowship=fellowship, kind="ask", text="Who knows e-Nothi?"
    )
    reply = fellowships.add_to_circle(
        by=manager, fellowship=fellowship, kind="offer", text="I do.", reply_to=ask
    )
    assert reply.reply_to == ask
    with pytest.raises(fellowships.PermissionDenied):
        fellowships.add_to_circle(by=other, fellowship=fellowship, kind="ask", text="Me too")
    with pytest.raises(fellowships.PermissionDenied):
        fellowships.mark_answered(by=manager, entry=ask)
    assert fellowships.mark_answered(by=fellow, entry=ask).answered_at is not None
