"""The command line's parser in the user's language: ``--help``, usage and argparse's own errors.

argparse writes its own words ("usage:", "options", "show this help message and exit", "the
following arguments are required") in English, and wraps help by characters, which puts twice
the width of a Chinese line on the terminal. ``Parser`` takes the language of what it prints
(``language_asked``: the ``--lang`` on the command line, else English, as for every message
given before a scenario is read) and uses the words of ``HELP`` for the options' help, its
section titles and its own errors; ``Formatter`` wraps by terminal cells, Chinese between
characters, English at spaces (``cells.lines``).

The options' names, metavars (``FILE``, ``S``) and choices stay as they are typed in either
language.
"""

from __future__ import annotations

import argparse
import functools
import re
import sys
from collections.abc import Sequence
from typing import Any, NoReturn

from rich.cells import cell_len

from scheduler.cli.cells import lines

LANGUAGES = ("zh", "en")

# key -> (Chinese, English); ``{name}`` fields are filled by ``Helps.__call__``. argparse reads
# help as a %-format: no help text holds a bare ``%``.
HELP: dict[str, tuple[str, str]] = {
    # argparse's own words
    "usage": ("用法：", "usage: "),
    "positional_arguments": ("位置参数", "positional arguments"),
    "options": ("选项", "options"),
    "subcommands": ("子命令", "subcommands"),
    "help": ("显示此帮助并退出", "show this help message and exit"),
    "error": ("错误", "error"),
    # the command
    "main": (
        "为情景 YAML 文件所描述的多日培训项目编排日程。不写子命令时，“solve.py [SCENARIO] [选项]”"
        "编排 SCENARIO（见“solve.py solve -h”）。",
        "Plan multi-day training programmes described in scenario YAML files. Without a subcommand, "
        "'solve.py [SCENARIO] [options]' plans SCENARIO (see 'solve.py solve -h').",
    ),
    # options shared by the commands that search
    "time_limit": (
        "搜索 S 秒后停止，最多{most}秒（一周；默认{default}）；写出各输出文件（--out）在其后，不计在内",
        "stop searching after S seconds, at most {most} (a week; default {default}); writing the outputs "
        "(--out) comes after and is not counted",
    ),
    "workers_range": ("{what}；1到{most}", "{what}; 1 to {most}"),
    "workers_parallel": ("并行搜索的线程数（默认2）", "parallel search workers (default 2)"),
    "workers_shared": (
        "搜索线程总数，分给各次求解：同时至多 N 次求解（默认2）",
        "search workers in all, shared out: at most N solves at a time (default 2)",
    ),
    "workers_pool": (
        "本机进程池中同时进行的重排次数，每次一个搜索线程（默认：CPU 核数）",
        "how many re-plans run at once in the local pool, one search worker each (default: the cores)",
    ),
    "seed": (
        "随机种子，0到{most}（默认0）；加 --workers 1 或 --reproducible 时结果可重现",
        "random seed, 0 to {most} (default 0); with --workers 1 or --reproducible a run is reproducible",
    ),
    "reproducible": (
        "同一情景、同一种子，无论几个线程都得到同一方案：时间限制按 CP-SAT 的确定性时间计，"
        "实际耗时可能更长（--workers 1 时总是如此）。小到能证明最优的项目（大连一周的规模）默认如此",
        "the same plan for the same scenario and seed with any number of workers: the time limit counts "
        "CP-SAT's deterministic time, so the run may take longer in seconds (always so with --workers 1). "
        "The default for programmes small enough to be proven (the size of the Dalian week)",
    ),
    "free": (
        "各线程按实际时间自由运行：时间限制即秒数，两次运行结果可能不同。较大项目默认如此",
        "the workers run free on the wall clock: the time limit is seconds, and two runs may differ. "
        "The default for larger programmes",
    ),
    "params": (
        "从 TOML 文件读取求解器的调优参数（可只给一部分；见 --show-params）",
        "the solver's tuning parameters from a TOML file (any subset; see --show-params)",
    ),
    "show_params": (
        "以 TOML 格式列出全部调优参数（已套用 --params FILE）后退出",
        "print every tuning parameter (with --params FILE applied) as TOML and exit",
    ),
    "lang_outputs_scenario": (
        "输出文件的语言（默认：情景文件的语言）",
        "labels of the outputs (default: the scenario's language)",
    ),
    "cluster": (
        "在调度器监听 ADDRESS（tcp://HOST:8786；见 docs/sweep.md）的 Dask.distributed 集群上求解；默认：本机进程池",
        "run the solves on the Dask.distributed cluster whose scheduler listens at ADDRESS "
        "(tcp://HOST:8786; see docs/sweep.md); default: a pool of local processes",
    ),
    "connect_timeout": (
        "连接集群并等待其第一个工作进程的时长（默认10秒）",
        "how long to try to reach the cluster and wait for its first worker (default 10 s)",
    ),
    # solve
    "solve": (
        "编排一个情景（默认子命令：“solve.py SCENARIO”即“solve.py solve SCENARIO”）",
        "plan a scenario (the default: 'solve.py SCENARIO' is 'solve.py solve SCENARIO')",
    ),
    "solve_description": (
        "为情景 YAML 文件所描述的多日培训项目编排日程。",
        "Plan a multi-day training programme described in a scenario YAML file.",
    ),
    "solve_scenario": (
        "情景 YAML 文件（默认：scenarios/dalian-2019.yaml）",
        "scenario YAML file (default: scenarios/dalian-2019.yaml)",
    ),
    "solve_json": ("把方案以 JSON 写入 FILE（“-”为标准输出）", "write the plan as JSON to FILE ('-' for stdout)"),
    "solve_out": (
        "把方案（plan.json）、日程手册（HTML、PDF）、地图、日历和电子表格写入 DIR",
        "write the plan (plan.json), booklet (HTML, PDF), maps, calendars and spreadsheet into DIR",
    ),
    "solve_quiet": (
        "不显示进度行和日程：只显示求解结果行和错误",
        "no progress line, no itinerary: only the solver line and errors",
    ),
    "log_search": ("显示 CP-SAT 自己的搜索日志", "show CP-SAT's own search log"),
    "schema": ("输出情景文件的 JSON Schema 后退出", "print the scenario JSON Schema and exit"),
    "explain": (
        "方案之后：按目标和班次分列的目标值，以及起约束作用的限制",
        "after the plan: the objective by goal and class, and binding limits",
    ),
    # render
    "render": ("写出已保存方案的各输出文件", "write the outputs of a saved plan"),
    "render_description": (
        "不求解，写出已保存方案的日程手册（HTML、PDF）、地图、日历和电子表格。方案先按其情景文件核对。",
        "Write the booklet (HTML, PDF), maps, calendars and spreadsheet of a saved plan, without solving. "
        "The plan is first checked against its scenario.",
    ),
    "render_plan": (
        "由 solve.py --json FILE 或 --out DIR（DIR/plan.json）写出的方案",
        "a plan written by solve.py --json FILE or --out DIR (DIR/plan.json)",
    ),
    "render_scenario": (
        "方案所依据的情景文件，用于核对方案（默认：方案记录的文件）",
        "the scenario the plan was made from, to check it against (default: the file the plan records)",
    ),
    "render_out": ("写入的文件夹（不存在则新建）", "folder to write into (created if missing)"),
    "render_lang": ("输出文件的语言（默认：方案的语言）", "labels of the outputs (default: the plan's language)"),
    "unchecked": (
        "不按情景文件核对方案即写出；每页标明“未经检查”",
        "render without checking the plan against a scenario; every page is marked unchecked",
    ),
    # compare
    "compare": (
        "比较一个情景与其变体：每个变体迫使哪些安排改变",
        "compare a scenario with its variants: what each one forces to change",
    ),
    "compare_description": (
        "编排基准情景，再以改动最少为原则从基准方案重排每个变体，列出每个变体的结论、各项指标及其相对基准的"
        "变化，以及每个变体改变了什么、需要通知谁。",
        "Plan a base scenario, re-plan each variant from the base plan with the least change, and show a "
        "verdict per variant, the figures with their deltas against the base, and what each variant changes "
        "and who must be told.",
    ),
    "compare_base": ("基准情景文件（或一个变体）", "the base scenario file (or a variant)"),
    "compare_variants": ("变体（或情景）文件", "variant (or scenario) files"),
    "from_scratch": (
        "每个变体都重新编排，而不是从基准方案以最少改动重排",
        "plan every variant anew instead of re-planning it from the base plan with the least change",
    ),
    "base_plan": (
        "基准的已保存方案（solve.py --json），代替重新编排基准",
        "the base's saved plan (solve.py --json) instead of planning the base",
    ),
    "compare_freeze": (
        "保留基准方案中在此时刻之前开始的一切安排（仅用于最少改动重排）",
        "keep everything of the base plan that starts before this moment (least change only)",
    ),
    "compare_minor": (
        "当天移动不超过 M 分钟的乘车和用餐算作小改动，只列数量（默认{default}；0列出每项改动）",
        "count coach legs and meals moved by at most M minutes on their day as minor changes, listed only "
        "as a count (default {default}; 0 lists every change)",
    ),
    "all_rows": ("也列出没有变体改变的指标", "also show the figures no variant changes"),
    "lang_printed_base": (
        "显示和写出内容的语言（默认：基准情景的语言）",
        "language of what is printed and written (default: the base scenario's language)",
    ),
    "compare_html": ("另把比较结果写成网页", "also write the comparison as a page"),
    "compare_json": ("另把比较结果写成 JSON（“-”为标准输出）", "also write the comparison as JSON ('-' for stdout)"),
    # replan
    "replan": (
        "为改变后的情景重排已保存的方案，改动尽量少",
        "re-plan a saved plan for a changed scenario, changing as little as possible",
    ),
    "replan_description": (
        "为改变后的情景重排已保存的方案，改动尽量少。",
        "Re-plan a saved plan for a changed scenario, changing as little as possible.",
    ),
    "saved_plan": ("已保存的方案（solve.py --json）", "the saved plan (solve.py --json)"),
    "replan_scenario": ("改变后的情景或变体文件", "the changed scenario or variant file"),
    "replan_freeze": (
        "在此时刻之前开始的一切安排保持原样",
        "keep everything that starts before this moment exactly as it was",
    ),
    "replan_json": ("把新方案以 JSON 写入 FILE", "write the new plan as JSON to FILE"),
    "replan_out": ("把新方案及其可打印的输出文件写入 DIR", "write the new plan and its printable outputs into DIR"),
    "replan_quiet": ("只显示改动和求解结果行", "only the changes and the solver line"),
    # sweep
    "sweep": (
        "方案有多脆弱：逐一重排每个单项扰动并排序",
        "how fragile a plan is: re-plan every single disruption and rank them",
    ),
    "sweep_description": (
        "对所选类型的每个单项扰动（每位教师每天缺席、每个参观点在其参观日关闭、乘车时限减少一小时），"
        "以最少改动重排已保存的方案，并在风险表中排序：哪些无方案及原因，哪些代价最大，各影响多少活动和人员。",
        "Re-plan a saved plan for every single disruption of the kinds asked (each lecturer away each day, "
        "each visited site closed on its day, the coach limit an hour lower), each with the least change, "
        "and rank them in a risk table: which leave no plan and why, which cost most, how many events and "
        "people each touches.",
    ),
    "sweep_scenario": ("方案所依据的情景文件", "the scenario the plan was made for"),
    "kinds": (
        "扰动类型，以逗号分隔，可为 {kinds} 中的任意几种（默认全部）",
        "the kinds of disruption, comma-separated, any of {kinds} (default all)",
    ),
    "diagnosis_seconds": (
        "某个扰动无方案时，查找相互冲突的要求所用的时间（默认20秒）",
        "for a disruption without a plan, how long to look for the requirements that conflict (default 20)",
    ),
    "sweep_minor": (
        "移动不超过 M 分钟的乘车和用餐算作小改动（默认{default}）",
        "coach legs and meals moved by at most M minutes count as minor changes (default {default})",
    ),
    "top": ("终端中显示的行数（默认25）", "rows shown in the terminal (default 25)"),
    "lang_printed": (
        "显示和写出内容的语言（默认：情景文件的语言）",
        "language of what is printed and written (default: the scenario's language)",
    ),
    "sweep_json": ("把风险表写成 JSON（“-”为标准输出）", "write the risk table as JSON ('-' for stdout)"),
    "sweep_html": ("把风险表写成网页", "write the risk table as a page"),
    "sweep_xlsx": ("把风险表写成电子表格", "write the risk table as a spreadsheet"),
    # serve
    "serve": ("在浏览器中编辑、编排和打印情景", "edit, plan and print scenarios in the browser"),
    "serve_description": (
        "启动工作台：在浏览器中用表格和表单编辑 FOLDER 中的情景文件，生成和修改方案，下载日程手册、日历和"
        "电子表格。除非 --host 另有指定，只监听 127.0.0.1。",
        "Start the workbench: edit the scenario files of FOLDER in tables and forms, make and change plans, "
        "and download the booklet, calendars and spreadsheet, in the browser. It listens on 127.0.0.1 only "
        "unless --host says otherwise.",
    ),
    "folder": ("情景文件所在的文件夹（默认：当前文件夹）", "the folder of scenario files (default: this one)"),
    "port": ("端口（默认：任一空闲端口）", "the port (default: a free one)"),
    "host": (
        "监听的地址（默认 127.0.0.1：仅本机；0.0.0.0 让网络上任何人都能打开并修改你的文件）",
        "the address to listen on (default 127.0.0.1: this computer only; 0.0.0.0 lets anyone on the "
        "network open and change your files)",
    ),
    "no_browser": ("不打开浏览器", "do not open a browser"),
    "serve_lang": (
        "这些提示行以及浏览器打开时工作台页面的语言（默认：英文；页面保留上次在页面上选择的语言）",
        "the language of these lines and of the workbench's pages when the browser opens (default: English; "
        "the pages keep the language last chosen on them)",
    ),
    # argparse's errors: the English side is argparse's own wording, read back as a pattern
    # (``ARGPARSE_ERRORS``); the Chinese says it in words of our own
    "required": ("缺少必需的参数：{names}", "the following arguments are required: {names}"),
    "unrecognized": ("无法识别的参数：{names}", "unrecognized arguments: {names}"),
    "one_of_required": ("参数 {names} 须给出其中之一", "one of the arguments {names} is required"),
    "ambiguous": ("选项 {option} 有歧义，可能是 {matches}", "ambiguous option: {option} could match {matches}"),
    "invalid_choice": (
        "参数 {argument}：{value} 不是可选值（可选：{choices}）",
        "argument {argument}: invalid choice: {value} (choose from {choices})",
    ),
    "invalid_value": (
        "参数 {argument}：{value} 不是{kind}",
        "argument {argument}: invalid {kind} value: {value}",
    ),
    "expected_one": ("参数 {argument} 后面应给出一个值", "argument {argument}: expected one argument"),
    "expected_some": ("参数 {argument} 后面应给出{count}", "argument {argument}: expected {count}"),
    "not_allowed_with": (
        "参数 {argument} 不能与 {other} 同时使用",
        "argument {argument}: not allowed with argument {other}",
    ),
    "ignored_value": ("参数 {argument} 不接受值 {value}", "argument {argument}: ignored explicit argument {value}"),
    "bad_command_line": (
        "命令行参数有误（见“{prog} -h”）",
        "the command line is wrong (see '{prog} -h')",
    ),
}

VALUE_KINDS = {"int": ("整数", "int"), "float": ("数", "float")}
"""argparse's name of a value's type, in words of each language (others: "a valid value")."""
COUNTS = {
    "at most one argument": ("至多一个值", "at most one argument"),
    "at least one argument": ("至少一个值", "at least one argument"),
}


class Helps:
    """The words of ``HELP`` in one language."""

    def __init__(self, lang: str):
        if lang not in LANGUAGES:
            raise ValueError(f"unknown language {lang!r}")
        self.lang = lang
        self.side = LANGUAGES.index(lang)

    def __call__(self, key: str, **fields: Any) -> str:
        return HELP[key][self.side].format(**fields)


def language_asked(argv: Sequence[str]) -> str:
    """The language of the help and of argparse's errors: the last ``--lang`` of ``argv`` that
    names one (``--lang zh`` or ``--lang=zh``), else English."""
    lang = "en"
    for i, arg in enumerate(argv):
        if arg == "--":
            break
        value = arg.partition("=")[2] if arg.startswith("--lang=") else None
        if arg == "--lang" and i + 1 < len(argv):
            value = argv[i + 1]
        if value in LANGUAGES:
            lang = value
    return lang


class Formatter(argparse.HelpFormatter):
    """argparse's layout, with the usage prefix in the parser's language and every text wrapped
    by terminal cells (``cells.lines``)."""

    def __init__(self, prog: str, *, lang: str = "en", **kwargs: Any):
        super().__init__(prog, **kwargs)
        self.helps = Helps(lang)

    def add_usage(self, usage, actions, groups, prefix=None) -> None:
        # laid out behind as many spaces as the prefix takes cells (argparse counts characters,
        # and a Chinese one takes two); ``Parser`` puts the prefix in their place
        super().add_usage(usage, actions, groups, " " * cell_len(self.helps("usage")) if prefix is None else prefix)

    def _split_lines(self, text: str, width: int) -> list[str]:
        return lines(" ".join(text.split()), max(width, 11))

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        return "\n".join(indent + line for line in lines(" ".join(text.split()), max(width - len(indent), 11)))


class Parser(argparse.ArgumentParser):
    """An ``ArgumentParser`` whose help, usage and errors are in ``lang``. Arguments added to it
    go to its sections ``positional arguments`` and ``options`` (titled in ``lang``); its
    subcommands' parsers are ``Parser`` objects in the same language."""

    def __init__(self, *args: Any, lang: str = "en", **kwargs: Any):
        self.helps = Helps(lang)
        kwargs.setdefault("formatter_class", functools.partial(Formatter, lang=lang))
        super().__init__(*args, add_help=False, **kwargs)
        self.positionals = self.add_argument_group(self.helps("positional_arguments"))
        self.optionals = self.add_argument_group(self.helps("options"))
        self.optionals.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS, help=self.helps("help"))

    def add_argument(self, *names: str, **kwargs: Any) -> argparse.Action:
        positional = bool(names) and not names[0].startswith(tuple(self.prefix_chars))
        return (self.positionals if positional else self.optionals).add_argument(*names, **kwargs)

    def add_mutually_exclusive_group(self, **kwargs: Any) -> argparse._MutuallyExclusiveGroup:
        return self.optionals.add_mutually_exclusive_group(**kwargs)

    def add_subparsers(self, **kwargs: Any) -> argparse._SubParsersAction:
        kwargs.setdefault("parser_class", functools.partial(Parser, lang=self.helps.lang))
        kwargs.setdefault("title", self.helps("subcommands"))
        return super().add_subparsers(**kwargs)

    def format_usage(self) -> str:
        return self.with_usage_prefix(super().format_usage())

    def format_help(self) -> str:
        return self.with_usage_prefix(super().format_help())

    def with_usage_prefix(self, text: str) -> str:
        blank = " " * cell_len(self.helps("usage"))
        return self.helps("usage") + text[len(blank) :] if text.startswith(blank) else text

    def error(self, message: str) -> NoReturn:
        """Print the usage and argparse's error in the parser's language; exit with status 2."""
        self.print_usage(sys.stderr)
        said = message if self.helps.lang == "en" else in_words(message, self.helps, self.prog)
        separator = "：" if self.helps.lang == "zh" else ": "
        self.exit(2, f"{self.prog}{separator}{self.helps('error')}{separator}{said}\n")


ARGPARSE_ERRORS = (
    "required",
    "unrecognized",
    "one_of_required",
    "ambiguous",
    "invalid_choice",
    "invalid_value",
    "expected_one",
    "expected_some",
    "not_allowed_with",
    "ignored_value",
)
"""The keys of ``HELP`` whose English side is argparse's own error message (Python 3.11 to 3.13),
in the order they are tried: read back as a pattern, each field any text."""


def template_pattern(template: str) -> re.Pattern[str]:
    """``template`` (``{name}`` fields) as a pattern that matches its texts, each field a group."""
    parts = re.split(r"\{(\w+)\}", template)
    return re.compile("".join(re.escape(part) if i % 2 == 0 else f"(?P<{part}>.+?)" for i, part in enumerate(parts)))


_ERRORS = tuple((template_pattern(HELP[key][1]), key) for key in ARGPARSE_ERRORS)


def in_words(message: str, helps: Helps, prog: str) -> str:
    """argparse's English error ``message`` said in ``helps``' language: the names and values it
    quotes kept as they are, the rest in that language's words; an error argparse words in some
    other way is said as a wrong command line, with where to read how it is used."""
    for pattern, key in _ERRORS:
        found = pattern.fullmatch(message.strip())
        if found is None:
            continue
        fields = found.groupdict()
        if "kind" in fields:
            fields["kind"] = VALUE_KINDS.get(fields["kind"], ("有效的值", "valid"))[helps.side]
        if "count" in fields:
            if fields["count"] not in COUNTS:
                break
            fields["count"] = COUNTS[fields["count"]][helps.side]
        if "choices" in fields:
            fields["choices"] = fields["choices"].replace(", ", "、")
        return helps(key, **fields)
    return helps("bad_command_line", prog=prog)
