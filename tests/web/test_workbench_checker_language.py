"""The plan page of a plan that breaks a rule says the checker's findings in the page's language:
Chinese on the Chinese page, the English sentences as they always were on the English one."""

from __future__ import annotations

import html
import json
import shutil
from typing import Any

from workbench_helpers import WEEKEND, Running


def test_a_plans_broken_rules_are_said_in_the_pages_language(workbench: Running, weekend_plan: dict[str, Any]):
    name = "broken-week.yaml"
    shutil.copy(WEEKEND, workbench.folder / name)
    broken = json.loads(json.dumps(weekend_plan))
    visits = [e for e in broken["events"] if e["kind"] == "field_visit"]
    for key in ("date", "class", "start", "end"):  # two visits of a class at once
        visits[1][key] = visits[0][key]
    path = workbench.folder / "broken-plan.json"
    path.write_text(json.dumps(broken), encoding="utf-8")
    space = workbench.server.app.state.bench.workspace(name)
    space.push({"plan": str(path), "changes": [], "what": "solve", "change": None, "result": {}})

    _, page = workbench.get(f"plan?f={name}&lang=zh")
    chinese = html.unescape(page.decode())
    assert "时间重叠。" in chinese, chinese
    assert "at the same time on" not in chinese
    _, page = workbench.get(f"plan?f={name}&lang=en")
    english = html.unescape(page.decode())
    assert f"Class {visits[0]['class']} has its visit to site " in english, english
    assert "at the same time on" in english and "时间重叠" not in english
