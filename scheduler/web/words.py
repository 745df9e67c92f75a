"""The workbench's words in Chinese and English (the zh/en switch at the top of every page)."""

from __future__ import annotations

WORDS: dict[str, tuple[str, str]] = {
    "workbench": ("行程编排工作台", "Itinerary workbench"),
    "unknown_host": (
        "工作台不接受以此地址打开的页面；请用 {address} 打开。",
        "The workbench answers no page asked for at this address; open it at {address}.",
    ),
    "scenarios": ("方案文件", "Scenario files"),
    "no_scenarios": ("此文件夹中没有方案文件(.yaml)。", "There is no scenario file (.yaml) in this folder."),
    "folder": ("文件夹", "Folder"),
    "open": ("打开", "Open"),
    "plan": ("行程", "Plan"),
    "edit": ("编辑方案", "Edit the scenario"),
    "downloads": ("下载", "Downloads"),
    "ok_file": ("可以使用", "ready"),
    "bad_file": ("有问题", "has problems"),
    "problems": ("问题", "Problems"),
    "problems_intro": (
        "方案文件有以下问题,修正后才能编排:",
        "The scenario file has these problems; fix them before planning:",
    ),
    "changes_broken": (
        "对行程所做的调整已不适用于修改后的方案(可撤销):",
        "The changes made to the plan no longer fit the scenario as it is now (undo them below):",
    ),
    "save": ("检查并保存", "Check and save"),
    "saved": ("已保存。", "Saved."),
    "not_saved": ("未保存:请修正标红的字段。", "Not saved: correct the fields marked in red."),
    "no_change": ("没有修改。", "Nothing was changed."),
    "changed_on_disk": (
        "此文件已在工作台之外被修改。",
        "The file was changed outside the workbench since this page was opened.",
    ),
    "reload": ("重新载入", "Reload it"),
    "remove": ("删除", "Remove"),
    "new_row": ("新增:填写下面的空行即可添加", "Add one: fill in the blank row below"),
    "other_problems": ("文件其他部分的问题", "Problems elsewhere in the file"),
    "solve": ("开始编排", "Make a plan"),
    "solve_again": ("重新编排", "Plan again from scratch"),
    "stop": ("停止(保留最佳行程)", "Stop (keep the best plan)"),
    "time_limit": ("最长时间", "Search for at most"),
    "seconds": ("秒", "seconds"),
    "minute": ("分钟", "minute"),
    "minutes": ("分钟", "minutes"),
    "solving": ("正在编排…", "Planning…"),
    "replanning": ("正在调整行程…", "Re-planning…"),
    "rendering": ("正在生成文件…", "Making the files…"),
    "stopping": ("正在停止…", "Stopping…"),
    "objective": ("目标值", "Objective"),
    "bound": ("下界", "Bound"),
    "gap": ("差距", "Gap"),
    "plans_found": ("已找到方案", "Plans found"),
    "elapsed": ("用时", "Time"),
    "busy": ("此方案已有任务在运行,请等待或停止。", "A job is already running for this scenario: wait, or stop it."),
    "no_plan_yet": ("还没有行程。点击“开始编排”。", "No plan yet. Press “Make a plan”."),
    "no_plan_found": ("没有找到行程", "No plan was found"),
    "failed": ("出错了", "Something went wrong"),
    "file_untouched": ("方案文件未被改动。", "The scenario file was not touched."),
    "overview": ("总览", "Overview"),
    "classes": ("班级", "Classes"),
    "lecturers": ("授课教师", "Lecturers"),
    "sites": ("现场教学点", "Sites"),
    "map": ("地图", "Map"),
    "night": ("住宿", "Night"),
    "class": ("班级", "Class"),
    "day": ("日期", "Day"),
    "time": ("时间", "Time"),
    "what": ("内容", "What"),
    "nothing": ("无安排", "nothing"),
    "change_plan": ("调整行程(改动最少)", "Change the plan (as little as possible)"),
    "pin": ("把一次参观定在某天", "Pin a visit to a day"),
    "pin_note": (
        "定在某天:该现场在其他日期对所有班级关闭,且此班必须参观。",
        "Pinning closes the site to every class on the other days and makes the visit required for this class.",
    ),
    "pin_this": ("点击:把这次参观改到另一天", "Click to move this visit to another day"),
    "pin_hint": (
        "在总览中点击一次现场参观,即可把它定在另一天。",
        "Click a field visit in the overview to pin it to another day.",
    ),
    "close_site": ("某现场某天不开放", "A site is closed on a day"),
    "away": ("某教师某天不能来", "A lecturer is away on a day"),
    "whole_day": ("全天", "whole day"),
    "am": ("上午", "morning"),
    "pm": ("下午", "afternoon"),
    "replan": ("重新编排(改动最少)", "Re-plan with the fewest changes"),
    "changes_made": ("已做的调整", "Changes made to the plan"),
    "undo": ("撤销上一步", "Undo the last change"),
    "what_changed": ("行程变化", "What changed"),
    "who_told": ("需要通知", "Who must be told"),
    "before": ("之前", "Before"),
    "after": ("之后", "After"),
    "no_changes": ("行程没有变化。", "The plan did not change."),
    "plan_breaks": ("此行程违反了当前方案的规则:", "This plan breaks rules of the scenario as it is now:"),
    "plan_stale_hint": ("请重新编排。", "Plan again to get a plan that keeps them."),
    "saved_plan_breaks": (
        "此行程违反了当前方案的一条规则：{violation}（请重新编排）",
        "the plan breaks a rule of the scenario as it is now: {violation} (make a plan again)",
    ),
    "make_files": ("生成", "Make"),
    "everything": ("全部", "Everything"),
    "out_booklet.pdf": ("生成:手册(PDF)", "Make the booklet (PDF)"),
    "out_booklet.html": ("生成:手册(网页)", "Make the booklet (web page)"),
    "out_calendars": ("生成:日历(.ics)", "Make the calendars (.ics)"),
    "out_itinerary.xlsx": ("生成:表格(.xlsx)", "Make the spreadsheet (.xlsx)"),
    "out_handouts": ("生成:每人一份的通知", "Make the hand-outs (one per person)"),
    "out_all": ("全部生成", "Make everything"),
    "files_ready": ("可下载的文件", "Files to download"),
    "files_old": ("这些文件是为之前的行程生成的。", "These files were made for an earlier plan."),
    "no_files": ("还没有生成文件。", "No files made yet."),
    "upload": ("上传方案文件", "Upload a scenario file"),
    "upload_button": ("上传", "Upload"),
    "realism": ("现实性", "Realism"),
    "said_pin": ("{klass}在{date}参观{site}", "{klass} visits {site} on {date}"),
    "said_close": ("{site}在{date}不开放", "{site} is closed on {date}"),
    "said_away": ("{lecturer}在{date}({part})不能来", "{lecturer} is away on {date} ({part})"),
    "changes_count": ("改动的安排", "Events changed"),
    "hidden_changes": ("另有{n}处乘车或用餐随之调整。", "{n} coach legs and meals change with them."),
    "variant_intro": (
        "这是方案变体文件:在 {base} 的基础上做了以下改动。请用文本编辑器修改它,或打开基础方案在表格中编辑。",
        "This is a variant file: the changes below, made to {base}. Change it in a text editor, or open the "
        "base scenario to edit it in tables.",
    ),
    "status_optimal": ("已找到最佳行程", "Plan found: the best possible"),
    "status_feasible": ("已找到行程(不一定最佳)", "Plan found (perhaps not the best possible)"),
    "status_infeasible": ("不可能满足所有要求", "No plan can meet every requirement"),
    "status_no_plan_in_time": ("时间内未找到行程", "No plan found in the time"),
    "stopped_early": ("已停止,保留了最佳行程", "stopped; the best plan found is kept"),
    "r_gate_waits": ("到达后等待开门", "Waits at a gate"),
    "r_idle_blocks": ("长时间空闲", "Long idle spells"),
    "r_free_time_minutes": ("自由活动(分钟)", "Free time (minutes)"),
    "r_trips_without_margin": ("教师到达过紧", "Lecturer trips without margin"),
    "r_empty_days": ("无安排的日子", "Empty days"),
    "status": ("状态", "Status"),
    "save_variant": ("另存为方案变体文件", "Save these changes as a variant file"),
    "variant_saved": ("已保存变体文件:", "Variant file saved:"),
    "error_page": ("无法完成", "That did not work"),
    "back": ("返回", "Back"),
    "line": ("第{n}行", "line {n}"),
    "whole_programme": ("整个项目", "The whole programme"),
    "route": ("路线", "Route"),
    "check_coordinates": (
        "核对坐标:每个地点按其纬度和经度画出,位置不对的点一眼可见。",
        "Check the coordinates: each place is drawn at its latitude and longitude, so a place in the wrong "
        "spot stands out.",
    ),
    "compare": ("与基准对比", "Compare"),
    "sweep": ("风险排查", "Risks"),
    "not_a_variant": (
        "此文件不是方案变体(没有 extends:)。对比的是一个变体与它所基于的方案。",
        "This file is not a variant (it has no extends:). A comparison is of a variant with the scenario it extends.",
    ),
    "variants_of_this": ("此文件夹中基于此方案的变体:", "The variants of this scenario in the folder:"),
    "no_variants": (
        "还没有基于此方案的变体。在“行程”页调整行程后,可“另存为方案变体文件”。",
        "There is no variant of this scenario yet. Change the plan on the Plan page, then save the changes "
        "as a variant file.",
    ),
    "compare_title": ("{variant} 与 {base} 对比", "{variant} compared with {base}"),
    "compare_intro": (
        "从基准方案当前的行程出发,以最少改动为变体重新编排,然后列出结论、各项指标的变化、行程的变化和需要通知的人。",
        "The variant is re-planned from the base's current plan with the fewest changes; the page then shows "
        "the verdict, how the figures change, what changes in the plan and who must be told.",
    ),
    "compare_no_base_plan": (
        "基准方案 {base} 还没有行程:请先为它编排行程。",
        "The base {base} has no plan yet: make one first.",
    ),
    "compare_from": (
        "从 {base} 最近一次(未做调整的)行程出发。",
        "Starts from the latest plan of {base} (without changes).",
    ),
    "open_base_plan": ("打开基准方案的行程", "Open the base's plan"),
    "compare_button": ("对比(改动最少)", "Compare with the base"),
    "comparing": ("正在为变体重新编排并对比…", "Re-planning the variant and comparing…"),
    "compared": ("对比完成", "Compared"),
    "compare_stale": (
        "此对比基于基准方案较早的行程;基准方案已重新编排,可再次对比。",
        "This comparison started from an earlier plan of the base: the base has been planned again since. "
        "Compare again to update it.",
    ),
    "no_comparison_yet": ("还没有对比。点击“对比”。", "No comparison yet. Press “Compare with the base”."),
    "verdict": ("结论", "Verdict"),
    "figures": ("指标", "Figures"),
    "measure": ("指标", "Measure"),
    "base": ("基准", "base"),
    "delta_legend": (
        "每项数值后是它与基准的差:绿色为更好,红色为更差。",
        "Each figure with its difference from the base: green is better, red is worse.",
    ),
    "hidden_rows": ("未列出{n}项没有变化的指标。", "{n} figures that do not change are not shown."),
    "minor_changes": (
        "另有{n}处乘车或用餐只移动了不超过{m}分钟",
        "{n} coach legs and meals moved by {m} minutes or less are not listed",
    ),
    "sweep_title": ("这个行程有多脆弱?", "How fragile is this plan?"),
    "sweep_intro": (
        "逐一尝试每一种单项意外(某位教师某天不能来、某现场某天不开放、车程上限降低一小时),"
        "每一种都以最少改动重新编排,然后按风险排序:先列无法编排的,再按代价从大到小。",
        "Each single disruption (a lecturer away on a day, a site closed on a day, the coach limit an hour "
        "lower) is tried in turn and re-planned with the fewest changes; the table ranks them: those that "
        "leave no plan first, then by what they cost.",
    ),
    "sweep_no_plan": ("还没有行程:请先编排。", "There is no plan yet: make one first."),
    "sweep_kinds": ("尝试哪些意外", "Which disruptions to try"),
    "kind_lecturer-away": ("教师某天不能来", "A lecturer away for a day"),
    "kind_site-closed": ("现场某天不开放", "A site closed for a day"),
    "kind_coach-limit": ("每日车程上限降低一小时", "The daily coach limit an hour lower"),
    "sweep_limit": ("每次重新编排最长", "Each re-plan for at most"),
    "sweep_button": ("开始排查", "Try them all"),
    "sweep_of_changed": (
        "排查的是当前行程(包括已做的调整)。",
        "The sweep tries the current plan, with the changes made to it.",
    ),
    "sweeping": ("正在排查…", "Trying the disruptions…"),
    "swept": ("排查完成", "Done"),
    "sweep_stopped": ("已停止:表中只有已完成的部分", "Stopped: the table holds the results so far"),
    "sweep_done": ("已完成", "Done"),
    "time_left": ("预计剩余", "Time left"),
    "risk_table": ("风险表", "Risk table"),
    "risk_order": (
        "排序:先列无法编排的意外,再按目标值的增加从大到小,最后是原行程不受影响的。",
        "Ranked: disruptions that leave no plan first, then by how much they raise the objective; those the "
        "plan absorbs unchanged last.",
    ),
    "sweep_stale": ("此表是为之前的行程做的。", "This table was made for an earlier plan."),
    "sweep_incomplete": ("(未全部完成)", "(not all were tried)"),
    "download_xlsx": ("下载表格(.xlsx)", "Download as a spreadsheet (.xlsx)"),
    "download_json": ("下载数据(.json)", "Download as data (.json)"),
    "no_sweep_yet": (
        "还没有排查。选择要尝试的意外,点击“开始排查”。",
        "No sweep yet. Choose the disruptions and press “Try them all”.",
    ),
    "lodging": ("住宿", "Lodging"),
    "sweep_counts": ("(括号内为要尝试的次数)", "(how many of each to try)"),
    "stop_sweep": ("停止(保留已完成的部分)", "Stop (keep the results so far)"),
    "more": ("更多", "More"),
    "new_row_more": (
        "(保存后可在其“更多”中填写其余信息)",
        "(save it, then fill in the rest under its “More”)",
    ),
    "save_help": (
        "先按命令行的规则检查;有问题则不保存,并在对应字段旁标出。",
        "Checked by the command line's rules first; nothing is saved while a field has a problem.",
    ),
    # placeholders that are words (the others are examples of a value, the same in both)
    "= base": ("= 驻地", "= base"),
    "= place": ("= 地点编号", "= place"),
    "host, front desk, 班主任": ("接待、前台、班主任", "host, front desk, class teacher"),
    "bool_true": ("是", "yes"),
    "bool_false": ("否", "no"),
    "bool_kind": ("博物馆、纪念馆为是", "yes for museums and memorials"),
    "choice_zh": ("中文", "Chinese"),
    "choice_en": ("英文", "English"),
    "choice_am": ("上午", "morning"),
    "choice_pm": ("下午", "afternoon"),
    "choice_enterprise": ("企业", "enterprise"),
    "choice_village": ("村", "village"),
    "choice_community": ("社区", "community"),
    "choice_museum": ("博物馆、展览馆", "museum"),
    "choice_memorial": ("纪念馆", "memorial"),
    "choice_school": ("学校", "school"),
    "choice_government": ("政府机关", "government"),
    "choice_park": ("园区、公园", "park"),
    "choice_other": ("其他", "other"),
    "far_place": (
        "{name}离其他地点约{km}公里:请核对它的纬度和经度(是否填反或少了一位?)。",
        "{name} lies about {km} km from the other places: check its latitude and longitude (swapped, or a "
        "digit missing?).",
    ),
    "to_map": ("查看地图 ↓", "Go to the map ↓"),
    "unplaced": ("{name}没有有效的坐标,未在地图上画出。", "{name} has no valid coordinates and is not drawn."),
    "map_caption": (
        "灰线为纬线和经线。点击表格中某一行,它在地图上的点会标红;修改坐标后地图随即更新(保存前)。",
        "The grey lines are latitudes and longitudes. Click in a row of the table to mark its place in red; "
        "the map follows the coordinates as they are typed, before saving.",
    ),
    "compare_it": ("与基准方案对比", "Compare it with the base"),
    "change_impossible": ("无法做出这项调整：{problems}", "that change cannot be made: {problems}"),
    "problem_sep": ("；", "; "),
    # the workbench's own refusals and errors (WordedError): the English exactly as before
    "err_cross_site": ("已拒绝：此请求来自其他网站。", "refused: the request came from another site"),
    "err_form_unreadable": ("无法读取提交的表单。", "the form could not be read"),
    "err_token": (
        "已拒绝：发出此请求的页面已过期，或不是本工作台的页面（请刷新页面）。",
        "refused: the page that sent this is out of date or not this workbench's (reload it)",
    ),
    "err_upload_choose": ("请选择要上传的方案文件（.yaml）。", "choose a scenario file (.yaml) to upload"),
    "err_upload_suffix": (
        "只能上传以 .yaml 或 .yml 结尾的方案文件。",
        "only scenario files ending in .yaml or .yml can be uploaded",
    ),
    "err_upload_size": ("文件超过 {mb} MB。", "the file is larger than {mb} MB"),
    "err_upload_not_text": (
        "此文件不是以 UTF-8 保存的 YAML 文本（应为方案文件）。",
        "the file is not YAML text saved as UTF-8 (expected a scenario file)",
    ),
    "err_upload_not_scenario": (
        "此文件不是方案文件（应包含 programme、places、classes 等部分）。",
        "the file is not a scenario (expected sections: programme, places, classes, ...)",
    ),
    "err_upload_exists": (
        "文件夹中已有 {name}：请先给上传的文件改名。",
        "{name} already exists in the folder: rename the file first",
    ),
    "err_scenario_problems": (
        "方案文件有问题：请先在“编辑方案”中修正。",
        "the scenario file has problems: fix them in the editor first",
    ),
    "err_choose_day": ("请选择培训日程中的某一天。", "choose a day of the programme"),
    "err_plan_first_load": (
        "请先编排行程（方案文件须能正常载入）。",
        "make a plan first (the scenario must load)",
    ),
    "err_choose_class_site": ("请选择方案中的班级和现场教学点。", "choose a class and a site of the scenario"),
    "err_choose_site": ("请选择方案中的现场教学点。", "choose a site of the scenario"),
    "err_choose_lecturer": ("请选择方案中的授课教师。", "choose a lecturer of the scenario"),
    "err_unknown_change": ("无法识别这项调整。", "unknown change"),
    "err_no_changes_to_save": ("没有可保存的调整。", "there are no changes to save"),
    "err_no_section": ("方案中没有这一部分。", "no such part of the scenario"),
    "err_not_yaml": (
        "无法按 YAML 读取此文件：请用文本编辑器修正。",
        "the file cannot be read as YAML: correct it in a text editor",
    ),
    "err_variant_tables": (
        "方案变体文件请用文本编辑器修改：其中的改动不是表格。",
        "a variant file is edited in a text editor: its changes are not tables",
    ),
    "err_plan_first": ("请先编排行程。", "make a plan first"),
    "err_unknown_output": ("无法识别要生成的文件。", "unknown file to make"),
    "err_no_file": ("没有这个文件。", "there is no such file"),
    "err_bad_extends": (
        "它所基于的文件 {base} 不是此文件夹中的方案文件。",
        "the file it extends, {base}, is not a scenario file of this folder",
    ),
    "err_not_variant": (
        "此文件不是方案变体（没有 extends:）：请打开一个变体文件进行对比。",
        "this file is not a variant (it has no extends:): open a variant file to compare it",
    ),
    "err_variant_problems": (
        "变体或其基准方案有问题：请先修正。",
        "the variant or its base has problems: correct them first",
    ),
    "err_base_plan_first": (
        "请先为 {base} 编排行程：变体要在它的行程基础上重新编排。",
        "make a plan of {base} first: the variant is re-planned from it",
    ),
    "err_sweep_plan_first": (
        "请先编排行程：风险排查是对已有行程逐一尝试各种意外。",
        "make a plan first: the sweep tries disruptions of the plan",
    ),
    "err_sweep_kinds": ("请至少选择一种要尝试的意外。", "choose at least one kind of disruption to try"),
    "err_plan_stale": (
        "此行程已不符合当前的方案文件：请先重新编排。",
        "the plan no longer fits the scenario file as it is now: make a plan again first",
    ),
    "err_no_page": ("没有这个页面。", "there is no such page"),
    "err_internal": (
        "工作台无法完成此操作（内部错误；方案文件未被改动）。",
        "the workbench could not do that (an internal error; the scenario file was not changed)",
    ),
    "err_path_not_name": ("这不是文件夹内的文件名。", "that is not a file name inside the folder"),
    "err_path_outside": ("只能打开工作台文件夹内的文件。", "only files inside the workbench's folder can be opened"),
    "err_path_not_yaml": (
        "这不是此文件夹中的方案文件（应为 .yaml 文件）。",
        "that is not a scenario file of this folder (expected a .yaml file)",
    ),
    "err_path_missing": ("文件夹中没有这个方案文件。", "there is no such scenario file in the folder"),
    "err_form_field": ("表单中有一个字段不属于本页。", "a field of the form is not one of the page's"),
    "err_form_row": (
        "表单中有一个字段不属于本页（没有这一行）。",
        "a field of the form is not one of the page's (no such row)",
    ),
    "err_method": ("此地址不接受这种请求。", "Method Not Allowed"),
    "err_job_stopped": ("找到行程前已停止", "stopped before a plan was found"),
    "err_job_crashed": (
        "{kind}进程意外结束（退出码 {code}）",
        "the {kind} process ended unexpectedly (exit code {code})",
    ),
    "err_job_not_kept": ("结果未能保存：{failure}", "the result could not be kept: {failure}"),
    "job_solve": ("编排", "solve"),
    "job_replan": ("调整行程", "replan"),
    "job_render": ("生成文件", "render"),
    "job_compare": ("对比", "compare"),
    "job_sweep": ("风险排查", "sweep"),
    "err_form_too_long": (
        "“{label}”一栏太长（最多 2000 个字符）。",
        "the field {label} is too long (at most 2000 characters)",
    ),
}


def word(key: str, lang: str) -> str:
    """The word for ``key`` in ``lang`` (the key itself if it has none)."""
    pair = WORDS.get(key)
    if pair is None:
        return key
    return pair[0] if lang == "zh" else pair[1]


def say(key: str, lang: str, **fields: object) -> str:
    """The sentence ``key`` in ``lang`` with its fields filled in. A field given as a ``(zh, en)``
    pair (a column's two labels; a list once it has been through JSON) is said in ``lang`` too;
    any other field is put in as it is."""
    said = {
        name: (value[0] if lang == "zh" else value[1]) if isinstance(value, (tuple, list)) else value
        for name, value in fields.items()
    }
    return word(key, lang).format(**said)


class WordedError(Exception):
    """An error the workbench shows a person: a key of ``WORDS`` and its fields, put in the page's
    language only when the page is made (the code that raises it does not know the language).
    ``str()`` is the English sentence, for logs and for callers that only need a reason."""

    def __init__(self, key: str, **fields: object):
        self.key, self.fields = key, fields
        super().__init__(self.in_language("en"))

    def in_language(self, lang: str) -> str:
        """The sentence in ``lang`` ("zh" or "en")."""
        return say(self.key, lang, **self.fields)
