"""The workbench's pages: a Starlette application over one folder of scenario files.

Pages (each takes the scenario file as ``?f=NAME``, a path inside the folder):

- ``/``: the scenario files of the folder, and an upload.
- ``/plan``: make a plan (live progress, Stop keeps the best plan), look at it (overview,
  classes, lecturers, sites, map), change it (pin a visit, close a site, a lecturer away: a
  re-plan with the fewest changes, what changed and who must be told, undo).
- ``/edit``: the scenario in tables and forms, checked by the loader the command line uses.
- ``/downloads``: the booklet (PDF, web page), calendars, spreadsheet and hand-outs of the plan.
- ``/compare``: a variant file (``extends:``) re-planned from its base's plan with the least
  change, and compared with it: the verdict, the figures with their deltas, what changes and who
  must be told (``solve.py compare``).
- ``/sweep``: every single disruption of the kinds chosen re-planned from the plan, ranked in
  the risk table (``solve.py sweep``), with the table as a spreadsheet and as JSON.

Safety: every state-changing request is a POST that must carry the server's token (a form
field or the ``X-CSRF-Token`` header) and, when the browser sends one, an ``Origin`` of the
server itself; the ``Host`` must be the server's (no DNS rebinding). Templates are
autoescaped. Paths from requests are resolved inside the folder (``files.Folder``). Any error
is a page in words, never a traceback.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import hmac
import json
import secrets
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

from jinja2 import Environment, PackageLoader, select_autoescape
from starlette.applications import Starlette
from starlette.datastructures import Headers, UploadFile
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import (
    FileResponse,
    HTMLResponse,
    JSONResponse,
    PlainTextResponse,
    RedirectResponse,
    Response,
    StreamingResponse,
)
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from scheduler.analysis.check import check
from scheduler.analysis.compare import describe_changes
from scheduler.analysis.diff import diff_plans
from scheduler.analysis.disruptions import disruptions
from scheduler.plan.export import PlanFormatError, plan_from_json
from scheduler.plan.model import Plan
from scheduler.render import OUTPUTS
from scheduler.scenario.loading import ScenarioError, load_scenario
from scheduler.scenario.model import Scenario
from scheduler.web import editing, views
from scheduler.web.files import Folder, UnsafePath, digest
from scheduler.web.jobs import Jobs
from scheduler.web.words import WordedError, say, word
from scheduler.web.workspace import Workspace, variant_text

LANG_COOKIE = "workbench_lang"
TOKEN_FIELD = "csrf"
TOKEN_HEADER = "x-csrf-token"
MAX_UPLOAD_BYTES = 2 * 1024 * 1024
TIME_LIMITS = (10, 30, 60, 300)
COMPARE_LIMITS = (10, 20, 60)
SWEEP_LIMITS = (2, 5, 10, 20)
"""Each re-plan's time on the comparison and sweep pages (a sweep re-plans many times)."""
SWEEP_KINDS = ("lecturer-away", "site-closed", "coach-limit")
SWEEP_DIR = "sweep"
"""The sweep's risk table, under the scenario's downloads (``outputs/sweep/risk.xlsx``, ``.json``)."""
COMPARISON = "comparison.json"
HEARTBEAT_SECONDS = 1.0
"""How often a running job's figures are sent even when none changed (the clock moves on)."""
DOWNLOAD_GROUPS = {
    "booklet.pdf": ("booklet.pdf",),
    "booklet.html": ("booklet.html",),
    "calendars": ("calendars",),
    "itinerary.xlsx": ("itinerary.xlsx",),
    "handouts": ("handouts",),
    "all": OUTPUTS,
}


class PageError(WordedError):
    """A request that cannot be done, said in one sentence on an error page in the page's
    language: ``key`` names the sentence in ``words.WORDS``, ``fields`` fill it in."""

    def __init__(self, key: str, status: int = 400, **fields: object):
        super().__init__(key, **fields)
        self.status = status


class Workbench:
    """The state of one server: the folder, its jobs and the request token."""

    def __init__(self, folder: Path, *, allowed_hosts: tuple[str, ...] = ("127.0.0.1", "localhost")):
        self.folder = Folder.at(folder)
        self.jobs = Jobs()
        self.token = secrets.token_urlsafe(32)
        self.allowed_hosts = allowed_hosts
        self.env = Environment(
            loader=PackageLoader("scheduler.web", "templates"),
            autoescape=select_autoescape(default=True, default_for_string=True),
            trim_blocks=True,
            lstrip_blocks=True,
        )

    def workspace(self, name: str) -> Workspace:
        return Workspace(self.folder.scenario(name), self.folder.work_dir(name))


# ---------------------------------------------------------------------------
# Helpers of every page


def _bench(request: Request) -> Workbench:
    return request.app.state.bench


def _lang(request: Request) -> str:
    lang = request.query_params.get("lang") or request.cookies.get(LANG_COOKIE) or "en"
    return lang if lang in ("zh", "en") else "en"


def _render(request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
    bench = _bench(request)
    lang = _lang(request)
    page = bench.env.get_template(template).render(
        t=lambda key, **fields: say(key, lang, **fields),
        lang=lang,
        token=bench.token,
        request=request,
        here=str(request.url.path) + (f"?{request.url.query}" if request.url.query else ""),
        folder=str(bench.folder.root),
        **context,
    )
    response = HTMLResponse(page, status_code=status)
    if request.query_params.get("lang") in ("zh", "en"):
        response.set_cookie(LANG_COOKIE, lang, samesite="strict", httponly=True)
    return response


def _name(request: Request) -> str:
    name = request.query_params.get("f", "")
    try:
        _bench(request).folder.scenario(name)
    except UnsafePath as error:
        raise PageError(error.key, 404, **error.fields) from None
    return name


def _link(path: str, **params: Any) -> str:
    return f"{path}?{urlencode({k: v for k, v in params.items() if v is not None})}"


async def _form(request: Request) -> Any:
    """The request's form, once its origin and token are checked (a cross-site request is refused)."""
    bench = _bench(request)
    origin = request.headers.get("origin") or request.headers.get("referer")
    if origin is not None:
        parts = urlsplit(origin)
        if parts.scheme not in ("http", "https") or parts.netloc != request.headers.get("host"):
            raise PageError("err_cross_site", 403)
    elif request.headers.get("sec-fetch-site") not in (None, "same-origin", "none"):
        raise PageError("err_cross_site", 403)
    try:
        form = await request.form(max_files=1, max_fields=5000)
    except Exception:  # noqa: BLE001 - a malformed body is a bad request, said in words
        raise PageError("err_form_unreadable", 400) from None
    sent = request.headers.get(TOKEN_HEADER) or form.get(TOKEN_FIELD) or ""
    if not isinstance(sent, str) or not hmac.compare_digest(sent.encode(), bench.token.encode()):
        raise PageError("err_token", 403)
    return form


def _load(path: Path) -> tuple[Scenario | None, list[Any]]:
    try:
        return load_scenario(path), []
    except ScenarioError as error:
        return None, error.problems


def _read_plan(path: str | None) -> Plan | None:
    if not path:
        return None
    try:
        return plan_from_json(json.loads(Path(path).read_text(encoding="utf-8")))
    except (OSError, ValueError, PlanFormatError):
        return None


# ---------------------------------------------------------------------------
# Pages


async def index(request: Request) -> Response:
    bench = _bench(request)
    rows = []
    for name in bench.folder.scenarios():
        path = bench.folder.root / name
        scenario, problems = _load(path)
        title = scenario.programme.label(_lang(request)) if scenario else ""
        rows.append(
            {"name": name, "title": title, "problems": len(problems), "variant": _safe_base(bench, name) is not None}
        )
    return _render(request, "index.html", rows=rows, message=request.query_params.get("msg"))


async def upload(request: Request) -> Response:
    bench = _bench(request)
    form = await _form(request)
    file = form.get("file")
    if not isinstance(file, UploadFile) or not file.filename:
        raise PageError("err_upload_choose")
    name = Path(file.filename).name
    if not name.lower().endswith((".yaml", ".yml")) or name.startswith(".") or "/" in name or "\\" in name:
        raise PageError("err_upload_suffix")
    content = await file.read(MAX_UPLOAD_BYTES + 1)
    if len(content) > MAX_UPLOAD_BYTES:
        raise PageError("err_upload_size", mb=MAX_UPLOAD_BYTES // 1024 // 1024)
    try:
        text = content.decode("utf-8-sig")
        data = editing.load_text(text)
    except (UnicodeDecodeError, editing.YAMLError):
        raise PageError("err_upload_not_text") from None
    if not isinstance(data, dict):
        raise PageError("err_upload_not_scenario")
    target = bench.folder.resolve(name)
    if target.exists():
        raise PageError("err_upload_exists", name=name)
    editing.write_text(target, text)
    return RedirectResponse(_link("/edit", f=name, section="programme"), status_code=303)


def _job_context(bench: Workbench, name: str) -> dict[str, Any]:
    job = bench.jobs.get(name)
    return {"job": job.snapshot() if job else None}


async def plan_page(request: Request) -> Response:
    bench = _bench(request)
    name = _name(request)
    lang = _lang(request)
    space = bench.workspace(name)
    base, base_problems = _load(space.scenario_path)
    current = space.current()
    plan = _read_plan(current["plan"]) if current else None
    changes = current["changes"] if current else []
    scenario, violations, problems = base, [], base_problems
    if base is not None and changes:
        scenario, problems = _load(space.source_for(base, changes))
    if plan is not None and scenario is not None:
        violations = [v.in_language(lang) for v in check(scenario, plan)]
    view = request.query_params.get("view", "overview")
    ident = request.query_params.get("id")
    context: dict[str, Any] = {
        "name": name,
        "scenario": scenario,
        "problems": problems,
        "changes_broken": base is not None and scenario is None,
        "plan": plan,
        "violations": violations,
        "current": current,
        "history": space.state()["history"],
        "view": view,
        "ident": ident,
        "time_limits": TIME_LIMITS,
        "digest": digest(space.scenario_path),
        **_job_context(bench, name),
    }
    if plan is not None and scenario is not None and not violations:
        context["dates"] = [
            (scenario.programme.date_of(d).isoformat(), views.day_label(scenario.programme.date_of(d), lang))
            for d in range(scenario.programme.days)
        ]
        context["namer"] = views.Namer(scenario, lang)
        context["say"] = _sayer(views.Namer(scenario, lang), lang)
        if view == "class":
            ident = ident if ident in {c.id for c in scenario.classes} else scenario.classes[0].id
            context["ident"] = ident
            context["timeline"] = views.timeline(scenario, plan, ident, lang)
        elif view == "lecturer":
            ident = ident if ident in {lect.id for lect in scenario.lecturers} else scenario.lecturers[0].id
            context["ident"] = ident
            context["schedule"] = views.lecturer_schedule(scenario, plan, ident, lang)
        elif view == "site":
            ident = ident if ident in {s.id for s in scenario.sites} else scenario.sites[0].id
            context["ident"] = ident
            context["schedule"] = views.site_schedule(scenario, plan, ident, lang)
        elif view == "map":
            context["map"] = views.scenario_map(scenario, plan, lang)
        else:
            context["view"] = "overview"
            context["overview"] = views.overview(scenario, plan, lang)
    return _render(request, "plan.html", **context)


def _job_variant(plan: Path) -> Path:
    """The what-if variant a job plans from, beside the plan it will write."""
    return plan.with_name(f"{plan.stem}-what-if.yaml")


def _solve_done(
    space: Workspace,
    changes: list[dict[str, Any]],
    change: dict[str, Any] | None,
    old: dict[str, Any] | None,
    source: Path,
):
    """What to keep when a solve or re-plan ends: its plan, on top of the history."""

    def done(result: dict[str, Any]) -> None:
        if not result.get("plan"):
            return
        what = _describe(change) if change else "solve"
        entry: dict[str, Any] = {
            "plan": result["plan"],
            "changes": changes,
            "what": what,
            "change": change,
            "result": result,
        }
        if old is not None:
            before, after = _read_plan(old["plan"]), _read_plan(result["plan"])
            base, _ = _load(space.scenario_path)
            changed, _ = _load(source)
            if before is not None and after is not None and base is not None and changed is not None:
                # the rows: what people see (coach legs and meals follow from it); who must be
                # told: everyone any change concerns
                shown = describe_changes(
                    what, space.scenario_path.name, diff_plans(before, after, views.SHOWN_KINDS), changed, base
                )
                everyone = describe_changes(what, space.scenario_path.name, diff_plans(before, after), changed, base)
                entry["diff"] = {
                    "rows": [row.to_json() for row in shown.rows],
                    "audience": {key: list(value) for key, value in everyone.audience.items()},
                    "note": shown.note,
                    "hidden": everyone.diff.changed_events - shown.diff.changed_events
                    if everyone.diff and shown.diff
                    else 0,
                }
        space.push(entry)

    return done


async def solve(request: Request) -> Response:
    bench = _bench(request)
    name = _name(request)
    form = await _form(request)
    space = bench.workspace(name)
    base, problems = _load(space.scenario_path)
    if base is None:
        raise PageError("err_scenario_problems")
    try:
        limit = float(form.get("time_limit", "30"))
    except ValueError:
        limit = 30.0
    limit = min(max(limit, 1.0), 3600.0)
    changes = space.changes()
    out = space.new_plan_path()
    source = space.source_for(base, changes, _job_variant(out))
    spec = {"scenario": str(source), "source": str(space.scenario_path), "out": str(out), "time_limit": limit}
    job = bench.jobs.start(name, "solve", spec, on_done=_solve_done(space, changes, None, None, source))
    if job is None:
        raise PageError("busy", 409)
    return RedirectResponse(_link("/plan", f=name), status_code=303)


async def stop(request: Request) -> Response:
    bench = _bench(request)
    name = _name(request)
    await _form(request)
    job = bench.jobs.get(name)
    bench.jobs.stop(name)
    # back to the page the job shows on
    page = {"compare": "/compare", "sweep": "/sweep", "render": "/downloads"}.get(job.kind if job else "", "/plan")
    return RedirectResponse(_link(page, f=name), status_code=303)


def _date_of(scenario: Scenario, text: Any) -> str:
    dates = {scenario.programme.date_of(d).isoformat() for d in range(scenario.programme.days)}
    if text not in dates:
        raise PageError("err_choose_day")
    return str(text)


async def change(request: Request) -> Response:
    """Pin a visit, close a site on a day, or mark a lecturer away; then re-plan with the fewest changes."""
    bench = _bench(request)
    name = _name(request)
    form = await _form(request)
    space = bench.workspace(name)
    base, _ = _load(space.scenario_path)
    current = space.current()
    if base is None or current is None:
        raise PageError("err_plan_first_load")
    kind = form.get("kind")
    if kind == "pin":
        klass, site = form.get("class"), form.get("site")
        if klass not in {c.id for c in base.classes} or site not in {s.id for s in base.sites}:
            raise PageError("err_choose_class_site")
        new = {"kind": "pin", "class": klass, "site": site, "date": _date_of(base, form.get("date"))}
    elif kind == "close":
        site = form.get("site")
        if site not in {s.id for s in base.sites}:
            raise PageError("err_choose_site")
        new = {"kind": "close", "site": site, "date": _date_of(base, form.get("date"))}
    elif kind == "away":
        lecturer = form.get("lecturer")
        if lecturer not in {lect.id for lect in base.lecturers}:
            raise PageError("err_choose_lecturer")
        part = form.get("part") if form.get("part") in ("am", "pm") else None
        new = {"kind": "away", "lecturer": lecturer, "date": _date_of(base, form.get("date")), "part": part}
    else:
        raise PageError("err_unknown_change")
    changes = [*current["changes"], new]
    out = space.new_plan_path()
    source = space.source_for(base, changes, _job_variant(out))
    scenario, problems = _load(source)
    if scenario is None:
        lang = _lang(request)
        said = word("problem_sep", lang).join(p.message_in(lang) for p in problems[:3])
        raise PageError("change_impossible", problems=said)
    try:
        limit = min(max(float(form.get("time_limit", "20")), 1.0), 600.0)
    except ValueError:
        limit = 20.0
    spec = {
        "scenario": str(source),
        "source": str(space.scenario_path),
        "old_plan": current["plan"],
        "out": str(out),
        "time_limit": limit,
    }
    job = bench.jobs.start(name, "replan", spec, on_done=_solve_done(space, changes, new, current, source))
    if job is None:
        raise PageError("busy", 409)
    return RedirectResponse(_link("/plan", f=name), status_code=303)


def _sayer(name: views.Namer, lang: str):
    """A change asked of the plan, in words of the page's language."""

    def say(change: dict[str, Any] | None) -> str:
        if not change:
            return ""
        date = views.day_label(dt.date.fromisoformat(change["date"]), lang)
        if change["kind"] == "pin":
            return word("said_pin", lang).format(
                klass=name.klass(change["class"]), site=name.site(change["site"]), date=date
            )
        if change["kind"] == "close":
            return word("said_close", lang).format(site=name.site(change["site"]), date=date)
        part = word(change["part"], lang) if change.get("part") else word("whole_day", lang)
        return word("said_away", lang).format(lecturer=name.lecturer(change["lecturer"]), date=date, part=part)

    return say


def _describe(change: dict[str, Any]) -> str:
    if change["kind"] == "pin":
        return f"{change['class']} visits {change['site']} on {change['date']}"
    if change["kind"] == "close":
        return f"{change['site']} closed on {change['date']}"
    part = f" ({change['part']})" if change.get("part") else ""
    return f"{change['lecturer']} away on {change['date']}{part}"


async def undo(request: Request) -> Response:
    bench = _bench(request)
    name = _name(request)
    await _form(request)
    job = bench.jobs.get(name)
    if job is not None and job.running:
        raise PageError("busy", 409)
    bench.workspace(name).undo()
    return RedirectResponse(_link("/plan", f=name), status_code=303)


async def save_variant(request: Request) -> Response:
    """The changes made to the plan, saved as a variant file beside the scenario (``extends:``)."""
    bench = _bench(request)
    name = _name(request)
    await _form(request)
    space = bench.workspace(name)
    base, _ = _load(space.scenario_path)
    changes = space.changes()
    if base is None or not changes:
        raise PageError("err_no_changes_to_save")
    from scheduler.web.workspace import variant_changes

    ops = [op for c in changes for op in variant_changes(base, c)]
    stem = space.scenario_path.stem
    for number in range(1, 1000):
        target = space.scenario_path.with_name(f"{stem}-what-if-{number}.yaml")
        if not target.exists():
            break
    note = "; ".join(_describe(c) for c in changes)
    editing.write_text(target, variant_text(space.scenario_path.name, ops, note))
    relative = target.relative_to(bench.folder.root).as_posix()
    return RedirectResponse(_link("/plan", f=name, saved=relative), status_code=303)


async def events(request: Request) -> Response:
    """The running job's figures as server-sent events, until it ends."""
    bench = _bench(request)
    name = _name(request)

    async def stream():
        seen, sent = -1, 0.0
        while True:
            job = bench.jobs.get(name)
            if job is None:
                yield "event: none\ndata: {}\n\n"
                return
            if job.version != seen or time.monotonic() - sent >= HEARTBEAT_SECONDS:
                seen, sent = job.version, time.monotonic()
                yield f"data: {json.dumps(job.snapshot())}\n\n"
                if not job.running:
                    return
            if await request.is_disconnected():
                return
            await asyncio.sleep(0.25)

    return StreamingResponse(stream(), media_type="text/event-stream", headers={"Cache-Control": "no-store"})


async def state(request: Request) -> Response:
    bench = _bench(request)
    name = _name(request)
    job = bench.jobs.get(name)
    return JSONResponse(
        {"digest": digest(bench.folder.scenario(name)), "job": job.snapshot() if job else None},
        headers={"Cache-Control": "no-store"},
    )


async def edit_page(request: Request) -> Response:
    bench = _bench(request)
    name = _name(request)
    path = bench.folder.scenario(name)
    section = editing.SECTION_BY_NAME.get(request.query_params.get("section", "programme"))
    if section is None:
        raise PageError("err_no_section", 404)
    text = path.read_text(encoding="utf-8-sig")
    try:
        data = editing.load_text(text)
    except editing.YAMLError:
        data = None
    problems = editing.problems_of_file(path)
    if isinstance(data, dict) and "extends" in data:
        return _render(
            request, "variant.html", name=name, extends=str(data.get("extends")), text=text, all_problems=problems
        )
    message = {"saved": "saved"}.get(request.query_params.get("msg", ""))
    return _edit_response(request, name, section, data, problems, digest(path), message=message)


def _edit_response(
    request: Request, name: str, section: Any, data: Any, problems: list[Any], file_digest: str, **extra: Any
) -> HTMLResponse:
    lang = _lang(request)
    page = editing.build_page(data, section, problems, lang) if isinstance(data, dict) else None
    context: dict[str, Any] = {
        "name": name,
        "sections": editing.SECTIONS,
        "section": section,
        "page": page,
        "all_problems": problems,
        "digest": file_digest,
        "refs": editing.references(data, lang) if isinstance(data, dict) else {},
        **extra,
    }
    if section.name == "places" and isinstance(data, dict):
        context["coordinates"] = editing.coordinate_map(data, lang)
    return _render(request, "edit.html", **context)


async def edit_save(request: Request) -> Response:
    bench = _bench(request)
    name = _name(request)
    path = bench.folder.scenario(name)
    form = await _form(request)
    section = editing.SECTION_BY_NAME.get(request.query_params.get("section", ""))
    if section is None:
        raise PageError("err_no_section", 404)
    fields = {key: value for key, value in form.items() if isinstance(value, str)}
    text = path.read_text(encoding="utf-8-sig")
    now = digest(path)
    try:
        data, new_text, changed = editing.edit(text, section, fields)
    except editing.FormError as error:
        raise PageError(error.key, **error.fields) from None
    except editing.YAMLError:
        raise PageError("err_not_yaml") from None
    if isinstance(data, dict) and "extends" in data:
        raise PageError("err_variant_tables")
    if form.get("digest") != now:
        # changed on disk since the page was shown: show the user's values, save nothing
        return _edit_response(request, name, section, data, [], now, refused="changed_on_disk")
    if not changed:
        return _edit_response(request, name, section, data, editing.problems_of_file(path), now, message="no_change")
    problems = editing.check_text(new_text, path, bench.folder.work_dir(name) / "check")
    had = {(p.path, p.message) for p in editing.problems_of_file(path)}
    if any((p.path, p.message) not in had for p in problems):
        # the change brings a problem: nothing saved (problems the file had before do not stop
        # a save, so that a file with several can be corrected one part at a time)
        return _edit_response(request, name, section, data, problems, now, message="not_saved", failed=True)
    editing.write_text(path, new_text)
    return RedirectResponse(_link("/edit", f=name, section=section.name, msg="saved"), status_code=303)


async def downloads(request: Request) -> Response:
    bench = _bench(request)
    name = _name(request)
    space = bench.workspace(name)
    current = space.current()
    files = []
    if space.outputs.is_dir():
        for path in sorted(space.outputs.rglob("*")):
            relative = path.relative_to(space.outputs)
            if path.is_file() and not any(part.startswith(".") for part in relative.parts):
                files.append((relative.as_posix(), path.stat().st_size))
    made_for = space.state().get("outputs_plan")
    return _render(
        request,
        "downloads.html",
        name=name,
        current=current,
        files=files,
        # the sweep's risk table (sweep/) says itself which plan it was made for
        stale=bool(
            current and made_for != current["plan"] and any(not f.startswith(f"{SWEEP_DIR}/") for f, _ in files)
        ),
        groups=list(DOWNLOAD_GROUPS),
        **_job_context(bench, name),
    )


async def make_outputs(request: Request) -> Response:
    bench = _bench(request)
    name = _name(request)
    form = await _form(request)
    space = bench.workspace(name)
    current = space.current()
    if current is None:
        raise PageError("err_plan_first")
    outputs = DOWNLOAD_GROUPS.get(str(form.get("what")))
    if outputs is None:
        raise PageError("err_unknown_output")
    plan_file = current["plan"]

    def done(result: dict[str, Any]) -> None:
        space.set("outputs_plan", plan_file)

    spec = {"plan": plan_file, "out": str(space.outputs), "outputs": list(outputs), "lang": _lang(request)}
    if bench.jobs.start(name, "render", spec, on_done=done) is None:
        raise PageError("busy", 409)
    return RedirectResponse(_link("/downloads", f=name), status_code=303)


async def download(request: Request) -> Response:
    bench = _bench(request)
    name = _name(request)
    space = bench.workspace(name)
    try:
        target = bench.folder.resolve(request.query_params.get("file", ""), base=space.outputs)
    except UnsafePath as error:
        raise PageError(error.key, 404, **error.fields) from None
    if not target.is_file():
        raise PageError("err_no_file", 404)
    return FileResponse(target, filename=target.name)


def _limit(form: Any, choices: tuple[int, ...], default: int) -> float:
    try:
        value = float(form.get("time_limit", default))
    except (TypeError, ValueError):
        return float(default)
    return min(max(value, 1.0), float(max(choices)))


def _variant_base(bench: Workbench, name: str) -> str | None:
    """The file a variant ``extends``, as a name inside the folder; None when ``name`` is no variant."""
    path = bench.folder.scenario(name)
    try:
        data = editing.load_text(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, editing.YAMLError):
        return None
    if not isinstance(data, dict) or not isinstance(data.get("extends"), str):
        return None
    target = (path.parent / data["extends"]).resolve()
    try:
        relative = target.relative_to(bench.folder.root.resolve()).as_posix()
        bench.folder.scenario(relative)
    except (ValueError, UnsafePath):
        raise PageError("err_bad_extends", base=data["extends"]) from None
    return relative


def _variants_of(bench: Workbench, name: str) -> list[str]:
    """The variant files of the folder that extend ``name``."""
    return [other for other in bench.folder.scenarios() if other != name and _safe_base(bench, other) == name]


def _safe_base(bench: Workbench, name: str) -> str | None:
    try:
        return _variant_base(bench, name)
    except PageError:
        return None


def _base_plan(space: Workspace) -> dict[str, Any] | None:
    """The latest plan of the scenario itself (made without changes asked of it)."""
    for entry in reversed(space.state()["history"]):
        if not entry.get("changes") and entry.get("plan") and Path(entry["plan"]).is_file():
            return entry
    return None


def _read_json(path: Path) -> dict[str, Any] | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


async def compare_page(request: Request) -> Response:
    """A variant compared with its base: the verdict, the figures, what changes, who must be told."""
    bench = _bench(request)
    name = _name(request)
    base_name = _variant_base(bench, name)
    context: dict[str, Any] = {"name": name, "base_name": base_name, "time_limits": COMPARE_LIMITS}
    if base_name is None:
        context["variants"] = _variants_of(bench, name)
        return _render(request, "compare.html", **context)
    base_space = bench.workspace(base_name)
    variant, problems = _load(bench.folder.scenario(name))
    base, base_problems = _load(base_space.scenario_path)
    entry = _base_plan(base_space)
    comparison = _read_json(bench.workspace(name).directory / COMPARISON)
    context.update(
        variant=variant,
        problems=problems or base_problems,
        base_plan=entry,
        comparison=comparison,
        **_job_context(bench, name),
    )
    if comparison is not None and entry is not None:
        context["stale"] = comparison.get("workbench", {}).get("base_plan") != entry["plan"]
    return _render(request, "compare.html", **context)


async def compare_run(request: Request) -> Response:
    bench = _bench(request)
    name = _name(request)
    form = await _form(request)
    base_name = _variant_base(bench, name)
    if base_name is None:
        raise PageError("err_not_variant")
    base_space = bench.workspace(base_name)
    if _load(bench.folder.scenario(name))[0] is None or _load(base_space.scenario_path)[0] is None:
        raise PageError("err_variant_problems")
    entry = _base_plan(base_space)
    if entry is None:
        raise PageError("err_base_plan_first", base=base_name)
    space = bench.workspace(name)
    spec = {
        "base": str(base_space.scenario_path),
        "variant": str(space.scenario_path),
        "base_name": base_name,
        "variant_name": name,
        "base_plan": entry["plan"],
        "out": str(space.directory / COMPARISON),
        "time_limit": _limit(form, COMPARE_LIMITS, 20),
        "lang": _lang(request),
    }
    if bench.jobs.start(name, "compare", spec) is None:
        raise PageError("busy", 409)
    return RedirectResponse(_link("/compare", f=name), status_code=303)


def _sweep_source(space: Workspace, current: dict[str, Any]) -> Path:
    """The file the current plan was made from: the scenario, or its what-if variant."""
    variant = _job_variant(Path(current["plan"]))
    return variant if current.get("changes") and variant.is_file() else space.scenario_path


async def sweep_page(request: Request) -> Response:
    """A sweep of the current plan: the kinds to try, its progress, the ranked risk table."""
    bench = _bench(request)
    name = _name(request)
    lang = _lang(request)
    space = bench.workspace(name)
    current = space.current()
    table = _read_json(space.outputs / SWEEP_DIR / "risk.json")
    context: dict[str, Any] = {
        "name": name,
        "current": current,
        "kinds": SWEEP_KINDS,
        "counts": _disruption_counts(space, current),
        "time_limits": SWEEP_LIMITS,
        "table": table,
        **_job_context(bench, name),
    }
    if table is not None:
        from scheduler.render.risk import HEADERS, KIND_NAMES, risk_rows

        context["headers"] = HEADERS[lang]
        context["rows"] = list(zip(risk_rows(table, lang), table["rows"], _told(space, lang, table), strict=True))
        context["kind_names"] = KIND_NAMES[lang]
        context["stale"] = bool(current and table.get("settings", {}).get("plan") != current["plan"])
        context["swept_kinds"] = table.get("kinds", [])
    else:
        from scheduler.render.risk import KIND_NAMES

        context["kind_names"] = KIND_NAMES[lang]
    return _render(request, "sweep.html", **context)


def _told(space: Workspace, lang: str, table: dict[str, Any]) -> list[list[tuple[str, str]]]:
    """Per row of the risk table, who must be told: (what, the names), by name where the scenario knows them."""
    scenario, _ = _load(space.scenario_path)
    name = views.Namer(scenario, lang) if scenario is not None else None
    say = {"classes": "klass", "lecturers": "lecturer", "sites": "site", "lodging": "place"}
    told = []
    for row in table["rows"]:
        audience = (row.get("impact") or {}).get("who_must_be_told") or {}
        told.append(
            [
                (key, ", ".join(getattr(name, say[key])(ident) if name and key in say else ident for ident in ids))
                for key, ids in audience.items()
                if ids
            ]
        )
    return told


def _disruption_counts(space: Workspace, current: dict[str, Any] | None) -> dict[str, int]:
    """How many disruptions of each kind a sweep of the current plan tries (none if it no longer fits)."""
    if current is None:
        return {}
    scenario, _ = _load(_sweep_source(space, current))
    plan = _read_plan(current["plan"])
    if scenario is None or plan is None or check(scenario, plan):
        return {}
    return {kind: len(disruptions(scenario, plan, (kind,))) for kind in SWEEP_KINDS}


async def sweep_run(request: Request) -> Response:
    bench = _bench(request)
    name = _name(request)
    form = await _form(request)
    space = bench.workspace(name)
    current = space.current()
    if current is None:
        raise PageError("err_sweep_plan_first")
    kinds = tuple(kind for kind in SWEEP_KINDS if kind in form.getlist("kinds"))
    if not kinds:
        raise PageError("err_sweep_kinds")
    source = _sweep_source(space, current)
    scenario, _ = _load(source)
    plan = _read_plan(current["plan"])
    if scenario is None or plan is None or check(scenario, plan):
        raise PageError("err_plan_stale")
    spec = {
        "scenario": str(source),
        "plan": current["plan"],
        "kinds": list(kinds),
        "out": str(space.outputs / SWEEP_DIR),
        "time_limit": _limit(form, SWEEP_LIMITS, 5),
        "processes": 2,
        "lang": _lang(request),
    }
    if bench.jobs.start(name, "sweep", spec) is None:
        raise PageError("busy", 409)
    return RedirectResponse(_link("/sweep", f=name), status_code=303)


async def language(request: Request) -> Response:
    lang = request.query_params.get("to", "en")
    back = request.query_params.get("back", "/")
    if not back.startswith("/") or back.startswith("//") or "\\" in back:
        back = "/"
    response = RedirectResponse(back, status_code=303)
    if lang in ("zh", "en"):
        response.set_cookie(LANG_COOKIE, lang, samesite="strict", httponly=True)
    return response


# ---------------------------------------------------------------------------
# Errors as pages


async def _page_error(request: Request, error: Exception) -> Response:
    lang = _lang(request)
    if isinstance(error, PageError):
        message, status = error.in_language(lang), error.status
    elif isinstance(error, UnsafePath):
        message, status = error.in_language(lang), 404
    elif isinstance(error, HTTPException):
        message, status = (
            (
                word("err_no_page", lang)
                if error.status_code == 404
                else word("err_method", lang)
                if error.status_code == 405
                else str(error.detail)
            ),
            error.status_code,
        )
    else:
        import traceback

        traceback.print_exc()
        message, status = word("err_internal", lang), 500
    try:
        return _render(request, "error.html", status=status, message=message)
    except Exception:  # noqa: BLE001 - the error page itself must not fail
        return Response(message, status_code=status, media_type="text/plain")


SECURITY_HEADERS = [
    (
        b"content-security-policy",
        b"default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
        b"object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
    ),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"same-origin"),
]
"""On every response: only the workbench's own scripts run (an injected script would not), and
no other site may show it in a frame (to trick a click)."""


class _KnownHosts(TrustedHostMiddleware):
    """Starlette's check of the Host header (a page asked for under another name, as in DNS
    rebinding, gets a 400), which says so in the browser's language (its Accept-Language: the
    language cookie belongs to the right host only) and names the address to use instead."""

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] in ("http", "websocket") and "*" not in self.allowed_hosts:
            headers = Headers(scope=scope)
            if headers.get("host", "").split(":")[0] not in self.allowed_hosts:  # as Starlette reads it
                lang = "zh" if headers.get("accept-language", "").lower().startswith("zh") else "en"
                port = (scope.get("server") or ("", None))[1]
                address = f"http://{self.allowed_hosts[0]}" + (f":{port}/" if port else "/")
                refused = PlainTextResponse(say("unknown_host", lang, address=address), status_code=400)
                await refused(scope, receive, send)
                return
        await super().__call__(scope, receive, send)


class _SecurityHeaders:
    def __init__(self, app: Any):
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Any) -> None:
            if message["type"] == "http.response.start":
                message.setdefault("headers", [])
                message["headers"] = [*message["headers"], *SECURITY_HEADERS]
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _lifespan(bench: Workbench):
    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette):
        yield
        bench.jobs.shutdown()

    return lifespan


def build_app(folder: Path, *, allowed_hosts: tuple[str, ...] = ("127.0.0.1", "localhost")) -> Starlette:
    """The workbench application serving ``folder``."""
    bench = Workbench(folder, allowed_hosts=allowed_hosts)
    static = Path(__file__).parent / "static"
    routes = [
        Route("/", index),
        Route("/upload", upload, methods=["POST"]),
        Route("/plan", plan_page),
        Route("/solve", solve, methods=["POST"]),
        Route("/stop", stop, methods=["POST"]),
        Route("/change", change, methods=["POST"]),
        Route("/undo", undo, methods=["POST"]),
        Route("/save-variant", save_variant, methods=["POST"]),
        Route("/events", events),
        Route("/state", state),
        Route("/edit", edit_page, methods=["GET"]),
        Route("/edit", edit_save, methods=["POST"]),
        Route("/downloads", downloads),
        Route("/outputs", make_outputs, methods=["POST"]),
        Route("/download", download),
        Route("/language", language),
        Route("/compare", compare_page),
        Route("/compare", compare_run, methods=["POST"]),
        Route("/sweep", sweep_page),
        Route("/sweep", sweep_run, methods=["POST"]),
        Mount("/static", StaticFiles(directory=static), name="static"),
    ]
    app = Starlette(
        routes=routes,
        middleware=[
            Middleware(_SecurityHeaders),
            Middleware(_KnownHosts, allowed_hosts=list(allowed_hosts)),
        ],
        exception_handlers={
            Exception: _page_error,
            PageError: _page_error,
            UnsafePath: _page_error,
            HTTPException: _page_error,
        },
        lifespan=_lifespan(bench),
    )
    app.state.bench = bench
    return app


__all__ = ["Workbench", "build_app"]
