"""The scenario format as a JSON Schema, so that editors can check a scenario YAML as it is typed.

``python solve.py --schema > scenario.schema.json`` writes it; a scenario file then names it in
its first line: ``# yaml-language-server: $schema=scenario.schema.json``.
"""

from __future__ import annotations

from typing import Any

from pydantic.json_schema import GenerateJsonSchema, JsonSchemaValue
from pydantic_core import core_schema

from scheduler.scenario.model import Scenario, format_clock

JSON_SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"


class _AsWrittenInYaml(GenerateJsonSchema):
    """Shows defaults as they are written in a scenario file, not as the models hold them.

    A clock time is held as minutes after midnight (an integer) but written ``"HH:MM"``, so an
    integer default on a field whose schema asks for a string is shown as a clock time.
    """

    def default_schema(self, schema: core_schema.WithDefaultSchema) -> JsonSchemaValue:
        json_schema = super().default_schema(schema)
        default = json_schema.get("default")
        if json_schema.get("type") == "string" and isinstance(default, int) and not isinstance(default, bool):
            json_schema["default"] = format_clock(default)
        return json_schema


def scenario_json_schema() -> dict[str, Any]:
    """The JSON Schema of a scenario file (field names as written in YAML).

    Returns
    -------
    dict
        A JSON Schema (draft 2020-12) with ``$schema``, ``title`` and ``description``.
    """
    generated = Scenario.model_json_schema(by_alias=True, mode="validation", schema_generator=_AsWrittenInYaml)
    generated.pop("title", None)
    generated.pop("description", None)
    return {
        "$schema": JSON_SCHEMA_DIALECT,
        "title": "Training programme scenario",
        "description": (
            "A multi-day training programme to plan: the programme and its daily frame, places, "
            "classes, lecturers, sites, lodging, requirements, limits and weights. Clock times are "
            '"HH:MM", durations whole minutes, shares fractions between 0 and 1. '
            "See docs/scenario-format.md."
        ),
        **generated,
    }
