"""Scenario files as documents: YAML read with the line of every key and item, and every
problem turned into a plain-worded `Problem` at its file, line and field path.

Everything that can go wrong with a scenario file becomes a `Problem` that names the file, the
line, the path of the field (by id, never by list index where the item has an id) and what was
expected; `load_scenario` raises them all at once in a `ScenarioError`. The YAML reader keeps
clock times and dates as text (``19:30`` is not the sexagesimal integer 1170), refuses duplicate
keys and remembers the line of every key and list item, so that pydantic's error locations can
be turned back into lines of the file.
"""

from __future__ import annotations

import difflib
import re
import types
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Protocol, Union, get_args, get_origin

import yaml
from pydantic import BaseModel, ValidationError
from pydantic.fields import FieldInfo
from pydantic_core import ErrorDetails

from scheduler.scenario.model import IDENTIFIER_PATTERN, Scenario
from scheduler.scenario.reading import FileRefused, read_bounded_bytes

__all__ = ["Document", "Problem", "ScenarioError", "ScenarioLoader", "Source", "read_document"]

Loc = tuple[Any, ...]
"""A location in the file's data: mapping keys and 0-based list indices, as pydantic reports them."""

DICT_KEY_MARK = "[key]"
"""The last element pydantic adds to a location when a mapping *key* (not its value) is wrong."""


# ---------------------------------------------------------------------------
# Problems


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a scenario file.

    Attributes
    ----------
    file
        The file as the user named it.
    line
        1-based line in the file, or None when no line applies (a missing file, a missing section).
    path
        Where in the scenario, e.g. ``classes[rural].base`` (empty for the file as a whole).
    message
        What is wrong, then what was expected in parentheses.
    """

    file: str
    line: int | None
    path: str
    message: str

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        return ": ".join(part for part in (where, self.path, self.message) if part)


class ScenarioError(Exception):
    """A scenario file that cannot be used, with every problem found in it, sorted by line."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems: list[Problem] = sorted(problems, key=lambda problem: problem.line or 0)
        super().__init__("\n".join(map(str, self.problems)))


class Source(Protocol):
    """Scenario data to validate, and where each part of it was written.

    A plain scenario file is its own source (``Document``); a variant file's source is its base
    with its changes applied (``scheduler.scenario.variants``), whose parts come from several
    files.
    """

    data: Any

    def where(self, loc: Loc) -> tuple[str, int | None]:
        """The file and line where the value at ``loc`` (or its nearest written ancestor) was written."""
        ...

    def path_of(self, loc: Loc) -> str:
        """``loc`` as messages name it, e.g. ``classes[rural].base``."""
        ...

    def problems(self) -> list[Problem]:
        """What is wrong before validation (duplicate keys, changes that cannot be made)."""
        ...


def item_label(item: Any) -> str | None:
    """How messages name a list item: its id, its place (lodging) or its day (day overrides)."""
    if not isinstance(item, dict):
        return None
    if "id" in item:
        return str(item["id"])
    if "place" in item:
        return str(item["place"])
    if "day" in item:
        return f"day {item['day']}"
    return None


def read_document(path: str | Path, *, quote: bool = True) -> Document:
    """The YAML file ``path`` with the line of every key and item; a ScenarioError if it cannot be
    read or is not a YAML mapping.

    With ``quote=False`` (a file named by another file's ``extends``, which may be any file) no
    message quotes the file's text: a YAML error is its line and kind only."""
    file = str(path)
    return _parse_yaml(_read_text(Path(path), file, quote=quote), file, quote=quote)


# ---------------------------------------------------------------------------
# Reading the file


def _read_text(path: Path, file: str, *, quote: bool = True) -> str:
    """The file's text, or a ScenarioError saying why it cannot be had: a file that is not a
    regular file, or is larger than the limit (``reading.max_file_bytes``), is refused unread."""

    def fail(message: str, line: int | None = None) -> ScenarioError:
        return ScenarioError([Problem(file, line, "", message)])

    try:
        raw = read_bounded_bytes(path, "a scenario YAML file")
    except FileRefused as refused:
        reason = refused.reason
        if refused.system:
            reason = f"cannot be read: {reason}"
        raise fail(reason, refused.line) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        byte = f"byte 0x{raw[error.start]:02x}" if quote else "a byte that"
        raise fail(f"{byte} is not UTF-8 text (expected a file saved as UTF-8)", line) from None
    if not text.strip():
        raise fail("the file is empty (expected a scenario: programme, places, themes, classes, lodging, ...)", 1)
    return text


# ---------------------------------------------------------------------------
# YAML with lines


_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_MERGE = "tag:yaml.org,2002:merge"

MAX_YAML_DEPTH = 100
"""How deeply lists and mappings may nest in a scenario file (a scenario nests about six deep)."""

MAX_YAML_ALIASES = 1000
"""How many aliases (``*name``) a scenario file may use."""

MAX_YAML_VALUES = 500_000
"""How many values (keys, items and scalars, each alias counted as a copy of what it names) a
scenario file may hold; the largest shipped holds about 10,000."""


class YAMLLimitError(yaml.composer.ComposerError):
    """A YAML file beyond one of the limits above; ``problem`` is the whole message."""


class ScenarioLoader(yaml.SafeLoader):
    """A SafeLoader that reads numbers as people write them and leaves times and dates as text.

    Compared with YAML 1.1 as PyYAML reads it: ``19:30`` stays the text ``"19:30"`` (not the
    base-60 integer 1170), ``030`` stays text (not octal 24), and dates stay text, so that the
    scenario models parse and check them with their own, clearer, messages.

    Composing is bounded: at most ``MAX_YAML_DEPTH`` levels of nesting (checked before Python's
    recursion limit is near), ``MAX_YAML_ALIASES`` alias uses, and ``MAX_YAML_VALUES`` values with
    every alias expanded, so that a "billion laughs" file is refused at the line where it grows
    past the limit, and an alias to the list or mapping that holds it is refused where it is used.
    """

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0
        self._aliases = 0
        self._sizes: dict[int, int] = {}  # id of a composed node -> its values, aliases expanded

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node:
        """As Composer's, within the limits on depth, aliases and values."""
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent):
            self._aliases += 1
            if self._aliases > MAX_YAML_ALIASES:
                raise YAMLLimitError(
                    None,
                    None,
                    f"more than {MAX_YAML_ALIASES} aliases (*name) in the file "
                    f"(expected at most {MAX_YAML_ALIASES}; write the values out)",
                    event.start_mark,
                )
            node = super().compose_node(parent, index)
            if id(node) not in self._sizes:
                raise YAMLLimitError(
                    None,
                    None,
                    "an alias (*name) inside the list or mapping it names (expected an alias to a finished value)",
                    event.start_mark,
                )
            return node
        self._depth += 1
        if self._depth > MAX_YAML_DEPTH:
            raise YAMLLimitError(
                None,
                None,
                f"lists and mappings nested more than {MAX_YAML_DEPTH} levels deep "
                f"(expected at most {MAX_YAML_DEPTH} levels)",
                event.start_mark,
            )
        node = super().compose_node(parent, index)
        self._depth -= 1
        if isinstance(node, yaml.SequenceNode):
            children: Iterable[yaml.Node] = node.value
        elif isinstance(node, yaml.MappingNode):
            children = (child for pair in node.value for child in pair)
        else:
            children = ()
        size = 1 + sum(self._sizes[id(child)] for child in children)
        if size > MAX_YAML_VALUES:
            counted = ", counting each alias (*name) as a copy of what it names" if self._aliases else ""
            raise YAMLLimitError(
                None,
                None,
                f"this value holds more than {MAX_YAML_VALUES:,} values{counted} "
                f"(expected at most {MAX_YAML_VALUES:,})",
                node.start_mark,
            )
        self._sizes[id(node)] = size
        return node

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        """As SafeLoader's, but a value that cannot be read under its explicit tag is a YAML error."""
        try:
            return super().construct_object(node, deep=deep)
        except yaml.YAMLError:
            raise
        except (ValueError, TypeError, IndexError, OverflowError) as error:
            tag = str(node.tag).replace("tag:yaml.org,2002:", "!!")
            shown = repr(node.value) if isinstance(node, yaml.ScalarNode) else "this value"
            raise yaml.constructor.ConstructorError(
                None, None, f"{shown} cannot be read as {tag}", node.start_mark
            ) from error


ScenarioLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag not in (_INT, _FLOAT, _TIMESTAMP)]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
ScenarioLoader.add_implicit_resolver(
    _INT,
    re.compile(r"^(?:[-+]?(?:0|[1-9][0-9_]*)|[-+]?0b[0-1_]+|[-+]?0x[0-9a-fA-F_]+)$"),
    list("-+0123456789"),
)
ScenarioLoader.add_implicit_resolver(
    _FLOAT,
    re.compile(
        r"""^(?:[-+]?[0-9][0-9_]*\.[0-9_]*(?:[eE][-+]?[0-9]+)?
            |[-+]?\.[0-9][0-9_]*(?:[eE][-+]?[0-9]+)?
            |[-+]?\.(?:inf|Inf|INF)
            |\.(?:nan|NaN|NAN))$""",
        re.VERBOSE,
    ),
    list("-+0123456789."),
)


@dataclass(frozen=True)
class Document:
    """A YAML file's data, with the line of every mapping key and list item.

    ``duplicate_keys`` holds (location, line, line of the first occurrence) for each key given
    twice in one mapping; ``data`` keeps the last value given. A plain scenario file is its own
    ``Source``.
    """

    file: str
    data: Any
    lines: dict[Loc, int]
    duplicate_keys: list[tuple[Loc, int, int]]

    def line_of(self, loc: Loc) -> int | None:
        """The line of ``loc``, or of its nearest ancestor that is written in the file."""
        loc = tuple(part for part in loc if part != DICT_KEY_MARK)
        for length in range(len(loc), 0, -1):
            line = self.lines.get(loc[:length])
            if line is not None:
                return line
        return None

    def where(self, loc: Loc) -> tuple[str, int | None]:
        return self.file, self.line_of(loc)

    def path_of(self, loc: Loc) -> str:
        """``loc`` as a reader would name it: ``classes[rural].base``, ``lodging[2].place``."""
        return path_of(self.data, loc)

    def problems(self) -> list[Problem]:
        """Each key given twice in one mapping."""
        return [
            Problem(
                self.file,
                line,
                self.path_of(loc),
                f"duplicate key {loc[-1]!r}, first given on line {first} (expected each key once)",
            )
            for loc, line, first in self.duplicate_keys
        ]


def path_of(data: Any, loc: Loc) -> str:
    """``loc`` in ``data`` as a reader would name it: ``classes[rural].base``, ``lodging[2].place``.

    List items are named by their ``id`` where they have one, else numbered from 1.
    """
    text = ""
    node = data
    for part in loc:
        if part == DICT_KEY_MARK:
            continue
        if isinstance(node, list) and isinstance(part, int):
            item = node[part] if 0 <= part < len(node) else None
            item_id = item.get("id") if isinstance(item, dict) else None
            label = item_id if _printable_label(item_id) else part + 1
            text += f"[{label}]"
            node = item
        else:
            text += f".{part}" if text else str(part)
            node = node.get(part) if isinstance(node, dict) else None
    return text


def _printable_label(item_id: Any) -> bool:
    """An id fit to name its item in a message: short, printable text (an id that is not is
    refused, and its item named by its number)."""
    return isinstance(item_id, str) and 0 < len(item_id) <= 64 and item_id.isprintable()


def _parse_yaml(text: str, file: str, *, quote: bool = True) -> Document:
    """Parse the text and index its lines; a ScenarioError if it is not YAML or not a mapping
    (with ``quote=False``, in messages that never quote the text)."""
    loader: ScenarioLoader | None = None
    try:
        loader = ScenarioLoader(text)
        root = loader.get_single_node()
        if root is None:
            raise ScenarioError(
                [Problem(file, 1, "", "the file holds only comments (expected a scenario: programme, places, ...)")]
            )
        if not isinstance(root, yaml.MappingNode):
            raise ScenarioError(
                [
                    Problem(
                        file,
                        root.start_mark.line + 1,
                        "",
                        f"not a scenario file: the top level is {_yaml_kind(root)} (expected a "
                        "mapping of sections: schema, programme, places, themes, classes, lodging, ...)",
                    )
                ]
            )
        lines: dict[Loc, int] = {}
        duplicates = list(_index_lines(loader, root, (), lines, active=set()))
        data = loader.construct_document(root)
    except yaml.MarkedYAMLError as error:
        raise ScenarioError([_yaml_problem(error, file, quote=quote)]) from None
    except yaml.YAMLError as error:  # a ReaderError: a control character in the text
        raise ScenarioError([_reader_problem(error, text, file)]) from None
    finally:
        if loader is not None:
            loader.dispose()
    return Document(file, data, lines, duplicates)


def _index_lines(
    loader: ScenarioLoader, node: yaml.Node, loc: Loc, lines: dict[Loc, int], *, active: set[int]
) -> Iterator[tuple[Loc, int, int]]:
    """Record the line of every key and item below ``node``; yield (loc, line, first line) of duplicate keys."""
    if id(node) in active:  # a recursive alias: its lines are already recorded
        return
    active.add(id(node))
    if isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            lines[(*loc, index)] = item.start_mark.line + 1
            yield from _index_lines(loader, item, (*loc, index), lines, active=active)
    elif isinstance(node, yaml.MappingNode):
        first_lines: dict[Any, int] = {}
        merged: list[yaml.Node] = []
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE:
                merged.append(value_node)
                continue
            key = loader.construct_object(key_node) if isinstance(key_node, yaml.ScalarNode) else None
            if key is None or isinstance(key, (list, dict)):
                continue
            line = key_node.start_mark.line + 1
            if key in first_lines:
                yield (*loc, key), line, first_lines[key]
            else:
                first_lines[key] = line
            lines[(*loc, key)] = line
            yield from _index_lines(loader, value_node, (*loc, key), lines, active=active)
        for source in merged:  # keys written in the mapping itself win over merged ones
            sources = source.value if isinstance(source, yaml.SequenceNode) else [source]
            for mapping in sources:
                if isinstance(mapping, yaml.MappingNode):
                    merged_lines: dict[Loc, int] = {}
                    list(_index_lines(loader, mapping, loc, merged_lines, active=active))
                    for merged_loc, line in merged_lines.items():
                        lines.setdefault(merged_loc, line)
    active.discard(id(node))


def _yaml_kind(node: yaml.Node) -> str:
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    if isinstance(node, yaml.ScalarNode):
        return "a single value"
    return "not a mapping"


def _yaml_problem(error: yaml.MarkedYAMLError, file: str, *, quote: bool = True) -> Problem:
    """A YAML syntax error, at the line where the reader gave up, with a hint at the usual causes.

    Only PyYAML's short description of the error is used, never the snippet of the line it
    carries; with ``quote=False`` not even that (it may quote a tag, an alias or a value), only
    the kind of error."""
    mark = error.problem_mark or error.context_mark
    line = mark.line + 1 if mark is not None else None
    problem = original = (error.problem or "cannot be read").strip()
    if isinstance(error, YAMLLimitError):
        return Problem(file, line, "", problem)
    if "another document" in problem:
        return Problem(
            file, line, "", "YAML syntax error: a second document starts here (expected one scenario per file)"
        )
    context_line = error.context_mark.line + 1 if error.context_mark is not None else None
    if "expected <block end>" in problem and context_line is not None:
        problem = f"this line's indentation does not fit the block that starts on line {context_line}"
    elif error.context and context_line is not None and context_line != line:
        problem += f", {error.context} that starts on line {context_line}"
    if "'\\t'" in original:
        hint = "expected spaces for indentation, not tabs"
    elif "expected <block end>" in original:
        hint = "expected the keys of one mapping, and the items of one list, indented alike"
    elif "mapping values are not allowed" in original:
        hint = "expected one 'key: value' per line; check the indentation, and quote text that contains ': '"
    elif "unhashable" in original:
        hint = "expected each key once, written as plain text"
    elif "could not determine a constructor" in original or "cannot be read as" in original:
        hint = "expected plain values without '!' tags"
    else:
        hint = "expected valid YAML; check the indentation, brackets and quotes"
    if not quote:
        kind = "this line's indentation does not fit its block" if "expected <block end>" in original else "not YAML"
        return Problem(file, line, "", f"YAML syntax error: {kind} ({hint})")
    return Problem(file, line, "", f"YAML syntax error: {problem} ({hint})")


def _reader_problem(error: yaml.YAMLError, text: str, file: str) -> Problem:
    position = getattr(error, "position", None)
    line = text[:position].count("\n") + 1 if isinstance(position, int) else None
    character = getattr(error, "character", None)
    shown = f"the control character U+{character:04X}" if isinstance(character, int) else "a character"
    return Problem(file, line, "", f"{shown} is not allowed in YAML (expected printable text)")


# ---------------------------------------------------------------------------
# Validation and its problems


def validation_problems(error: ValidationError, source: Source, root: type[BaseModel] = Scenario) -> list[Problem]:
    """Each of pydantic's errors in validating ``source.data`` as ``root``, as a Problem at its file
    and line, in plain words."""
    problems = []
    for detail in error.errors(include_url=False):
        if _counts_only_valid_items(detail):
            continue
        loc = tuple(detail["loc"])
        file, line = source.where(loc)
        if detail["type"] == "invalid_key":  # the bad key is named in the message, not in the path
            loc = loc[:-1]
        problems.append(Problem(file, line, source.path_of(loc), _plain_message(detail, loc, root)))
    return problems


def _counts_only_valid_items(detail: ErrorDetails) -> bool:
    """A "too short" error that only echoes a bad item: pydantic counts the valid items alone."""
    written = detail.get("input")
    least = (detail.get("ctx") or {}).get("min_length")
    return (
        detail["type"] == "too_short"
        and isinstance(written, (list, tuple))
        and isinstance(least, int)
        and len(written) >= least
    )


# ---------------------------------------------------------------------------
# What the format expects at a location


@dataclass(frozen=True)
class _Slot:
    """What the scenario format expects at one location of the file.

    ``name`` and ``field`` are the innermost model field on the way (for a list item or a
    mapping value, the field that holds the list or mapping); ``expected`` is the type exactly
    at the location, or None where the location is not part of the format.
    """

    name: str | None
    field: FieldInfo | None
    expected: Any


def slot_at(loc: Loc, root: type[BaseModel] = Scenario) -> _Slot:
    """Walk the fields of ``root`` (the Scenario, or another model of the format) along ``loc``."""
    name: str | None = None
    field: FieldInfo | None = None
    expected: Any = root
    for part in loc:
        expected = _unwrap(expected)
        origin = get_origin(expected)
        if isinstance(expected, type) and issubclass(expected, BaseModel):
            found = _field_named(expected, part)
            if found is None:
                return _Slot(name, field, None)
            name, field = part, found
            expected = found.annotation
        elif origin in (tuple, list):
            expected = get_args(expected)[0]
        elif origin is dict:
            key_type, value_type = get_args(expected)
            expected = key_type if part == DICT_KEY_MARK else value_type
        elif part != DICT_KEY_MARK:
            return _Slot(name, field, None)
    return _Slot(name, field, _unwrap(expected))


def _unwrap(annotation: Any) -> Any:
    """The type inside ``Annotated[...]`` and ``X | None``."""
    while True:
        origin = get_origin(annotation)
        if origin is Annotated:
            annotation = get_args(annotation)[0]
        elif origin in (Union, types.UnionType):
            options = [arg for arg in get_args(annotation) if arg is not type(None)]
            if len(options) != 1:
                return annotation
            annotation = options[0]
        else:
            return annotation


def _file_name(name: str, field: FieldInfo) -> str:
    """A field's name as written in the file (its alias, where it has one)."""
    return field.alias or name


def _field_named(model: type[BaseModel], key: Any) -> FieldInfo | None:
    for name, field in model.model_fields.items():
        if key in (name, field.alias):
            return field
    return None


def _keys_of(model: type[BaseModel]) -> list[str]:
    return [_file_name(name, field) for name, field in model.model_fields.items()]


def _required_keys_of(model: type[BaseModel]) -> list[str]:
    return [_file_name(name, field) for name, field in model.model_fields.items() if field.is_required()]


# ---------------------------------------------------------------------------
# Plain messages


_IDENTIFIER_PATTERN = IDENTIFIER_PATTERN
_CHOICE_PATTERN = re.compile(r"^\^\(([^()]*)\)\$$")


def _plain_message(detail: ErrorDetails, loc: Loc, root: type[BaseModel] = Scenario) -> str:
    """Pydantic's error, reworded for an organiser: what is wrong, then what was expected."""
    kind = detail["type"]
    value = detail.get("input")
    context = detail.get("ctx") or {}
    slot = slot_at(loc, root)
    shown = _show(value)

    if kind == "missing":
        return f"required but missing (expected {_expectation(slot)})"
    if kind == "extra_forbidden":
        return _unknown_key_message(loc, root)
    if kind == "invalid_key":
        return f"the key {shown} is not a name (expected one of: {', '.join(allowed_keys_at(loc, root))})"
    if kind == "value_error":
        return detail["msg"].removeprefix("Value error, ")
    if value is None and kind.endswith(("_type", "_parsing")):
        return f"no value given (expected {_expectation(slot)})"
    if kind in ("int_type", "int_parsing", "int_from_float", "int_parsing_size"):
        unit = " of minutes" if _is_minutes(slot) else ""
        example = _example_number(slot, 90 if unit else 2)
        return f"{shown} is not a whole number{unit} (expected an integer, e.g. {example})"
    if _is_share(slot) and kind in ("float_type", "float_parsing", "finite_number"):
        return f"{shown} is not a fraction (expected a share between 0 and 1, e.g. {_share_example(value)})"
    if kind in ("float_type", "float_parsing", "finite_number"):
        return f"{shown} is not a number (expected a number, e.g. {_example_number(slot, 1.5)})"
    if kind in ("bool_type", "bool_parsing"):
        return f"{shown} is not true or false (expected true or false)"
    if kind == "string_unicode":
        return f"{shown} contains an unpaired surrogate (expected valid Unicode text)"
    if kind == "string_type":
        return f"{shown} is not text (expected {_expectation(slot)}; put it in quotes if it looks like a number)"
    if kind == "string_pattern_mismatch":
        return _pattern_message(shown, str(context.get("pattern", "")))
    if kind == "string_too_short":
        return f"{shown} is too short (expected at least {context.get('min_length')} characters)"
    if kind == "string_too_long":
        return f"{shown} is too long (expected at most {context.get('max_length')} characters)"
    if kind == "enum":
        allowed = re.findall(r"'([^']*)'", str(context.get("expected", "")))
        return f"{shown} is not an allowed value ({_did_you_mean(value, allowed)}expected one of: {', '.join(allowed)})"
    if kind in ("greater_than", "greater_than_equal", "less_than", "less_than_equal"):
        return _range_message(kind, value, context, slot)
    if kind.startswith("date_"):
        reason = context.get("error")
        because = f": {reason}" if isinstance(reason, str) and reason else ""
        return f"{shown} is not a valid date{because} (expected a date written YYYY-MM-DD, e.g. 2025-05-12)"
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return f"{shown} is not a mapping (expected {_expectation(slot)})"
    if kind in ("tuple_type", "list_type"):
        example = f", e.g. [{value}]" if isinstance(value, (str, int, float)) else ""
        return f"{shown} is not a list (expected a list: one '- ' line per entry, or [a, b]{example})"
    if kind == "too_short":
        least = context.get("min_length")
        return f"has {context.get('actual_length', 0)} entries (expected at least {least})"
    if kind == "too_long":
        return f"has {context.get('actual_length')} entries (expected at most {context.get('max_length')})"
    return f"{detail['msg']} (expected {_expectation(slot)})"


def _unknown_key_message(loc: Loc, root: type[BaseModel]) -> str:
    key = loc[-1]
    allowed = allowed_keys_at(loc[:-1], root)
    close = difflib.get_close_matches(str(key), allowed, n=1, cutoff=0.6)
    if close:
        return f"unknown key (did you mean {close[0]!r}?)"
    return f"unknown key (expected one of: {', '.join(allowed)})"


def allowed_keys_at(loc: Loc, root: type[BaseModel] = Scenario) -> list[str]:
    """The keys the mapping at ``loc`` may have, as written in the file."""
    section = slot_at(loc, root).expected
    return _keys_of(section) if isinstance(section, type) and issubclass(section, BaseModel) else []


def _pattern_message(shown: str, pattern: str) -> str:
    choices = _CHOICE_PATTERN.match(pattern)
    if choices:
        return f"{shown} is not an allowed value (expected one of: {', '.join(choices.group(1).split('|'))})"
    if pattern == _IDENTIFIER_PATTERN:
        return (
            f"{shown} is not a valid id (expected at most 64 characters: a letter of any script, then letters, "
            "digits, '_', '-', or single dots between them; no '/', '\\' or '..'; e.g. 'rural_2', '乡村.2')"
        )
    return f"{shown} is not in the expected form (expected text matching {pattern})"


def _range_message(kind: str, value: Any, context: dict[str, Any], slot: _Slot) -> str:
    shown = _show(value)
    unit = " minutes" if _is_minutes(slot) else ""
    if _is_share(slot):
        return f"{shown} is not a fraction between 0 and 1 (expected a share, e.g. {_share_example(value)})"
    if kind == "greater_than_equal":
        bound = _number(context["ge"])
        if bound == 0:
            return f"{shown} is negative (expected 0 or more{unit})"
        return f"{shown} is less than {bound} (expected {bound} or more{unit})"
    if kind == "greater_than":
        bound = _number(context["gt"])
        if bound == 0:
            return f"{shown} is not positive (expected more than 0{unit})"
        return f"{shown} is not more than {bound} (expected more than {bound}{unit})"
    if kind == "less_than_equal":
        bound = _number(context["le"])
        return f"{shown} is more than {bound} (expected at most {bound}{unit})"
    bound = _number(context["lt"])
    return f"{shown} is not less than {bound} (expected less than {bound}{unit})"


def _expectation(slot: _Slot) -> str:
    """What belongs at the slot, in words: the keys of its section, or the field's description."""
    expected = slot.expected
    if isinstance(expected, type) and issubclass(expected, BaseModel):
        return _section_expectation(expected)
    if slot.field is not None and slot.field.description:
        return slot.field.description
    origin = get_origin(expected)
    if origin in (tuple, list):
        item = _unwrap(get_args(expected)[0])
        if isinstance(item, type) and issubclass(item, BaseModel):
            return f"a list of entries, each {_section_expectation(item)}"
        return "a list"
    if isinstance(expected, type) and issubclass(expected, str):
        return "text"
    if expected is int:
        return "a whole number"
    if expected is float:
        return "a number"
    return "a value of the scenario format"


def _section_expectation(model: type[BaseModel]) -> str:
    required = _required_keys_of(model)
    keys = required or _keys_of(model)[:4]
    qualifier = "with keys" if required else "with keys such as"
    return f"a mapping {qualifier} {', '.join(keys)}"


def _did_you_mean(value: Any, allowed: list[str]) -> str:
    close = difflib.get_close_matches(str(value), allowed, n=1, cutoff=0.6)
    return f"did you mean {close[0]!r}? " if close else ""


def _is_minutes(slot: _Slot) -> bool:
    return isinstance(slot.name, str) and slot.name.endswith("minutes")


def _is_share(slot: _Slot) -> bool:
    return isinstance(slot.name, str) and "share" in slot.name


def _share_example(value: Any) -> str:
    """``0.76 for 76%`` where the value looks like a percentage, else a stock example."""
    text = str(value).strip().removesuffix("%").strip()
    try:
        percent = float(text)
    except ValueError:
        percent = 30.0
    if not (1 < percent <= 100 and percent.is_integer()):
        percent = 30.0
    return f"{percent / 100:g} for {percent:g}%"


def _example_number(slot: _Slot, fallback: float) -> float:
    default = slot.field.default if slot.field is not None else None
    if isinstance(default, (int, float)) and not isinstance(default, bool) and default > 0:
        return default
    return fallback


def _number(value: Any) -> Any:
    """1.0 as 1, for messages."""
    return int(value) if isinstance(value, float) and value.is_integer() else value


def _show(value: Any) -> str:
    """A value as it would be written in the file, short."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "an empty value"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, (list, tuple)):
        return "a list"
    if isinstance(value, str):
        return repr(value if len(value) <= 40 else value[:37] + "...")
    if isinstance(value, int) and abs(value) >= 10**15:
        return f"a number with {len(str(abs(value)))} digits"
    return str(value)
