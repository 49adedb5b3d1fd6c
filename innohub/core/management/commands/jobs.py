"""`manage.py jobs`: list background jobs, queue one again, or cancel it.

manage.py jobs list [--all]          active jobs (every job with --all), newest first
manage.py jobs retry import 12       queue import 12 again now (its worker is stuck)
manage.py jobs cancel import 12      fail it; its worker stops and writes nothing
manage.py jobs sweep                 what every worker does each minute, now
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from innohub.core import jobs


class Command(BaseCommand):
    help = "List background jobs (imports, exports), queue one again, or cancel it."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        listing = actions.add_parser("list", help="active jobs, newest first")
        listing.add_argument("--all", action="store_true", help="ended jobs too (the last 50)")
        for action in ("retry", "cancel"):
            one = actions.add_parser(action)
            one.add_argument("kind", help="the kind of job: " + ", ".join(self._names()))
            one.add_argument("id", type=int)
        actions.add_parser("sweep", help="queue again the jobs whose worker died, now")

    @staticmethod
    def _names() -> list[str]:
        return [kind.name for kind in jobs.kinds()]

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        if action == "list":
            self._list(everything=options["all"])
        elif action == "sweep":
            swept = jobs.sweep()
            self.stdout.write(
                f"{swept.requeued} queued again, {swept.failed} failed, {swept.resent} resent, "
                f"{swept.expired} expired files removed."
            )
        else:
            self._act(action, options["kind"], options["id"])

    def _list(self, *, everything: bool) -> None:
        self.stdout.write(
            f"{'kind':<8} {'id':>8}  {'status':<8} {'rows':>19}  {'runs':>4}  "
            f"{'lease until':<20} {'created':<20} error"
        )
        for kind in jobs.kinds():
            found = kind.model.objects.order_by("-created", "-pk")
            if not everything:
                found = found.filter(status__in=jobs.ACTIVE)
            for job in found[:50]:
                lease = f"{job.lease_until:%Y-%m-%d %H:%M:%S}" if job.lease_until else "—"
                self.stdout.write(
                    f"{kind.name:<8} {job.pk:>8}  {job.status:<8} "
                    f"{f'{job.rows_done}/{job.rows_total}':>19}  {job.attempts:>4}  "
                    f"{lease:<20} {job.created:%Y-%m-%d %H:%M:%S}  {job.error[:60]}"
                )

    def _act(self, action: str, name: str, job_id: int) -> None:
        kind = jobs.kind_named(name)
        if kind is None:
            raise CommandError(f"No kind of job “{name}”: use one of {', '.join(self._names())}.")
        job = kind.model.objects.filter(pk=job_id).first()
        if job is None:
            raise CommandError(f"No {name} {job_id}.")
        done = jobs.retry(job) if action == "retry" else jobs.cancel(job)
        if not done:
            raise CommandError(
                f"{name} {job_id} has ended ({job.status}): nothing to {action}."
                + (" Upload its file again to import it again." if action == "retry" else "")
            )
        self.stdout.write(
            f"{name} {job_id}: " + ("queued again." if action == "retry" else "cancelled.")
        )
