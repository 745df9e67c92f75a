"""The words of the outputs in Chinese and English: headings, activity kinds, dates.

Names of places, classes and people come from the plan file as the scenario gives them; this
module holds only the labels around them. ``Labels("zh")`` or ``Labels("en")`` picks one side.
"""

from __future__ import annotations

import datetime as dt

from scheduler.plan.labels import KIND_LABELS, MEAL_LABELS, SHORT_WEEKDAYS
from scheduler.plan.model import Event
from scheduler.scenario.wording import Message

LANGUAGES = ("zh", "en")

# key -> (Chinese, English); ``{name}`` fields are filled by ``Labels.__call__``.
TEXT: dict[str, tuple[str, str]] = {
    "booklet": ("日程手册", "Programme booklet"),
    "unchecked": ("未经检查的方案：未按情景文件的规则核对", "UNCHECKED PLAN: not checked against the scenario's rules"),
    "unchecked_short": ("未经检查", "unchecked"),
    "dates": ("日期", "Dates"),
    "days_count": ("共{n}天", "{n} days"),
    "organiser": ("主办单位", "Organiser"),
    "classes": ("培训班次", "Classes"),
    "class": ("班次", "Class"),
    "theme": ("主题", "Theme"),
    "trainees": ("学员", "Trainees"),
    "trainees_n": ("{n}人", "{n}"),
    "base": ("基地", "Base"),
    "professor": ("带班教授", "Professor"),
    "lecturers": ("授课教师", "Lecturers"),
    "lectures_n": ("{n}次讲座", "{n} lectures"),
    "lecture_1": ("1次讲座", "1 lecture"),
    "contents": ("目录", "Contents"),
    "section_days": ("各班每日日程", "Daily schedules, class by class"),
    "section_week": ("一周总览", "Week at a glance"),
    "section_lecturers": ("授课教师日程", "Lecturers' timetables"),
    "section_sites": ("现场教学点接待安排", "Field-teaching sites: who comes when"),
    "section_figures": ("各班指标", "Figures per class"),
    "page": ("页", "page"),
    "day_n": ("第{n}天", "Day {n}"),
    "time": ("时间", "Time"),
    "activity": ("活动", "Activity"),
    "details": ("内容", "Details"),
    "place": ("地点", "Place"),
    "who": ("授课/带班", "Lecturer / professor"),
    "coach": ("乘车", "Coach"),
    "departs": ("发车", "dep."),
    "arrives": ("到达", "arr."),
    "minutes_n": ("{n}分钟", "{n} min"),
    "km_n": ("{n}公里", "{n} km"),
    "rest_n": ("含休息{n}分钟", "incl. {n} min rest"),
    "night_at": ("当晚住宿", "Night at"),
    "ends_at": ("结业返回", "Programme ends at"),
    "wakes_at": ("早晨出发地", "Morning at"),
    "route_of_day": ("当日路线", "Route of the day"),
    "route_of_week": ("全周路线", "Route of the week"),
    "map_note": ("直线示意，非实际道路", "straight lines between places, not roads"),
    "no_travel": ("当日不乘车", "no coach travel today"),
    # the booklet: waits and breaks between events, the week grid's marks, the screen's navigation
    "gap_wait": ("等候", "Wait"),
    "gap_break": ("休息", "Break"),
    "gap_wait_n": ("等候{n}分钟", "Wait {n} min"),
    "gap_break_n": ("休息{n}分钟", "Break {n} min"),
    "gap_legend": ("等候、休息", "Wait, break"),
    "marks_legend": ("图中编号", "Numbers in the grid"),
    "nav_booklet": ("手册导航", "Booklet navigation"),
    "nav_days": ("各天", "Days"),
    "day_totals": ("当日乘车{minutes}分钟，{km}公里", "Coach today: {minutes} min, {km} km"),
    "legend": ("图例", "Legend"),
    "map_base": ("基地", "base"),
    "map_night": ("住宿", "night"),
    "map_visit": ("现场教学点", "site visited"),
    "map_other": ("其他地点", "other place"),
    "affiliation": ("单位", "Affiliation"),
    "sets_out_from": ("出发地", "Sets out from"),
    "topics": ("讲授专题", "Topics"),
    "topic": ("专题", "Topic"),
    "getting_there": ("前往方式", "Getting there"),
    "trip_home": (
        "从{place}出发，车程{minutes}分钟，{km}公里；最晚{time}出发",
        "from {place}: {minutes} min, {km} km; leave by {time}",
    ),
    "trip_between": (
        "上一讲结束后从{place}前往，车程{minutes}分钟，{km}公里；最晚{time}出发",
        "after the previous lecture, from {place}: {minutes} min, {km} km; leave by {time}",
    ),
    "trip_unknown": ("从{place}出发", "from {place}"),
    "trip_none": ("就在{place}，无需乘车", "at {place}: no travel"),
    "no_sessions": ("本次培训无授课安排", "No lectures in this programme"),
    "kind": ("类型", "Kind"),
    "red_education": ("红色教育", "Red education"),
    "yes": ("是", "yes"),
    "no": ("否", "no"),
    "visit_length": ("参观时长", "Visit length"),
    "location": ("位置", "Location"),
    "arriving_from": ("来自", "Arriving from"),
    "leaving_for": ("下一站", "Next"),
    "visits": ("接待安排", "Visits"),
    "themes_served": ("对应主题", "Themes"),
    "figure": ("指标", "Figure"),
    "required": ("要求", "required"),
    "at_least": ("不少于{n}", "at least {n}"),
    "field_share": ("现场教学占比", "Field-teaching share"),
    "teaching_hours": ("教学时长（小时）", "Teaching (hours)"),
    "field_hours": ("现场教学时长（小时）", "Field teaching (hours)"),
    "seminar_hours": ("研讨（课时）", "Seminar (class hours)"),
    "report_hours": ("撰写调研报告（课时）", "Report writing (class hours)"),
    "coach_hours": ("乘车时间（小时）", "Coach driving (hours)"),
    "coach_km": ("乘车里程（公里）", "Coach distance (km)"),
    "sites_visited": ("现场教学点", "Sites visited"),
    "red_visits": ("红色教育点", "Red-education visits"),
    "lectures": ("专题讲座", "Lectures"),
    "late_evenings": ("晚间超时", "Late evenings"),
    "class_hour_note": ("1课时 = {n}分钟", "1 class hour = {n} minutes"),
    "plan_status": ("计划", "Plan"),
    "status_optimal": ("已证明最优", "proven best"),
    "status_feasible": ("可行（未证明最优）", "feasible, not proven best"),
    # the terminal: solve.py's tables, its solver line, --explain, why no plan, replan's changes
    "label_value": ("{label}：{value}", "{label}: {value}"),
    "list_sep": ("、", ", "),
    "lecture_at": ("{topic}（{place}）", "{topic}, at {place}"),
    "coach_leg": ("{minutes}，{km}", "{minutes}, {km}"),
    "coach_leg_rest": ("{minutes}（{rest}），{km}", "{minutes} ({rest}), {km}"),
    "solver": ("求解", "solver"),
    "solver_optimal": ("最优（已证明）", "optimal (proven best)"),
    "solver_feasible": ("可行（未证明最优）", "feasible (not proven best)"),
    "solver_infeasible": ("无解（没有满足要求的方案）", "infeasible (no plan meets the requirements)"),
    "solver_no_plan_in_time": ("时限内未找到方案", "no plan found within the time limit"),
    "solver_model_invalid": ("模型无效（内部错误）", "model invalid (internal error)"),
    "solver_objective": ("目标值{n}", "objective {n}"),
    "solver_bound": ("最优下界{n}", "best bound {n}"),
    "solver_gap": ("差距{gap}", "gap {gap}"),
    "seconds_n": ("{n}秒", "{n} s"),
    "solver_first_plan": ("首个方案{seconds}", "first plan {seconds}"),
    "plan_1": ("1个方案", "1 plan"),
    "plan_n": ("{n}个方案", "{n} plans"),
    "solver_reproducible": ("可复现（每次搜索一个线程）", "reproducible, one worker a search"),
    "free_worker_1": ("1个自由运行的线程", "1 free-running worker"),
    "free_worker_n": ("{n}个自由运行的线程", "{n} free-running workers"),
    "solver_seed": ("随机种子{n}", "seed {n}"),
    "solver_cut_by_clock": (
        "可复现的计算量完成前已到时限：再次运行的结果可能不同",
        "ended by the clock before its reproducible work was done: another run may differ",
    ),
    "solver_interrupted": ("已中断：迄今最佳方案", "interrupted: best plan so far"),
    "solver_focused": ("围绕首个方案逐班求解：{bound}", "solved class by class around the first plan: {bound}"),
    "solver_week_bound": ("下界来自整周的日路线", "bound from whole weeks of day routes"),
    "solver_no_bound": ("无下界", "no bound"),
    "progress_plan": ("{seconds} 方案#{n} 目标值{objective}", "{seconds} plan #{n} objective {objective}"),
    "progress_bound": ("下界{bound}，至多还能改进{left}", "bound {bound}, at most {left} better possible"),
    "progress_no_bound": ("尚无下界", "no bound yet"),
    "no_plan_in_time": ("时限内未找到方案。", "No plan was found within the time limit."),
    "no_conflict": (
        "各项要求并不冲突（诊断表明它们可以同时满足）：请延长 --time-limit。",
        "The requirements do not conflict (a diagnosis found them satisfiable together): try a longer --time-limit.",
    ),
    "plan_unknown": (
        "尚不清楚是否存在方案：请延长 --time-limit。",
        "It is not known whether one exists: try a longer --time-limit.",
    ),
    "no_plan_meets": ("没有方案能满足{name}的要求。", "No plan meets the requirements of {name}."),
    "each_cannot": (
        "以下每一项要求都无法满足，无论方案如何安排：",
        "Each of these requirements cannot be met, whatever else the plan does:",
    ),
    "together_cannot": ("以下要求无法同时满足：", "These requirements cannot all be met together:"),
    "together_cannot_minimal": (
        "以下要求无法同时满足（去掉其中任意一项即有方案）：",
        "These requirements cannot all be met together (dropping any one of them would allow a plan):",
    ),
    "relaxations": ("能得到方案的最小单项改动：", "Smallest single changes that give a plan:"),
    "looking_for_conflict": (
        "正在查找相互冲突的要求（最多{seconds}）……",
        "Looking for the requirements that conflict (up to {seconds})...",
    ),
    "conflict_out_of_time": (
        "查找相互冲突的要求时超时（{reason}），未能找到。",
        "The search for conflicting requirements ran out of time ({reason}) before it found them.",
    ),
    "conflict_out_of_memory": (
        "查找相互冲突的要求时内存不足（{gb} GB；{reason}），未能找到。",
        "The search for conflicting requirements ran out of memory ({gb} GB; {reason}) before it found them.",
    ),
    "conflict_failed": (
        "查找相互冲突的要求失败（{reason}）。",
        "The search for conflicting requirements failed ({reason}).",
    ),
    "objective_title": (
        "目标分解（分值：越低越好，奖励计为负分）",
        "Objective by goal and class (points: lower is better; rewards count negative)",
    ),
    "goal": ("目标", "Goal"),
    "all_classes": ("全局", "All"),
    "total": ("合计", "Total"),
    "points_per_unit": ("每单位的分值：{prices}", "Points per unit: {prices}"),
    "per_unit": ("每{noun}{points}分", "{points} per {noun}"),
    "more": ("多{n}{noun}", "{n} more {noun}"),
    "fewer": ("少{n}{noun}", "{n} fewer {noun}"),
    "unit_coach_minutes": ("分钟车程", "coach minute"),
    "units_coach_minutes": ("分钟车程", "coach minutes"),
    "unit_theme_fit": ("次主题契合的参观", "visit that fits the class's theme"),
    "units_theme_fit": ("次主题契合的参观", "visits that fit the class's theme"),
    "unit_site_value": ("分现场点价值", "point of site value"),
    "units_site_value": ("分现场点价值", "points of site value"),
    "unit_lecturer_imbalance": (
        "次讲座的差距（讲课最多与最少的教师之间）",
        "lecture between the busiest and the least busy lecturer",
    ),
    "units_lecturer_imbalance": (
        "次讲座的差距（讲课最多与最少的教师之间）",
        "lectures between the busiest and the least busy lecturer",
    ),
    "unit_late_evening": ("个过晚的晚间", "late evening"),
    "units_late_evening": ("个过晚的晚间", "late evenings"),
    "unit_idle_time": ("小时空闲时间", "hour of idle daytime"),
    "units_idle_time": ("小时空闲时间", "hours of idle daytime"),
    "binding_title": (
        "紧约束（方案恰好处在这些要求和限制上）：",
        "Binding requirements and limits (the plan sits at them):",
    ),
    "binding_none": ("无：每项要求都留有余地", "none: every requirement has room to spare"),
    "binding_field_share": (
        "{klass}：现场教学占比{share}，恰为最低要求{minimum}（{where}）",
        "{klass}: field teaching {share}, at its minimum of {minimum} ({where})",
    ),
    "binding_red_visits": (
        "{klass}：{visits}，恰为最低要求（{where}）",
        "{klass}: {visits}, exactly its minimum ({where})",
    ),
    "binding_coach": (
        "{klass}，{date}：乘车{minutes}，达到当日上限{limit}",
        "{klass} on {date}: {minutes} of coach driving, at the day's limit of {limit}",
    ),
    "binding_return": (
        "{klass}，{date}：{time}返回，恰为最晚返回时间{latest}",
        "{klass} on {date}: back at {time}, at the latest return of {latest}",
    ),
    "binding_lodging": (
        "{date}晚：{place}住宿已满（{used}/{classes}）",
        "night of {date}: lodging at {place} full ({used} of {classes})",
    ),
    "requirement_own": ("本班的要求", "the class's own requirement"),
    "requirement_default": ("各班的默认要求", "the default for every class"),
    "red_visit_1": ("1次红色教育参观", "1 red-education visit"),
    "red_visit_n": ("{n}次红色教育参观", "{n} red-education visits"),
    "class_1": ("1个班", "1 class"),
    "class_n": ("{n}个班", "{n} classes"),
    "realism_title": (
        "能否直接打印（否则需组织者手工调整的地方）：",
        "Ready to print? (what an organiser would otherwise fix by hand):",
    ),
    "realism_gate_waits": (
        "在现场点门口等候超过{threshold}：{n}次（共{total}）",
        "waits at a site's gate over {threshold}: {n} ({total} in all)",
    ),
    "realism_idle": (
        "白天{threshold}以上既无安排也无说明的空档：{n}个（共{total}）",
        "daytime gaps of {threshold} or more with nothing planned or said: {n} ({total} in all)",
    ),
    "realism_free_time": ("标明为自由活动的时间：{blocks}，共{total}", "free time shown: {blocks}, {total} in all"),
    "block_1": ("1段", "1 block"),
    "block_n": ("{n}段", "{n} blocks"),
    "realism_off_grid": (
        "不在时间网格上的时刻：{n}/{read}（{share}）",
        "clock times off the grid: {n} of {read} ({share})",
    ),
    "realism_after_closing": (
        "结业后仍安排的研讨、参观或讲座：{n}",
        "sessions, visits or lectures after the closing: {n}",
    ),
    "realism_trips": (
        "距开讲不足{threshold}才到达的教师行程：{n}/{trips}；列出的返程：{returns}",
        "lecturer trips arriving with less than {threshold} to spare: {n} of {trips}; trips home shown: {returns}",
    ),
    "realism_idle_lecturers": ("没有讲课的教师：{n}{names}", "lecturers who give no lecture: {n}{names}"),
    "realism_empty_days": ("没有日程的班次日：{n}", "class-days without a programme: {n}"),
    "names_in_brackets": ("（{names}）", " ({names})"),
    "tradeoffs_title": (
        "取舍（某一目标改善一步，其他目标随之的变化）：",
        "Trade-offs (one step better on a goal, and what the others pay):",
    ),
    "tradeoffs_unpriced": (
        "只有已证明最优的方案才计算取舍（请延长 --time-limit 重新求解）。",
        "Trade-offs are priced only for a plan proven best (re-solve with a longer --time-limit).",
    ),
    "trade_impossible": ("{goal}：不可能{better}", "{goal}: no plan has {better}"),
    "trade_undecided": (
        "{goal}：{better}的代价未能在给定时间内算出",
        "{goal}: the price of {better} was not found in the time given",
    ),
    "trade_priced": ("{goal}：{better}，意味着{changes}", "{goal}: {better} would mean {changes}"),
    "trade_at_most": ("{goal}：{better}，意味着{changes}（至多）", "{goal}: {better} would mean at most {changes}"),
    "trade_free": ("{goal}：{better}，其他目标不受影响", "{goal}: {better} would cost the other goals nothing"),
    "changes_summary": (
        "变动：{events}，{nights}（加权{weighted}）",
        "Changes: {events}, {nights} (weighted {weighted})",
    ),
    "event_1": ("1项活动", "1 event"),
    "event_n": ("{n}项活动", "{n} events"),
    "night_1": ("1晚住宿", "1 night"),
    "night_n": ("{n}晚住宿", "{n} nights"),
    "who_must_be_told": ("需通知：", "Who must be told:"),
    "lodging": ("住宿", "Lodging"),
    "nobody": ("无", "none"),
    "replan_change": (
        "{klass}，{date}，{change}：{what}（{before} → {after}）",
        "{klass}, {date}, {change}: {what} ({before} → {after})",
    ),
    "replan_no_plan": (
        "没有方案能满足改动后的要求{kept}{in_time}。",
        "No plan meets the changed requirements{kept}{in_time}.",
    ),
    "replan_kept": ("（保留{moment}之前的全部安排）", " while keeping everything before {moment}"),
    "replan_in_time": ("（时限内未找到）", " (none found within the time limit)"),
    # the terminal: compare's verdicts, side-by-side table and changes; sweep's risk table and progress
    "verdicts_least_change": (
        "结论（每个方案从基准方案出发，以最少改动重新编排）",
        "Verdicts (each variant re-planned from the base plan with the least change)",
    ),
    "verdicts_from_scratch": ("结论（每个方案重新编排）", "Verdicts (each variant planned anew)"),
    "comparison_title": (
        "方案对比（与基准相比的变化：绿色更好，红色更差）",
        "Comparison (Δ against the base: green better, red worse)",
    ),
    "measure": ("指标", "Measure"),
    "base_marker": ("（基准）", " (base)"),
    "rows_hidden": (
        "另有{n}行各方案均与基准相同，未列出（--all-rows 可全部列出）",
        "{n} rows where no variant differs from the base are not shown (--all-rows shows them)",
    ),
    "versus": ("{variant} 与 {base} 对比", "{variant} vs {base}"),
    "changes_from_base": ("{name}：与基准方案的差异", "{name}: changes from the base plan"),
    "change": ("变化", "Change"),
    "what": ("内容", "What"),
    "before": ("原", "Before"),
    "after": ("新", "After"),
    "planning_base": ("正在编排基准方案 {file}（最多{seconds}）……", "Planning the base {file} (up to {seconds})..."),
    "replanning_scenarios": (
        "正在{engine}上重新编排{scenarios}，每个{workers}，最多{seconds}{clock}……",
        "Re-planning {scenarios} on {engine}, {workers} each, up to {seconds}{clock} each...",
    ),
    "solving_scenarios": (
        "正在{engine}上求解{scenarios}，每个{workers}，最多{seconds}{clock}……",
        "Solving {scenarios} on {engine}, {workers} each, up to {seconds}{clock} each...",
    ),
    "reproducible_clock": ("（求解器的可复现计时）", " of the solver's reproducible (deterministic) time"),
    "scenario_1": ("1个方案", "1 scenario"),
    "scenario_n": ("{n}个方案", "{n} scenarios"),
    "worker_1": ("1个线程", "1 worker"),
    "worker_n": ("{n}个线程", "{n} workers"),
    "local_pool": ("本机{processes}", "a local pool of {processes}"),
    "process_1": ("1个进程", "1 process"),
    "process_n": ("{n}个进程", "{n} processes"),
    "dask_cluster": ("Dask 集群 {address}（开始时{workers}）", "a Dask cluster at {address} ({workers} at the start)"),
    "replanning_disruptions": (
        "正在{engine}上重新编排{disruptions}，每个一个搜索线程，最多{seconds}（求解器的可复现计时）……",
        "Re-planning {disruptions} on {engine}, one search worker each, up to {seconds} of the solver's "
        "reproducible time each...",
    ),
    "wrote": ("已写入 {target}", "wrote {target}"),
    "disruption_1": ("1种扰动", "1 disruption"),
    "disruption_n": ("{n}种扰动", "{n} disruptions"),
    "sweep_progress": (
        "[{done}/{total}] {what}：{ending}（{seconds}）· 约剩{left}",
        "[{done}/{total}] {what}: {ending} ({seconds}) · about {left} left",
    ),
    "left": ("剩余", "left"),
    "risk_title": ("风险表", "Risk table"),
    "risk_disruption": ("扰动", "Disruption"),
    "risk_outcome": ("结果", "Outcome"),
    "risk_objective": ("目标值变化", "Δ objective"),
    "risk_coach": ("车程变化（分钟）", "Δ coach min"),
    "risk_changes": ("变动（活动+住宿）", "Changes"),
    "risk_people": ("需通知（人）", "People to tell"),
    "ending_unchanged": ("原方案不变", "unchanged"),
    "ending_replanned": ("需调整", "re-planned"),
    "ending_no_plan": ("无可行方案", "no plan"),
    "ending_failed": ("失败", "failed"),
    "ending_not_run": ("未运行", "not run"),
    "none_in_time": ("（时限内未找到）", " (none found in time)"),
    "risk_more": (
        "另有{n}项未列出（--top N 可多列，或见 JSON、HTML 和电子表格输出）",
        "... {n} more (--top N, or the JSON, HTML and spreadsheet outputs)",
    ),
    # the comparison's page (solve.py compare --html)
    "comparison": ("方案对比", "Comparison"),
    "verdicts": ("结论", "Verdicts"),
    "least_change_note": (
        "每个方案从基准方案出发、以最少改动重新编排",
        "Each variant re-planned from the base plan with the least change",
    ),
    "from_scratch_note": ("每个方案重新编排", "Each variant planned anew"),
    "delta_note": ("与基准相比的变化：", "Δ against the base: "),
    "green_better": ("绿色更好", "green better"),
    "red_worse": ("红色更差", "red worse"),
    "rows_hidden_short": ("另有{n}行各方案均与基准相同，未列出。", "{n} rows where no variant differs are not shown."),
    # the risk table's page
    "sweep_unfinished": ("扫描未完成：部分扰动未运行。", "The sweep did not finish: some disruptions were not run."),
    "setting_time_limit": ("时限（秒）", "time limit (s)"),
    "setting_seed": ("随机种子", "seed"),
    "setting_engine": ("运行方式", "engine"),
    "setting_diagnosis_seconds": ("诊断时限（秒）", "diagnosis (s)"),
    "setting_seconds": ("总用时（秒）", "seconds in all"),
    "engine_local": ("本机", "local"),
    "engine_dask": ("Dask 集群", "Dask cluster"),
    "generated": ("由 training-itinerary 生成", "Made with training-itinerary"),
    "date": ("日期", "Date"),
    "weekday": ("星期", "Weekday"),
    "day": ("天次", "Day"),
    "start": ("开始", "Start"),
    "end": ("结束", "End"),
    "minutes": ("分钟", "Minutes"),
    "from": ("出发地", "From"),
    "to": ("目的地", "To"),
    "km": ("公里", "km"),
    "lecturer": ("授课教师", "Lecturer"),
    "site": ("现场教学点", "Site"),
    "sheet_lecturers": ("授课教师", "Lecturers"),
    "sheet_sites": ("现场教学点", "Sites"),
    "sheet_figures": ("指标", "Figures"),
    "leave_by": ("最晚出发", "Leave by"),
    "calendar_class": ("{name} 日程", "{name}: itinerary"),
    "calendar_lecturer": ("{name} 授课安排", "{name}: lectures"),
    "desc_lecturer": ("授课教师", "Lecturer"),
    "desc_professor": ("带班教授", "Professor"),
    "desc_topic": ("专题", "Topic"),
    "desc_site": ("现场教学点", "Site"),
    "desc_class": ("班次", "Class"),
    "desc_coach": ("乘车", "Coach"),
    # calendars: nights, lecturers' drives, site and programme calendars
    "calendar_site": ("{name} 现场教学接待", "{name}: visits"),
    "calendar_programme": ("{name} 各班日程", "{name}: every class"),
    "calendar_night": ("住宿：{hotel}", "Night at {hotel}"),
    "drive_to": ("前往{place}", "Drive to {place}"),
    "drive_home": ("返程回家", "Drive home"),
    "drive_leg": ("{a} → {b}，车程{minutes}分钟，{km}公里", "{a} → {b}: {minutes} min, {km} km"),
    "drive_for": ("讲座：{topic}（{klass}），{time}", "Lecture: {topic} ({klass}), {time}"),
    "site_visit_summary": ("{klass} · {n}人", "{klass} · {n} trainees"),
    # logistics: overview, lodging, duty sheets, contacts
    "section_overview": ("日程总表", "Programme overview"),
    "overview_part": ("第{first}–{last}天 · 第{a}–{b}班", "days {first}–{last} · classes {a}–{b}"),
    "classes_part": ("第{a}–{b}班", "classes {a}–{b}"),
    "night_short": ("宿", "Night"),
    "section_lodging": ("住宿安排", "Lodging list"),
    "hotel": ("住宿地点", "Hotel"),
    "address": ("地址", "Address"),
    "contact": ("联系人", "Contact"),
    "contacts": ("联系方式", "Contacts"),
    "headcount": ("人数", "People"),
    "rooms": ("房间", "Rooms"),
    "rooms_held": ("预留房间", "Rooms held"),
    "rooms_short": ("房间不足", "not enough rooms"),
    "night_total": ("当晚合计：{people}人，{rooms}间", "Night total: {people} people, {rooms} rooms"),
    "night_people": ("当晚合计：{people}人", "Night total: {people} people"),
    "lodging_note": (
        "学员按每间{n}人计，带班教授、班主任和司机各一间",
        "trainees {n} to a room; the professor, the class teacher and the driver a room each",
    ),
    "lodging_note_mixed": (
        "学员按各酒店的每间人数计，带班教授、班主任和司机各一间",
        "trainees as many to a room as each hotel says; the professor, the class teacher and the driver a room each",
    ),
    "section_duty": ("值班表", "Duty sheet"),
    "duty_leg": ("乘车 {a} → {b}，{end} 到达", "coach {a} → {b}, arrives {end}"),
    "office": ("组织方", "Programme office"),
    "class_teacher": ("班主任", "Class teacher"),
    "driver": ("司机", "Driver"),
    "coach_vehicle": ("车辆", "Coach"),
    "notes_for_trainees": ("学员须知", "Notes for trainees"),
    "phone": ("电话", "Phone"),
    "email": ("邮箱", "E-mail"),
    "arranged_by": ("联络人", "Arranged by"),
    "hours": ("开放时间", "Opening hours"),
    "site_note": ("备注", "Note"),
    "lunch_here": ("在此午餐 {time}", "lunch here {time}"),
    "together": ("与{others}同时在场，共{n}人", "with {others} at the same time: {n} trainees in all"),
    "people_n": ("{n}人", "{n} people"),
    # hand-outs: one file per class, lecturer, site and coach
    "handout_class": ("学员日程", "Trainees' itinerary"),
    "handout_lecturer": ("授课安排函", "Lecture arrangements"),
    "handout_site": ("现场教学接待通知", "Notice of visits"),
    "handout_coach": ("车辆行程单", "Coach schedule"),
    "letter_to": ("致", "To"),
    "letter_from": ("发件", "From"),
    "lecturer_intro": (
        "感谢您为{programme}（{dates}）授课。具体安排如下：",
        "Thank you for lecturing at {programme} ({dates}). Your lectures:",
    ),
    "site_intro": (
        "{programme}（{dates}）将安排以下班次到贵单位现场教学：",
        "{programme} ({dates}) will visit you as follows:",
    ),
    "class_intro": ("{programme}（{dates}）", "{programme} ({dates})"),
    "coach_intro": ("{programme}（{dates}）· {klass}", "{programme} ({dates}) · {klass}"),
    "received_by": ("现场接待", "Received by"),
    "leave_by_from": (
        "请于{time}前从{place}出发（车程{minutes}分钟，{km}公里）",
        "Leave {place} by {time} ({minutes} min, {km} km)",
    ),
    "already_there": ("上一讲后已在{place}", "Already at {place} after the previous lecture"),
    "drive_back_home": (
        "{leaves}结束后返回{place}，车程{minutes}分钟，约{arrives}到达",
        "Back to {place} after {leaves}: {minutes} min, arriving about {arrives}",
    ),
    "drive_on": (
        "{leaves}结束后前往{place}下一讲，车程{minutes}分钟，约{arrives}到达",
        "On to {place} for the next lecture at {leaves}: {minutes} min, arriving about {arrives}",
    ),
    "arrival": ("到达", "Arrival"),
    "visit": ("参观", "Visit"),
    "departure": ("离开", "Departure"),
    "coach_arrives": ("{time}乘车自{place}到达", "coach arrives {time} from {place}"),
    "coach_leaves": ("离开后前往{place}", "leaves for {place}"),
    "headcount_detail": ("学员{trainees}人，带队{staff}人", "{trainees} trainees, {staff} staff"),
    "coach_to": ("乘车前往{place}", "Coach to {place}"),
    "park_at": ("当晚停车", "Parks overnight at"),
    "no_legs": ("当日无车辆行程", "No coach legs today"),
    "coach_of": ("{klass}用车", "Coach of {klass}"),
    "with_rest": ("含休息{n}分钟", "incl. {n} min rest"),
    "meal_lunch": ("午餐", "Lunch"),
    "people_with": ("{people}（{detail}）", "{people} ({detail})"),
    # the commands' messages after "solve.py ...: ": what was written, interruptions, errors
    "wrote_files": ("已写入 {folder}：{files}", "wrote {folder}: {files}"),
    "files_in_folder": ("{folder}（{n}个文件）", "{folder} ({n} files)"),
    "file_in_folder": ("{folder}（1个文件）", "{folder} (1 file)"),
    "only_the_plan": (
        "搜索已中断，因此只写入了方案；如需手册、地图、日历和电子表格，请运行：{command}",
        "The search was interrupted, so only the plan is written; for the booklet, maps, calendars and "
        "spreadsheet: {command}",
    ),
    "cannot_write": ("无法写入 {target}：{reason}", "cannot write {target}: {reason}"),
    "could_not_write": ("未能写入 {output}：{reason}", "could not write {output}: {reason}"),
    # why an output could not be made (``RenderFailure.reason``)
    "cannot_create_folder": ("无法创建文件夹：{reason}", "cannot create the folder: {reason}"),
    "system_on_file": ("{reason}（{name}）", "{reason} ({name})"),
    "not_made_without_maps": ("未生成，因为地图未能生成", "not made, because the maps could not be made"),
    "missing_cjk_font": (
        "未安装 CJK 字体 {family}；请用 scripts/install-system-deps.sh 安装（Debian 软件包 fonts-noto-cjk）",
        "the CJK font {family!r} is not installed; install it with scripts/install-system-deps.sh "
        "(Debian package fonts-noto-cjk)",
    ),
    "unsafe_output_path": (
        "拒绝写入 {target}：它不在 {out_dir} 之内",
        "refused to write {target}: it is not inside {out_dir}",
    ),
    "plan_file_refused": ("方案文件有误：{error}", "{error}"),
    "output_bug": ("程序出错（请报告此问题）：{error}", "{error}"),
    "cannot_read": ("无法读取 {where}：{reason}", "cannot read {where}: {reason}"),
    "interrupted": ("已中断", "interrupted"),
    "interrupted_while": ("写入 {output} 时被中断", "interrupted while writing {output}"),
    "written_whole": ("已完整写入：{files}", "written (whole): {files}"),
    "not_started": ("未开始：{outputs}", "not started: {outputs}"),
    "nothing": ("无", "nothing"),
    "clause_sep": ("；", "; "),
    "full_stop": ("。", "."),
    "interrupted_nothing_written": ("已中断，未写入任何文件。", "interrupted; nothing written."),
    "serve_not_a_folder": (
        "{folder} 不是文件夹（应为存放情景文件的文件夹）",
        "{folder} is not a folder (expected the folder of your scenario files)",
    ),
    "serve_not_a_port": (
        "--port {port} 不是端口号（应为 1 到 65535，或 0 表示任一空闲端口）",
        "--port {port} is not a port (expected 1 to 65535, or 0 for a free one)",
    ),
    "serve_cannot_listen": ("无法在 {address} 上监听：{reason}", "cannot listen on {address}: {reason}"),
    "serve_open_to_network": (
        "警告：正在 {host} 上监听，网络上的其他人可以打开并修改此文件夹中的文件",
        "warning: listening on {host}: others on the network can open and change the files of this folder",
    ),
    "serve_at": (
        "{folder} 的工作台地址：{url}（按 Ctrl-C 停止）",
        "The workbench for {folder} is at {url}  (Ctrl-C to stop)",
    ),
    "serve_stopped": ("已停止。", "stopped."),
    "aborted_nothing_written": (
        "已中止（第二次 Ctrl-C），未写入任何文件。",
        "aborted (second Ctrl-C); nothing written.",
    ),
    "not_a_plan_file": ("{path}：不是可读的方案文件：{reason}", "{path}: not a readable plan file: {reason}"),
    "plan_of_another": (
        "{path} 不是 {scenario} 所述培训的方案：{reason}",
        "{path} is not a plan of {scenario}'s programme: {reason}",
    ),
    "plan_breaks_a_rule": (
        "{path} 违反了 {scenario} 的一条规则：{violation}（请先重新编排：solve.py replan）",
        "{path} breaks a rule of {scenario}: {violation} (re-plan it first: solve.py replan)",
    ),
    "base_has_no_plan": (
        "基准 {base} 没有方案{in_time}；无法从它重新编排各方案（solve.py {base} 会说明原因）",
        "the base {base} has no plan{in_time}; nothing to re-plan the variants from (solve.py {base} says why)",
    ),
    "base_in_time": ("（时限内未找到）", " within the time limit"),
    "compare_stopped": (
        "已停止；尚未编排的方案显示为未求解。",
        "stopped; the scenarios not yet planned are shown as not solved.",
    ),
    "sweep_stopped": ("已停止；表中是目前已有的{n}个结果。", "stopped; the table holds the {n} results so far."),
    "sweep_engine_error": ("{error}；表中是目前已有的结果。", "{error}; the table holds the results so far."),
    "freeze_not_kept": (
        "{plan} 在 {moment} 之前的安排在 {scenario} 下无法保留：",
        "what {plan} has before {moment} cannot be kept under {scenario}:",
    ),
    "freeze_earlier": (
        "任何重新编排都无法保留这些安排；请把冻结时刻提前，或去掉 --freeze-until 重新编排。",
        "No re-plan can keep it; freeze earlier, or re-plan without --freeze-until.",
    ),
    "internal_error": (
        "内部错误：{what}违反了规则（程序缺陷，请报告）：",
        "INTERNAL ERROR: {what} breaks a rule (a bug; please report it):",
    ),
    "internal_freeze": (
        "内部错误：重新编排的方案没有保留 {moment} 之前的全部安排（程序缺陷，请报告）：",
        "INTERNAL ERROR: the re-plan does not keep everything before {moment} (a bug; please report it):",
    ),
    "the_solvers_plan": ("求解器给出的方案", "the solver's plan"),
    "the_plan_for": ("{path} 的方案", "the plan for {path}"),
    "the_replan": ("重新编排的方案", "the re-plan"),
    "no_scenario_recorded": (
        "{plan} 未记录它由哪个情景文件生成；请给出情景文件（solve.py render {plan} SCENARIO.yaml --out ...），"
        "或加 --unchecked 不经检查直接输出（每页都会标明未经检查）",
        "{plan} does not say which scenario it was made from; give the scenario "
        "(solve.py render {plan} SCENARIO.yaml --out ...), or --unchecked to render it without checking "
        "(every page is then marked unchecked)",
    ),
    "scenario_missing": (
        "{plan} 所依据的情景文件（{path}）不存在；请给出情景文件（solve.py render {plan} SCENARIO.yaml --out ...），"
        "或加 --unchecked 不经检查直接输出（每页都会标明未经检查）",
        "the scenario {plan} was made from ({path}) is not there; give it "
        "(solve.py render {plan} SCENARIO.yaml --out ...), or --unchecked to render the plan without checking "
        "(every page is then marked unchecked)",
    ),
    "plan_not_of": ("{plan} 不属于 {path}：{reason}", "{plan} does not belong to {path}: {reason}"),
    "other_dates": (
        "方案中的培训从{first}开始、共{days}天，情景文件中的从{expected_first}开始、共{expected_days}天",
        "its programme starts on {first} and lasts {days} days, the scenario's on {expected_first} for {expected_days}",
    ),
    "breaks_rules": (
        "{plan} 违反了 {path} 的{rules}{changed}；未写入任何文件：",
        "{plan} breaks {rules} of {path}{changed}; nothing written:",
    ),
    "rule_1": ("1条规则", "1 rule"),
    "rule_n": ("{n}条规则", "{n} rules"),
    "scenario_changed_since": (
        "（情景文件在方案生成后已改动）",
        " (a scenario that has changed since the plan was made)",
    ),
    "and_more": ("……另有{n}条", "... and {n} more"),
    "add_unchecked": (
        "如仍要输出（每页都标明未经检查），请加 --unchecked。",
        "To print it all the same, marked unchecked on every page, add --unchecked.",
    ),
    "scenario_changed_note": (
        "注意：{path} 在方案生成后已改动；方案仍满足其全部规则",
        "note: {path} has changed since the plan was made; the plan still keeps all its rules",
    ),
    "phase_now": ("正在{text}……", "{text}... "),
    "phase_still": ("仍在{text}……", "still {text}... "),
    "phase_reading": ("读取 {file}{size}", "reading {file}{size}"),
    "file_size": ("（{mb} MB）", " ({mb} MB)"),
    "phase_obstacles": (
        "检查情景中的障碍（{places}个地点、{classes}个班、{days}天）",
        "checking the scenario for obstacles ({places} places, {classes} classes, {days} days)",
    ),
    # the commands' messages: options out of range
    "bad_time_limit": (
        "--time-limit {value} 不是数字（{expected}）",
        "--time-limit {value} is not a number ({expected})",
    ),
    "time_limit_range": (
        "--time-limit {value} 超出范围（{expected}）",
        "--time-limit {value} is out of range ({expected})",
    ),
    "expected_seconds": (
        "应为大于0、不超过{most}的秒数，即一周",
        "expected a number of seconds above 0 and at most {most}, a week",
    ),
    "bad_workers": (
        "--workers {value} 不允许（应为1到{most}的整数）",
        "--workers {value} is not allowed (expected a whole number from 1 to {most})",
    ),
    "bad_seed": (
        "--seed {value} 不允许（应为0到{most}的整数）",
        "--seed {value} is not allowed (expected a whole number from 0 to {most})",
    ),
    "below_zero": ("{option} {value} 小于0（应为0或更大）", "{option} {value} is below 0 (expected 0 or more)"),
    "bad_freeze": (
        "--freeze-until {value} 不是日期或日期时间（应为 YYYY-MM-DD 或 YYYY-MM-DDTHH:MM）",
        "--freeze-until {value} is not a date or date and time (expected YYYY-MM-DD or YYYY-MM-DDTHH:MM)",
    ),
    "from_scratch_alone": (
        "--from-scratch 会重新编排每个文件：不能与 --freeze-until 或 --base-plan 同用",
        "--from-scratch plans every file anew: it takes no --freeze-until or --base-plan",
    ),
    "bad_kinds": (
        "--kinds {value} 不是扰动类型（可选：{kinds}，以逗号分隔）",
        "--kinds {value} is not a kind of disruption (expected any of: {kinds}, comma-separated)",
    ),
    "diagnosis_range": (
        "--diagnosis-seconds {value} 超出范围（应为0到3600）",
        "--diagnosis-seconds {value} is out of range (expected 0 to 3600)",
    ),
    "sweep_not_free": (
        "--free 不适用：扫描总是可复现地重新编排，在哪里运行都得到同一张表",
        "--free does not apply: a sweep re-plans reproducibly, so that it gives the same table wherever it runs",
    ),
    "connect_timeout": ("--connect-timeout 必须大于0秒", "--connect-timeout must be more than 0 seconds"),
}

SITE_KINDS: dict[str, tuple[str, str]] = {
    "enterprise": ("企业", "enterprise"),
    "village": ("村", "village"),
    "community": ("社区", "community"),
    "museum": ("博物馆", "museum"),
    "memorial": ("纪念馆", "memorial"),
    "school": ("学校", "school"),
    "government": ("政府机关", "government"),
    "park": ("园区", "park"),
    "other": ("其他", "other"),
}

WEEKDAYS = (
    ("星期一", "Monday"),
    ("星期二", "Tuesday"),
    ("星期三", "Wednesday"),
    ("星期四", "Thursday"),
    ("星期五", "Friday"),
    ("星期六", "Saturday"),
    ("星期日", "Sunday"),
)
MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


class Said(Message):
    """A sentence of ``TEXT`` with its values, worded in either language when it is shown (its
    English is the ``str``): what the outputs' layer says about an output it could not make."""

    words = TEXT


class Labels:
    """The labels of one language: ``labels("time")``, ``labels.kind(event)``, ``labels.date(d)``."""

    def __init__(self, lang: str):
        if lang not in LANGUAGES:
            raise ValueError(f"unknown language {lang!r} (expected one of: {', '.join(LANGUAGES)})")
        self.lang = lang
        self._side = 0 if lang == "zh" else 1

    def __call__(self, key: str, **fields: object) -> str:
        """The label ``key`` with its ``fields`` filled in; a field that is a `Message` (what the
        system or a reader said) is worded in this language too."""
        text = TEXT[key][self._side]
        if not fields:
            return text
        return text.format(**{k: v.in_language(self.lang) if isinstance(v, Message) else v for k, v in fields.items()})

    def table(self) -> dict[str, str]:
        """Every label of this language, its ``{fields}`` unfilled: for a template that fills
        them itself (the Typst templates)."""
        return {key: texts[self._side] for key, texts in TEXT.items()}

    def kind(self, event: Event) -> str:
        """The activity's name: ``现场教学``, ``Lunch``..."""
        if event.kind == "meal" and event.label in MEAL_LABELS:
            return MEAL_LABELS[event.label][self._side]
        return KIND_LABELS[event.kind][self._side]

    def kind_name(self, kind: str) -> str:
        return KIND_LABELS[kind][self._side]

    def site_kind(self, kind: str) -> str:
        return SITE_KINDS.get(kind, SITE_KINDS["other"])[self._side]

    def date(self, date: dt.date) -> str:
        """``2019年8月25日 星期日`` or ``Sunday 25 August 2019``."""
        weekday = WEEKDAYS[date.weekday()][self._side]
        if self.lang == "zh":
            return f"{date.year}年{date.month}月{date.day}日 {weekday}"
        return f"{weekday} {date.day} {MONTHS[date.month - 1]} {date.year}"

    def short_date(self, date: dt.date) -> str:
        """``8月25日 周日`` or ``Sun 25 Aug``."""
        weekday = SHORT_WEEKDAYS[date.weekday()][self._side]
        if self.lang == "zh":
            return f"{date.month}月{date.day}日 {weekday}"
        return f"{weekday} {date.day} {MONTHS[date.month - 1][:3]}"

    def weekday(self, date: dt.date) -> str:
        return WEEKDAYS[date.weekday()][self._side]

    def date_range(self, first: dt.date, last: dt.date) -> str:
        if self.lang == "zh":
            end = (
                f"{last.month}月{last.day}日" if last.year == first.year else f"{last.year}年{last.month}月{last.day}日"
            )
            return f"{first.year}年{first.month}月{first.day}日至{end}"
        return f"{first.day} {MONTHS[first.month - 1]} – {last.day} {MONTHS[last.month - 1]} {last.year}"

    def minutes(self, n: int) -> str:
        return self("minutes_n", n=n)

    def km(self, km: float) -> str:
        return self("km_n", n=f"{km:.0f}" if km >= 10 else f"{km:.1f}")

    def count(self, noun: str, n: int) -> str:
        """``1 worker`` or ``2 workers``: ``TEXT[noun + "_1"]`` for one, else ``TEXT[noun + "_n"]``."""
        return self(f"{noun}_1") if n == 1 else self(f"{noun}_n", n=n)
