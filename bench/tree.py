"""Benchmark: "everything below this area" on a 100k-area tree, materialised path vs recursive CTE.

    make bench-tree                                   # SQLite (a scratch file under var/)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/innohub_bench make bench-tree

Builds country → 8 divisions → 64 districts → ~500 subdistricts → ~100,000 unions in a scratch
database, then times, on the same data in the same run:
  - path:  Area.objects.descendants_of(x).count()  (what the app uses: an indexed prefix query)
  - cte:   WITH RECURSIVE over parent_id              (the baseline it replaced)
  - move:  re-parenting a district with its whole subtree (one UPDATE of the paths)
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "innohub.settings")
if "DATABASE_URL" not in os.environ:
    scratch = ROOT / "var" / "bench-tree.sqlite3"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{scratch}{suffix}").unlink(missing_ok=True)
    os.environ["DATABASE_URL"] = f"sqlite:///{scratch}"

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from innohub.geo.models import Area, Level  # noqa: E402

DIVISIONS, DISTRICTS_PER, SUBDISTRICTS_PER, UNIONS_PER = 8, 8, 8, 195
REPEATS = 30


def build() -> int:
    call_command("migrate", verbosity=0)
    Area.objects.all().delete()
    with transaction.atomic():
        country = Area.objects.create(code="BX", name="Benchland", level=Level.COUNTRY)
        next_id = country.pk + 1
        rows: list[Area] = []

        def add(
            code: str, level: str, parent_id: int, parent_path: str, depth: int
        ) -> tuple[int, str]:
            nonlocal next_id
            pk, next_id = next_id, next_id + 1
            path = f"{parent_path}{pk}/"
            rows.append(
                Area(
                    pk=pk,
                    code=code,
                    name=code,
                    level=level,
                    parent_id=parent_id,
                    path=path,
                    depth=depth,
                )
            )
            return pk, path

        for d in range(DIVISIONS):
            dv, dv_path = add(f"BX-{d}", Level.DIVISION, country.pk, country.path, 1)
            for s in range(DISTRICTS_PER):
                ds, ds_path = add(f"BX-{d}-{s}", Level.DISTRICT, dv, dv_path, 2)
                for u in range(SUBDISTRICTS_PER):
                    us, us_path = add(f"BX-{d}-{s}-{u}", Level.SUBDISTRICT, ds, ds_path, 3)
                    for n in range(UNIONS_PER):
                        add(f"BX-{d}-{s}-{u}-{n}", Level.UNION, us, us_path, 4)
        Area.objects.bulk_create(rows, batch_size=5000)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return Area.objects.count()


def timed(fn, repeats: int = REPEATS) -> tuple[float, object]:
    samples, result = [], None
    for _ in range(repeats):
        start = time.perf_counter()
        result = fn()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples) * 1000, result


CTE = """
WITH RECURSIVE below(id) AS (
    SELECT id FROM geo_area WHERE id = %s
    UNION ALL
    SELECT a.id FROM geo_area a JOIN below b ON a.parent_id = b.id
)
SELECT COUNT(*) FROM below
"""


def cte_count(pk: int) -> int:
    with connection.cursor() as cursor:
        cursor.execute(CTE, [pk])
        return cursor.fetchone()[0]


def main() -> None:
    vendor = connection.vendor
    start = time.perf_counter()
    total = build()
    print(f"[{vendor}] built {total:,} areas in {time.perf_counter() - start:.1f}s")
    division = Area.objects.get(code="BX-3")
    district = Area.objects.get(code="BX-3-4")
    for label, node in (("division", division), ("district", district)):
        path_ms, path_n = timed(lambda n=node: Area.objects.descendants_of(n).count())
        cte_ms, cte_n = timed(lambda n=node: cte_count(n.pk))
        assert path_n == cte_n, (path_n, cte_n)
        print(
            f"[{vendor}] below a {label} ({path_n:,} areas): path {path_ms:.2f} ms, "
            f"recursive CTE {cte_ms:.2f} ms, ratio {cte_ms / path_ms:.1f}x (median of {REPEATS})"
        )
    other = Area.objects.get(code="BX-5")
    moved = Area.objects.descendants_of(district).count()
    start = time.perf_counter()
    district.parent = other
    district.save()
    move_ms = (time.perf_counter() - start) * 1000
    assert (
        Area.objects.descendants_of(other).filter(code__startswith="BX-3-4-").count() == moved - 1
    )
    print(f"[{vendor}] moving a district with {moved:,} areas below it: {move_ms:.0f} ms")


if __name__ == "__main__":
    main()
