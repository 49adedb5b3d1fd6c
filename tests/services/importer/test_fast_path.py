"""The import's fast path is a pure speed-up of its full check: whatever the fast path
accepts, the full check accepts as the same values with no error; and whatever the file
import accepts as a step, the rule every other path uses (`steps.validate_steps`) accepts."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from innohub.services.importer.step_cells import StepCells
from innohub.services.steps import PainPointData, StepData, validate_steps

TEXTS = st.one_of(
    st.sampled_from(
        [
            "",
            " ",
            "Apply at the land office",
            " padded ",
            "a" * 200,
            "a" * 201,
            "é" * 200,
            "e\u0301" * 150,  # 300 characters typed, 150 once composed (NFC)
            "x\x00y",
            "ভূমি অফিস",
            "ক্ষ" * 70,
        ]
    ),
    st.text(max_size=8),
    st.integers(-5, 5),
    st.none(),
)
LONG_TEXTS = st.one_of(TEXTS, st.sampled_from(["p" * 2000, "p" * 2001, " p" * 1000 + " "]))
NUMBERS = st.one_of(
    st.sampled_from(
        [
            "0",
            "1",
            "2.5",
            "2.50",
            "2.505",
            "-1",
            "-0",
            "+3",
            "1e3",
            " 7 ",
            ".5",
            "5.",
            "99999.99",
            "100000",
            "999999999999.99",
            "1000000000000",
            "10000",
            "10001",
            "abc",
            "",
            "٣",
            "NaN",
            "Infinity",
        ]
    ),
    st.integers(-3, 20_000),
    st.floats(allow_nan=True, allow_infinity=True, width=32),
    st.booleans(),
    st.none(),
    st.decimals(places=3, min_value=-10, max_value=10, allow_nan=False),
    st.dates(),
)
CATEGORIES = st.sampled_from(["", "waiting", "WAITING", " waiting ", "bogus", "x\x00", None])


def _row(step: dict) -> tuple:
    values = [""] * 19
    for position, name in (
        (7, "title"),
        (8, "office"),
        (9, "documents"),
        (10, "elapsed_days"),
        (11, "citizen_hours"),
        (12, "fees"),
        (13, "travel_cost"),
        (14, "other_cost"),
        (15, "visits"),
        (16, "actor"),
        (17, "category"),
        (18, "pain"),
    ):
        values[position] = step[name]
    return tuple(values)


ANY = {
    "title": TEXTS,
    "office": TEXTS,
    "actor": TEXTS,
    "documents": NUMBERS,
    "elapsed_days": NUMBERS,
    "citizen_hours": NUMBERS,
    "fees": NUMBERS,
    "travel_cost": NUMBERS,
    "other_cost": NUMBERS,
    "visits": NUMBERS,
    "category": CATEGORIES,
    "pain": LONG_TEXTS,
}
GOOD = {
    "title": "Apply at the land office",
    "office": "Upazila Land Office",
    "actor": "citizen",
    "documents": "3",
    "elapsed_days": "2.5",
    "citizen_hours": "4",
    "fees": "100.00",
    "travel_cost": "50",
    "other_cost": "0",
    "visits": "1",
    "category": "waiting",
    "pain": "Three hours in the queue",
}


@st.composite
def steps(draw: st.DrawFn) -> dict:
    """A good row with up to three of its cells replaced by anything: most rows are then a
    few values away from good, which is where a fast path and its check can disagree."""
    step = dict(GOOD)
    for name in draw(st.lists(st.sampled_from(sorted(ANY)), max_size=3, unique=True)):
        step[name] = draw(ANY[name])
    return step


STEPS = steps()


@settings(max_examples=600, deadline=None)
@given(STEPS)
def test_what_the_fast_path_accepts_the_full_check_accepts_alike(step):
    values = _row(step)
    fast_cells = StepCells()
    fast = fast_cells.fast(values)
    again = fast_cells.fast(values)  # from the fast path's memory this time
    slow, errors = StepCells().check(2, values)
    assert again == fast
    if fast is not None:
        assert slow == fast
        assert errors == []
    # The full check says why whenever it refuses a row.
    assert (slow is None) == bool(errors)


@settings(max_examples=600, deadline=None)
@given(STEPS)
def test_a_step_the_file_import_accepts_is_a_step_every_other_path_accepts(step):
    parsed, _errors = StepCells().check(2, _row(step))
    if parsed is None:
        return
    title, office, actor, documents, days, hours, fees, travel, other, visits, category, pain = (
        parsed
    )
    validate_steps(
        [
            StepData(
                title=title,
                office=office,
                actor=actor,
                documents=documents,
                elapsed_days=Decimal(days),
                citizen_hours=Decimal(hours),
                fees=Decimal(fees),
                travel_cost=Decimal(travel),
                other_cost=Decimal(other),
                visits=visits,
                pain_points=(PainPointData(category, pain),) if category else (),
            )
        ]
    )
