"""Single disruptions of a planned programme, for a robustness sweep (``solve.py sweep``).

``disruptions(scenario, plan, kinds)`` lists every single disruption of the kinds asked, in a
fixed order (the same on every machine): each lecturer away on each day of the programme
(``lecturer-away``), each site closed on a day the plan visits it (``site-closed``), and the
daily coach limit an hour lower on each day and on every day at once (``coach-limit``).
``Disruption.apply(scenario)`` gives the scenario with that one change, validated like any
scenario. Disruptions are plain data, so they travel to other processes and machines.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from scheduler.plan.model import Plan
from scheduler.scenario.model import Scenario

__all__ = ["COACH_HOUR", "KINDS", "Disruption", "disruptions"]

KINDS = ("lecturer-away", "site-closed", "coach-limit")
"""The kinds of disruption a sweep can make, in the order a sweep lists them."""
COACH_HOUR = 60
"""How much lower the coach limit is in a ``coach-limit`` disruption, in minutes."""


@dataclass(frozen=True, order=True)
class Disruption:
    """One change to the programme: ``kind`` with its ``subject`` (a lecturer or site id; None for
    the coach limit), on ``date`` (None: every day of the programme)."""

    kind: str
    subject: str | None
    date: dt.date | None
    minutes: int = 0
    """For ``coach-limit``: how much lower the limit is."""

    @property
    def key(self) -> str:
        """A stable name: ``lecturer-away:lect_org:2019-08-27``, ``coach-limit:all:-60``."""
        when = self.date.isoformat() if self.date else "all"
        if self.kind == "coach-limit":
            return f"{self.kind}:{when}:-{self.minutes}"
        return f"{self.kind}:{self.subject}:{when}"

    def describe(self, scenario: Scenario, lang: str = "en") -> str:
        """The disruption in the organiser's words, with names in ``lang``."""
        zh = lang == "zh"
        day = f"{self.date:%m-%d}" if self.date else ("全周" if zh else "every day")
        if self.kind == "lecturer-away":
            name = scenario.lecturer(self.subject).label(lang) if self.subject else "?"
            return f"{name} {day}不能授课" if zh else f"{name} away on {day}"
        if self.kind == "site-closed":
            name = scenario.site_name(self.subject, lang) if self.subject else "?"
            return f"{name} {day}闭馆" if zh else f"{name} closed on {day}"
        if zh:
            return f"{day}每日车程上限减少{self.minutes}分钟"
        return f"coach limit {self.minutes} min lower " + (f"on {day}" if self.date else "every day")

    def apply(self, scenario: Scenario) -> Scenario:
        """``scenario`` with this disruption, validated like a scenario file.

        Raises
        ------
        ValueError
            The disruption does not fit the scenario (an unknown lecturer or site, a date outside
            the programme, a coach limit that would fall to nothing).
        """
        programme = scenario.programme
        dates = [self.date] if self.date is not None else [programme.date_of(d) for d in range(programme.days)]
        if any(programme.day_of(date) is None for date in dates):
            raise ValueError(f"{self.key}: {self.date} is outside the programme")
        data = scenario.model_dump(by_alias=True)
        if self.kind == "lecturer-away":
            lecturer = _entry(data["lecturers"], self.subject, "lecturer")
            lecturer["unavailable"] = [*lecturer.get("unavailable", ()), *({"date": date} for date in dates)]
        elif self.kind == "site-closed":
            site = _entry(data["sites"], self.subject, "site")
            site["closed_dates"] = sorted({*site.get("closed_dates", ()), *dates})
        elif self.kind == "coach-limit":
            overrides = data["programme"]["day_overrides"] = list(data["programme"].get("day_overrides") or ())
            for date in dates:
                day = programme.day_of(date)
                assert day is not None
                lower = scenario.max_coach_minutes_on(day) - self.minutes
                if lower <= 0:
                    raise ValueError(f"{self.key}: the coach limit on {date} would fall to {lower} minutes")
                entry = next((o for o in overrides if o.get("day") == day + 1), None)
                if entry is None:
                    overrides.append({"day": day + 1, "max_coach_minutes": lower})
                else:
                    entry["max_coach_minutes"] = lower
        else:
            raise ValueError(f"unknown kind of disruption {self.kind!r} (expected one of: {', '.join(KINDS)})")
        return Scenario.model_validate(data)

    def to_json(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "kind": self.kind,
            "subject": self.subject,
            "date": self.date.isoformat() if self.date else None,
            "minutes": self.minutes or None,
        }


def _entry(entries: list[dict[str, Any]], ident: str | None, what: str) -> dict[str, Any]:
    for entry in entries:
        if entry.get("id") == ident:
            return entry
    raise ValueError(f"no {what} {ident!r} in the scenario")


def disruptions(scenario: Scenario, plan: Plan, kinds: tuple[str, ...] = KINDS) -> list[Disruption]:
    """Every single disruption of ``kinds`` for ``plan``, in a fixed order.

    Parameters
    ----------
    scenario
        The scenario the plan was made for.
    plan
        The plan whose robustness is asked: it decides which sites are visited on which days.
    kinds
        Any of ``KINDS``.
    """
    unknown = [kind for kind in kinds if kind not in KINDS]
    if unknown:
        raise ValueError(f"unknown kind {unknown[0]!r} (expected any of: {', '.join(KINDS)})")
    programme = scenario.programme
    dates = [programme.date_of(day) for day in range(programme.days)]
    found: list[Disruption] = []
    for kind in KINDS:
        if kind not in kinds:
            continue
        if kind == "lecturer-away":
            found += [Disruption(kind, lecturer.id, date) for lecturer in scenario.lecturers for date in dates]
        elif kind == "site-closed":
            visited = sorted({(e.site, e.date) for e in plan.events if e.kind == "field_visit" and e.site})
            order = {site.id: n for n, site in enumerate(scenario.sites)}
            visited.sort(key=lambda pair: (order.get(pair[0], len(order)), pair[1]))
            found += [Disruption(kind, site, date) for site, date in visited]
        else:
            found += [Disruption(kind, None, date, COACH_HOUR) for date in dates]
            found.append(Disruption(kind, None, None, COACH_HOUR))
    return found
