"""The two programme templates of docs/api.md ("Training") exist after `migrate`: a2i's
five-day empathy training, and the Bosnia & Herzegovina course of three days of
fundamentals and a two-day Policy Lab in a service and a policy track."""

from django.db import migrations

PROGRAMMES = [
    {
        "key": "empathy",
        "name": "Empathy training",
        "days": 5,
        "tracks": [],
        "description": (
            "a2i's five-day course: civil servants go through a real service as a citizen "
            "would (the secret shopper), measure its time, cost and visits, and leave with an "
            "idea to pilot."
        ),
        "modules": [
            (1, "", "The citizen's side of the counter",
             "See a public service as the citizen lives it; name the citizen's burden in "
             "time, cost and visits (TCV)."),
            (1, "", "Hopes and fears",
             "Say what you hope for and fear from the course; group the notes into themes."),
            (2, "", "Secret shopper",
             "Go through a real service as a citizen would; record each step, office, "
             "document, time, cost and visit."),
            (3, "", "Debrief: journeys and pain points",
             "Compare the journeys side by side, mark the pain points and work out each "
             "journey's TCV."),
            (4, "", "Simplifying the service",
             "Propose changes that cut time, cost and visits; draw the simplified process map."),
            (5, "", "From idea to pilot",
             "Write the idea and its expected change in TCV, plan the first step of a pilot "
             "and present it."),
        ],
    },
    {
        "key": "policy-lab",
        "name": "Public sector innovation fundamentals and Policy Lab",
        "days": 5,
        "tracks": ["service", "policy"],
        "description": (
            "Three days of fundamentals, then a two-day Policy Lab in a service track and a "
            "policy track that ends with concepts the teams present."
        ),
        "modules": [
            (1, "", "Why innovate in the public sector",
             "Place public sector innovation among the challenges of the 21st century: its "
             "purpose and its aspects."),
            (1, "", "Hopes and fears",
             "Say what you hope for and fear; the themes that emerge frame the Policy Lab."),
            (2, "", "Types of innovation, with examples",
             "Tell incremental from radical, service from policy innovation, by example."),
            (2, "", "The innovation process and its tools",
             "Walk through the process from problem to tested solution, and its tools."),
            (3, "", "The roles innovation needs",
             "Name the roles that let innovation thrive in an organisation, and yours."),
            (4, "service", "Service track: the service and its users",
             "Map a service from its users' side and find where it fails them."),
            (4, "policy", "Policy track: framing the problem",
             "Frame a policy problem, its causes and the people it touches."),
            (5, "service", "Service track: a simpler service",
             "Prototype a simpler service and the first step to test it."),
            (5, "policy", "Policy track: a policy action",
             "Design a policy action, how to try it and how to know it worked."),
            (5, "", "Presenting the concepts",
             "Each team presents its concept: problem, users, proposal and next step."),
        ],
    },
]


def create(apps, schema_editor):
    Programme = apps.get_model("training", "Programme")
    Module = apps.get_model("training", "Module")
    for spec in PROGRAMMES:
        if Programme.objects.filter(key=spec["key"]).exists():
            continue
        programme = Programme.objects.create(
            key=spec["key"],
            name=spec["name"],
            days=spec["days"],
            tracks=spec["tracks"],
            description=spec["description"],
        )
        Module.objects.bulk_create(
            Module(programme=programme, day=day, track=track, title=title, goals=goals,
                   position=position)
            for position, (day, track, title, goals) in enumerate(spec["modules"])
        )


def remove(apps, schema_editor):
    apps.get_model("training", "Programme").objects.filter(
        key__in=[spec["key"] for spec in PROGRAMMES], cohorts__isnull=True
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("training", "0001_initial")]

    operations = [migrations.RunPython(create, remove)]
