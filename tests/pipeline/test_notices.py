"""Who is told what as a pilot moves (and by e-mail through the worker)."""

from __future__ import annotations

import pytest

from innohub.accounts.models import Notification
from innohub.pipeline import notices, pilots

pytestmark = pytest.mark.django_db


def told(user) -> list[str]:
    return list(
        Notification.objects.filter(user=user).order_by("pk").values_list("kind", flat=True)
    )


def test_submitting_tells_the_approvers_of_its_place_only(make_pilot, people):
    pilot = make_pilot("draft")
    pilots.move(by=people["lead"], pilot=pilot, to="submitted")
    assert {u.username for u in notices.approvers_of(pilot)} == {
        people["manager"].username, people["team_member"].username,
    }  # fmt: skip
    assert told(people["manager"]) == ["pilot_to_review"]
    assert told(people["team_member"]) == ["pilot_to_review"]
    assert told(people["far_manager"]) == [] and told(people["stranger"]) == []
    assert told(people["lead"]) == []
    assert told(people["mentor"]) == ["mentee_update"]


def test_decisions_tell_the_lead_and_moves_tell_the_mentor(make_pilot, people):
    pilot = make_pilot("submitted")
    pilots.move(by=people["manager"], pilot=pilot, to="approved", note="Go ahead")
    pilots.move(by=people["lead"], pilot=pilot, to="ongoing")
    assert told(people["lead"]) == ["pilot_decision"]
    assert told(people["mentor"]) == ["mentee_update"]
    note = Notification.objects.get(user=people["lead"])
    assert note.params["note"] == "Go ahead"


def test_naming_a_mentor_tells_them(make_pilot, people):
    pilot = make_pilot("draft", mentor=None)
    pilots.update_pilot(by=people["lead"], pilot=pilot, mentor=people["stranger"])
    assert told(people["stranger"]) == ["mentor_named"]
    pilots.update_pilot(by=people["lead"], pilot=pilot, title="Same mentor")
    assert told(people["stranger"]) == ["mentor_named"]  # not told twice
