"""Variant files: a scenario written as another scenario (or variant) plus a list of changes.

    extends: ../dalian-2019.yaml
    name_en: The coach limit drops to six hours
    changes:
      - set: {path: limits.max_coach_minutes_per_day, value: 360}
      - site_closed: {site: liaoshen, from: 2019-08-25, until: 2019-08-31}

``expand_variant()`` reads the chain of files a variant extends, applies each file's changes in
order, and returns the resulting scenario data together with the file and line where each part
of it was written. ``scheduler.scenario.loading.load_scenario`` validates that like any scenario file, so
a problem is reported at the variant's line when a change made it and at the base's line when it
was already there. The syntax is described in ``docs/variants.md``.
"""

from __future__ import annotations

import datetime as dt
import difflib
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, get_origin

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError, model_validator

from scheduler.scenario.documents import (
    DICT_KEY_MARK,
    Document,
    Loc,
    Problem,
    ScenarioError,
    item_label,
    path_of,
    read_document,
    slot_at,
    validation_problems,
)
from scheduler.scenario.model import THINGS, Frozen, Identifier, PartOfDay, Scenario, Weekday, format_clock
from scheduler.scenario.wording import Message

__all__ = ["COLLECTIONS", "VariantFile", "VariantSource", "expand_variant", "is_variant", "variant_name"]

COLLECTIONS = ("places", "themes", "topics", "classes", "lecturers", "sites", "lodging")
"""The lists a variant may add to or remove from; lodging entries are named by their place."""

_THING = {
    "places": THINGS["place"],
    "themes": THINGS["theme"],
    "topics": THINGS["topic"],
    "classes": THINGS["class"],
    "lecturers": THINGS["lecturer"],
    "sites": THINGS["site"],
    "lodging": Message("thing_lodging_at"),
}
"""What an entry of each collection is, in words (a lodging entry is named by its place)."""
MAX_RANGE_DAYS = 366

Origin = tuple[str, int | None]
"""Where a value was written: the file as named, and the 1-based line (None for a whole file)."""


# ---------------------------------------------------------------------------
# The format of a variant file


def _as_list(value: Any) -> Any:
    """One item written on its own is a list of one."""
    return [value] if isinstance(value, (str, dict)) else value


class _Dates(Frozen):
    """Dates written as ``date``, ``dates`` or a ``from``-``until`` range (both included)."""

    date: dt.date | None = Field(None, description="one date, YYYY-MM-DD")
    dates: tuple[dt.date, ...] | None = Field(None, min_length=1, description="several dates, e.g. [2019-08-27]")
    from_: dt.date | None = Field(None, alias="from", description="the first date of a range")
    until: dt.date | None = Field(None, description="the last date of a range (included)")

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)

    @model_validator(mode="after")
    def _one_way(self) -> _Dates:
        given = [self.date is not None, self.dates is not None, self.from_ is not None or self.until is not None]
        if sum(given) != 1:
            raise ValueError(Message("dates_given_twice" if any(given) else "no_dates_given"))
        if (self.from_ is None) != (self.until is None):
            raise ValueError(Message("first_or_last_date_alone"))
        if self.from_ is not None and self.until is not None:
            if self.until < self.from_:
                raise ValueError(Message("until_before_from_change", until=self.until, first=self.from_))
            if (self.until - self.from_).days >= MAX_RANGE_DAYS:
                raise ValueError(Message("range_too_long", most=MAX_RANGE_DAYS))
        return self

    def all_dates(self) -> list[dt.date]:
        if self.date is not None:
            return [self.date]
        if self.dates is not None:
            return list(dict.fromkeys(self.dates))
        assert self.from_ is not None and self.until is not None
        return [self.from_ + dt.timedelta(days=n) for n in range((self.until - self.from_).days + 1)]


class SetChange(Frozen):
    path: str = Field(
        min_length=1, description='where, e.g. "limits.max_coach_minutes_per_day" or "classes[rural].trainees"'
    )
    value: Any = Field(description="the new value, written as in a scenario file")


class LecturerAway(_Dates, PartOfDay):
    lecturer: Identifier = Field(description="lecturer id")
    weekdays: tuple[Weekday, ...] = Field((), description="only these weekdays of the dates given")
    part: str | None = Field(None, pattern="^(am|pm)$", description="am (before 12:00) or pm (from 12:00)")

    @model_validator(mode="after")
    def _one_window(self) -> LecturerAway:
        if self.part is not None and self.start is not None:
            raise ValueError(Message("part_and_window"))
        return self


class SiteClosed(_Dates):
    site: Identifier = Field(description="site id")


Items = Annotated[tuple[dict[str, Any], ...], BeforeValidator(_as_list)]
Ids = Annotated[tuple[Identifier, ...], BeforeValidator(_as_list)]


class Additions(Frozen):
    """New entries, each written as in a scenario file; one entry or a list of them."""

    places: Items | None = Field(None, description="new places")
    themes: Items | None = Field(None, description="new themes")
    topics: Items | None = Field(None, description="new topics")
    classes: Items | None = Field(None, description="new classes")
    lecturers: Items | None = Field(None, description="new lecturers")
    sites: Items | None = Field(None, description="new sites")
    lodging: Items | None = Field(None, description="new lodging entries")

    @model_validator(mode="after")
    def _something(self) -> Additions:
        if all(getattr(self, name) is None for name in COLLECTIONS):
            raise ValueError(Message("nothing_to_add", collections=COLLECTIONS))
        return self


class Removals(Frozen):
    """Ids to remove; one id or a list of them (lodging: the place id, every entry there)."""

    places: Ids | None = Field(None, description="place ids")
    themes: Ids | None = Field(None, description="theme ids")
    topics: Ids | None = Field(None, description="topic ids")
    classes: Ids | None = Field(None, description="class ids (with their requirements.by_class entry)")
    lecturers: Ids | None = Field(None, description="lecturer ids")
    sites: Ids | None = Field(None, description="site ids")
    lodging: Ids | None = Field(None, description="place ids of lodging entries")

    @model_validator(mode="after")
    def _something(self) -> Removals:
        if all(getattr(self, name) is None for name in COLLECTIONS):
            raise ValueError(Message("nothing_to_remove", collections=COLLECTIONS))
        return self


OPERATIONS = ("set", "add", "remove", "lecturer_unavailable", "site_closed")


class Change(Frozen):
    """One change: exactly one of the operations."""

    set: SetChange | None = Field(None, description="{path: ..., value: ...}")
    add: Additions | None = Field(None, description="{classes: {...}} or {sites: [{...}, {...}]}")
    remove: Removals | None = Field(None, description="{lecturers: lect_org} or {sites: [a, b]}")
    lecturer_unavailable: LecturerAway | None = Field(None, description="{lecturer: ..., date: ...}")
    site_closed: SiteClosed | None = Field(None, description="{site: ..., dates: [...]}")

    @model_validator(mode="after")
    def _exactly_one(self) -> Change:
        given = [name for name in OPERATIONS if getattr(self, name) is not None]
        if not given:
            raise ValueError(Message("no_operation", operations=OPERATIONS))
        if len(given) > 1:
            raise ValueError(Message("operations", count=len(given), given=tuple(given), operations=OPERATIONS))
        return self

    @property
    def operation(self) -> str:
        return next(name for name in OPERATIONS if getattr(self, name) is not None)


class VariantFile(Frozen):
    """A variant file: the file it extends and the changes, applied in order."""

    extends: str = Field(min_length=1, description="the scenario or variant file, relative to this file")
    name_zh: str | None = Field(None, description="the variant's name in Chinese")
    name_en: str | None = Field(None, description="the variant's name in English")
    note: str | None = Field(None, description="what the variant is about, for the reader")
    changes: tuple[Change, ...] = Field((), description="the changes, applied in order")


def is_variant(data: Any) -> bool:
    """Whether a file's data is a variant (it has ``extends``) rather than a scenario."""
    return isinstance(data, dict) and "extends" in data


def variant_name(path: str | Path, lang: str = "zh") -> str | None:
    """The variant's name in ``lang`` (else the other language), or None if it has none or ``path``
    is not a variant. Call it only for a file that loads."""
    data = read_document(path).data
    if not is_variant(data):
        return None
    first, second = ("name_zh", "name_en") if lang == "zh" else ("name_en", "name_zh")
    name = data.get(first) or data.get(second)
    return str(name) if name else None


# ---------------------------------------------------------------------------
# Data that remembers where it was written


@dataclass
class _Node:
    """A value of the scenario data and where it was written; containers hold nodes."""

    value: Any
    origin: Origin

    def plain(self) -> Any:
        """The value as plain data."""
        if isinstance(self.value, dict):
            return {key: child.plain() for key, child in self.value.items()}
        if isinstance(self.value, list):
            return [child.plain() for child in self.value]
        return self.value


def _nodes(document: Document, loc: Loc, value: Any, origin: Origin, *, active: frozenset[int] = frozenset()) -> _Node:
    """``value`` (found at ``loc`` of ``document``) as nodes; a part without a line of its own takes
    its parent's. Aliased YAML values become separate copies, so a change touches one place only."""
    line = document.lines.get(loc)
    here = (document.file, line) if line is not None else origin
    if id(value) in active:  # a recursive alias: left as it is, for validation to refuse
        return _Node(value, here)
    inner = active | {id(value)}
    if isinstance(value, dict):
        return _Node({k: _nodes(document, (*loc, k), v, here, active=inner) for k, v in value.items()}, here)
    if isinstance(value, list):
        return _Node([_nodes(document, (*loc, i), v, here, active=inner) for i, v in enumerate(value)], here)
    return _Node(value, here)


def _label(node: _Node) -> str | None:
    """How messages name a list item (see ``documents.item_label``)."""
    if not isinstance(node.value, dict):
        return None
    return item_label({key: child.value for key, child in node.value.items() if not isinstance(child.value, dict)})


# ---------------------------------------------------------------------------
# The result: scenario data with origins


@dataclass(frozen=True)
class VariantSource:
    """A variant's scenario data (its base with its changes applied), with the file and line of
    every part; a ``documents.Source``. ``files`` lists the variant first, then what it extends."""

    data: Any
    origins: dict[Loc, Origin]
    files: tuple[str, ...]
    change_problems: tuple[Problem, ...]

    def where(self, loc: Loc) -> Origin:
        """Where the value at ``loc`` was written. A problem found at a section the variant changed
        something in (a lunch that no longer fits its window) is put at the change, not at the base."""
        loc = tuple(part for part in loc if part != DICT_KEY_MARK)
        own = next(self.origins[loc[:n]] for n in range(len(loc), -1, -1) if loc[:n] in self.origins)
        best = own
        if loc and self._rank(own) > 0:
            for other, origin in self.origins.items():
                if other[: len(loc)] == loc and self._rank(origin) < self._rank(best):
                    best = origin
        return best

    def path_of(self, loc: Loc) -> str:
        return path_of(self.data, loc)

    def problems(self) -> list[Problem]:
        return list(self.change_problems)

    def _rank(self, origin: Origin) -> int:
        return self.files.index(origin[0]) if origin[0] in self.files else len(self.files)


def expand_variant(document: Document) -> VariantSource:
    """The scenario data a variant file describes: its base (itself possibly a variant) with its
    changes applied in order, and where each part was written.

    Raises
    ------
    ScenarioError
        If the variant file is not in the variant format, or a file it extends cannot be read,
        or the chain of ``extends`` comes back to a file already in it.
    """
    root, problems, files = _expand(document, ())
    origins: dict[Loc, Origin] = {}
    _collect_origins(root, (), origins)
    return VariantSource(root.plain(), origins, tuple(files), tuple(problems))


def _collect_origins(node: _Node, loc: Loc, origins: dict[Loc, Origin]) -> None:
    origins[loc] = node.origin
    if isinstance(node.value, dict):
        for key, child in node.value.items():
            _collect_origins(child, (*loc, key), origins)
    elif isinstance(node.value, list):
        for index, child in enumerate(node.value):
            _collect_origins(child, (*loc, index), origins)


def _expand(document: Document, chain: tuple[tuple[Path, str], ...]) -> tuple[_Node, list[Problem], list[str]]:
    """(the data as nodes, the problems found so far, the files from this one down to the scenario)."""
    problems = document.problems()
    try:
        variant = VariantFile.model_validate(document.data)
    except ValidationError as error:
        raise ScenarioError(problems + validation_problems(error, document, VariantFile)) from None
    chain = (*chain, (Path(document.file).resolve(), document.file))
    base = _read_base(document, variant.extends, chain)
    _refuse_if_not_in_format(base, document)
    if is_variant(base.data):
        root, base_problems, files = _expand(base, chain)
    else:
        root = _nodes(base, (), base.data, (base.file, None))
        base_problems, files = base.problems(), [base.file]
    editor = _Editor(root, document)
    for index, change in enumerate(variant.changes):
        editor.apply(index, change)
    return root, base_problems + problems + editor.problems, [document.file, *files]


def _read_base(document: Document, extends: str, chain: tuple[tuple[Path, str], ...]) -> Document:
    """The file ``extends`` names, relative to ``document``; a cycle or an unreadable file is a
    problem at the ``extends`` line."""
    line = document.line_of(("extends",))
    name = os.path.normpath(os.path.join(os.path.dirname(document.file), extends))
    target = Path(name).resolve()
    if any(target == seen for seen, _ in chain):
        names = [shown for _, shown in chain] + [name]
        raise ScenarioError(
            [
                Problem(
                    document.file,
                    line,
                    "extends",
                    Message("extends_cycle", extends=repr(extends), chain=" -> ".join(names)),
                )
            ]
        )
    try:
        return read_document(name, quote=False)
    except ScenarioError as error:
        if any(problem.line is not None for problem in error.problems):
            raise  # a YAML error in the base: at its own line
        reasons = error.problems[0].message
        for problem in error.problems[1:]:
            reasons = Message("reasons", first=reasons, then=problem.message)
        raise ScenarioError(
            [Problem(document.file, line, "extends", Message("base_unreadable", name=name, reasons=reasons))]
        ) from None


def _refuse_if_not_in_format(base: Document, document: Document) -> None:
    """Refuse a file named by ``extends`` that is not a scenario or a variant: one whose keys,
    at any depth, are not all keys of the format. ``extends`` may name any file, so such a file
    is named in one line, never its keys or values."""
    model: type[BaseModel] = VariantFile if is_variant(base.data) else Scenario
    try:
        model.model_validate(base.data)
    except ValidationError as error:
        foreign = any(
            detail["type"] in ("extra_forbidden", "invalid_key") or not detail["loc"]
            for detail in error.errors(include_url=False)
        )
    except Exception:  # a reference problem: the keys are the format's
        foreign = False
    else:
        foreign = False
    if foreign:
        said = Message("base_not_a_variant" if model is VariantFile else "base_not_a_scenario", file=base.file)
        raise ScenarioError([Problem(document.file, document.line_of(("extends",)), "extends", said)])


# ---------------------------------------------------------------------------
# Applying changes


class _ChangeProblem(Exception):
    """A change that cannot be made; ``where`` is the key of the change it concerns, ``message``
    what is wrong."""

    def __init__(self, where: Loc, message: Message):
        self.where = where
        self.message = message
        super().__init__(message)


_REFERENCES: dict[str, tuple[tuple[str, ...], ...]] = {
    # collection -> where its ids are used ("*": every item or value, "{key}": the mapping's keys)
    "places": (
        ("travel", "overrides", "*", "from"),
        ("travel", "overrides", "*", "to"),
        ("classes", "*", "base"),
        ("classes", "*", "start_place"),
        ("classes", "*", "end_place"),
        ("lecturers", "*", "home"),
        ("sites", "*", "place"),
        ("lodging", "*", "place"),
    ),
    "themes": (("classes", "*", "theme"), ("sites", "*", "themes", "*")),
    "topics": (
        ("lecturers", "*", "topics", "*"),
        ("requirements", "default", "lectures", "{key}"),
        ("requirements", "by_class", "*", "lectures", "{key}"),
    ),
    "classes": (),  # requirements.by_class.<class> goes with the class
    "lecturers": (),
    "sites": tuple(
        (*where, key, "*")
        for where in (("requirements", "default"), ("requirements", "by_class", "*"))
        for key in ("must_visit", "never_visit")
    ),
    "lodging": (),
}


class _Editor:
    """Applies one variant file's changes to the data, collecting a Problem for each change that
    cannot be made (and skipping it)."""

    def __init__(self, root: _Node, document: Document):
        self.root = root
        self.document = document
        self.problems: list[Problem] = []

    def apply(self, index: int, change: Change) -> None:
        operation = change.operation
        method = getattr(self, f"_{operation}")
        try:
            method(("changes", index, operation), getattr(change, operation))
        except _ChangeProblem as problem:
            self.problems.append(self._problem(problem.where, problem.message))

    def _origin(self, loc: Loc) -> Origin:
        return self.document.where(loc)

    # -- set ----------------------------------------------------------------
    def _set(self, at: Loc, change: SetChange) -> None:
        steps = _parse_path(change.path, (*at, "path"))
        node, loc = self.root, ()
        for position, (key, label) in enumerate(steps):
            last = position == len(steps) - 1
            shown = _join(steps[:position])
            if label is not None and isinstance(node.value, list):
                index = self._item_index(node, label, shown, (*at, "path"))
                child_loc: Loc = (*loc, index)
                if last:
                    node.value[index] = self._value_node(at)
                    return
                node, loc = node.value[index], child_loc
                continue
            name = key if key is not None else label
            assert name is not None
            if not isinstance(node.value, dict):
                raise _ChangeProblem(
                    (*at, "path"),
                    Message("holds_no_key", shown=shown, kind=_kind_of(node.value), name=repr(name), hint=_hint(loc)),
                )
            self._check_key(loc, name, shown, (*at, "path"))
            if last:
                node.value[name] = self._value_node(at)
                return
            if name not in node.value:
                expected = slot_at((*loc, name)).expected
                if get_origin(expected) in (tuple, list):
                    raise _ChangeProblem(
                        (*at, "path"), Message("no_entries_to_change", path=_join(steps[: position + 1]))
                    )
                node.value[name] = _Node({}, self._origin((*at, "path")))
            node, loc = node.value[name], (*loc, name)

    def _value_node(self, at: Loc) -> _Node:
        loc = (*at, "value")
        value = self.document.data
        for part in loc:
            value = value[part]
        return _nodes(self.document, loc, value, self._origin(at))

    def _item_index(self, node: _Node, label: str, shown: str, where: Loc) -> int:
        if label.isdigit():
            position = int(label)
            if not 1 <= position <= len(node.value):
                raise _ChangeProblem(
                    where, Message("no_entry_at", shown=shown, position=position, count=len(node.value))
                )
            return position - 1
        matches = [i for i, item in enumerate(node.value) if _label(item) == label]
        if len(matches) > 1:
            raise _ChangeProblem(
                where,
                Message("matches_several", shown=shown, label=label, count=len(matches), first=matches[0] + 1),
            )
        if not matches:
            thing = _THING.get(shown, Message("thing_entry"))
            known = [lab for lab in map(_label, node.value) if lab is not None]
            raise _ChangeProblem(
                where,
                Message(
                    "has_no_such", shown=shown, thing=thing, label=repr(label), expected=_did_you_mean(label, known)
                ),
            )
        return matches[0]

    def _check_key(self, loc: Loc, name: str, shown: str, where: Loc) -> None:
        """``name`` must be a key the format allows in the section at ``loc``."""
        expected = slot_at(loc).expected
        if isinstance(expected, type) and issubclass(expected, BaseModel):
            allowed = [field.alias or field_name for field_name, field in expected.model_fields.items()]
            if name not in allowed:
                close = difflib.get_close_matches(name, allowed, n=1, cutoff=0.6)
                hint = Message("did_you_mean", close=repr(close[0])) if close else ""
                key = "no_key_in" if shown else "no_key_at_the_top"
                raise _ChangeProblem(
                    where, Message(key, name=repr(name), within=shown, hint=hint, allowed=tuple(allowed))
                )
        elif get_origin(expected) is not dict:
            raise _ChangeProblem(
                where,
                Message("holds_no_key", shown=shown, kind=Message("a_single_value"), name=repr(name), hint=_hint(loc)),
            )

    # -- add and remove -----------------------------------------------------
    def _add(self, at: Loc, additions: Additions) -> None:
        for collection in COLLECTIONS:
            items = getattr(additions, collection)
            if items is None:
                continue
            where = (*at, collection)
            listing = self._collection(collection, where)
            written = self.document.data
            for part in where:
                written = written[part]
            for position, _ in enumerate(items):
                item_loc = (*where, position) if isinstance(written, list) else where
                raw = written[position] if isinstance(written, list) else written
                node = _nodes(self.document, item_loc, raw, self._origin(item_loc))
                label = _label(node)
                existing = [i for i, item in enumerate(listing.value) if _label(item) == label]
                if collection != "lodging" and label is not None and existing:
                    file, line = listing.value[existing[0]].origin
                    self.problems.append(
                        self._problem(
                            item_loc,
                            Message(
                                "already_exists", thing=_THING[collection], label=repr(label), where=f"{file}:{line}"
                            ),
                        )
                    )
                    continue
                listing.value.append(node)

    def _remove(self, at: Loc, removals: Removals) -> None:
        for collection in COLLECTIONS:
            ids = getattr(removals, collection)
            if ids is None:
                continue
            written = self.document.data
            for part in (*at, collection):
                written = written[part]
            for position, ident in enumerate(ids):
                where = (*at, collection, position) if isinstance(written, list) else (*at, collection)
                try:
                    self._remove_one(collection, ident, where)
                except _ChangeProblem as problem:
                    self.problems.append(self._problem(problem.where, problem.message))

    def _remove_one(self, collection: str, ident: str, where: Loc) -> None:
        listing = self._collection(collection, where)
        matches = [i for i, item in enumerate(listing.value) if _label(item) == ident]
        if not matches:
            known = [lab for lab in map(_label, listing.value) if lab is not None]
            raise _ChangeProblem(
                where,
                Message(
                    "none_to_remove", thing=_THING[collection], ident=repr(ident), expected=_did_you_mean(ident, known)
                ),
            )
        users = list(self._references(collection, ident))
        if users:
            data = self.root.plain()
            places = ", ".join(f"{origin[0]}:{origin[1]} ({path_of(data, loc)})" for loc, origin in users)
            raise _ChangeProblem(
                where, Message("still_used", thing=_THING[collection], ident=repr(ident), places=places)
            )
        listing.value[:] = [item for i, item in enumerate(listing.value) if i not in matches]
        if collection == "classes":
            by_class = self._find(("requirements", "by_class"))
            if by_class is not None and isinstance(by_class.value, dict):
                by_class.value.pop(ident, None)

    def _references(self, collection: str, ident: str) -> Iterator[tuple[Loc, Origin]]:
        for pattern in _REFERENCES[collection]:
            yield from _matching(self.root, pattern, (), ident)

    # -- unavailable lecturers and closed sites -------------------------------
    def _lecturer_unavailable(self, at: Loc, away: LecturerAway) -> None:
        lecturer = self._entry("lecturers", away.lecturer, (*at, "lecturer"))
        entries = self._list_in(lecturer, "unavailable", at)
        origin = self._origin(at)
        for date in away.all_dates():
            if away.weekdays and Weekday.of(date) not in away.weekdays:
                continue
            fields = {"date": date.isoformat()}
            if away.start is not None and away.end is not None:
                fields |= {"start": format_clock(away.start), "end": format_clock(away.end)}
            if away.part is not None:
                fields |= {"part": away.part}
            entries.value.append(_Node({k: _Node(v, origin) for k, v in fields.items()}, origin))

    def _site_closed(self, at: Loc, closed: SiteClosed) -> None:
        site = self._entry("sites", closed.site, (*at, "site"))
        dates = closed.all_dates()
        outside = [d for d in dates if not self._in_programme(d)]
        if outside:
            key = "date_outside_the_programme" if len(outside) == 1 else "dates_outside_the_programme"
            raise _ChangeProblem(at, Message(key, dates=tuple(map(str, outside)), span=self._programme_span()))
        entries = self._list_in(site, "closed_dates", at)
        already = {child.value for child in entries.value}
        origin = self._origin(at)
        entries.value += [_Node(d.isoformat(), origin) for d in dates if d.isoformat() not in already]

    # -- looking things up --------------------------------------------------
    def _problem(self, where: Loc, message: str) -> Problem:
        file, line = self.document.where(where)
        return Problem(file, line, self.document.path_of(where), message)

    def _find(self, loc: Loc) -> _Node | None:
        node = self.root
        for part in loc:
            if not isinstance(node.value, dict) or part not in node.value:
                return None
            node = node.value[part]
        return node

    def _collection(self, collection: str, where: Loc) -> _Node:
        """The scenario's list ``collection`` (created empty if the base has none)."""
        if not isinstance(self.root.value, dict):
            raise _ChangeProblem(where, Message("base_not_a_mapping"))
        if collection not in self.root.value:
            self.root.value[collection] = _Node([], self._origin(where))
        listing = self.root.value[collection]
        if not isinstance(listing.value, list):
            raise _ChangeProblem(where, Message("base_collection_not_a_list", collection=collection))
        return listing

    def _entry(self, collection: str, ident: str, where: Loc) -> _Node:
        listing = self._collection(collection, where)
        for item in listing.value:
            if _label(item) == ident:
                return item
        known = [lab for lab in map(_label, listing.value) if lab is not None]
        raise _ChangeProblem(
            where, Message("no_such", thing=_THING[collection], ident=repr(ident), expected=_did_you_mean(ident, known))
        )

    def _list_in(self, entry: _Node, key: str, at: Loc) -> _Node:
        if not isinstance(entry.value, dict):
            raise _ChangeProblem(at, Message("base_entry_not_a_mapping"))
        if entry.value.get(key) is None or entry.value[key].value is None:
            entry.value[key] = _Node([], self._origin(at))
        listing = entry.value[key]
        if not isinstance(listing.value, list):
            raise _ChangeProblem(at, Message("base_key_not_a_list", key=key))
        return listing

    def _programme(self) -> tuple[dt.date, int] | None:
        programme = self._find(("programme",))
        try:
            first = dt.date.fromisoformat(str(programme.value["first_date"].value))  # type: ignore[union-attr]
            days = int(programme.value["days"].value)  # type: ignore[union-attr]
        except (AttributeError, KeyError, TypeError, ValueError):
            return None
        return first, days

    def _in_programme(self, date: dt.date) -> bool:
        span = self._programme()
        return span is None or 0 <= (date - span[0]).days < span[1]

    def _programme_span(self) -> Message:
        span = self._programme()
        assert span is not None
        return Message("date_span", first=span[0], last=span[0] + dt.timedelta(days=span[1] - 1))


def _matching(node: _Node, pattern: tuple[str, ...], loc: Loc, ident: str) -> Iterator[tuple[Loc, Origin]]:
    """Where ``pattern`` leads to the value ``ident`` below ``node``."""
    if not pattern:
        if node.value == ident:
            yield loc, node.origin
        return
    step, rest = pattern[0], pattern[1:]
    if step == "{key}":
        if isinstance(node.value, dict) and ident in node.value:
            yield (*loc, ident), node.value[ident].origin
        return
    if step == "*":
        children = node.value.items() if isinstance(node.value, dict) else enumerate(node.value or ())
        if isinstance(node.value, (dict, list)):
            for key, child in children:
                yield from _matching(child, rest, (*loc, key), ident)
        return
    if isinstance(node.value, dict) and step in node.value:
        yield from _matching(node.value[step], rest, (*loc, step), ident)


# ---------------------------------------------------------------------------
# Paths: limits.max_coach_minutes_per_day, classes[rural].trainees, lodging[2].classes_per_night

_STEP = re.compile(r"(?P<key>[A-Za-z_][A-Za-z0-9_\-]*)|\[(?P<label>[^\[\]]+)\]")
Step = tuple[str | None, str | None]
"""(key, None) for ``.key``; (None, label) for ``[label]``."""


def _parse_path(text: str, where: Loc) -> list[Step]:
    steps: list[Step] = []
    position = 0
    text = text.strip()
    while position < len(text):
        if steps and text[position] == ".":
            position += 1
        match = _STEP.match(text, position)
        if match is None or (not steps and match.group("label") is not None):
            raise _ChangeProblem(where, Message("not_a_path", text=repr(text)))
        label = match.group("label")
        steps.append((match.group("key"), label.strip() if label is not None else None))
        position = match.end()
    if not steps or text.endswith("."):
        raise _ChangeProblem(where, Message("not_a_path_like", text=repr(text)))
    return steps


def _join(steps: list[Step]) -> str:
    text = ""
    for key, label in steps:
        text += f"[{label}]" if label is not None else (f".{key}" if text else str(key))
    return text


def _kind_of(value: Any) -> Message:
    if isinstance(value, list):
        return Message("a_list")
    if isinstance(value, dict):
        return Message("a_mapping")
    return Message("a_single_value")


def _hint(loc: Loc) -> Message:
    """What may follow the section at ``loc`` in a path."""
    expected = slot_at(loc).expected
    if get_origin(expected) in (tuple, list):
        return Message("an_entry_in_brackets")
    if isinstance(expected, type) and issubclass(expected, BaseModel):
        return Message("one_of_its_keys")
    return Message("the_path_to_end_there")


def _did_you_mean(value: str, known: list[str]) -> Message:
    close = difflib.get_close_matches(value, known, n=1, cutoff=0.6)
    hint = Message("did_you_mean", close=repr(close[0])) if close else ""
    if not known:
        return Message("expected_none_defined", hint=hint)
    return Message("expected_one_of_known", hint=hint, known=tuple(known))
