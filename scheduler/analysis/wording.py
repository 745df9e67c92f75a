"""What the checker says about a plan, in Chinese and English: every sentence of
``scheduler.analysis.check`` (a rule broken, a plan of another programme), and what
``scheduler.analysis.freeze`` says a re-plan cannot keep or did not keep, is a `Sentence` made of
a key of ``WORDS`` and the values it names, worded in the reader's language only when it is
shown.

A `Sentence` is a `scheduler.scenario.wording.Message` with this table: it *is* its English
sentence (a ``str``, as the checker always wrote it), and ``sentence.in_language("zh")`` words it
in Chinese. The ids a sentence names are what the user wrote in the scenario and the plan, and
are never translated; nor are clock times and minutes. A date is a `Sentence` too
(``2019-08-26 (Monday)``, ``8月26日（周一）``), and so is an event (``visit to site tea
(08:30-10:30)``, ``现场教学（教学点 tea，08:30-10:30）``) and a count whose English noun takes a
plural.
"""

from __future__ import annotations

from scheduler.scenario.wording import Message

__all__ = ["WORDS", "Sentence"]

WORDS: dict[str, tuple[str, str]] = {
    # key -> (Chinese, English); ``{name}`` fields are filled by `Sentence`. A field that only one
    # language needs (the ISO date, a weekday's name) is given to both and left out by the other.
    #
    # the parts of a sentence: a date, a span of dates, an event, a count
    "date": ("{month}月{day}日（{weekday_zh}）", "{iso} ({weekday_en})"),
    "dates_from_to": ("{first} 至 {last}", "{first} to {last}"),
    "no_dates": ("没有日期", "no dates"),
    "none": ("无", "none"),
    "event_travel": (
        "乘车（{from_place} 至 {to_place}，{span}）",
        "coach leg from {from_place} to {to_place} ({span})",
    ),
    "event_visit": ("现场教学（教学点 {site}，{span}）", "visit to site {site} ({span})"),
    "event_lecture": (
        "专题讲座（专题 {topic}，授课教师 {lecturer}，{place}，{span}）",
        "lecture on {topic} by lecturer {lecturer} at {place} ({span})",
    ),
    "event_at": ("{kind_zh}（{place}，{span}）", "{kind_en} at {place} ({span})"),
    "one_class": ("{count} 个班次", "{count} class"),
    "classes": ("{count} 个班次", "{count} classes"),
    "one_trainee": ("{count} 名学员", "{count} trainee"),
    "trainees": ("{count} 名学员", "{count} trainees"),
    "one_red_visit": ("{count} 次红色教育参观", "{count} red-education visit"),
    "red_visits": ("{count} 次红色教育参观", "{count} red-education visits"),
    "one_rest_stop": ("{count} 次途中休息", "{count} rest stop"),
    "rest_stops": ("{count} 次途中休息", "{count} rest stops"),
    "one_class_hour": ("{count} 课时", "{count} class hour"),
    "class_hours": ("{count} 课时", "{count} class hours"),
    "one_lecture": ("{count} 次讲座", "{count} lecture"),
    "lectures": ("{count} 次讲座", "{count} lectures"),
    "one_session": ("{count} 次{noun}", "{count} {noun}"),
    "sessions": ("{count} 次{noun}", "{count} {noun}s"),
    "noun_opening": ("开班式", "opening"),
    "noun_presentation": ("汇报交流", "presentation"),
    "noun_closing": ("结业式", "closing"),
    #
    # well formed: a plan the other rules could not read
    "plan_event": (
        "班次 {class_id} 在 {date}（{span}）的{kind_zh}",
        "the {kind_en} event of class {class_id} on {date} ({span})",
    ),
    "unknown_kind": ("方案中{where}的类型 {kind} 无法识别。", "Plan has {where} of unknown kind {kind}."),
    "event_unknown_id": ("方案中{where}写了未知的 {attr} {value}。", "Plan has {where} naming unknown {attr} {value}."),
    "event_without": ("方案中{where}缺少 {attr}。", "Plan has {where} without its {attr}."),
    "event_outside_programme": (
        "方案中{where}的日期不在项目日期之内。",
        "Plan has {where}, a date outside the programme.",
    ),
    "event_not_in_a_day": (
        "方案中{where}不是一天之内的时段。",
        "Plan has {where}, which is not a time span within one day.",
    ),
    "night_unknown_id": (
        "方案中班次 {class_id} 在 {date} 的住宿写了未知的 {attr} {value}。",
        "Plan has a night of class {class_id} on {date} naming unknown {attr} {value}.",
    ),
    "another_programme": (
        "这是另一个项目的方案（班次 {named}；{span}），不是本项目的方案（班次 {known}；{first} 至 {last}）",
        "it is a plan of another programme (classes {named}; {span}), not of this one (classes {known}; {first} to "
        "{last})",
    ),
    #
    # the shape of a class's day
    "at_the_same_time": (
        "班次 {class_id} {date}的{first}与{second}时间重叠。",
        "Class {class_id} has its {first} and its {second} at the same time on {date}.",
    ),
    "before_earliest_departure": (
        "班次 {class_id} {date}的{event}在最早发车时间 {bound} 之前开始。",
        "Class {class_id}'s {event} on {date} starts before the earliest departure at {bound}.",
    ),
    "after_quiet_hours": (
        "班次 {class_id} {date}的{event}在就寝时间 {bound} 之后才结束。",
        "Class {class_id}'s {event} on {date} ends after quiet hours begin at {bound}.",
    ),
    "before_day_start": (
        "班次 {class_id} {date}的{event}在当天的开始时间 {bound} 之前开始。",
        "Class {class_id}'s {event} on {date} starts before the day's start at {bound}.",
    ),
    "departs_off_step": (
        "班次 {class_id} {date}的{event}于 {time} 发车，不是 {step} 分钟的整数倍时刻。",
        "Class {class_id}'s {event} on {date} departs at {time}, not on a {step}-minute step of the clock.",
    ),
    "starts_off_step": (
        "班次 {class_id} {date}的{event}于 {time} 开始，不是 {step} 分钟的整数倍时刻。",
        "Class {class_id}'s {event} on {date} starts at {time}, not on a {step}-minute step of the clock.",
    ),
    "waits_too_long": (
        "班次 {class_id} {date} {arrival} 到达教学点 {site}，要等 {wait} 分钟到 {start} 才开始参观；"
        "最多只能等 {buffer} 分钟。",
        "Class {class_id} reaches site {site} at {arrival} on {date} and waits {wait} minutes for its visit at "
        "{start}; at most {buffer} minutes is allowed.",
    ),
    "leg_recorded_elsewhere": (
        "班次 {class_id} {date}的{event}记录的地点是 {have}，而不是出发地 {want}。",
        "Class {class_id}'s {event} on {date} is recorded at place {have}, not at {want} where it starts.",
    ),
    "leg_driving": (
        "班次 {class_id} {date}的{event}行车 {have} 分钟，而车程表为 {want} 分钟。",
        "Class {class_id}'s {event} on {date} drives {have} minutes; the travel table says {want}.",
    ),
    "leg_km": (
        "班次 {class_id} {date}的{event}里程为 {have} 公里，而车程表为 {want} 公里。",
        "Class {class_id}'s {event} on {date} covers {have} km; the travel table says {want}.",
    ),
    "leg_length": (
        "班次 {class_id} {date}的{event}历时 {have} 分钟，而不是行车与休息合计的 {want} 分钟。",
        "Class {class_id}'s {event} on {date} lasts {have} minutes, not its {want} minutes of driving and rest.",
    ),
    "leaves_from_elsewhere": (
        "班次 {class_id} {date}的{event}从 {leaving} 出发，但班次当时在 {here}。",
        "Class {class_id}'s {event} on {date} leaves from {leaving}, but the class is at {here} then.",
    ),
    "is_elsewhere": (
        "班次 {class_id} {date}的{event}在 {leaving}，但班次当时在 {here}。",
        "Class {class_id}'s {event} on {date} is at {leaving}, but the class is at {here} then.",
    ),
    "visit_recorded_elsewhere": (
        "班次 {class_id} {date}的{event}记录在 {place}，但教学点 {site} 位于 {site_place}。",
        "Class {class_id}'s {event} on {date} is recorded at {place}, but site {site} is at {site_place}.",
    ),
    "ends_not_at_end_place": (
        "班次 {class_id} {date}结束时在 {here}，而不在终点 {end}。",
        "Class {class_id} ends {date} at {here}, not at {end} (its end place).",
    ),
    "ends_not_where_it_sleeps": (
        "班次 {class_id} {date}结束时在 {here}，而不在当晚住宿地 {end}。",
        "Class {class_id} ends {date} at {here}, not at {end} (where it sleeps).",
    ),
    "stop_without_visit": (
        "班次 {class_id} {date} {start} 至 {end} 停留在 {place}，却没有参观那里的教学点。",
        "Class {class_id} stops at {place} from {start} to {end} on {date} without visiting a site there.",
    ),
    "session_during_trip": (
        "班次 {class_id} {date}的{event}安排在外出现场教学期间（{start}-{end}）；课程应安排在发车之前或返回之后。",
        "Class {class_id}'s {event} on {date} is held during its field trip ({start}-{end}); sessions are held "
        "before the coach leaves or after it arrives.",
    ),
    "no_night": (
        "班次 {class_id} {date}晚上没有住宿安排；应有一处。",
        "Class {class_id} has no night after {date}; it needs one.",
    ),
    "nights": (
        "班次 {class_id} {date}晚上有 {count} 处住宿；应只有一处。",
        "Class {class_id} has {count} nights after {date}; it needs one.",
    ),
    "night_outside_programme": (
        "班次 {class_id} {date}晚上住在 {place}，但这一天不在项目日期之内。",
        "Class {class_id} has a night at {place} after {date}, outside the programme.",
    ),
    "night_after_last_day": (
        "班次 {class_id} {date}晚上住在 {place}，但这是最后一天，项目当天就结束了。",
        "Class {class_id} has a night at {place} after {date}, the last day, after which the programme is over.",
    ),
    "not_a_lodging_place": (
        "班次 {class_id} {date}晚上住在 {place}，但那里不是住宿地点。",
        "Class {class_id} sleeps at {place} after {date}, which is not a lodging place.",
    ),
    "lodging_full": (
        "住宿地 {place} {date}晚上接待了班次 {classes}，但每晚只能接待 {capacity}。",
        "Lodging {place} holds classes {classes} after {date}, but takes {capacity} a night.",
    ),
    #
    # field visits
    "site_closed": (
        "班次 {class_id} {date}参观教学点 {site}，但教学点当天不开放。",
        "Class {class_id} visits site {site} on {date}, when it is closed.",
    ),
    "before_site_opens": (
        "班次 {class_id} {date}的{event}在教学点 {open} 开门之前开始。",
        "Class {class_id}'s {event} on {date} starts before the site opens at {open}.",
    ),
    "after_site_closes": (
        "班次 {class_id} {date}的{event}在教学点 {close} 关门之后才结束。",
        "Class {class_id}'s {event} on {date} ends after the site closes at {close}.",
    ),
    "visit_length": (
        "班次 {class_id} {date}的{event}历时 {minutes} 分钟，而该教学点的参观时长是 {visit} 分钟。",
        "Class {class_id}'s {event} on {date} lasts {minutes} minutes, not the site's {visit} minutes.",
    ),
    "site_full_classes": (
        "教学点 {site} {date} {time} 同时接待班次 {classes}（{count}），但最多只能接待 {limit}。",
        "Site {site} has classes {classes} ({count}) at {time} on {date}, but takes at most {limit}.",
    ),
    "site_full_trainees": (
        "教学点 {site} {date} {time} 同时接待班次 {classes}（{count}），但最多只能接待 {limit}。",
        "Site {site} has classes {classes} ({count}) at {time} on {date}, but takes at most {limit}.",
    ),
    "visited_twice": (
        "班次 {class_id} 参观教学点 {site} {count} 次；同一教学点至多参观一次。",
        "Class {class_id} visits site {site} {count} times; once is the most.",
    ),
    "must_visit_missed": (
        "班次 {class_id} 没有参观必须参观的教学点 {site}。",
        "Class {class_id} never visits site {site}, which it must visit.",
    ),
    "never_visit_visited": (
        "班次 {class_id} 参观了不得参观的教学点 {site}。",
        "Class {class_id} visits site {site}, which it must never visit.",
    ),
    "too_many_visits": (
        "班次 {class_id} {date}有 {made} 次现场教学（{sites}）；每天最多 {most} 次。",
        "Class {class_id} makes {made} field visits on {date} ({sites}); at most {most} a day are allowed.",
    ),
    "too_few_red_visits": (
        "班次 {class_id} 只安排了 {made}；至少需要 {least} 次。",
        "Class {class_id} makes {made}; it needs at least {least}.",
    ),
    #
    # the coach
    "too_much_driving": (
        "班次 {class_id} {date}的车程为 {driven} 分钟；当天最多 {most} 分钟。",
        "Class {class_id}'s coach drives {driven} minutes on {date}; at most {most} are allowed that day.",
    ),
    "rest_stops_wrong": (
        "班次 {class_id} {date}的{event}行车 {drive} 分钟，途中休息 {rest} 分钟；应有 {stops}（共 {want} 分钟）。",
        "Class {class_id}'s {event} on {date} drives {drive} minutes with {rest} minutes of rest; it needs {stops} "
        "({want} minutes).",
    ),
    "late_return": (
        "班次 {class_id} {date} {time} 才到达 {place}，晚于最晚返回时间 {latest}。",
        "Class {class_id} arrives at {place} at {time} on {date}, after the latest return at {latest}.",
    ),
    #
    # meals and evenings
    "no_lunch": (
        "班次 {class_id} {date}没有午餐；每天应恰有一次。",
        "Class {class_id} has no lunch on {date}; it needs exactly one.",
    ),
    "lunches": (
        "班次 {class_id} {date}有 {count} 次午餐；每天应恰有一次。",
        "Class {class_id} has {count} lunchs on {date}; it needs exactly one.",
    ),
    "no_dinner": (
        "班次 {class_id} {date}没有晚餐；每天应恰有一次。",
        "Class {class_id} has no dinner on {date}; it needs exactly one.",
    ),
    "dinners": (
        "班次 {class_id} {date}有 {count} 次晚餐；每天应恰有一次。",
        "Class {class_id} has {count} dinners on {date}; it needs exactly one.",
    ),
    "lunch_outside_window": (
        "班次 {class_id} {date}在 {place} 的午餐时间为 {span}；"
        "午餐应在 {earliest} 至 {latest} 之间，时长 {minutes} 分钟。",
        "Class {class_id}'s lunch at {place} on {date} is {span}; lunch is {minutes} minutes between {earliest} and "
        "{latest}.",
    ),
    "dinner_not_in_frame": (
        "班次 {class_id} {date}的晚餐时间为 {span}，而不是 {start}-{end}。",
        "Class {class_id}'s dinner on {date} is {span}, not {start}-{end}.",
    ),
    "evening_problem": (
        "班次 {class_id} {date}的{event}{problem}。",
        "Class {class_id}'s {event} on {date} {problem}.",
    ),
    "not_whole_class_hours": (
        "历时 {minutes} 分钟，不是整数个课时（每课时 {per_hour} 分钟）",
        "lasts {minutes} minutes, not a whole number of {per_hour}-minute class hours",
    ),
    "seminar_start": ("于 {start} 开始，而不是 {want}", "starts at {start}, not at {want}"),
    "seminar_end": ("在 {end} 之后才结束", "ends after {end}"),
    "seminar_too_long": (
        "使当晚的研讨达到 {minutes} 分钟，超过了 {hours}",
        "makes {minutes} minutes of seminar in one evening, more than {hours}",
    ),
    "report_before_seminar_ends": (
        "在 {time} 研讨结束之前就开始了",
        "starts before {time}, when the seminar is over",
    ),
    "report_before_evening": (
        "在 {time} 晚间时段开始之前就开始了",
        "starts before {time}, when the evening starts",
    ),
    #
    # teaching
    "too_much_teaching": (
        "班次 {class_id} {date}的教学时间为 {load} 分钟；每天最多 {most} 分钟。",
        "Class {class_id} has {load} minutes of teaching on {date}; at most {most} a day are allowed.",
    ),
    "lecture_count": (
        "班次 {class_id} 的 {topic} 专题有 {given}；应为 {need} 次。",
        "Class {class_id} gets {given} on topic {topic}; it needs {need}.",
    ),
    "lecture_length": (
        "班次 {class_id} {date}的{event}历时 {minutes} 分钟；讲座应为 {length} 分钟。",
        "Class {class_id}'s {event} on {date} lasts {minutes} minutes; lectures last {length}.",
    ),
    "lecture_during_trip": (
        "班次 {class_id} {date}的{event}安排在外出现场教学期间（{start}-{end}），而不是在发车之前或返回之后。",
        "Class {class_id}'s {event} on {date} is held during its field trip ({start}-{end}), not before the coach "
        "leaves or after it arrives.",
    ),
    "lecturer_not_qualified": (
        "授课教师 {lecturer} {date}为班次 {class_id} 讲授 {topic} 专题，但只讲授 {topics}。",
        "Lecturer {lecturer} gives class {class_id} a lecture on topic {topic} on {date}, but teaches only {topics}.",
    ),
    "lecturer_overlap": (
        "授课教师 {lecturer} 为班次 {first_class} 在 {first_place} 的讲座（{first_date} {first_span}）与为班次 "
        "{second_class} 在 {second_place} 的讲座（{second_date} {second_span}）时间重叠。",
        "Lecturer {lecturer}'s lectures for class {first_class} at {first_place} on {first_date} ({first_span}) and "
        "for class {second_class} at {second_place} on {second_date} ({second_span}) overlap.",
    ),
    "lecturer_too_close": (
        "授课教师 {lecturer} 为班次 {first_class} 在 {first_place} 的讲座（{first_date} {first_span}）与为班次 "
        "{second_class} 在 {second_place} 的讲座（{second_date} {second_span}）只相隔 {gap} 分钟；"
        "路上时间加提前到达的时间需要 {need} 分钟。",
        "Lecturer {lecturer}'s lectures for class {first_class} at {first_place} on {first_date} ({first_span}) and "
        "for class {second_class} at {second_place} on {second_date} ({second_span}) are {gap} minutes apart; "
        "travel and the arrival margin need {need}.",
    ),
    "lecturer_away": (
        "授课教师 {lecturer} {date} {span} 为班次 {class_id} 授课，但当天 {start}-{end} 没有空。",
        "Lecturer {lecturer} lectures class {class_id} on {date} ({span}), but is unavailable {start}-{end} that day.",
    ),
    "lecture_of": (
        "授课教师 {lecturer} {date} {span} 在 {place} 为班次 {class_id} 讲授的讲座",
        "Lecturer {lecturer}'s lecture for class {class_id} at {place} on {date} ({span})",
    ),
    "lecturer_too_early": (
        "{lecture}在 {earliest} 之前开始，而从住地 {home} 出发最早 {earliest} 才能到"
        "（车程 {drive} 分钟，另需提前 {margin} 分钟到达）。",
        "{lecture} starts before {earliest}, the earliest arrival from home {home} ({drive} minutes' drive and "
        "{margin} minutes' margin).",
    ),
    "lecturer_too_far": (
        "{lecture}距住地 {home} 有 {drive} 分钟车程；最多允许 {longest} 分钟。",
        "{lecture} is {drive} minutes' drive from home {home}; at most {longest} are allowed.",
    ),
    "lecturer_too_few": (
        "授课教师 {lecturer} 共讲 {count} 次；至少应讲 {least} 次。",
        "Lecturer {lecturer} gives {count} lectures; at least {least} are required.",
    ),
    "lecturer_too_many_a_day": (
        "授课教师 {lecturer} {date}讲 {count} 次；每天最多 {most} 次。",
        "Lecturer {lecturer} gives {count} lectures on {date}; at most {most} a day.",
    ),
    "lecturer_too_many": (
        "授课教师 {lecturer} 共讲 {count} 次；整个项目最多 {most} 次。",
        "Lecturer {lecturer} gives {count} lectures; at most {most} in all.",
    ),
    #
    # the opening, the presentations and the closing
    "session_count": (
        "班次 {class_id} {date}有 {held}；应恰有一次。",
        "Class {class_id} has {held} on {date}; it needs exactly one.",
    ),
    "session_not_wanted": (
        "班次 {class_id} {date}的{event}不应安排：{attr} 为 0。",
        "Class {class_id}'s {event} on {date} is not wanted: {attr} is 0.",
    ),
    "session_on_other_day": (
        "班次 {class_id} 的{event}安排在 {date}；应在 {want}。",
        "Class {class_id}'s {event} is on {date}; it belongs on {want}.",
    ),
    "session_length": (
        "班次 {class_id} {date}的{event}历时 {have} 分钟，而不是 {want} 分钟。",
        "Class {class_id}'s {event} on {date} lasts {have} minutes, not {want}.",
    ),
    "before_first_session_ends": (
        "班次 {class_id} {date}的{other}在{event}结束之前；{noun}必须是当天的第一项安排。",
        "Class {class_id}'s {other} on {date} comes before the end of its {event}; the {noun} must come first.",
    ),
    "after_last_session_starts": (
        "班次 {class_id} {date}的{other}在{event}开始之后；{noun}必须是当天的最后一项安排。",
        "Class {class_id}'s {other} on {date} comes after the start of its {event}; the {noun} must come last.",
    ),
    "opening_elsewhere": (
        "班次 {class_id} {date}的{event}不在当天的出发地 {start}。",
        "Class {class_id}'s {event} on {date} is not at {start}, where the day starts.",
    ),
    #
    # the programme as a whole
    "on_a_rest_day": (
        "班次 {class_id} {date}是休息日，却安排了{event}。",
        "Class {class_id} has its {event} on {date}, a rest day.",
    ),
    "day_without_programme": (
        "班次 {class_id} {date}没有参观、讲座、开班式、汇报交流或结业式；没有安排的日子必须是休息日。",
        "Class {class_id} has no visit, lecture, opening, presentation or closing on {date}; a day without a "
        "programme must be a rest day.",
    ),
    "field_share_low": (
        "班次 {class_id} 的 {teaching} 分钟教学时间中，现场教学为 {field} 分钟（{share}）；至少应占 {least}。",
        "Class {class_id} spends {field} of {teaching} teaching minutes in the field ({share}); at least {least} is "
        "required.",
    ),
    "seminar_hours_low": (
        "班次 {class_id} 的研讨为 {have} 分钟；至少需要 {hours}（{need} 分钟）。",
        "Class {class_id} has {have} minutes of seminar; it needs at least {hours} ({need} minutes).",
    ),
    "report_writing_low": (
        "班次 {class_id} 撰写调研报告的时间为 {have} 分钟；至少需要 {hours}（{need} 分钟）。",
        "Class {class_id} has {have} minutes of report writing; it needs at least {hours} ({need} minutes).",
    ),
    "other_professor": (
        "班次 {class_id} {date}的{event}写的是教授 {named}，而不是本班的带班教授 {professor}。",
        "Class {class_id}'s {event} on {date} names professor {named}, not the class's professor {professor}.",
    ),
    "no_professor": (
        "班次 {class_id} {date}的{event}没有写明本班的带班教授 {professor}。",
        "Class {class_id}'s {event} on {date} does not name the class's professor {professor}.",
    ),
    #
    # freeze: what a re-plan that keeps the saved plan up to a moment cannot keep
    "not_in_saved_plan": (
        "班次 {class_id} 不在已保存的方案中，{date}{time} 之前没有可保留的安排：培训进行中新增的班次只能从头编排"
        "（请把冻结时刻定在 {first} 或更早，或重新编排整个项目）。",
        "Class {class_id} is not in the saved plan, so it has nothing to keep before {date}{time}: a class added to a "
        "programme under way can only be planned from the start (freeze at {first} or earlier, or solve the "
        "programme anew).",
    ),
    "night_of": ("班次 {class_id} {date}晚上在 {place} 的住宿", "Class {class_id}'s night after {date} at {place}"),
    "event_of": ("班次 {class_id} {date}的{event}", "Class {class_id}'s {event} on {date}"),
    "not_kept_as_it_was": ("{item}没有按原样保留", "{item} is not kept as it was"),
    "new_before_freeze": (
        "{item}是新增的，却在冻结时刻之前开始",
        "{item} is new, although it starts before the freeze point",
    ),
}


class Sentence(Message):
    """A sentence of the checker: its English wording, with the key of ``WORDS`` and the values
    to word it in Chinese too."""

    words = WORDS
