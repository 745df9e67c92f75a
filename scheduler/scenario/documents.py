"""Scenario files as documents: YAML read with the line of every key and item, and every
problem turned into a plain-worded `Problem` at its file, line and field path.

Everything that can go wrong with a scenario file becomes a `Problem` that names the file, the
line, the path of the field (by id, never by list index where the item has an id) and what was
expected, in a `Message` that is said in English or in Chinese (``wording``); `load_scenario`
raises them all at once in a `ScenarioError`. The YAML reader keeps
clock times and dates as text (``19:30`` is not the sexagesimal integer 1170), refuses duplicate
keys and remembers the line of every key and list item, so that pydantic's error locations can
be turned back into lines of the file.
"""

from __future__ import annotations

import datetime as dt
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

from scheduler.scenario.model import IDENTIFIER_PATTERN, Scenario, parse_clock
from scheduler.scenario.reading import FileRefused, read_bounded_bytes
from scheduler.scenario.wording import DESCRIPTIONS, Message

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
        What is wrong, then what was expected in parentheses: a `Message` (its English
        sentence, which it can word in Chinese too), or plain text said as it is in any language.
    """

    file: str
    line: int | None
    path: str
    message: str

    def __str__(self) -> str:
        return self.in_language("en")

    def in_language(self, lang: str) -> str:
        """``FILE:LINE: path: message``, the message in ``lang``; the file, the line and the path
        (the file's own keys and ids) as they are in every language."""
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        message = self.message_in(lang)
        if lang == "zh" and self.path:
            return f"{where}: {self.path}：{message}"
        return ": ".join(part for part in (where, self.path, message) if part)

    def message_in(self, lang: str) -> str:
        """What is wrong, in ``lang`` (plain text as it is)."""
        return self.message.in_language(lang) if isinstance(self.message, Message) else self.message


class ScenarioError(Exception):
    """A scenario file that cannot be used, with every problem found in it, sorted by line;
    ``str()`` says them in English, ``in_language(lang)`` in either language."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems: list[Problem] = sorted(problems, key=lambda problem: problem.line or 0)
        super().__init__("\n".join(map(str, self.problems)))

    def in_language(self, lang: str) -> str:
        """Every problem, one a line, in ``lang``."""
        return "\n".join(problem.in_language(lang) for problem in self.problems)


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
        raw = read_bounded_bytes(path, Message("a_scenario_file"))
    except FileRefused as refused:
        reason = refused.reason
        if refused.system:
            reason = Message("cannot_be_read", reason=reason)
        raise fail(reason, refused.line) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        said = Message("byte_not_utf8", byte=raw[error.start]) if quote else Message("a_byte_not_utf8")
        raise fail(said, line) from None
    if not text.strip():
        raise fail(Message("file_empty"), 1)
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
                raise YAMLLimitError(None, None, Message("too_many_aliases", most=MAX_YAML_ALIASES), event.start_mark)
            node = super().compose_node(parent, index)
            if id(node) not in self._sizes:
                raise YAMLLimitError(None, None, Message("alias_inside_itself"), event.start_mark)
            return node
        self._depth += 1
        if self._depth > MAX_YAML_DEPTH:
            raise YAMLLimitError(None, None, Message("nested_too_deep", most=MAX_YAML_DEPTH), event.start_mark)
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
            key = "too_many_values_with_aliases" if self._aliases else "too_many_values"
            raise YAMLLimitError(None, None, Message(key, most=MAX_YAML_VALUES), node.start_mark)
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
            shown = repr(node.value) if isinstance(node, yaml.ScalarNode) else Message("this_value")
            raise yaml.constructor.ConstructorError(
                None, None, Message("cannot_be_read_as", shown=shown, tag=tag), node.start_mark
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
                Message("duplicate_key", key=repr(loc[-1]), first=first),
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
            raise ScenarioError([Problem(file, 1, "", Message("only_comments"))])
        if not isinstance(root, yaml.MappingNode):
            raise ScenarioError(
                [Problem(file, root.start_mark.line + 1, "", Message("not_a_scenario_file", kind=_yaml_kind(root)))]
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


def _yaml_kind(node: yaml.Node) -> Message:
    if isinstance(node, yaml.SequenceNode):
        return Message("a_list")
    if isinstance(node, yaml.ScalarNode):
        return Message("a_single_value")
    return Message("not_a_mapping")


def _yaml_problem(error: yaml.MarkedYAMLError, file: str, *, quote: bool = True) -> Problem:
    """A YAML syntax error, at the line where the reader gave up, with a hint at the usual causes.

    Only PyYAML's short description of the error is used, never the snippet of the line it
    carries; with ``quote=False`` not even that (it may quote a tag, an alias or a value), only
    the kind of error. PyYAML describes the error in English: the English message quotes its
    description, the Chinese one says the kind of error in its own words."""
    mark = error.problem_mark or error.context_mark
    line = mark.line + 1 if mark is not None else None
    if isinstance(error, YAMLLimitError):
        return Problem(file, line, "", error.problem or "")
    original = str(error.problem or "cannot be read").strip()
    if "another document" in original:
        return Problem(file, line, "", Message("yaml_second_document"))
    context_line = error.context_mark.line + 1 if error.context_mark is not None else None
    block_end = "expected <block end>" in original
    hint, what = _yaml_hint(original)
    problem: str = error.problem if isinstance(error.problem, Message) else original
    if isinstance(error.problem, Message):
        what = error.problem
    if block_end and context_line is not None:
        problem = what = Message("yaml_indentation_of_block", line=context_line)
    elif error.context and context_line is not None and context_line != line:
        problem = f"{problem}, {error.context} that starts on line {context_line}"
        what = Message("yaml_within", what=what, line=context_line)
    if not quote:
        problem = what = Message("yaml_indentation") if block_end else Message("not_yaml")
    return Problem(file, line, "", Message("yaml_syntax", problem=problem, what=what, hint=hint))


def _yaml_hint(original: str) -> tuple[Message, Message]:
    """(what was expected, the kind of error in words of our own) for PyYAML's description."""
    if "'\\t'" in original:
        return Message("expected_spaces_not_tabs"), Message("yaml_tab")
    if "expected <block end>" in original:
        return Message("expected_indented_alike"), Message("yaml_indentation")
    if "mapping values are not allowed" in original:
        return Message("expected_key_value_lines"), Message("yaml_mapping_value")
    if "unhashable" in original:
        return Message("expected_plain_keys"), Message("yaml_key_not_text")
    if "could not determine a constructor" in original or "cannot be read as" in original:
        return Message("expected_no_tags"), Message("yaml_tag")
    return Message("expected_valid_yaml"), Message("not_yaml")


def _reader_problem(error: yaml.YAMLError, text: str, file: str) -> Problem:
    position = getattr(error, "position", None)
    line = text[:position].count("\n") + 1 if isinstance(position, int) else None
    character = getattr(error, "character", None)
    if isinstance(character, int):
        return Problem(file, line, "", Message("control_character_in_yaml", code=character))
    return Problem(file, line, "", Message("character_in_yaml"))


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
    """Pydantic's error, reworded for an organiser: what is wrong, then what was expected. A
    `Message`, but for an error of a kind the format never makes (said in pydantic's words)."""
    kind = detail["type"]
    value = detail.get("input")
    context = detail.get("ctx") or {}
    slot = slot_at(loc, root)
    shown = _show(value)

    if kind == "missing":
        return Message("missing", expected=_expectation(slot))
    if kind == "extra_forbidden":
        return _unknown_key_message(loc, root)
    if kind == "invalid_key":
        return Message("key_not_a_name", shown=shown, allowed=tuple(allowed_keys_at(loc, root)))
    if kind == "value_error":
        error = context.get("error")
        said = error.args[0] if isinstance(error, Exception) and error.args else None
        return said if isinstance(said, Message) else detail["msg"].removeprefix("Value error, ")
    if value is None and kind.endswith(("_type", "_parsing")):
        return Message("no_value", expected=_expectation(slot))
    if kind in ("int_type", "int_parsing", "int_from_float", "int_parsing_size"):
        if _is_minutes(slot):
            return Message("not_whole_minutes", shown=shown, example=_example_number(slot, 90))
        return Message("not_whole_number", shown=shown, example=_example_number(slot, 2))
    if _is_share(slot) and kind in ("float_type", "float_parsing", "finite_number"):
        return Message("not_a_fraction", shown=shown, example=_share_example(value))
    if kind in ("float_type", "float_parsing", "finite_number"):
        return Message("not_a_number", shown=shown, example=_example_number(slot, 1.5))
    if kind in ("bool_type", "bool_parsing"):
        return Message("not_true_or_false", shown=shown)
    if kind == "string_unicode":
        return Message("unpaired_surrogate", shown=shown)
    if kind == "string_type":
        return Message("not_text", shown=shown, expected=_expectation(slot))
    if kind == "string_pattern_mismatch":
        return _pattern_message(shown, str(context.get("pattern", "")))
    if kind == "string_too_short":
        return Message("text_too_short", shown=shown, least=context.get("min_length"))
    if kind == "string_too_long":
        return Message("text_too_long", shown=shown, most=context.get("max_length"))
    if kind == "enum":
        allowed = re.findall(r"'([^']*)'", str(context.get("expected", "")))
        return Message("not_an_allowed_value", shown=shown, hint=_did_you_mean(value, allowed), allowed=tuple(allowed))
    if kind in ("greater_than", "greater_than_equal", "less_than", "less_than_equal"):
        return _range_message(kind, value, context, slot)
    if kind.startswith("date_"):
        reason = context.get("error")
        because = f": {reason}" if isinstance(reason, str) and reason else ""
        return Message("not_a_date", shown=shown, because=because)
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return Message("not_a_mapping_expected", shown=shown, expected=_expectation(slot))
    if kind in ("tuple_type", "list_type"):
        if isinstance(value, (str, int, float)):
            return Message("not_a_list_such_as", shown=shown, value=value)
        return Message("not_a_list", shown=shown)
    if kind == "too_short":
        return Message("too_few_entries", count=context.get("actual_length", 0), least=context.get("min_length"))
    if kind == "too_long":
        return Message("too_many_entries", count=context.get("actual_length"), most=context.get("max_length"))
    return Message("not_as_expected", said=detail["msg"], expected=_expectation(slot))


def _unknown_key_message(loc: Loc, root: type[BaseModel]) -> Message:
    key = loc[-1]
    allowed = allowed_keys_at(loc[:-1], root)
    close = difflib.get_close_matches(str(key), allowed, n=1, cutoff=0.6)
    if close:
        return Message("unknown_key_like", close=repr(close[0]))
    return Message("unknown_key", allowed=tuple(allowed))


def allowed_keys_at(loc: Loc, root: type[BaseModel] = Scenario) -> list[str]:
    """The keys the mapping at ``loc`` may have, as written in the file."""
    section = slot_at(loc, root).expected
    return _keys_of(section) if isinstance(section, type) and issubclass(section, BaseModel) else []


def _pattern_message(shown: str, pattern: str) -> Message:
    choices = _CHOICE_PATTERN.match(pattern)
    if choices:
        return Message("not_one_of", shown=shown, allowed=tuple(choices.group(1).split("|")))
    if pattern == _IDENTIFIER_PATTERN:
        return Message("not_an_id", shown=shown)
    return Message("not_in_form", shown=shown, pattern=pattern)


_RANGE_WORDS = {
    # pydantic's kind -> (the key of the message, the bound's name in pydantic's context)
    "greater_than_equal": ("less_than_bound", "ge"),
    "greater_than": ("not_more_than", "gt"),
    "less_than_equal": ("more_than", "le"),
    "less_than": ("not_less_than", "lt"),
}


def _range_message(kind: str, value: Any, context: dict[str, Any], slot: _Slot) -> Message:
    shown = _show(value)
    unit = Message("minutes_unit") if _is_minutes(slot) else ""
    if _is_share(slot):
        return Message("not_a_fraction_between", shown=shown, example=_share_example(value))
    key, name = _RANGE_WORDS[kind]
    bound = _number(context[name])
    if bound == 0 and kind == "greater_than_equal":
        key = "negative"
    elif bound == 0 and kind == "greater_than":
        key = "not_positive"
    return Message(key, shown=shown, bound=bound, unit=unit)


def _expectation(slot: _Slot) -> Message:
    """What belongs at the slot, in words: the keys of its section, or the field's description
    (in Chinese, its entry in ``DESCRIPTIONS``, else the kind of value the field holds)."""
    expected = slot.expected
    if isinstance(expected, type) and issubclass(expected, BaseModel):
        return _section_expectation(expected)
    if slot.field is not None and slot.field.description:
        description = slot.field.description
        chinese = DESCRIPTIONS.get(description) or _kind_of_value(slot)
        return Message("described", description=description, chinese=chinese)
    origin = get_origin(expected)
    if origin in (tuple, list):
        item = _unwrap(get_args(expected)[0])
        if isinstance(item, type) and issubclass(item, BaseModel):
            return Message("list_of_entries", each=_section_expectation(item))
        return Message("a_list")
    if isinstance(expected, type) and issubclass(expected, str):
        return Message("text")
    if expected is int:
        return Message("a_whole_number")
    if expected is float:
        return Message("a_number")
    return Message("a_value_of_the_format")


def _kind_of_value(slot: _Slot) -> Message:
    """The kind of value at the slot, in words (a clock time, an id, a date, whole minutes...)."""
    expected = slot.expected
    if get_origin(expected) in (tuple, list):
        return Message("a_list")
    marks = list(_metadata(slot.field)) if slot.field is not None else []
    if any(getattr(mark, "func", None) is parse_clock for mark in marks):
        return Message("a_clock_time")
    if expected is dt.date:
        return Message("a_date")
    if isinstance(expected, type) and issubclass(expected, str):
        is_id = any(getattr(mark, "pattern", None) == IDENTIFIER_PATTERN for mark in marks)
        return Message("an_id") if is_id else Message("text")
    if expected is bool:
        return Message("true_or_false")
    if expected is int:
        return Message("whole_minutes") if _is_minutes(slot) else Message("a_whole_number")
    if expected is float or get_origin(expected) in (Union, types.UnionType):
        return Message("minutes_number") if _is_minutes(slot) else Message("a_number")
    return Message("a_value_of_the_format")


def _metadata(field: Any) -> Iterator[Any]:
    """The constraints and validators of a field, and of the types it is annotated with."""
    stack: list[Any] = [*getattr(field, "metadata", ()), getattr(field, "annotation", None)]
    while stack:
        mark = stack.pop()
        if isinstance(mark, FieldInfo):
            stack += [*mark.metadata, mark.annotation]
        elif get_origin(mark) is not None:
            stack += get_args(mark)
        elif mark is not None and not isinstance(mark, type):
            yield mark


def _section_expectation(model: type[BaseModel]) -> Message:
    required = _required_keys_of(model)
    if required:
        return Message("mapping_with_keys", keys=tuple(required))
    return Message("mapping_with_keys_such_as", keys=tuple(_keys_of(model)[:4]))


def _did_you_mean(value: Any, allowed: list[str]) -> Message | str:
    close = difflib.get_close_matches(str(value), allowed, n=1, cutoff=0.6)
    return Message("did_you_mean", close=repr(close[0])) if close else ""


def _is_minutes(slot: _Slot) -> bool:
    return isinstance(slot.name, str) and slot.name.endswith("minutes")


def _is_share(slot: _Slot) -> bool:
    return isinstance(slot.name, str) and "share" in slot.name


def _share_example(value: Any) -> Message:
    """``0.76 for 76%`` where the value looks like a percentage, else a stock example."""
    text = str(value).strip().removesuffix("%").strip()
    try:
        percent = float(text)
    except ValueError:
        percent = 30.0
    if not (1 < percent <= 100 and percent.is_integer()):
        percent = 30.0
    return Message("share_example", share=percent / 100, percent=percent)


def _example_number(slot: _Slot, fallback: float) -> float:
    default = slot.field.default if slot.field is not None else None
    if isinstance(default, (int, float)) and not isinstance(default, bool) and default > 0:
        return default
    return fallback


def _number(value: Any) -> Any:
    """1.0 as 1, for messages."""
    return int(value) if isinstance(value, float) and value.is_integer() else value


def _show(value: Any) -> str:
    """A value as it would be written in the file, short (a `Message` where it is described
    rather than written: an empty value, a mapping, a list, a number too long to show)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return Message("an_empty_value")
    if isinstance(value, dict):
        return Message("a_mapping")
    if isinstance(value, (list, tuple)):
        return Message("a_list")
    if isinstance(value, str):
        return repr(value if len(value) <= 40 else value[:37] + "...")
    if isinstance(value, int) and abs(value) >= 10**15:
        return Message("a_number_with_digits", digits=len(str(abs(value))))
    return str(value)
