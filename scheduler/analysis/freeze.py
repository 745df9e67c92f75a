"""The frozen part of a re-plan: what must stay exactly as it was, whether it can, and whether it did.

A re-plan with ``--freeze-until`` keeps every event that starts before the freeze point, and
every night before its day, exactly as the saved plan has them (``Freeze.keeps``).
``cannot_keep()`` says, before any solving, which of them break a rule of the changed scenario
(and so make every re-plan impossible); ``not_kept()`` lists, after it, what a new plan failed
to keep, so that the command can say so rather than print a plan that silently moved them.
"""

from __future__ import annotations

from dataclasses import dataclass

from scheduler.analysis.check import check, describe, say_date
from scheduler.analysis.wording import Sentence
from scheduler.plan.model import FREE_TIME, Event, Freeze, Night, Plan
from scheduler.scenario.model import Scenario, format_clock

__all__ = ["FrozenDifference", "cannot_keep", "frozen_part", "not_kept"]


def frozen_part(plan: Plan, freeze: Freeze) -> tuple[list[Event], list[Night]]:
    """The events that start before the freeze point, and the nights before its day. Free time
    is not among them: it follows from the rest of its day, which may change after the point."""
    events = [e for e in plan.events if e.kind != FREE_TIME and freeze.keeps(e)]
    return events, [n for n in plan.nights if n.date < freeze.date]


@dataclass(frozen=True)
class FrozenDifference:
    """What a new plan changed in the frozen part: old events or nights it lacks, and events
    before the freeze point it adds."""

    lost: tuple[Event | Night, ...]
    added: tuple[Event, ...]

    def __bool__(self) -> bool:
        return bool(self.lost or self.added)

    def sentences(self) -> list[Sentence]:
        said = [Sentence("not_kept_as_it_was", item=_say(item)) for item in self.lost]
        return said + [Sentence("new_before_freeze", item=_say(item)) for item in self.added]


def not_kept(old: Plan, new: Plan, freeze: Freeze) -> FrozenDifference:
    """Every frozen event or night of ``old`` that ``new`` does not have exactly, and every event
    of ``new`` before the freeze point that ``old`` does not have."""
    old_events, old_nights = frozen_part(old, freeze)
    new_events, new_nights = frozen_part(new, freeze)
    have_events, have_nights = set(new_events), set(new_nights)
    lost = [e for e in old_events if e not in have_events] + [n for n in old_nights if n not in have_nights]
    kept = set(old_events)
    return FrozenDifference(tuple(lost), tuple(e for e in new_events if e not in kept))


def cannot_keep(scenario: Scenario, old: Plan, freeze: Freeze) -> list[Sentence]:
    """Why the frozen part of ``old`` cannot be kept under ``scenario``: one sentence per broken
    rule, empty when nothing frozen breaks one.

    Everything on the days before the freeze point's day is frozen, so a rule that ``old``
    breaks there under the changed scenario is broken by every re-plan; on the freeze point's
    day itself, a broken rule counts when it names something a frozen event uses. A class that
    the saved plan does not have at all has nothing to keep before the freeze point, so it
    cannot be planned when that point is past the programme's first morning.
    """
    programme = scenario.programme
    reasons: list[Sentence] = []
    planned = {e.class_id for e in old.events}
    if (freeze.date, freeze.minute) > (programme.first_date, 0):
        for klass in scenario.classes:
            if klass.id not in planned:
                reasons.append(
                    Sentence(
                        "not_in_saved_plan",
                        class_id=klass.id,
                        date=say_date(freeze.date),
                        time=f" {format_clock(freeze.minute)}" if freeze.minute else "",
                        first=programme.first_date,
                    )
                )
    events, _ = frozen_part(old, freeze)
    used = {
        (e.class_id, value)
        for e in events
        if e.date == freeze.date
        for value in (e.site, e.lecturer, e.topic)
        if value is not None
    }
    for violation in check(scenario, old):
        if violation.date is None or violation.date > freeze.date:
            continue
        if violation.date == freeze.date and not any((violation.class_id, i) in used for i in violation.ids):
            continue
        if violation.class_id is not None and violation.class_id not in planned:
            continue  # said once above
        reasons.append(violation.message)
    return reasons


def _say(item: Event | Night) -> Sentence:
    if isinstance(item, Night):
        return Sentence("night_of", class_id=item.class_id, date=say_date(item.date), place=item.place)
    return Sentence("event_of", class_id=item.class_id, event=describe(item), date=say_date(item.date))
