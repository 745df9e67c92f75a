"""The scenario: a frozen, validated description of a training programme.

This module is the input layer. It knows nothing of OR-Tools and renders nothing: it
turns a YAML mapping into checked, immutable objects that the solver, the checker and
every output read. Clock times are written ``"HH:MM"`` in YAML and held as minutes after
midnight; durations are whole minutes; shares are fractions between 0 and 1.
"""

from __future__ import annotations

import datetime as dt
import difflib
import functools
import math
import re
import unicodedata
import zoneinfo
from collections import Counter
from collections.abc import Mapping
from enum import StrEnum
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    WithJsonSchema,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from scheduler.scenario.wording import Message

# ---------------------------------------------------------------------------
# Limits of the format
#
# Every number in a scenario has an upper bound that no real programme reaches, so that a
# mistyped or hostile value is refused at its line instead of overflowing the solver's 64-bit
# arithmetic (the objective multiplies weights by minutes, visits and values). The bounds are
# documented in docs/scenario-format.md ("Limits").

SCHEMA_VERSIONS = (1,)
"""The versions of the scenario format this program reads."""
FIRST_YEAR, LAST_YEAR = 1900, 2200
"""Dates are between 1900-01-01 and 2200-12-31 (a programme may run a year past the last)."""
MAX_DAYS = 366
MINUTES_PER_DAY = 24 * 60
MAX_TRAINEES = 100_000
"""Trainees in one class, or at one site at once."""
MAX_COUNT = 10_000
"""Counts over a programme: lectures, sessions, visits, classes at a site, class hours."""
MAX_PER_DAY = 100
"""Counts within one day or evening: sessions, visits, class hours of one lecture or evening."""
MAX_SITE_VALUE = 1_000
MAX_WEIGHT = 1_000_000
MAX_KM = 100_000
MAX_NAME_LENGTH = 200
"""Characters in a name, a city, an affiliation or an organiser."""
MAX_TEXT_LENGTH = 2_000
"""Characters in an address or a note."""
MAX_PHONE_LENGTH = 40
"""Characters in a phone number."""
MAX_CONTACTS = 20
"""Contacts of one site, hotel or programme."""


# ---------------------------------------------------------------------------
# Small types

_CLOCK = re.compile(r"^(\d{1,2}):(\d{2})$")


def parse_clock(value: Any) -> int:
    """Turn ``"HH:MM"`` into minutes after midnight (``"24:00"`` is allowed)."""
    if not isinstance(value, str):
        raise ValueError(Message("clock_not_quoted", shown=_written(value)))
    match = _CLOCK.match(value.strip())
    if not match:
        raise ValueError(Message("not_a_clock_time", shown=repr(value)))
    hours, mins = int(match.group(1)), int(match.group(2))
    if mins >= 60:
        raise ValueError(Message("clock_minutes", shown=repr(value), minutes=mins))
    minutes = hours * 60 + mins
    if not 0 <= minutes <= 24 * 60:
        raise ValueError(Message("outside_the_day", shown=repr(value)))
    return minutes


def _written(value: Any) -> str:
    """A value that is not text, for a message: as Python writes it (``None``, ``True``, ``90``),
    the way the English messages always showed it; in Chinese an empty value is said in words,
    and true and false are written as in the file."""
    if value is None:
        return Message("none_written")
    if isinstance(value, bool):
        return Message("true_written" if value else "false_written")
    return repr(value)


def on_step(minute: int, step: int) -> int:
    """The first clock time at or after ``minute`` that is a multiple of ``step`` minutes."""
    return -(-minute // step) * step


def format_clock(minutes: int) -> str:
    """Minutes after midnight as ``"HH:MM"``."""
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


ClockTime = Annotated[
    int,
    BeforeValidator(parse_clock),
    PlainSerializer(format_clock, return_type=str),
    WithJsonSchema({"type": "string", "pattern": r"^\d{1,2}:\d{2}$", "examples": ["08:30"]}),
]
"""A clock time: ``"HH:MM"`` in YAML, minutes after midnight in Python."""


def _not_a_bool_int(value: Any) -> Any:
    """YAML reads ``yes``, ``no``, ``on``, ``off`` as true or false; none of them is a number."""
    if isinstance(value, bool):
        raise PydanticCustomError("int_type", "Input should be a valid integer")
    return value


def _not_a_bool_float(value: Any) -> Any:
    if isinstance(value, bool):
        raise PydanticCustomError("float_type", "Input should be a valid number")
    return value


Int = Annotated[int, BeforeValidator(_not_a_bool_int)]
"""A whole number; true and false (``yes``, ``on``, ...) are not numbers."""
Float = Annotated[float, BeforeValidator(_not_a_bool_float)]
"""A finite number (every model refuses nan and inf); true and false are not numbers."""

Minutes = Annotated[Int, Field(ge=0, le=MINUTES_PER_DAY, description="whole minutes")]


def _to_hundredth(value: Any) -> int | float:
    """Minutes with at most two decimals; whole numbers stay whole."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(Message("not_minutes", shown=_written(value)))
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError(Message("not_finite_minutes", shown=repr(value)))
    if value < 0:
        raise ValueError(Message("negative", shown=repr(value), unit=Message("minutes_unit")))
    if value > MINUTES_PER_DAY:
        shown = value if abs(value) < 10**15 else Message("a_number_with_digits", digits=len(str(int(value))))
        raise ValueError(Message("more_than_a_day", shown=shown, most=MINUTES_PER_DAY))
    if abs(value * 100 - round(value * 100)) > 1e-6:
        raise ValueError(Message("more_than_two_decimals", shown=repr(value)))
    return int(value) if float(value).is_integer() else round(float(value), 2)


DrivingMinutes = Annotated[
    int | float,
    BeforeValidator(_to_hundredth),
    WithJsonSchema(
        {"type": "number", "minimum": 0, "maximum": MINUTES_PER_DAY, "multipleOf": 0.01, "examples": [360, 21.65]}
    ),
]
"""Coach driving minutes, to the hundredth of a minute (measured legs and driving limits)."""
PositiveMinutes = Annotated[Int, Field(gt=0, le=MINUTES_PER_DAY, description="whole minutes")]
Share = Annotated[Float, Field(ge=0.0, le=1.0, description="a fraction between 0 and 1")]

IDENTIFIER_PATTERN = r"^\p{L}[\p{L}\p{M}\p{Nd}_\-]*(?:\.[\p{L}\p{M}\p{Nd}_\-]+)*$"
"""An id: a letter (of any script), then letters, digits, '_', '-' and single dots inside.

Never a path: no '/', no '\\', no '..', nothing before the first letter, no dot at either end.
(Rust regex syntax, which pydantic uses: ``\\p{L}`` is any letter, ``\\p{M}`` a combining mark.)"""
Identifier = Annotated[
    str,
    Field(
        min_length=1,
        max_length=64,
        pattern=IDENTIFIER_PATTERN,
        description="a short id: a letter of any script, then letters, digits, '_', '-' or single dots",
    ),
]

_LINE_BREAKS = frozenset("\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")


def _text_problem(value: str, *, single_line: bool) -> Message | None:
    """What makes ``value`` unfit as text in a scenario, or None."""
    for character in value:
        code = ord(character)
        if 0xD800 <= code <= 0xDFFF:
            return Message("text_surrogate", shown=_shown(value), code=code)
        if single_line and character in _LINE_BREAKS:
            return Message("text_line_break", shown=_shown(value), code=code)
        if character == "\t" and single_line:
            return Message("text_tab", shown=_shown(value))
        if character in "\n\t":
            continue
        if unicodedata.category(character) == "Cc":
            return Message("text_control_character", shown=_shown(value), code=code)
    return None


def _single_line(value: str) -> str:
    problem = _text_problem(value, single_line=True)
    if problem:
        raise ValueError(problem)
    return value


def _multi_line(value: str) -> str:
    problem = _text_problem(value, single_line=False)
    if problem:
        raise ValueError(problem)
    return value


def _shown(value: str) -> str:
    text = value if len(value) <= 40 else value[:37] + "..."
    return ascii(text) if any(0xD800 <= ord(c) <= 0xDFFF for c in text) else repr(text)


Name = Annotated[str, Field(max_length=MAX_NAME_LENGTH), AfterValidator(_single_line)]
"""One line of printable text: a name, a city, an affiliation (tabs and line breaks refused)."""
Text = Annotated[str, Field(max_length=MAX_TEXT_LENGTH), AfterValidator(_multi_line)]
"""Printable text that may run over several lines (an address, a note); tabs allowed."""

_PHONE = re.compile(r"^\+?[0-9(][0-9 ()\-./]*(?:\s*(?:ext\.?|x|转|分机)\s*[0-9]+)?$")
_EMAIL = re.compile(r"^[^@\s<>\"'`]+@[^@\s<>\"'`]+\.[^@\s<>\"'`]+$")


def _phone(value: str) -> str:
    """A phone number as people write it; kept as text and shown as written, never dialled or
    linked by the outputs."""
    if not _PHONE.match(value.strip()) or not any(c.isdigit() for c in value):
        raise ValueError(Message("not_a_phone_number", shown=_shown(value)))
    return value.strip()


def _email(value: str) -> str:
    if not _EMAIL.match(value.strip()):
        raise ValueError(Message("not_an_email_address", shown=_shown(value)))
    return value.strip()


Phone = Annotated[str, Field(max_length=MAX_PHONE_LENGTH), AfterValidator(_phone)]
"""A phone number, as text: digits, spaces, ``+ - ( ) . /`` and an optional extension."""
Email = Annotated[str, Field(max_length=MAX_NAME_LENGTH), AfterValidator(_email)]
"""An e-mail address, as text."""


def _in_era(value: dt.date) -> dt.date:
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise ValueError(Message("outside_the_years", date=value, first=FIRST_YEAR, last=LAST_YEAR))
    return value


Date = Annotated[dt.date, AfterValidator(_in_era)]
"""A date, ``YYYY-MM-DD``, in the years 1900 to 2200."""


@functools.cache
def _time_zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def _time_zone(value: str) -> str:
    zones = _time_zones()
    if value in zones and not value.startswith("/") and ".." not in value:
        return value
    close = difflib.get_close_matches(value, sorted(zones), n=1)
    hint = Message("did_you_mean", close=repr(close[0])) if close else ""
    raise ValueError(Message("not_a_time_zone", shown=_shown(value), hint=hint))


TimeZone = Annotated[str, Field(max_length=64), AfterValidator(_time_zone)]


def _supported_schema(value: int) -> int:
    if value not in SCHEMA_VERSIONS:
        shown = value if abs(value) < 10**15 else Message("a_number_with_digits", digits=len(str(value)))
        raise ValueError(Message("not_a_schema_version", shown=shown, versions=SCHEMA_VERSIONS))
    return value


class Weekday(StrEnum):
    mon = "mon"
    tue = "tue"
    wed = "wed"
    thu = "thu"
    fri = "fri"
    sat = "sat"
    sun = "sun"

    @classmethod
    def of(cls, date: dt.date) -> Weekday:
        return list(cls)[date.weekday()]


class SiteKind(StrEnum):
    enterprise = "enterprise"
    village = "village"
    community = "community"
    museum = "museum"
    memorial = "memorial"
    school = "school"
    government = "government"
    park = "park"
    other = "other"


RED_EDUCATION_KINDS = frozenset({SiteKind.museum, SiteKind.memorial})


class Frozen(BaseModel):
    """Base of every scenario object: immutable, and unknown keys are errors."""

    model_config = ConfigDict(frozen=True, extra="forbid", allow_inf_nan=False)


class Names(Frozen):
    """Mixin fields: a thing's names in Chinese and English (at least one)."""

    name_zh: Name | None = Field(None, description="name in Chinese")
    name_en: Name | None = Field(None, description="name in English")

    @model_validator(mode="after")
    def _has_a_name(self) -> Names:
        if not (self.name_zh or self.name_en):
            raise ValueError(Message("no_name"))
        return self

    def label(self, lang: str = "zh") -> str:
        """The name in the wanted language, falling back to the other."""
        first, second = (self.name_zh, self.name_en) if lang == "zh" else (self.name_en, self.name_zh)
        return first or second or ""

    def both(self) -> str:
        """``中文 (English)`` where both exist, else the one there is."""
        if self.name_zh and self.name_en and self.name_zh != self.name_en:
            return f"{self.name_zh} ({self.name_en})"
        return self.name_zh or self.name_en or ""


class Contact(Frozen):
    """A person to call: a site's host, a hotel's front desk, a class teacher, the office."""

    name: Name = Field(description="the person's name (or the desk's, e.g. 'Front desk')")
    role: Name | None = Field(None, description="what they do, e.g. 'host', '班主任', 'duty officer'")
    phone: Phone | None = Field(None, description="phone number, as written")
    email: Email | None = Field(None, description="e-mail address")


class Coach(Frozen):
    """The coach a class travels in all week, for the driver's sheets and the trainees."""

    plate: Name | None = Field(None, description="number plate, e.g. 辽B·12345")
    company: Name | None = Field(None, description="coach company")
    driver: Name | None = Field(None, description="driver's name")
    phone: Phone | None = Field(None, description="driver's phone number")

    @model_validator(mode="after")
    def _says_something(self) -> Coach:
        if not (self.plate or self.company or self.driver or self.phone):
            raise ValueError(Message("empty_coach"))
        return self


# ---------------------------------------------------------------------------
# The programme and its daily frame


class Lunch(Frozen):
    earliest: ClockTime = Field(parse_clock("11:30"), description="earliest start of lunch")
    latest: ClockTime = Field(parse_clock("13:30"), description="lunch must be over by this time")
    minutes: PositiveMinutes = Field(60, description="length of lunch")

    @model_validator(mode="after")
    def _fits(self) -> Lunch:
        if self.latest - self.earliest < self.minutes:
            raise ValueError(
                Message(
                    "lunch_does_not_fit",
                    minutes=self.minutes,
                    earliest=format_clock(self.earliest),
                    latest=format_clock(self.latest),
                )
            )
        return self


class Window(Frozen):
    start: ClockTime = Field(description='start, "HH:MM"')
    end: ClockTime = Field(description='end, "HH:MM"')

    @model_validator(mode="after")
    def _ordered(self) -> Window:
        if self.end <= self.start:
            raise ValueError(Message("end_not_after_start", end=format_clock(self.end), start=format_clock(self.start)))
        return self

    @property
    def minutes(self) -> int:
        return self.end - self.start


_DAY_ORDER = Message("day_order")
DEFAULT_DAY_START = parse_clock("08:00")


class DailyFrame(Frozen):
    """When things may happen on an ordinary day."""

    earliest_departure: ClockTime = Field(parse_clock("07:30"), description="earliest coach departure of a day")
    day_start: ClockTime | None = Field(
        None,
        description="earliest start of a session (opening, lecture, presentation); default 08:00, "
        "or the earliest departure when that is later",
    )
    time_step_minutes: Int = Field(
        5,
        ge=1,
        le=60,
        description="clock times a person reads (sessions, visits, meals, departures) are multiples of this "
        "many minutes; a coach's arrival is what the drive gives. A divisor of 60",
    )
    arrival_buffer_minutes: Minutes = Field(
        15,
        description="a class reaches a site at most this long before its visit starts: the coach leaves "
        "when needed, not at the earliest minute",
    )
    lunch: Lunch = Field(default_factory=Lunch, description="the lunch break")
    dinner: Window = Field(
        default_factory=lambda: Window(start="18:00", end="19:00"),
        description="dinner, taken where the class sleeps",
    )
    evening: Window = Field(
        default_factory=lambda: Window(start="19:00", end="21:30"),
        description="the evening seminar window; seminars start at its start",
    )
    quiet_hours_from: ClockTime = Field(
        parse_clock("22:30"), description="nothing (not even report writing) goes past this time"
    )
    late_evening_after: ClockTime = Field(
        parse_clock("21:30"), description="an evening that ends after this counts as a late evening (soft goal)"
    )

    @property
    def session_start(self) -> int:
        """The earliest start of a session: ``day_start``, or 08:00 or the earliest departure."""
        return self.day_start if self.day_start is not None else max(DEFAULT_DAY_START, self.earliest_departure)

    @model_validator(mode="after")
    def _ordered(self) -> DailyFrame:
        if 60 % self.time_step_minutes:
            raise ValueError(Message("step_does_not_divide_an_hour", step=self.time_step_minutes))
        if self.arrival_buffer_minutes < self.time_step_minutes - 1:
            raise ValueError(
                Message(
                    "arrival_buffer_too_short", buffer=self.arrival_buffer_minutes, least=self.time_step_minutes - 1
                )
            )
        if self.day_start is not None and self.day_start >= self.dinner.start:
            raise ValueError(Message("day_start_not_before_dinner", order=_DAY_ORDER))
        if self.lunch.earliest < self.earliest_departure:
            raise ValueError(Message("lunch_before_departure", order=_DAY_ORDER))
        if self.dinner.start < self.lunch.latest:
            raise ValueError(Message("dinner_before_lunch_ends", order=_DAY_ORDER))
        if self.evening.start < self.dinner.end:
            raise ValueError(Message("evening_before_dinner_ends", order=_DAY_ORDER))
        if self.quiet_hours_from < self.evening.end:
            raise ValueError(Message("quiet_hours_before_evening_ends", order=_DAY_ORDER))
        return self


class DayOverride(Frozen):
    """A day whose limits differ from the programme's (a shorter last day, a long trip day)."""

    day: Int = Field(ge=1, le=MAX_DAYS, description="day number, 1 for the first day")
    max_coach_minutes: DrivingMinutes | None = Field(None, description="most coach driving that day")
    latest_return: ClockTime | None = Field(None, description="latest arrival at that night's place")
    earliest_departure: ClockTime | None = Field(None, description="earliest coach departure that day")
    day_start: ClockTime | None = Field(
        None, description="earliest start of a session that day (default: as frame.day_start says, for that day)"
    )
    rest_day: bool = Field(
        False, description="a day off: no visit, session or evening work; the day is free time (自由活动)"
    )


class Programme(Names):
    """The programme as a whole."""

    first_date: Date = Field(description="date of day 1, YYYY-MM-DD")
    days: Int = Field(ge=1, le=MAX_DAYS, description="number of days")
    language: str = Field("zh", pattern="^(zh|en)$", description="default language of labels: zh or en")
    timezone: TimeZone = Field("Asia/Shanghai", description="IANA time zone of all clock times")
    organiser: Name | None = Field(None, description="who runs the programme")
    contacts: tuple[Contact, ...] = Field(
        (), max_length=MAX_CONTACTS, description="the organisers' contacts: office, person on duty"
    )
    notes: Text | None = Field(None, description="notes for every trainee: what to bring, dress, rules")
    minutes_per_class_hour: PositiveMinutes = Field(45, description="length of one class hour (课时)")
    frame: DailyFrame = Field(default_factory=DailyFrame, description="the daily frame")
    day_overrides: tuple[DayOverride, ...] = Field((), description="days whose limits differ")

    @model_validator(mode="after")
    def _overrides_in_range(self) -> Programme:
        for override in self.day_overrides:
            if override.day > self.days:
                raise ValueError(Message("override_day_beyond", day=override.day, days=self.days))
        frame = self.frame
        for override in self.day_overrides:
            if override.earliest_departure is not None and override.earliest_departure > frame.lunch.earliest:
                raise ValueError(Message("override_departure_after_lunch", day=override.day, order=_DAY_ORDER))
            if override.day_start is not None and override.day_start >= frame.dinner.start:
                raise ValueError(Message("override_day_start_after_dinner", day=override.day, order=_DAY_ORDER))
            if override.rest_day and override.day in (1, self.days):
                if self.days >= 3:
                    between = Message("rest_day_between", last=self.days - 1)
                else:
                    between = Message("no_rest_days" if self.days > 1 else "no_rest_day", days=self.days)
                raise ValueError(Message("rest_day_at_an_end", day=override.day, between=between))
        days = [o.day for o in self.day_overrides]
        if len(days) != len(set(days)):
            raise ValueError(Message("override_day_twice"))
        return self

    @property
    def rest_days(self) -> frozenset[int]:
        """The 0-based indexes of the rest days (``day_overrides``' ``rest_day``)."""
        return frozenset(o.day - 1 for o in self.day_overrides if o.rest_day)

    def date_of(self, day: int) -> dt.date:
        """Date of 0-based day index ``day``."""
        return self.first_date + dt.timedelta(days=day)

    def day_of(self, date: dt.date) -> int | None:
        """0-based day index of ``date``, or None outside the programme."""
        index = (date - self.first_date).days
        return index if 0 <= index < self.days else None


# ---------------------------------------------------------------------------
# Places and travel


class Place(Names):
    id: Identifier
    lat: Float = Field(ge=-90, le=90, description="latitude, degrees")
    lon: Float = Field(ge=-180, le=180, description="longitude, degrees")
    city: Name | None = Field(None, description="city or district, for the reader")
    address: Text | None = None
    note: Text | None = None


class TravelOverride(Frozen):
    """A measured coach leg that replaces the estimate from coordinates."""

    from_: Identifier = Field(alias="from", description="place id")
    to: Identifier = Field(description="place id")
    minutes: DrivingMinutes = Field(description="coach driving time, minutes (two decimals allowed)")
    km: Float | None = Field(None, ge=0, le=MAX_KM, description="road distance, km (estimated if omitted)")

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True, allow_inf_nan=False)


class Travel(Frozen):
    """How coach legs are estimated: great-circle km × road factor ÷ coach speed."""

    road_factor: Float = Field(1.3, ge=1.0, le=3.0, description="road km per great-circle km")
    coach_speed_kmh: Float = Field(80.0, gt=0, le=100, description="average coach speed, km/h")
    symmetric: bool = Field(True, description="an override from A to B also holds from B to A")
    overrides: tuple[TravelOverride, ...] = Field((), description="measured legs")


# ---------------------------------------------------------------------------
# People and sites


class Theme(Names):
    id: Identifier


class Topic(Names):
    id: Identifier


class Professor(Names):
    id: Identifier
    affiliation: Name | None = None
    phone: Phone | None = Field(None, description="phone number, as written")


class TrainingClass(Names):
    """A class of trainees who travel and learn together all week."""

    id: Identifier
    theme: Identifier = Field(description="theme id")
    trainees: Int = Field(ge=1, le=MAX_TRAINEES, description="number of trainees")
    base: Identifier = Field(description="place id of the class's home district")
    start_place: Identifier | None = Field(None, description="place where day 1 starts (default: base)")
    end_place: Identifier | None = Field(None, description="place where the last day ends (default: base)")
    professor: Professor = Field(description="the professor who stays with the class all week")
    class_teacher: Contact | None = Field(None, description="the class teacher (班主任) who looks after the class")
    coach: Coach | None = Field(None, description="the class's coach: plate, company, driver, phone")
    notes: Text | None = Field(None, description="notes for the class's trainees")

    @property
    def first_place(self) -> str:
        return self.start_place or self.base

    @property
    def last_place(self) -> str:
        return self.end_place or self.base


class PartOfDay(Frozen):
    """Mixin fields: a time window on a day, or the whole day when neither end is given."""

    start: ClockTime | None = Field(None, description="from this time; whole day if omitted")
    end: ClockTime | None = Field(None, description="until this time; whole day if omitted")

    @model_validator(mode="after")
    def _ordered(self) -> PartOfDay:
        if (self.start is None) != (self.end is None):
            raise ValueError(Message("start_or_end_alone"))
        if self.start is not None and self.end is not None and self.end <= self.start:
            raise ValueError(Message("end_not_after_start", end=format_clock(self.end), start=format_clock(self.start)))
        return self


HALF_DAYS = {"am": (0, 12 * 60), "pm": (12 * 60, 24 * 60)}
"""The half-days a person says (morning, afternoon) as minutes after midnight."""


class Unavailability(PartOfDay):
    """When a lecturer cannot take part (or, in ``available``, can), as people say it: a date, a
    range of dates (``from``/``until``), weekdays, or weekdays within a range; the whole day, a
    half-day (``part: am`` or ``pm``) or a time window (``start``/``end``)."""

    date: Date | None = Field(None, description="one date")
    from_: Date | None = Field(None, alias="from", description="first date of a range (with until)")
    until: Date | None = Field(None, description="last date of a range (with from)")
    weekdays: tuple[Weekday, ...] = Field((), description="only these weekdays (of the range, or of every week)")
    part: str | None = Field(None, pattern="^(am|pm)$", description="am (before 12:00) or pm (from 12:00)")

    @model_validator(mode="after")
    def _when(self) -> Unavailability:
        ranged = self.from_ is not None or self.until is not None
        if ranged and (self.from_ is None or self.until is None):
            raise ValueError(Message("from_or_until_alone"))
        if ranged and self.until < self.from_:  # type: ignore[operator]
            raise ValueError(Message("until_before_from", until=self.until, first=self.from_))
        if self.date is not None and (ranged or self.weekdays):
            raise ValueError(Message("date_with_range"))
        if self.date is None and not ranged and not self.weekdays:
            raise ValueError(Message("no_dates_when"))
        if self.part is not None and self.start is not None:
            raise ValueError(Message("part_and_window"))
        return self

    def covers(self, date: dt.date) -> bool:
        """Whether this entry concerns ``date``."""
        if self.date is not None:
            return date == self.date
        if self.from_ is not None and self.until is not None and not self.from_ <= date <= self.until:
            return False
        return not self.weekdays or Weekday.of(date) in self.weekdays

    def window(self) -> tuple[int, int]:
        """Minutes after midnight covered on each date it concerns."""
        if self.part is not None:
            return HALF_DAYS[self.part]
        return (self.start or 0, self.end if self.end is not None else 24 * 60)


class Lecturer(Names):
    id: Identifier
    affiliation: Name | None = None
    phone: Phone | None = Field(None, description="phone number, as written")
    email: Email | None = Field(None, description="e-mail address")
    contact: Contact | None = Field(None, description="who arranges the lecturer's visits (an assistant, an office)")
    topics: tuple[Identifier, ...] = Field(min_length=1, description="topic ids this lecturer teaches")
    home: Identifier = Field(description="place id the lecturer sets out from")
    unavailable: tuple[Unavailability, ...] = Field(
        (), description="when away: dates, ranges of dates, weekdays; whole days, half-days or time windows"
    )
    available: tuple[Unavailability, ...] = Field(
        (), description="when free, if only then (the same forms): away at every other time of the programme"
    )
    max_sessions_per_day: Int = Field(2, ge=1, le=MAX_PER_DAY, description="most lectures in one day")
    max_sessions: Int | None = Field(
        None, ge=0, le=MAX_COUNT, description="most lectures in the programme (no limit if omitted)"
    )
    min_sessions: Int = Field(
        0,
        ge=0,
        le=MAX_COUNT,
        description="fewest lectures in the programme: an invited lecturer who must take the podium",
    )

    @model_validator(mode="after")
    def _sessions_ordered(self) -> Lecturer:
        if self.max_sessions is not None and self.min_sessions > self.max_sessions:
            raise ValueError(Message("min_above_max_sessions", least=self.min_sessions, most=self.max_sessions))
        return self


class OpeningHours(Frozen):
    open: ClockTime = Field(description="opening time")
    close: ClockTime = Field(description="closing time; a visit must be over by then")

    @model_validator(mode="after")
    def _ordered(self) -> OpeningHours:
        if self.close <= self.open:
            raise ValueError(
                Message("close_not_after_open", close=format_clock(self.close), open=format_clock(self.open))
            )
        return self


ALL_WEEKDAYS = tuple(Weekday)


class Site(Frozen):
    """A place of field teaching."""

    id: Identifier
    name_zh: Name | None = Field(None, description="the site's name in Chinese (default: its place's)")
    name_en: Name | None = Field(None, description="the site's name in English (default: its place's)")
    place: Identifier = Field(description="place id")
    address: Text | None = Field(None, description="where the coach stops (default: its place's address)")
    contacts: tuple[Contact, ...] = Field((), max_length=MAX_CONTACTS, description="the hosts to call")
    kind: SiteKind = Field(description="enterprise, village, community, museum, memorial, ...")
    themes: tuple[Identifier, ...] = Field((), description="theme ids the site serves")
    red_education: bool | None = Field(
        None, description="counts as Party-spirit (red) education; default: true for museums and memorials"
    )
    visit_minutes: PositiveMinutes = Field(description="length of a visit")
    capacity_classes: Int = Field(1, ge=1, le=MAX_COUNT, description="classes at the site at once")
    capacity_trainees: Int | None = Field(None, ge=1, le=MAX_TRAINEES, description="trainees at the site at once")
    open_weekdays: tuple[Weekday, ...] = Field(ALL_WEEKDAYS, min_length=1, description="weekdays open")
    hours: OpeningHours = Field(
        default_factory=lambda: OpeningHours(open="08:30", close="17:30"),
        description="opening hours",
    )
    closed_dates: tuple[Date, ...] = Field((), description="dates closed (holidays, repairs)")
    value: Int = Field(0, ge=0, le=MAX_SITE_VALUE, description="priority of a visit (higher is better; a soft goal)")
    note: Text | None = None

    @property
    def is_red_education(self) -> bool:
        if self.red_education is not None:
            return self.red_education
        return self.kind in RED_EDUCATION_KINDS

    def is_open_on(self, date: dt.date) -> bool:
        return Weekday.of(date) in self.open_weekdays and date not in self.closed_dates

    @model_validator(mode="after")
    def _visit_fits_hours(self) -> Site:
        if self.visit_minutes > self.hours.close - self.hours.open:
            raise ValueError(
                Message(
                    "visit_does_not_fit",
                    minutes=self.visit_minutes,
                    open=format_clock(self.hours.open),
                    close=format_clock(self.hours.close),
                    most=self.hours.close - self.hours.open,
                )
            )
        return self


class Lodging(Frozen):
    """Where classes can sleep: a hotel or training centre at a place. A place may have several;
    the solver counts a place's classes against their sum, and the lodging list then puts each
    class in one of them."""

    id: Identifier | None = Field(
        None, description="id of the hotel (default: its place's id; the second at a place <place>.2, ...)"
    )
    name_zh: Name | None = Field(None, description="the hotel's name in Chinese")
    name_en: Name | None = Field(None, description="the hotel's name in English")
    place: Identifier = Field(description="place id")
    address: Text | None = Field(None, description="the hotel's address (default: its place's)")
    contacts: tuple[Contact, ...] = Field((), max_length=MAX_CONTACTS, description="front desk, sales manager")
    classes_per_night: Int = Field(1, ge=1, le=MAX_COUNT, description="classes it takes per night")
    rooms: Int | None = Field(None, ge=1, le=MAX_TRAINEES, description="rooms held for the programme a night")
    people_per_room: Int = Field(2, ge=1, le=MAX_PER_DAY, description="trainees sharing a room")
    note: Text | None = None


# ---------------------------------------------------------------------------
# Requirements, limits, weights


LectureCount = Annotated[Int, Field(le=MAX_COUNT)]
"""Lectures on one topic over the programme (a negative count is refused by `Requirements`)."""


class Requirements(Frozen):
    """What each class must get. Every field may be overridden per class."""

    lectures: dict[Identifier, LectureCount] = Field(
        default_factory=dict, description="topic id -> number of lectures on that topic"
    )
    lecture_class_hours: Int = Field(2, ge=1, le=MAX_PER_DAY, description="length of one lecture, class hours")
    min_field_share: Share = Field(0.0, description="least share of teaching time spent in field visits")
    min_seminar_class_hours: Int = Field(0, ge=0, le=MAX_COUNT, description="least evening seminar time, class hours")
    max_seminar_class_hours_per_evening: Int = Field(
        3, ge=0, le=MAX_PER_DAY, description="most seminar class hours in one evening"
    )
    min_report_writing_class_hours: Int = Field(
        0, ge=0, le=MAX_COUNT, description="least report-writing time, class hours"
    )
    must_visit: tuple[Identifier, ...] = Field((), description="site ids the class must visit")
    never_visit: tuple[Identifier, ...] = Field((), description="site ids the class must not visit")
    min_red_education_visits: Int = Field(0, ge=0, le=MAX_COUNT, description="least visits to red-education sites")
    max_visits_per_day: Int = Field(3, ge=0, le=MAX_PER_DAY, description="most field visits in one day")
    opening_minutes: Minutes = Field(0, description="opening session on the morning of day 1 (0: none)")
    presentation_minutes: Minutes = Field(0, description="closing presentations on the last day (0: none)")
    programme_every_day: bool = Field(
        True,
        description="every day but rest days has at least one visit, lecture, opening, presentation or closing",
    )
    closing_minutes: Minutes = Field(
        0,
        description="closing session (结业式) on the last day, after the presentations; the programme ends with it "
        "(0: none)",
    )

    @field_validator("lectures")
    @classmethod
    def _counts_positive(cls, value: dict[str, int]) -> dict[str, int]:
        bad = [topic for topic, count in value.items() if count < 0]
        if bad:
            raise ValueError(Message("negative_lecture_count", topics=tuple(bad)))
        return value


class RequirementOverrides(Frozen):
    """Per-class changes to the default requirements (only the fields given change)."""

    lectures: dict[Identifier, LectureCount] | None = None
    lecture_class_hours: Int | None = Field(None, ge=1, le=MAX_PER_DAY)
    min_field_share: Share | None = None
    min_seminar_class_hours: Int | None = Field(None, ge=0, le=MAX_COUNT)
    max_seminar_class_hours_per_evening: Int | None = Field(None, ge=0, le=MAX_PER_DAY)
    min_report_writing_class_hours: Int | None = Field(None, ge=0, le=MAX_COUNT)
    must_visit: tuple[Identifier, ...] | None = None
    never_visit: tuple[Identifier, ...] | None = None
    min_red_education_visits: Int | None = Field(None, ge=0, le=MAX_COUNT)
    max_visits_per_day: Int | None = Field(None, ge=0, le=MAX_PER_DAY)
    opening_minutes: Minutes | None = None
    presentation_minutes: Minutes | None = None
    closing_minutes: Minutes | None = None
    programme_every_day: bool | None = None


class RequirementSet(Frozen):
    default: Requirements = Field(default_factory=Requirements, description="what every class must get")
    by_class: dict[Identifier, RequirementOverrides] = Field(
        default_factory=dict, description="class id -> changes for that class"
    )


class Limits(Frozen):
    """Hard limits on travel and workload."""

    max_coach_minutes_per_day: DrivingMinutes = Field(
        360, description="most coach driving per class per day (two decimals allowed)"
    )
    max_continuous_drive_minutes: PositiveMinutes = Field(
        240, description="longest drive without a rest stop; longer legs get rest stops"
    )
    rest_stop_minutes: Minutes = Field(20, description="length of a rest stop on a long leg")
    latest_return: ClockTime = Field(parse_clock("18:00"), description="latest arrival at the night's place")
    max_teaching_minutes_per_day: Minutes = Field(600, description="most teaching (workload kinds) per class per day")
    lecturer_max_travel_minutes: Minutes | None = Field(
        None, description="longest one-way trip a lecturer makes from home to a lecture (no limit if omitted)"
    )
    max_idle_minutes: PositiveMinutes = Field(
        90,
        description="a daytime gap (day_start to dinner) at least this long is shown as free time; free daytime "
        "beyond it is priced by the idle-time weight (idle_hour)",
    )
    lecturer_arrival_margin_minutes: Minutes = Field(
        20,
        description="a lecturer arrives at least this long before the lecture (from home, or from the lecture before)",
    )


class Weights(Frozen):
    """Weights of the soft goals; the plan minimises the weighted sum."""

    coach_minute: Int = Field(1, ge=0, le=MAX_WEIGHT, description="cost per minute of coach driving")
    theme_fit: Int = Field(
        30, ge=0, le=MAX_WEIGHT, description="reward per visit to a site that serves the class's theme"
    )
    site_value: Int = Field(1, ge=0, le=MAX_WEIGHT, description="reward per point of a visited site's value")
    lecturer_imbalance: Int = Field(
        20, ge=0, le=MAX_WEIGHT, description="cost per lecture between the busiest and lightest lecturer"
    )
    late_evening: Int = Field(20, ge=0, le=MAX_WEIGHT, description="cost per evening ending after late_evening_after")
    idle_hour: Int = Field(
        0,
        ge=0,
        le=MAX_WEIGHT,
        description="cost per started hour of a class-day's free daytime beyond limits.max_idle_minutes "
        "(0: free time is shown, not priced)",
    )


ACTIVITY_KINDS = (
    "opening",
    "lecture",
    "field_visit",
    "seminar",
    "report_writing",
    "presentation",
    "closing",
    "travel",
    "meal",
)
ActivityKind = Annotated[str, Field(pattern="^(" + "|".join(ACTIVITY_KINDS) + ")$")]


class Definitions(Frozen):
    """How the figures are counted."""

    teaching_kinds: tuple[ActivityKind, ...] = Field(
        ("opening", "lecture", "field_visit", "presentation"),
        description="kinds that count as teaching in the field-teaching share",
    )
    field_kinds: tuple[ActivityKind, ...] = Field(("field_visit",), description="kinds that count as field teaching")
    workload_kinds: tuple[ActivityKind, ...] = Field(
        ("opening", "lecture", "field_visit", "seminar", "presentation"),
        description="kinds that count towards limits.max_teaching_minutes_per_day",
    )

    @model_validator(mode="after")
    def _field_within_teaching(self) -> Definitions:
        stray = [kind for kind in self.field_kinds if kind not in self.teaching_kinds]
        if stray:
            raise ValueError(Message("field_kinds_not_teaching", kinds=str(stray)))
        return self


# ---------------------------------------------------------------------------
# The scenario


class ReferenceProblem(Exception):
    """Cross-reference problems found in a structurally valid scenario.

    Not a ``ValueError`` on purpose: pydantic lets it through unwrapped, so the loader can
    report each problem with its own YAML path and line.
    """

    def __init__(self, problems: list[tuple[tuple[str | int, ...], str]]):
        self.problems = problems
        super().__init__("; ".join(f"{'.'.join(map(str, path))}: {msg}" for path, msg in problems))


class Scenario(Frozen):
    """A whole programme: what to plan, with what, under which rules."""

    schema_version: Annotated[Int, AfterValidator(_supported_schema)] = Field(
        1, alias="schema", description="scenario format version: 1"
    )
    programme: Programme
    travel: Travel = Field(default_factory=Travel)
    places: tuple[Place, ...] = Field(min_length=1)
    themes: tuple[Theme, ...] = Field(min_length=1)
    topics: tuple[Topic, ...] = ()
    classes: tuple[TrainingClass, ...] = Field(min_length=1)
    lecturers: tuple[Lecturer, ...] = ()
    sites: tuple[Site, ...] = ()
    lodging: tuple[Lodging, ...] = Field(min_length=1)
    requirements: RequirementSet = Field(default_factory=RequirementSet)
    limits: Limits = Field(default_factory=Limits)
    weights: Weights = Field(default_factory=Weights)
    definitions: Definitions = Field(default_factory=Definitions)

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)

    # -- look-ups ---------------------------------------------------------
    def place(self, place_id: str) -> Place:
        return self._index("places")[place_id]

    def site(self, site_id: str) -> Site:
        return self._index("sites")[site_id]

    def training_class(self, class_id: str) -> TrainingClass:
        return self._index("classes")[class_id]

    def lecturer(self, lecturer_id: str) -> Lecturer:
        return self._index("lecturers")[lecturer_id]

    def theme(self, theme_id: str) -> Theme:
        return self._index("themes")[theme_id]

    def topic(self, topic_id: str) -> Topic:
        return self._index("topics")[topic_id]

    def model_copy(self, *, update: Mapping[str, Any] | None = None, deep: bool = False) -> Scenario:
        """A copy with ``update`` applied; its look-ups index its own collections, not the
        original's (the index cache is not copied)."""
        copy = super().model_copy(update=update, deep=deep)
        copy.__dict__.pop("_indices", None)
        return copy

    def _index(self, collection: str) -> dict[str, Any]:
        cache = self.__dict__.setdefault("_indices", {})
        if collection not in cache:
            cache[collection] = {item.id: item for item in getattr(self, collection)}
        return cache[collection]

    def lecturer_away(self, lecturer_id: str) -> tuple[Unavailability, ...]:
        """Every time the lecturer is away during the programme, one dated entry per date and
        window (``date`` with the whole day, or ``start``/``end``): their ``unavailable``
        entries on the programme's dates, and, when ``available`` is given, every time of a
        programme day outside it."""
        lecturer = self.lecturer(lecturer_id)
        away: list[Unavailability] = []
        for day in range(self.programme.days):
            date = self.programme.date_of(day)
            windows = [entry.window() for entry in lecturer.unavailable if entry.covers(date)]
            if lecturer.available:
                free = sorted(entry.window() for entry in lecturer.available if entry.covers(date))
                at = 0
                for start, end in free:
                    if start > at:
                        windows.append((at, start))
                    at = max(at, end)
                if at < 24 * 60:
                    windows.append((at, 24 * 60))
            for start, end in sorted(set(windows)):
                whole = (start, end) == (0, 24 * 60)
                away.append(
                    Unavailability(date=date)
                    if whole
                    else Unavailability(date=date, start=format_clock(start), end=format_clock(end))
                )
        return tuple(away)

    def requirements_for(self, class_id: str) -> Requirements:
        """The default requirements with the class's overrides applied."""
        overrides = self.requirements.by_class.get(class_id)
        if overrides is None:
            return self.requirements.default
        changes = overrides.model_dump(exclude_none=True)
        return self.requirements.default.model_copy(update=changes)

    def requirement_path(self, class_id: str, field: str) -> str:
        """Where a class's requirement is set: its override if it has one, else the default."""
        overrides = self.requirements.by_class.get(class_id)
        if overrides is not None and getattr(overrides, field) is not None:
            return f"requirements.by_class.{class_id}.{field}"
        return f"requirements.default.{field}"

    def max_coach_minutes_on(self, day: int) -> int | float:
        for override in self.programme.day_overrides:
            if override.day == day + 1 and override.max_coach_minutes is not None:
                return override.max_coach_minutes
        return self.limits.max_coach_minutes_per_day

    def has_fractional_driving(self) -> bool:
        """True when some measured leg or driving limit is given to the hundredth of a minute."""
        values = [o.minutes for o in self.travel.overrides] + [self.limits.max_coach_minutes_per_day]
        values += [o.max_coach_minutes for o in self.programme.day_overrides if o.max_coach_minutes is not None]
        return any(not isinstance(value, int) for value in values)

    def max_coach_hundredths_on(self, day: int) -> int:
        """The day's driving limit in hundredths of a minute, the unit every driving check uses."""
        return round(self.max_coach_minutes_on(day) * 100)

    def _override(self, day: int) -> DayOverride | None:
        """The first override of 0-based ``day``, looked up once per scenario (the solver asks
        for every route it lists)."""
        cache = self.__dict__.setdefault("_indices", {})
        if "day_overrides" not in cache:
            by_day: dict[int, DayOverride] = {}
            for override in self.programme.day_overrides:
                by_day.setdefault(override.day - 1, override)
            cache["day_overrides"] = by_day
        return cache["day_overrides"].get(day)

    def earliest_departure_on(self, day: int) -> int:
        """The earliest coach departure on 0-based ``day``: its override, else the frame's."""
        override = self._override(day)
        if override is not None and override.earliest_departure is not None:
            return override.earliest_departure
        return self.programme.frame.earliest_departure

    def day_start_on(self, day: int) -> int:
        """The earliest start of a session on 0-based ``day``: its override's ``day_start``, else
        the frame's ``day_start``, else 08:00 or that day's earliest departure if later."""
        override = self._override(day)
        if override is not None and override.day_start is not None:
            return override.day_start
        frame = self.programme.frame
        if frame.day_start is not None:
            return frame.day_start
        return max(DEFAULT_DAY_START, self.earliest_departure_on(day))

    def latest_return_on(self, day: int) -> int:
        for override in self.programme.day_overrides:
            if override.day == day + 1 and override.latest_return is not None:
                return override.latest_return
        return self.limits.latest_return

    def hotel_keys(self) -> tuple[str, ...]:
        """Each lodging entry's id, in order: its own, else its place's (``<place>.2`` for a
        second entry at a place without an id, and so on)."""
        return _hotel_keys(self.lodging)

    def hotel(self, key: str) -> Lodging:
        """The lodging entry of id ``key`` (``hotel_keys``)."""
        return self.lodging[self.hotel_keys().index(key)]

    def site_name(self, site_id: str, lang: str = "zh") -> str:
        """The site's name in ``lang``: its own, else its place's."""
        site = self.site(site_id)
        own = (site.name_zh, site.name_en) if lang == "zh" else (site.name_en, site.name_zh)
        return own[0] or own[1] or self.place(site.place).label(lang)

    def lodging_places(self) -> tuple[str, ...]:
        return tuple(lodging.place for lodging in self.lodging)

    def lodging_capacity(self, place_id: str) -> int:
        return sum(l.classes_per_night for l in self.lodging if l.place == place_id)

    # -- cross references -------------------------------------------------
    @model_validator(mode="after")
    def _check_references(self) -> Scenario:
        problems = list(_reference_problems(self))
        if problems:
            raise ReferenceProblem(problems)
        return self


def _hotel_keys(lodging: tuple[Lodging, ...]) -> tuple[str, ...]:
    """Each lodging entry's id: its own, else its place's for the first at a place without an
    id, ``<place>.2``, ``<place>.3``... for the next."""
    keys, count = [], Counter()
    for lodge in lodging:
        if lodge.id is not None:
            keys.append(lodge.id)
            continue
        count[lodge.place] += 1
        keys.append(lodge.place if count[lodge.place] == 1 else f"{lodge.place}.{count[lodge.place]}")
    return tuple(keys)


THINGS = {
    "place": Message("thing_place"),
    "theme": Message("thing_theme"),
    "topic": Message("thing_topic"),
    "class": Message("thing_class"),
    "lecturer": Message("thing_lecturer"),
    "site": Message("thing_site"),
}
"""What an id may name, in words, for the sentences that say an id points nowhere."""


def unknown_reference(thing: str, value: str, known: list[str]) -> Message:
    """``unknown place 'harbour' (did you mean 'harbor'? expected one of: farm, harbor)``:
    ``value`` names no ``thing`` (a key of ``THINGS``) among ``known``."""
    close = difflib.get_close_matches(value, known, n=1)
    hint = Message("did_you_mean", close=repr(close[0])) if close else ""
    if not known:
        return Message("unknown_reference_none_defined", thing=THINGS[thing], value=repr(value), hint=hint)
    return Message("unknown_reference", thing=THINGS[thing], value=repr(value), hint=hint, known=tuple(known))


def _duplicates(items: tuple[Any, ...], collection: str):
    counts = Counter(item.id for item in items)
    for position, item in enumerate(items):
        if counts[item.id] > 1 and [i.id for i in items].index(item.id) != position:
            yield (collection, position, "id"), Message("duplicate_id", id=repr(item.id), collection=collection)


def _reference_problems(scenario: Scenario):
    """Every id that points nowhere, every duplicate id, every impossible combination."""
    for collection in ("places", "themes", "topics", "classes", "lecturers", "sites"):
        yield from _duplicates(getattr(scenario, collection), collection)

    places = {p.id for p in scenario.places}
    themes = {t.id for t in scenario.themes}
    topics = {t.id for t in scenario.topics}
    classes = {c.id for c in scenario.classes}
    sites = {s.id for s in scenario.sites}

    def missing(kind: str, value: str, known: set[str]) -> Message:
        return unknown_reference(kind, value, sorted(known))

    for i, override in enumerate(scenario.travel.overrides):
        for key, value in (("from", override.from_), ("to", override.to)):
            if value not in places:
                yield ("travel", "overrides", i, key), missing("place", value, places)
    for i, klass in enumerate(scenario.classes):
        if klass.theme not in themes:
            yield ("classes", i, "theme"), missing("theme", klass.theme, themes)
        for key in ("base", "start_place", "end_place"):
            value = getattr(klass, key)
            if value is not None and value not in places:
                yield ("classes", i, key), missing("place", value, places)
    for i, lecturer in enumerate(scenario.lecturers):
        if lecturer.home not in places:
            yield ("lecturers", i, "home"), missing("place", lecturer.home, places)
        for j, topic in enumerate(lecturer.topics):
            if topic not in topics:
                yield ("lecturers", i, "topics", j), missing("topic", topic, topics)
        for field, j, away in [
            *(("unavailable", j, a) for j, a in enumerate(lecturer.unavailable)),
            *(("available", j, a) for j, a in enumerate(lecturer.available)),
        ]:
            if away.date is not None and scenario.programme.day_of(away.date) is None:
                yield (
                    ("lecturers", i, field, j, "date"),
                    Message(
                        "outside_the_programme",
                        dates=away.date,
                        first=scenario.programme.first_date,
                        last=scenario.programme.date_of(scenario.programme.days - 1),
                    ),
                )
    for i, site in enumerate(scenario.sites):
        if site.place not in places:
            yield ("sites", i, "place"), missing("place", site.place, places)
        for j, theme in enumerate(site.themes):
            if theme not in themes:
                yield ("sites", i, "themes", j), missing("theme", theme, themes)
    for i, lodge in enumerate(scenario.lodging):
        if lodge.place not in places:
            yield ("lodging", i, "place"), missing("place", lodge.place, places)
    seen_hotels: dict[str, int] = {}
    for i, key in enumerate(_hotel_keys(scenario.lodging)):
        if key in seen_hotels:
            yield ("lodging", i, "id"), Message("duplicate_hotel_id", id=repr(key), other=seen_hotels[key])
        else:
            seen_hotels[key] = i

    requirement_sets: list[tuple[tuple[str | int, ...], Any]] = [
        (("requirements", "default"), scenario.requirements.default)
    ]
    for class_id, overrides in scenario.requirements.by_class.items():
        if class_id not in classes:
            yield ("requirements", "by_class", class_id), missing("class", class_id, classes)
        requirement_sets.append((("requirements", "by_class", class_id), overrides))
    for path, req in requirement_sets:
        for topic in req.lectures or {}:
            if topic not in topics:
                yield (*path, "lectures", topic), missing("topic", topic, topics)
        for key in ("must_visit", "never_visit"):
            for j, site in enumerate(getattr(req, key) or ()):
                if site not in sites:
                    yield (*path, key, j), missing("site", site, sites)

    for klass in scenario.classes:
        req = scenario.requirements_for(klass.id)
        both = set(req.must_visit) & set(req.never_visit)
        if both:
            yield ("requirements", "by_class", klass.id), Message("must_and_never_visit", sites=str(sorted(both)))

    frame = scenario.programme.frame
    if scenario.limits.latest_return > frame.dinner.start:
        yield (
            ("limits", "latest_return"),
            Message(
                "return_after_dinner",
                latest=format_clock(scenario.limits.latest_return),
                dinner=format_clock(frame.dinner.start),
            ),
        )
    if scenario.limits.latest_return < frame.earliest_departure:
        yield (
            ("limits", "latest_return"),
            Message(
                "return_before_departure",
                latest=format_clock(scenario.limits.latest_return),
                earliest=format_clock(frame.earliest_departure),
            ),
        )
