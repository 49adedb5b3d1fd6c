from __future__ import annotations

import pytest
from django.core.management import call_command
from django.utils import timezone

from innohub.accounts.models import InnovationTeam, Profile, User, UserSkill
from innohub.engagement.models import Consultation, Contribution, Finding, Response
from innohub.geo.models import Area, Level
from innohub.network.models import Exchange, Fellowship, Post, Recognition
from innohub.orgs.models import Organisation
from innohub.pipeline.models import (
    Assessor,
    FundingCall,
    Idea,
    Measurement,
    Pilot,
    Presentation,
    Proposal,
    Reach,
    Review,
    ScaleUp,
    Showcase,
    ShowcaseScore,
    Spend,
)
from innohub.services.models import Journey, JourneyStatus, JourneyStep, ProcessMap, Service
from innohub.services.tcv import tcv_of
from innohub.talent.models import (
    Application,
    Assignment,
    Challenge,
    FreeAgent,
    SkillEvidence,
    WorkforceSnapshot,
)
from innohub.training import progression
from innohub.training.models import Cohort, Concept, Theme, Trained

pytestmark = pytest.mark.django_db


def snapshot() -> dict[str, object]:
    return {
        "areas": Area.objects.count(),
        "organisations": Organisation.objects.count(),
        "people": User.objects.count(),
        "skills held": UserSkill.objects.count(),
        "teams": InnovationTeam.objects.count(),
        "services": Service.objects.count(),
        "journeys": sorted(Journey.objects.values_list("ref", "area__code", "observed_on")),
        "steps": sorted(
            JourneyStep.objects.values_list(
                "journey__ref", "position", "elapsed_days", "travel_cost"
            )
        ),
        "profiles": sorted(
            Profile.objects.values_list("user__username", "organisation__name", "position")
        ),
        "ideas": sorted(
            Idea.objects.values_list("title", "proposer__username", "supporters_count")
        ),
        "pilots": sorted(Pilot.objects.values_list("title", "status", "area__code", "spent")),
        "measurements": sorted(Measurement.objects.values_list("journey__ref", "phase")),
        "cohorts": sorted(
            Cohort.objects.values_list("title", "selected_count", "completed_count", "closed_on")
        ),
        "trained": sorted(Trained.objects.values_list("user__username", "on")),
    }


def test_seed_demo_is_believable_and_runs_twice_without_adding_anything():
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    first = snapshot()
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115

    assert snapshot() == first
    assert Area.objects.filter(level=Level.DIVISION).count() == 8
    assert Area.objects.filter(level=Level.DISTRICT).count() == 64
    assert Area.objects.filter(level=Level.SUBDISTRICT).count() >= 20
    assert first["people"] == 7 + 40
    # One demo person per role, each with a Bangla name.
    for username in ("officer", "mentor", "trainer", "teamlead", "manager", "reviewer", "admin"):
        person = User.objects.get(username=username)
        assert person.groups.count() == 1
        assert any("\u0980" <= ch <= "\u09ff" for ch in person.name_local)
    assert User.objects.get(username="admin").is_superuser
    officer = Profile.objects.select_related("organisation__area").get(user__username="officer")
    assert officer.organisation.name == "Assistant Commissioner (Land) Office, Savar"
    assert officer.area == officer.organisation.area


def test_demo_services_reproduce_the_pension_example_and_have_journeys():
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert Service.objects.count() >= 5
    pension = ProcessMap.objects.get(
        service__name="Pension for retired teachers", variant="existing"
    )
    tcv = tcv_of(pension.steps.all())
    assert (tcv.documents, tcv.days) == (21, 28)  # a2i's retired teacher
    for service in Service.objects.all():
        assert service.journeys.filter(status=JourneyStatus.FINAL).count() >= 30
    # The demo officer has a journey to resume.
    assert Journey.objects.filter(observer__username="officer", status="draft").count() == 1
    assert Area.objects.get(code="BD").hourly_wage is not None
    # Every demo journey stores the TCV of its steps: the pages show real figures.
    from innohub.services import totals

    assert not list(totals.drift())
    assert not Journey.objects.filter(status=JourneyStatus.FINAL, tcv_days=0).exists()


def test_seed_demo_is_deterministic(django_db_blocker):
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    first = snapshot()
    # Start again from an empty people table: the same people come back with the same places.
    Post.objects.all().delete()  # comments, follows of topics and reports go with them
    Fellowship.objects.all().delete()
    Recognition.objects.all().delete()
    Exchange.objects.all().delete()
    Consultation.objects.all().delete()
    for talent_model in (SkillEvidence, Assignment, Challenge, FreeAgent, Application,
                         WorkforceSnapshot):  # fmt: skip
        talent_model.objects.all().delete()
    Trained.objects.all().delete()
    Concept.objects.all().delete()
    Theme.objects.all().delete()
    Cohort.objects.all().delete()
    for fund_model in (Reach, ScaleUp, ShowcaseScore, Presentation, Showcase, Review, Assessor,
                       Proposal, FundingCall):  # fmt: skip
        fund_model.objects.all().delete()
    Spend.objects.all().delete()
    Measurement.objects.all().delete()
    Pilot.objects.update(replicates=None)
    Pilot.objects.all().delete()
    Idea.objects.all().delete()
    Journey.objects.filter(ref__startswith="PILOT-").delete()
    UserSkill.objects.all().delete()
    InnovationTeam.objects.all().delete()
    Profile.objects.all().delete()
    User.objects.all().delete()
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert snapshot() == first


def test_seed_demo_has_past_cohorts_of_both_templates_whose_graduates_went_on():
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    past = Cohort.objects.filter(closed_on__isnull=False)
    assert set(past.values_list("programme__key", flat=True)) == {"empathy", "policy-lab"}
    empathy = past.get(programme__key="empathy")
    funnel = progression.cohort_funnel(empathy)
    assert funnel.completed >= 20 and funnel.ideas >= 5 and funnel.completed_pilots >= 1
    lab = past.get(programme__key="policy-lab")
    assert lab.themes.count() == 3 and lab.concepts.filter(idea__isnull=False).count() == 1
    assert Cohort.objects.filter(closed_on__isnull=True, applications_count__gt=0).exists()
    # Everyone who completed counts as trained once.
    assert Trained.objects.count() == empathy.completed_count + lab.completed_count


def test_seed_demo_fills_a_living_network():
    from innohub.network.models import Comment, Follow, Report

    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    authors = set(Post.objects.values_list("author__username", flat=True))
    assert {"officer", "reviewer"} <= authors  # a field officer and an additional secretary
    assert set(Post.objects.values_list("kind", flat=True)) == {"challenge", "idea", "story"}
    assert Comment.objects.count() >= 5 and Follow.objects.count() >= 4
    assert Report.objects.filter(resolved_at__isnull=True).count() == 1
    assert Comment.objects.filter(hidden_at__isnull=False).exclude(hidden_reason="").count() == 1
    decided = Fellowship.objects.get(decided_at__isnull=False)
    assert decided.fellows.count() == 3 and decided.circle.count() >= 3
    assert Fellowship.objects.filter(decided_at__isnull=True).count() == 1
    assert set(Recognition.objects.values_list("kind", flat=True)) == {
        "award",
        "endorsement",
        "fellowship",
    }
    assert Exchange.objects.filter(followed_up_at__isnull=False).count() == 1
    assert Exchange.objects.exclude(reflection="").count() == 2
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert Post.objects.count() == 5 and Fellowship.objects.count() == 2  # nothing added twice
    assert Exchange.objects.count() == 3


def test_seed_demo_has_consultations_with_contributions_in_every_channel():
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert Consultation.objects.count() == 3
    channels = set(Contribution.objects.values_list("channel", flat=True))
    assert channels == {"online", "face_to_face", "phone", "digital_centre"}
    assert Finding.objects.count() == 4
    assert Response.objects.filter(pilot__isnull=False).exists()
    statuses = {consultation.status for consultation in Consultation.objects.all()}
    assert statuses == {"closed", "open", "upcoming"}


def test_seed_demo_has_free_agents_challenges_and_past_assignments():
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert FreeAgent.objects.count() == 21
    statuses = set(Assignment.objects.values_list("status", flat=True))
    assert statuses == {"offered", "active", "completed"}
    completed = Assignment.objects.filter(status="completed")
    assert completed.count() == 2 and all(a.review and a.match >= 1 for a in completed)
    assert SkillEvidence.objects.filter(assignment__in=completed).count() == 4
    assert set(Application.objects.values_list("status", flat=True)) == {"accepted", "submitted"}
    assert Challenge.objects.filter(starts_on__gt=timezone.localdate()).count() == 5
    assert WorkforceSnapshot.objects.count() == 1
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert Challenge.objects.count() == 8 and FreeAgent.objects.count() == 21
