"""The load test's people and programs (`make load`, bench/load.py), against the cluster:

- **field officers** (most of them) record secret-shopper journeys step by step through the
  pages, as on a phone: the start page, the journey, three to five steps, finished;
- **managers and reviewers** read the national dashboard (the nation and a ministry), the
  service catalogue and a service's TCV, the pilots and the action plans;
- **API clients** read the funnel and journeys, import a small file of journeys and export a
  service's journeys.

Every write the server confirmed (a 2xx or a redirect after a form) is appended to
`$INNOHUB_LOAD_WRITES` (one JSON line each), so that a fault test can look for every one of them
afterwards. Requests are named by kind ("recorder: add a step"), which is how the summary groups
them. The people, services and places come from `$INNOHUB_LOAD_SETUP` (bench/load.py writes it).
"""

from __future__ import annotations

import datetime
import itertools
import json
import os
import random
import re
import threading
import uuid
from pathlib import Path
from typing import Any

from locust import HttpUser, between, events, task

SETUP: dict[str, Any] = json.loads(Path(os.environ["INNOHUB_LOAD_SETUP"]).read_text())
WRITES = Path(os.environ.get("INNOHUB_LOAD_WRITES", os.devnull))
# Every failed request of the whole run (the statistics may start after the ramp).
FAILURES = Path(os.environ.get("INNOHUB_LOAD_FAILURES", os.devnull))
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
JOURNEY = re.compile(r"/services/journeys/(\d+)/steps/")

_people = {kind: itertools.cycle(SETUP[kind]) for kind in ("officers", "managers", "tokens")}

# Seconds between one request and the next of a person or program. "realistic" (the default):
# an officer types a step on a phone (15-45 s), a manager reads a page (5-20 s), a program
# polls (5-15 s). "stress" (`INNOHUB_LOAD_PACE=stress`) a few seconds each: it finds how many
# requests a second the cluster serves at most.
PACES = {
    "realistic": {"officer": (15, 45), "manager": (5, 20), "program": (5, 15)},
    "stress": {"officer": (2, 6), "manager": (1, 4), "program": (2, 6)},
}
PACE = PACES[os.environ.get("INNOHUB_LOAD_PACE", "realistic")]
_lock = threading.Lock()


def next_of(kind: str) -> Any:
    with _lock:
        return next(_people[kind])


def confirmed(**write: Any) -> None:
    with _lock, WRITES.open("a") as out:
        out.write(json.dumps(write) + "\n")


@events.request.add_listener
def failed(request_type: str, name: str, exception: Any = None, **kwargs: Any) -> None:
    if exception is not None:
        with _lock, FAILURES.open("a") as out:
            line = {"method": request_type, "name": name, "error": str(exception)[:200]}
            out.write(json.dumps(line) + "\n")


def csrf_of(html: str) -> str:
    found = CSRF.search(html)
    return found.group(1) if found else ""


class Person(HttpUser):
    abstract = True

    def on_start(self) -> None:
        username, password = next_of(self.kind)
        page = self.client.get("/accounts/login/", name="sign-in page")
        self.client.post(
            "/accounts/login/",
            data={
                "csrfmiddlewaretoken": csrf_of(page.text),
                "username": username,
                "password": password,
            },
            name="sign in (write)",
            headers={"Referer": f"{self.host}/accounts/login/"},
        )

    def post_form(self, path: str, data: dict[str, Any], *, page: str, name: str) -> Any:
        """A form as a browser sends it: its page read for the CSRF token, then posted."""
        form = self.client.get(page, name=f"{name.split(':')[0]}: page")
        return self.client.post(
            path,
            data={"csrfmiddlewaretoken": csrf_of(form.text), **data},
            name=name,
            headers={"Referer": f"{self.host}{page}"},
            allow_redirects=False,
        )


class FieldOfficer(Person):
    """Records a journey step by step, as a secret shopper at an office."""

    kind = "officers"
    weight = 6
    wait_time = between(*PACE["officer"])

    @task
    def record_a_journey(self) -> None:
        started = self.post_form(
            "/services/journeys/new/",
            {
                "service": random.choice(SETUP["services"]),
                "area": random.choice(SETUP["areas"]),
                "observed_on": datetime.date.today().isoformat(),
                "method": "secret_shopper",
                "ref": f"load-{uuid.uuid4().hex[:12]}",
                "phase": "none",
            },
            page="/services/journeys/new/",
            name="recorder: start a journey (write)",
        )
        found = JOURNEY.search(started.headers.get("Location", ""))
        if started.status_code != 302 or not found:
            return
        journey = found.group(1)
        confirmed(kind="journey", journey=int(journey))
        steps_page = f"/services/journeys/{journey}/steps/"
        steps = random.randint(3, 5)
        for number in range(1, steps + 1):
            self.wait()  # the officer at the counter, typing the step
            added = self.post_form(
                steps_page,
                {
                    "title": f"Step {number} at the office",
                    "office": "Upazila land office",
                    "actor": "clerk",
                    "documents": "1",
                    "elapsed_days": "1",
                    "citizen_hours": "2.5",
                    "fees": "100",
                    "travel_cost": "40",
                    "other_cost": "0",
                    "visits": "1",
                },
                page=steps_page,
                name="recorder: add a step (write)",
            )
            if added.status_code != 302:
                return
            confirmed(kind="step", journey=int(journey), number=number)
        finished = self.post_form(
            f"/services/journeys/{journey}/finish/",
            {},
            page=steps_page,
            name="recorder: finish (write)",
        )
        if finished.status_code == 302 and "/steps/" not in finished.headers.get("Location", ""):
            confirmed(kind="finished", journey=int(journey), steps=steps)


class Manager(Person):
    """Reads the dashboards and the lists."""

    kind = "managers"
    weight = 3
    wait_time = between(*PACE["manager"])

    @task(3)
    def dashboard(self) -> None:
        self.client.get("/insights/", name="dashboard: nation")

    @task(2)
    def ministry(self) -> None:
        ministry = random.choice(SETUP["ministries"])
        self.client.get(f"/insights/?organisation={ministry}", name="dashboard: a ministry")

    @task(2)
    def catalogue(self) -> None:
        self.client.get("/services/", name="list: services")

    @task(2)
    def service(self) -> None:
        service = random.choice(SETUP["services"])
        self.client.get(f"/services/{service}/", name="page: a service's TCV")

    @task(2)
    def pilots(self) -> None:
        self.client.get("/pilots/", name="list: pilots")

    @task(1)
    def plans(self) -> None:
        self.client.get("/insights/plans/", name="page: action plans")


class ApiClient(HttpUser):
    """Another system: reads figures and journeys, imports and exports files."""

    weight = 1
    wait_time = between(*PACE["program"])

    def on_start(self) -> None:
        self.client.headers["Authorization"] = f"Bearer {next_of('tokens')}"

    @task(3)
    def funnel(self) -> None:
        self.client.get("/api/v1/stats/funnel", name="api: funnel")

    @task(3)
    def journeys(self) -> None:
        service = random.choice(SETUP["services"])
        self.client.get(
            f"/api/v1/journeys?service={service}&page_size=50", name="api: list journeys"
        )

    @task(1)
    def import_a_file(self) -> None:
        batch = uuid.uuid4().hex[:10]
        service = random.choice(SETUP["services"])
        area = random.choice(SETUP["areas"])
        lines = [",".join(SETUP["import_columns"])]
        for journey in range(5):
            for step in range(3):
                lines.append(
                    f"api-{batch}-{journey},{service},{area},{datetime.date.today()},"
                    f"secret_shopper,none,,S{step},Land office,1,1.5,2,100,20,0,1"
                )
        response = self.client.post(
            "/api/v1/journeys/import",
            files={"file": (f"{batch}.csv", "\n".join(lines).encode(), "text/csv")},
            name="api: import 5 journeys (write)",
        )
        if response.status_code == 200:
            confirmed(kind="import", refs=[f"api-{batch}-{n}" for n in range(5)], service=service)

    @task(1)
    def export(self) -> None:
        service = random.choice(SETUP["services"])
        self.client.get(
            f"/api/v1/journeys/export?format=csv&service={service}", name="api: export a service"
        )
