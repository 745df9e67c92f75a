"""What differs between two plans of a programme, event by event and night by night.

``diff_plans(base, other)`` pairs each event of ``base`` with its counterpart in ``other`` by
identity (``EventId``: class, kind, what it is about, ordinal) and lists what differs:
events moved (another day, time or place), added, dropped, given by another lecturer, and
nights spent elsewhere. Identical events are paired first, then events of one identity on the
same day, then the rest in time order, so a change is counted once: a seminar moved from Monday
to Friday is one move, not a chain of moves through the week. An unchanged plan gives an empty
diff. ``PlanDiff.who_must_be_told()`` names the classes, lecturers (old and new), sites and
lodging places a change concerns.

Reads plans only (ids, not names), so it serves the comparison of scenario variants and
re-planning alike.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from scheduler.plan.model import EVENT_KINDS, FREE_TIME, Event, Night, Plan
from scheduler.scenario.model import format_clock

__all__ = [
    "Audience",
    "ChangeKind",
    "EventChange",
    "EventId",
    "NightChange",
    "PlanDiff",
    "diff_plans",
    "event_subject",
    "identify",
]


MINOR_KINDS = frozenset({"travel", "meal"})
"""Events whose small moves follow from the others and concern the class alone."""


class ChangeKind(StrEnum):
    """What happened to an event (a moved event may also have changed lecturer)."""

    MOVED = "moved"  # another date, time or place
    ADDED = "added"
    DROPPED = "dropped"
    LECTURER_CHANGED = "lecturer_changed"
    DETAILS_CHANGED = "details_changed"  # same time, place and lecturer; e.g. a coach leg's figures


def event_subject(event: Event) -> str:
    """What an event is about, for its identity: the site of a visit, the topic of a lecture, the
    two ends of a coach leg (``from>to``), lunch or dinner; empty for the class's own sessions."""
    if event.kind == "field_visit":
        return event.site or ""
    if event.kind == "lecture":
        return event.topic or ""
    if event.kind == "travel":
        return f"{event.from_place or event.place}>{event.to_place or ''}"
    if event.kind == "meal":
        return event.label or ""
    return ""


@dataclass(frozen=True, order=True)
class EventId:
    """A stable identity: the ``ordinal``-th event (from 1, in time order) of this class, kind and
    subject in its plan, e.g. ``rural/seminar#3`` or ``rural/field_visit/wanyi#1``."""

    class_id: str
    kind: str
    subject: str
    ordinal: int

    @classmethod
    def group_of(cls, event: Event) -> tuple[str, str, str]:
        return event.class_id, event.kind, event_subject(event)

    def __str__(self) -> str:
        subject = f"/{self.subject}" if self.subject else ""
        return f"{self.class_id}/{self.kind}{subject}#{self.ordinal}"


def identify(plan: Plan) -> dict[EventId, Event]:
    """Every event of ``plan`` by its identity."""
    groups: dict[tuple[str, str, str], list[Event]] = defaultdict(list)
    for event in sorted(plan.events, key=_time_order):
        groups[EventId.group_of(event)].append(event)
    return {EventId(*group, n): event for group, events in groups.items() for n, event in enumerate(events, 1)}


@dataclass(frozen=True)
class EventChange:
    """One event that differs: ``before`` in the base plan, ``after`` in the other (None when the
    event was added or dropped)."""

    identity: EventId
    before: Event | None
    after: Event | None

    @property
    def class_id(self) -> str:
        return self.identity.class_id

    @property
    def kind(self) -> str:
        """The event's kind: ``lecture``, ``field_visit``, ..."""
        return self.identity.kind

    @property
    def changes(self) -> tuple[ChangeKind, ...]:
        """What differs: added, dropped, or any of moved, lecturer changed and details changed."""
        if self.before is None:
            return (ChangeKind.ADDED,)
        if self.after is None:
            return (ChangeKind.DROPPED,)
        b, a = self.before, self.after
        found = []
        if (b.date, b.start, b.end, b.place) != (a.date, a.start, a.end, a.place):
            found.append(ChangeKind.MOVED)
        if b.lecturer != a.lecturer:
            found.append(ChangeKind.LECTURER_CHANGED)
        if not found:
            found.append(ChangeKind.DETAILS_CHANGED)
        return tuple(found)

    def is_minor(self, minutes: int) -> bool:
        """A coach leg or a meal at most ``minutes`` earlier or later on the same day and at the
        same place, with nothing else changed (or only a coach leg's figures): the class is told
        on the day, no one else need be."""
        if self.kind not in MINOR_KINDS or self.before is None or self.after is None:
            return False
        b, a = self.before, self.after
        if self.changes == (ChangeKind.DETAILS_CHANGED,):
            return True
        return (
            self.changes == (ChangeKind.MOVED,)
            and b.date == a.date
            and b.place == a.place
            and abs(a.start - b.start) <= minutes
            and abs(a.end - b.end) <= minutes
        )

    @property
    def date(self) -> dt.date:
        """The date it is listed under: its date in the base plan, or in the other if it was added."""
        event = self.before or self.after
        assert event is not None
        return event.date

    @property
    def lecturers(self) -> tuple[str, ...]:
        """The lecturers it concerns: the old one and the new one."""
        return tuple(dict.fromkeys(e.lecturer for e in (self.before, self.after) if e is not None and e.lecturer))

    @property
    def sites(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(e.site for e in (self.before, self.after) if e is not None and e.site))

    def to_json(self) -> dict[str, Any]:
        return {
            "id": str(self.identity),
            "class": self.class_id,
            "kind": self.kind,
            "subject": self.identity.subject or None,
            "changes": [str(change) for change in self.changes],
            "before": _event_json(self.before),
            "after": _event_json(self.after),
        }

    def __str__(self) -> str:
        what = f"{self.kind} {self.identity.subject}".strip()
        if self.before is None:
            return f"{self.class_id}: {what} added: {_when(self.after)}"
        if self.after is None:
            return f"{self.class_id}: {what} dropped: was {_when(self.before)}"
        parts = []
        if ChangeKind.MOVED in self.changes:
            parts.append(f"moved from {_when(self.before)} to {_when(self.after)}")
        if ChangeKind.LECTURER_CHANGED in self.changes:
            parts.append(f"lecturer {self.before.lecturer} -> {self.after.lecturer}")
        if ChangeKind.DETAILS_CHANGED in self.changes:
            parts.append(f"details changed ({_when(self.after)})")
        return f"{self.class_id}: {what} {', '.join(parts)}"


@dataclass(frozen=True)
class NightChange:
    """A class that sleeps elsewhere after ``date`` (``None``: no night there in that plan)."""

    class_id: str
    date: dt.date
    before: str | None
    after: str | None

    def to_json(self) -> dict[str, Any]:
        return {"class": self.class_id, "date": self.date.isoformat(), "before": self.before, "after": self.after}

    def __str__(self) -> str:
        return f"{self.class_id}: night after {self.date}: {self.before or 'none'} -> {self.after or 'none'}"


@dataclass(frozen=True)
class Audience:
    """Who must be told of a plan's changes: ids, in the order the changes come."""

    classes: tuple[str, ...]
    lecturers: tuple[str, ...]
    sites: tuple[str, ...]
    lodging: tuple[str, ...]

    @property
    def is_empty(self) -> bool:
        return not (self.classes or self.lecturers or self.sites or self.lodging)

    def to_json(self) -> dict[str, list[str]]:
        return {
            "classes": list(self.classes),
            "lecturers": list(self.lecturers),
            "sites": list(self.sites),
            "lodging": list(self.lodging),
        }


@dataclass(frozen=True)
class PlanDiff:
    """Everything that differs between a base plan and another: events and nights, by class,
    date and time."""

    events: tuple[EventChange, ...]
    nights: tuple[NightChange, ...]

    @property
    def is_empty(self) -> bool:
        return not (self.events or self.nights)

    @property
    def changed_events(self) -> int:
        """How many events differ (an event moved and given another lecturer counts once)."""
        return len(self.events)

    def count(self, change: ChangeKind) -> int:
        """How many events have this change."""
        return sum(change in event.changes for event in self.events)

    def classes(self) -> tuple[str, ...]:
        """The classes with a change, in the order the changes come."""
        return tuple(dict.fromkeys([c.class_id for c in self.events] + [n.class_id for n in self.nights]))

    def by_class_and_date(self) -> dict[str, dict[dt.date, list[EventChange | NightChange]]]:
        """The changes of each class and date (a moved event under its date in the base plan),
        events in time order, then the night."""
        grouped: dict[str, dict[dt.date, list[EventChange | NightChange]]] = {}
        for change in (*self.events, *self.nights):
            grouped.setdefault(change.class_id, {}).setdefault(change.date, []).append(change)
        return {class_id: {date: by_date[date] for date in sorted(by_date)} for class_id, by_date in grouped.items()}

    def without_minor(self, minutes: int) -> tuple[PlanDiff, int]:
        """This diff without its minor changes (``EventChange.is_minor``), and how many there were."""
        kept = tuple(change for change in self.events if not change.is_minor(minutes))
        return PlanDiff(kept, self.nights), len(self.events) - len(kept)

    def who_must_be_told(self) -> Audience:
        """The classes with a change; the lecturers of every changed lecture (the one it had and
        the one it has); the sites of every changed visit; the lodging places of every changed
        night (the old and the new)."""
        return Audience(
            classes=self.classes(),
            lecturers=_unique(lecturer for change in self.events for lecturer in change.lecturers),
            sites=_unique(site for change in self.events for site in change.sites),
            lodging=_unique(place for night in self.nights for place in (night.before, night.after) if place),
        )

    def to_json(self) -> dict[str, Any]:
        """The diff as JSON-ready data: counts, the changes and who must be told."""
        return {
            "changed_events": self.changed_events,
            "counts": {str(kind): self.count(kind) for kind in ChangeKind},
            "changed_nights": len(self.nights),
            "events": [change.to_json() for change in self.events],
            "nights": [night.to_json() for night in self.nights],
            "who_must_be_told": self.who_must_be_told().to_json(),
        }


def diff_plans(base: Plan, other: Plan, kinds: Collection[str] | None = None) -> PlanDiff:
    """What differs between ``base`` and ``other``, by class (in the order of the base plan),
    date and time.

    Parameters
    ----------
    base
        The reference plan (the saved plan, or the base scenario's plan).
    other
        The plan to compare with it (the re-plan, or a variant's plan).
    kinds
        Compare only events of these kinds (e.g. without ``travel`` and ``meal``, which follow
        from the others); all kinds if None. Nights are always compared; free time, which
        follows from the rest of the day, never is.
    """
    kept = set(kinds) if kinds is not None else set(EVENT_KINDS)
    kept.discard(FREE_TIME)
    base = Plan(tuple(e for e in base.events if e.kind in kept), base.nights)
    other = Plan(tuple(e for e in other.events if e.kind in kept), other.nights)
    base_ids = {id(event): identity for identity, event in identify(base).items()}
    other_ids = {id(event): identity for identity, event in identify(other).items()}
    base_groups = _groups(base.events)
    other_groups = _groups(other.events)
    changes: list[EventChange] = []
    for group in dict.fromkeys([*base_groups, *other_groups]):
        pairs, dropped, added = _pair(base_groups.get(group, []), other_groups.get(group, []))
        changes += [EventChange(base_ids[id(b)], b, a) for b, a in pairs]
        changes += [EventChange(base_ids[id(b)], b, None) for b in dropped]
        changes += [EventChange(other_ids[id(a)], None, a) for a in added]
    order = {class_id: n for n, class_id in enumerate(dict.fromkeys(e.class_id for e in (*base.events, *other.events)))}
    changes.sort(key=lambda c: (order[c.class_id], c.date, _time_order(c.before or c.after)))  # type: ignore[arg-type]
    return PlanDiff(tuple(changes), _night_changes(base.nights, other.nights, order))


def _time_order(event: Event) -> tuple[dt.date, int, int]:
    return event.date, event.start, event.end


def _groups(events: Iterable[Event]) -> dict[tuple[str, str, str], list[Event]]:
    groups: dict[tuple[str, str, str], list[Event]] = defaultdict(list)
    for event in sorted(events, key=_time_order):
        groups[EventId.group_of(event)].append(event)
    return groups


def _pair(base: list[Event], other: list[Event]) -> tuple[list[tuple[Event, Event]], list[Event], list[Event]]:
    """Events of one identity group: (pairs that differ, dropped, added). Identical events pair
    first, then events on the same date, then the rest in time order."""
    left, right = list(base), list(other)
    for event in base:
        if event in right:
            left.remove(event)
            right.remove(event)
    pairs = []
    for event in list(left):
        same_day = next((o for o in right if o.date == event.date), None)
        if same_day is not None:
            pairs.append((event, same_day))
            left.remove(event)
            right.remove(same_day)
    pairs += list(zip(left, right, strict=False))
    return pairs, left[len(right) :], right[len(left) :]


def _night_changes(base: Iterable[Night], other: Iterable[Night], order: dict[str, int]) -> tuple[NightChange, ...]:
    before = {(n.class_id, n.date): n.place for n in base}
    after = {(n.class_id, n.date): n.place for n in other}
    keys = sorted(set(before) | set(after), key=lambda key: (order.get(key[0], len(order)), key[0], key[1]))
    return tuple(
        NightChange(class_id, date, before.get((class_id, date)), after.get((class_id, date)))
        for class_id, date in keys
        if before.get((class_id, date)) != after.get((class_id, date))
    )


def _unique(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(values))


def _when(event: Event | None) -> str:
    assert event is not None
    who = f" ({event.lecturer})" if event.lecturer else ""
    return f"{event.date} {format_clock(event.start)}-{format_clock(event.end)} at {event.place}{who}"


def _event_json(event: Event | None) -> dict[str, Any] | None:
    if event is None:
        return None
    data: dict[str, Any] = {
        "date": event.date.isoformat(),
        "start": format_clock(event.start),
        "end": format_clock(event.end),
        "place": event.place,
    }
    for key in ("site", "topic", "lecturer", "label"):
        if getattr(event, key) is not None:
            data[key] = getattr(event, key)
    if event.kind == "travel":
        data |= {"from": event.from_place, "to": event.to_place}
    return data
