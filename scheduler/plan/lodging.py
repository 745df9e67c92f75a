"""Which hotel each class sleeps in, and what each hotel must hold: the booking list.

The solver chooses the *place* a class sleeps at each night and keeps each place within the sum
of its hotels' ``classes_per_night``. Where a place has one hotel, that is the class's hotel.
Where it has several, the classes of a night are put in them here, so that a class stays in the
hotel it slept in the night before where it can (no packing up for a move across the street),
and otherwise fills the hotels in the scenario's order.

Headcount and rooms are counted as a booking office counts them: the trainees share rooms
(``Lodging.people_per_room``), and the professor, the class teacher and the coach's driver
each have a room of their own.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from dataclasses import dataclass
from typing import Any, Protocol

from scheduler.plan.model import Plan
from scheduler.scenario.model import Lodging, Scenario


def hotels_of(scenario: Scenario, plan: Plan) -> dict[tuple[str, dt.date], str]:
    """Each class's hotel (``Scenario.hotel_keys``) after each date it sleeps somewhere.

    A night at a place with no hotel listed (a plan made for another scenario) has no entry.
    """
    at_place: dict[str, list[tuple[str, Lodging]]] = defaultdict(list)
    for key, lodge in zip(scenario.hotel_keys(), scenario.lodging, strict=True):
        at_place[lodge.place].append((key, lodge))
    by_date: dict[dt.date, list] = defaultdict(list)
    for night in plan.nights:
        by_date[night.date].append(night)
    chosen: dict[tuple[str, dt.date], str] = {}
    previous: dict[str, str] = {}
    for date in sorted(by_date):
        by_place: dict[str, list[str]] = defaultdict(list)
        for night in by_date[date]:
            by_place[night.place].append(night.class_id)
        for place, class_ids in by_place.items():
            hotels = at_place.get(place, [])
            if not hotels:
                continue
            room = {key: lodge.classes_per_night for key, lodge in hotels}
            waiting = []
            for class_id in class_ids:
                last = previous.get(class_id)
                if last in room and room[last] > 0:
                    chosen[(class_id, date)] = last
                    room[last] -= 1
                else:
                    waiting.append(class_id)
            for class_id in waiting:
                # a plan beyond the place's capacity (not checked) still names a hotel
                key = next((key for key, _ in hotels if room[key] > 0), hotels[0][0])
                chosen[(class_id, date)] = key
                room[key] -= 1
        for night in by_date[date]:
            if (night.class_id, date) in chosen:
                previous[night.class_id] = chosen[(night.class_id, date)]
    return chosen


class Crew(Protocol):
    """What ``staff`` reads of a class: the scenario's classes and the outputs' both have it."""

    @property
    def class_teacher(self) -> object | None: ...

    @property
    def coach(self) -> Any: ...


def staff(klass: Crew) -> int:
    """The people who travel with a class besides its trainees: the professor, the class
    teacher and the coach's driver, where given (a driver's name left empty names no one).
    The lodging list and the hand-outs count with this one rule."""
    return 1 + (klass.class_teacher is not None) + bool(klass.coach is not None and klass.coach.driver)


@dataclass(frozen=True)
class Booking:
    """One class's stay at one hotel one night."""

    class_id: str
    date: dt.date
    hotel: str
    trainees: int
    staff: int
    rooms: int

    @property
    def headcount(self) -> int:
        return self.trainees + self.staff


def bookings(scenario: Scenario, plan: Plan) -> list[Booking]:
    """Every class's stay each night, by date, hotel and class."""
    chosen = hotels_of(scenario, plan)
    stays = []
    for (class_id, date), key in chosen.items():
        klass = scenario.training_class(class_id)
        lodge = scenario.hotel(key)
        others = staff(klass)
        rooms = math.ceil(klass.trainees / lodge.people_per_room) + others
        stays.append(Booking(class_id, date, key, klass.trainees, others, rooms))
    return sorted(stays, key=lambda b: (b.date, b.hotel, b.class_id))
