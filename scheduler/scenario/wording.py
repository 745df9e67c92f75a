"""What is said about an input file, in Chinese and English: every sentence the scenario layer
writes (a file that cannot be read, a YAML error, a value of the wrong kind, an id that points
nowhere, a variant's change that cannot be made) is a `Message` made of a key of ``WORDS`` and
the values it names, and is worded in the reader's language only when it is shown.

A `Message` *is* its English sentence (a ``str``), so that everything that prints, compares or
stores messages keeps working unchanged; ``message.in_language("zh")`` words the same sentence in
Chinese. The values a message names (a value as written, an id, a key, a file) are never
translated; a value that is itself a `Message` (the hint "did you mean 'x'?", what was expected)
is worded in the same language as the sentence around it, and a list of values is joined with
the language's separator.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar, Self

__all__ = ["DESCRIPTIONS", "LANGUAGES", "WORDS", "Message", "worded"]

LANGUAGES = ("zh", "en")

WORDS: dict[str, tuple[str, str]] = {
    # key -> (Chinese, English); ``{name}`` fields are filled by `Message`. Grouped by the module
    # that says them.
    #
    # reading: an input file refused before it is read, or read and found not to be what was expected
    "a_scenario_file": ("情景 YAML 文件", "a scenario YAML file"),
    "a_plan_file": ("方案 JSON 文件", "a plan JSON file"),
    "a_readable_file": ("可读取的文件", "a readable file"),
    "too_large": (
        "超过 {limit} 的大小上限（应为不超过 {limit} 的{expected}；可用 {variable} 以 MB 为单位设定上限）",
        "is larger than the limit of {limit} (expected {expected} of at most {limit}; {variable} sets the limit in MB)",
    ),
    "is_a_directory": ("是文件夹（应为{expected}）", "is a directory (expected {expected})"),
    "not_a_regular_file": (
        "是{kind}，不是普通文件（应为{expected}）",
        "is {kind}, not a regular file (expected {expected})",
    ),
    "a_named_pipe": ("命名管道（FIFO）", "a named pipe (FIFO)"),
    "a_character_device": ("字符设备", "a character device"),
    "a_block_device": ("块设备", "a block device"),
    "a_socket": ("套接字", "a socket"),
    "something_else": ("特殊文件", "not a regular file"),
    "no_such_file": ("文件不存在（应为{expected}的路径）", "no such file (expected the path of {expected})"),
    "permission_denied": ("没有读取权限（应为你有权读取的文件）", "permission denied (expected a file you may read)"),
    "system_refused": ("系统报告：{reason}（应为{expected}）", "{reason} (expected {expected})"),
    "not_a_usable_path": ("不是可用的路径", "not a usable path"),
    # what the system says when it refuses a file, a folder or an address (``reading.system_reason``):
    # in English the system's own words, in Chinese words of our own
    "os_enoent": ("文件或文件夹不存在", "{reason}"),
    "os_eacces": ("没有权限", "{reason}"),
    "os_eperm": ("不允许此操作", "{reason}"),
    "os_eisdir": ("是文件夹", "{reason}"),
    "os_enotdir": ("路径中有一段不是文件夹", "{reason}"),
    "os_enospc": ("磁盘空间不足", "{reason}"),
    "os_edquot": ("超出磁盘配额", "{reason}"),
    "os_erofs": ("文件系统是只读的", "{reason}"),
    "os_eexist": ("已存在", "{reason}"),
    "os_enametoolong": ("文件名太长", "{reason}"),
    "os_eloop": ("符号链接层数过多", "{reason}"),
    "os_eio": ("读写设备出错", "{reason}"),
    "os_emfile": ("打开的文件过多", "{reason}"),
    "os_enfile": ("系统打开的文件过多", "{reason}"),
    "os_efbig": ("文件太大", "{reason}"),
    "os_ebusy": ("设备或资源正忙", "{reason}"),
    "os_etxtbsy": ("文件正被使用", "{reason}"),
    "os_exdev": ("不能跨文件系统移动", "{reason}"),
    "os_einval": ("参数无效", "{reason}"),
    "os_eaddrinuse": ("地址已被占用", "{reason}"),
    "os_eaddrnotavail": ("本机没有这个地址", "{reason}"),
    "os_other": ("系统错误 {code}", "{reason}"),
    "json_not_utf8": ("不是 UTF-8 文本（应为{expected}）", "not UTF-8 text (expected {expected})"),
    "not_json": ("不是有效的 JSON（应为{expected}）", "not JSON: {reason} (expected {expected})"),
    "json_too_deep": (
        "嵌套超过 {most} 层（应为{expected}）",
        "nested more than {most} levels deep (expected {expected})",
    ),
    #
    # documents: reading a scenario file and its YAML
    "cannot_be_read": ("无法读取：{reason}", "cannot be read: {reason}"),
    "byte_not_utf8": (
        "字节 0x{byte:02x} 不是 UTF-8 文本（文件应以 UTF-8 编码保存）",
        "byte 0x{byte:02x} is not UTF-8 text (expected a file saved as UTF-8)",
    ),
    "a_byte_not_utf8": (
        "有字节不是 UTF-8 文本（文件应以 UTF-8 编码保存）",
        "a byte that is not UTF-8 text (expected a file saved as UTF-8)",
    ),
    "file_empty": (
        "文件是空的（应为一个情景：programme、places、themes、classes、lodging 等部分）",
        "the file is empty (expected a scenario: programme, places, themes, classes, lodging, ...)",
    ),
    "only_comments": (
        "文件中只有注释（应为一个情景：programme、places 等部分）",
        "the file holds only comments (expected a scenario: programme, places, ...)",
    ),
    "not_a_scenario_file": (
        "不是情景文件：顶层是{kind}（应为由各部分组成的映射：schema、programme、places、themes、classes、lodging 等）",
        "not a scenario file: the top level is {kind} (expected a mapping of sections: schema, programme, places, "
        "themes, classes, lodging, ...)",
    ),
    "a_single_value": ("单个值", "a single value"),
    "not_a_mapping": ("映射以外的内容", "not a mapping"),
    "duplicate_key": (
        "键 {key} 重复，第 {first} 行已写过（每个键应只写一次）",
        "duplicate key {key}, first given on line {first} (expected each key once)",
    ),
    "too_many_aliases": (
        "文件中的别名（*name）超过 {most} 个（应至多 {most} 个；请把值直接写出）",
        "more than {most} aliases (*name) in the file (expected at most {most}; write the values out)",
    ),
    "alias_inside_itself": (
        "别名（*name）出现在它所指的列表或映射之内（别名应指向已写完的值）",
        "an alias (*name) inside the list or mapping it names (expected an alias to a finished value)",
    ),
    "nested_too_deep": (
        "列表和映射嵌套超过 {most} 层（应至多 {most} 层）",
        "lists and mappings nested more than {most} levels deep (expected at most {most} levels)",
    ),
    "too_many_values": (
        "此值包含超过 {most:,} 个值（应至多 {most:,} 个）",
        "this value holds more than {most:,} values (expected at most {most:,})",
    ),
    "too_many_values_with_aliases": (
        "此值包含超过 {most:,} 个值，每个别名（*name）按它所指内容的一份副本计（应至多 {most:,} 个）",
        "this value holds more than {most:,} values, counting each alias (*name) as a copy of what it names "
        "(expected at most {most:,})",
    ),
    "this_value": ("此值", "this value"),
    "cannot_be_read_as": ("{shown} 无法按 {tag} 读取", "{shown} cannot be read as {tag}"),
    "yaml_syntax": ("YAML 语法错误：{what}（{hint}）", "YAML syntax error: {problem} ({hint})"),
    "yaml_second_document": (
        "YAML 语法错误：此处开始了第二个文档（每个文件应只有一个情景）",
        "YAML syntax error: a second document starts here (expected one scenario per file)",
    ),
    "yaml_indentation_of_block": (
        "此行的缩进与第 {line} 行开始的块不符",
        "this line's indentation does not fit the block that starts on line {line}",
    ),
    "yaml_indentation": ("此行的缩进与所在的块不符", "this line's indentation does not fit its block"),
    "yaml_within": ("{what}，所在部分从第 {line} 行开始", "{what}, in what starts on line {line}"),
    "yaml_tab": ("此处用了制表符", "a tab"),
    "yaml_mapping_value": ("此处不能写“键: 值”", "a 'key: value' where none can be"),
    "yaml_key_not_text": ("键不是普通文本", "a key that is not plain text"),
    "yaml_tag": ("有无法识别的 '!' 标签", "a '!' tag that cannot be read"),
    "not_yaml": ("不是有效的 YAML", "not YAML"),
    "expected_spaces_not_tabs": ("缩进应使用空格，不能用制表符", "expected spaces for indentation, not tabs"),
    "expected_indented_alike": (
        "同一映射的各个键、同一列表的各项应缩进一致",
        "expected the keys of one mapping, and the items of one list, indented alike",
    ),
    "expected_key_value_lines": (
        "应每行一个“键: 值”；请检查缩进，含有 ': ' 的文本请加引号",
        "expected one 'key: value' per line; check the indentation, and quote text that contains ': '",
    ),
    "expected_plain_keys": ("每个键应只写一次，且为普通文本", "expected each key once, written as plain text"),
    "expected_no_tags": ("应为不带 '!' 标签的普通值", "expected plain values without '!' tags"),
    "expected_valid_yaml": (
        "应为有效的 YAML；请检查缩进、括号和引号",
        "expected valid YAML; check the indentation, brackets and quotes",
    ),
    "control_character_in_yaml": (
        "YAML 中不允许出现控制字符 U+{code:04X}（应为可打印的文本）",
        "the control character U+{code:04X} is not allowed in YAML (expected printable text)",
    ),
    "character_in_yaml": (
        "YAML 中出现了不允许的字符（应为可打印的文本）",
        "a character is not allowed in YAML (expected printable text)",
    ),
    #
    # documents: a value that is not what the format expects (pydantic's errors, reworded)
    "missing": ("缺少必填项（应为{expected}）", "required but missing (expected {expected})"),
    "unknown_key_like": ("未知的键（是否想写 {close}？）", "unknown key (did you mean {close}?)"),
    "unknown_key": ("未知的键（应为以下之一：{allowed}）", "unknown key (expected one of: {allowed})"),
    "key_not_a_name": (
        "键 {shown} 不是名称（应为以下之一：{allowed}）",
        "the key {shown} is not a name (expected one of: {allowed})",
    ),
    "no_value": ("未给出值（应为{expected}）", "no value given (expected {expected})"),
    "not_whole_number": (
        "{shown} 不是整数（应为整数，例如 {example}）",
        "{shown} is not a whole number (expected an integer, e.g. {example})",
    ),
    "not_whole_minutes": (
        "{shown} 不是整数分钟数（应为整数，例如 {example}）",
        "{shown} is not a whole number of minutes (expected an integer, e.g. {example})",
    ),
    "not_a_fraction": (
        "{shown} 不是比例（应为 0 到 1 之间的比例，例如 {example}）",
        "{shown} is not a fraction (expected a share between 0 and 1, e.g. {example})",
    ),
    "share_example": ("{percent:g}% 写作 {share:g}", "{share:g} for {percent:g}%"),
    "not_a_number": (
        "{shown} 不是数字（应为数字，例如 {example}）",
        "{shown} is not a number (expected a number, e.g. {example})",
    ),
    "not_true_or_false": (
        "{shown} 不是 true 或 false（应为 true 或 false）",
        "{shown} is not true or false (expected true or false)",
    ),
    "unpaired_surrogate": (
        "{shown} 含有不成对的代理字符（应为有效的 Unicode 文本）",
        "{shown} contains an unpaired surrogate (expected valid Unicode text)",
    ),
    "not_text": (
        "{shown} 不是文本（应为{expected}；看起来像数字的文本请加引号）",
        "{shown} is not text (expected {expected}; put it in quotes if it looks like a number)",
    ),
    "not_one_of": (
        "{shown} 不是允许的值（应为以下之一：{allowed}）",
        "{shown} is not an allowed value (expected one of: {allowed})",
    ),
    "not_an_allowed_value": (
        "{shown} 不是允许的值（{hint}应为以下之一：{allowed}）",
        "{shown} is not an allowed value ({hint}expected one of: {allowed})",
    ),
    "did_you_mean": ("是否想写 {close}？", "did you mean {close}? "),
    "not_an_id": (
        "{shown} 不是有效的 id（应至多 64 个字符：以任意文字的字母开头，其后为字母、数字、'_'、'-'，"
        "或夹在其间的单个点；不得含 '/'、'\\' 或 '..'；例如 'rural_2'、'乡村.2'）",
        "{shown} is not a valid id (expected at most 64 characters: a letter of any script, then letters, digits, "
        "'_', '-', or single dots between them; no '/', '\\' or '..'; e.g. 'rural_2', '乡村.2')",
    ),
    "not_in_form": (
        "{shown} 不符合要求的格式（应为与 {pattern} 相匹配的文本）",
        "{shown} is not in the expected form (expected text matching {pattern})",
    ),
    "text_too_short": (
        "{shown} 太短（应至少 {least} 个字符）",
        "{shown} is too short (expected at least {least} characters)",
    ),
    "text_too_long": (
        "{shown} 太长（应至多 {most} 个字符）",
        "{shown} is too long (expected at most {most} characters)",
    ),
    "not_a_date": (
        "{shown} 不是有效的日期（应为形如 YYYY-MM-DD 的日期，例如 2025-05-12）",
        "{shown} is not a valid date{because} (expected a date written YYYY-MM-DD, e.g. 2025-05-12)",
    ),
    "not_a_mapping_expected": ("{shown} 不是映射（应为{expected}）", "{shown} is not a mapping (expected {expected})"),
    "not_a_list": (
        "{shown} 不是列表（应为列表：每项一行 '- '，或写成 [a, b]）",
        "{shown} is not a list (expected a list: one '- ' line per entry, or [a, b])",
    ),
    "not_a_list_such_as": (
        "{shown} 不是列表（应为列表：每项一行 '- '，或写成 [a, b]，例如 [{value}]）",
        "{shown} is not a list (expected a list: one '- ' line per entry, or [a, b], e.g. [{value}])",
    ),
    "too_few_entries": ("有 {count} 项（应至少 {least} 项）", "has {count} entries (expected at least {least})"),
    "too_many_entries": ("有 {count} 项（应至多 {most} 项）", "has {count} entries (expected at most {most})"),
    "not_as_expected": ("值不符合要求（应为{expected}）", "{said} (expected {expected})"),
    "not_a_fraction_between": (
        "{shown} 不是 0 到 1 之间的比例（应为比例，例如 {example}）",
        "{shown} is not a fraction between 0 and 1 (expected a share, e.g. {example})",
    ),
    "minutes_unit": (" 分钟", " minutes"),
    "negative": ("{shown} 是负数（应不小于 0{unit}）", "{shown} is negative (expected 0 or more{unit})"),
    "less_than_bound": (
        "{shown} 小于 {bound}（应不小于 {bound}{unit}）",
        "{shown} is less than {bound} (expected {bound} or more{unit})",
    ),
    "not_positive": ("{shown} 不是正数（应大于 0{unit}）", "{shown} is not positive (expected more than 0{unit})"),
    "not_more_than": (
        "{shown} 不大于 {bound}（应大于 {bound}{unit}）",
        "{shown} is not more than {bound} (expected more than {bound}{unit})",
    ),
    "more_than": (
        "{shown} 大于 {bound}（应至多 {bound}{unit}）",
        "{shown} is more than {bound} (expected at most {bound}{unit})",
    ),
    "not_less_than": (
        "{shown} 不小于 {bound}（应小于 {bound}{unit}）",
        "{shown} is not less than {bound} (expected less than {bound}{unit})",
    ),
    #
    # documents: what belongs at a place in the file, and values described rather than shown
    "described": ("{chinese}", "{description}"),
    "mapping_with_keys": ("包含键 {keys} 的映射", "a mapping with keys {keys}"),
    "mapping_with_keys_such_as": ("包含 {keys} 等键的映射", "a mapping with keys such as {keys}"),
    "list_of_entries": ("条目列表，每项为{each}", "a list of entries, each {each}"),
    "a_list": ("列表", "a list"),
    "a_mapping": ("映射", "a mapping"),
    "text": ("文本", "text"),
    "a_whole_number": ("整数", "a whole number"),
    "a_number": ("数字", "a number"),
    "whole_minutes": ("整数分钟数", "whole minutes"),
    "minutes_number": ("分钟数（可带两位小数）", "minutes, to the hundredth"),
    "a_clock_time": ('形如 "HH:MM" 的时间', 'a clock time, "HH:MM"'),
    "a_date": ("形如 YYYY-MM-DD 的日期", "a date, YYYY-MM-DD"),
    "an_id": ("一个 id", "an id"),
    "true_or_false": ("true 或 false", "true or false"),
    "a_value_of_the_format": ("情景格式中的值", "a value of the scenario format"),
    "an_empty_value": ("空值", "an empty value"),
    "a_number_with_digits": ("{digits} 位数", "a number with {digits} digits"),
    #
    # model: values each object checks itself
    "none_written": ("空值", "None"),
    "true_written": ("true", "True"),
    "false_written": ("false", "False"),
    "clock_not_quoted": (
        '{shown} 不是时间（应为加引号的 "HH:MM"，例如 "08:30"）',
        '{shown} is not a clock time (expected "HH:MM" in quotes, e.g. "08:30")',
    ),
    "not_a_clock_time": (
        '{shown} 不是时间（应为 "HH:MM"，例如 "08:30"）',
        '{shown} is not a clock time (expected "HH:MM", e.g. "08:30")',
    ),
    "clock_minutes": (
        "{shown} 的分钟是 {minutes}（应为 00 到 59）",
        "{shown} has {minutes} minutes (expected 00 to 59)",
    ),
    "outside_the_day": (
        "{shown} 超出了一天的范围（应为 00:00 到 24:00）",
        "{shown} is outside the day (expected 00:00 to 24:00)",
    ),
    "not_minutes": (
        "{shown} 不是分钟数（应为例如 360 或 21.65 的数）",
        "{shown} is not a number of minutes (expected e.g. 360 or 21.65)",
    ),
    "not_finite_minutes": (
        "{shown} 不是分钟数（应为有限的数，例如 360 或 21.65）",
        "{shown} is not a number of minutes (expected a finite number, e.g. 360 or 21.65)",
    ),
    "more_than_a_day": (
        "{shown} 大于 {most}（应至多 {most} 分钟，即一天）",
        "{shown} is more than {most} (expected at most {most} minutes, a day)",
    ),
    "more_than_two_decimals": (
        "{shown} 的小数超过两位（分钟数应精确到百分之一分钟，例如 21.65）",
        "{shown} has more than two decimals (expected minutes to the hundredth, e.g. 21.65)",
    ),
    "text_surrogate": (
        "{shown} 含有不成对的代理字符 U+{code:04X}（应为有效的 Unicode 文本）",
        "{shown} contains an unpaired surrogate U+{code:04X} (expected valid Unicode text)",
    ),
    "text_line_break": (
        "{shown} 含有换行符 U+{code:04X}（应为单行文本）",
        "{shown} contains a line break U+{code:04X} (expected a single line of text)",
    ),
    "text_tab": (
        "{shown} 含有制表符（应为单行文本，词语之间用空格分隔）",
        "{shown} contains a tab (expected a single line of text, words separated by spaces)",
    ),
    "text_control_character": (
        "{shown} 含有控制字符 U+{code:04X}（应为可打印的文本）",
        "{shown} contains the control character U+{code:04X} (expected printable text)",
    ),
    "not_a_phone_number": (
        "{shown} 不是电话号码（应由数字、空格和 + - ( ) . / 组成，可带分机号，例如 '+86 411 8765 4321'、"
        "'0411-87654321 转 8012'）",
        "{shown} is not a phone number (expected digits, spaces and + - ( ) . /, optionally an extension: "
        "e.g. '+86 411 8765 4321', '0411-87654321 转 8012')",
    ),
    "not_an_email_address": (
        "{shown} 不是电子邮件地址（应形如 name@example.org）",
        "{shown} is not an e-mail address (expected name@example.org)",
    ),
    "outside_the_years": (
        "{date} 不在 {first} 年到 {last} 年之间（应为 {first}-01-01 到 {last}-12-31 之间的日期）",
        "{date} is outside the years {first} to {last} (expected a date from {first}-01-01 to {last}-12-31)",
    ),
    "not_a_time_zone": (
        "{shown} 不是时区（{hint}应为 IANA 时区数据库中的名称，例如 'Asia/Shanghai'）",
        "{shown} is not a time zone ({hint}expected a name from the IANA time-zone database, e.g. 'Asia/Shanghai')",
    ),
    "not_a_schema_version": (
        "{shown} 不是本程序能读取的情景格式版本（应为 {versions}）",
        "{shown} is not a version of the scenario format this program reads (expected {versions})",
    ),
    "no_name": ("未给出名称（应有 name_zh、name_en 或两者）", "no name given (expected name_zh, name_en or both)"),
    "empty_coach": (
        "车辆信息是空的（应有 plate、company、driver 或 phone）",
        "an empty coach (expected plate, company, driver or phone)",
    ),
    "lunch_does_not_fit": (
        "{minutes} 分钟的午餐放不进 {earliest} 到 {latest} 之间（时段应至少有 {minutes} 分钟）",
        "lunch of {minutes} minutes does not fit between {earliest} and {latest} "
        "(expected a window at least {minutes} minutes long)",
    ),
    "end_not_after_start": (
        "结束时间 {end} 不晚于开始时间 {start}（结束应晚于开始）",
        "end {end} is not after start {start} (expected end later than start)",
    ),
    "day_order": (
        "（应为 earliest_departure <= lunch <= dinner <= evening <= quiet_hours_from）",
        "(expected earliest_departure <= lunch <= dinner <= evening <= quiet_hours_from)",
    ),
    "step_does_not_divide_an_hour": (
        "time_step_minutes {step} 不能整除一小时（应为 1、2、3、4、5、6、10、12、15、20、30、60 之一）",
        "time_step_minutes {step} does not divide an hour (expected one of 1, 2, 3, 4, 5, 6, 10, 12, 15, 20, 30, 60)",
    ),
    "arrival_buffer_too_short": (
        "arrival_buffer_minutes {buffer} 短于时钟的一个步长减一分钟（{least}）：按时钟步长发车的车辆无法按时到达"
        "（应至少为此值）",
        "arrival_buffer_minutes {buffer} is shorter than a step of the clock less a minute ({least}): a coach leaving "
        "on the clock's steps could not arrive in time (expected at least that)",
    ),
    "day_start_not_before_dinner": (
        "day_start 不早于 dinner.start{order}",
        "day_start is not before dinner.start {order}",
    ),
    "lunch_before_departure": (
        "lunch.earliest 早于 earliest_departure{order}",
        "lunch.earliest is before earliest_departure {order}",
    ),
    "dinner_before_lunch_ends": (
        "dinner.start 早于 lunch.latest{order}",
        "dinner.start is before lunch.latest {order}",
    ),
    "evening_before_dinner_ends": (
        "evening.start 早于 dinner.end{order}",
        "evening.start is before dinner.end {order}",
    ),
    "quiet_hours_before_evening_ends": (
        "quiet_hours_from 早于 evening.end{order}",
        "quiet_hours_from is before evening.end {order}",
    ),
    "override_day_beyond": (
        "day_overrides 写了第 {day} 天，但项目只有 {days} 天（应为 1 到 {days}）",
        "day_overrides names day {day}, but the programme has {days} days (expected 1 to {days})",
    ),
    "override_departure_after_lunch": (
        "day_overrides 给第 {day} 天的 earliest_departure 晚于 lunch.earliest{order}",
        "day_overrides gives day {day} an earliest_departure after lunch.earliest {order}",
    ),
    "override_day_start_after_dinner": (
        "day_overrides 给第 {day} 天的 day_start 不早于 dinner.start{order}",
        "day_overrides gives day {day} a day_start not before dinner.start {order}",
    ),
    "rest_day_at_an_end": (
        "day_overrides 把第 {day} 天设为休息日，但第一天和最后一天是项目的开始和结束（应为{between}）",
        "day_overrides makes day {day} a rest day, but the first and the last day open and close the programme "
        "(expected {between})",
    ),
    "rest_day_between": ("第 2 天到第 {last} 天之间的休息日", "a rest day between day 2 and day {last}"),
    "no_rest_days": (
        "没有休息日：{days} 天的项目中间没有空出的日子",
        "no rest day: {days} days leave none between them",
    ),
    "no_rest_day": (
        "没有休息日：只有 {days} 天的项目中间没有空出的日子",
        "no rest day: {days} day leave none between them",
    ),
    "override_day_twice": (
        "day_overrides 中同一天写了两次（每天应至多写一次）",
        "day_overrides names the same day twice (expected each day at most once)",
    ),
    "start_or_end_alone": (
        "只给了 start 和 end 中的一个（应两者都给，或都不给表示全天）",
        "only one of start and end given (expected both, or neither for the whole day)",
    ),
    "from_or_until_alone": (
        "只给了 from 和 until 中的一个（日期范围应两者都给）",
        "only one of from and until given (expected both, for a range of dates)",
    ),
    "until_before_from": (
        "until {until} 早于 from {first}（日期范围应从前往后）",
        "until {until} is before from {first} (expected a range forwards)",
    ),
    "date_with_range": (
        "同时给了日期和日期范围或星期（应为一个日期，或日期范围和/或星期）",
        "a date with a range or weekdays (expected one date, or a range and/or weekdays)",
    ),
    "no_dates_when": (
        "未给出日期、日期范围或星期（应为 date，from 和 until，或 weekdays）",
        "no date, range or weekdays (expected date, from and until, or weekdays)",
    ),
    "part_and_window": (
        "同时给了 part 和 start/end（应为半天或一个时段，二选一）",
        "both part and start/end given (expected a half-day or a time window)",
    ),
    "min_above_max_sessions": (
        "min_sessions {least} 大于 max_sessions {most}（应不超过 max_sessions）",
        "min_sessions {least} is above max_sessions {most} (expected at most max_sessions)",
    ),
    "close_not_after_open": (
        "关门时间 {close} 不晚于开门时间 {open}（关门应晚于开门）",
        "close {close} is not after open {open} (expected close later than open)",
    ),
    "visit_does_not_fit": (
        "{minutes} 分钟的参观放不进开放时间 {open}-{close}（visit_minutes 应至多为 {most}）",
        "a visit of {minutes} minutes does not fit in the opening hours {open}-{close} "
        "(expected visit_minutes of at most {most})",
    ),
    "negative_lecture_count": (
        "{topics} 的讲座次数为负数（应为 0 或以上）",
        "negative lecture count for {topics} (expected 0 or more)",
    ),
    "field_kinds_not_teaching": (
        "field_kinds {kinds} 不在 teaching_kinds 之中（每种现场教学活动也应是教学活动）",
        "field_kinds {kinds} are not among teaching_kinds (expected each field kind to be a teaching kind too)",
    ),
    #
    # model: the scenario's cross-references, checked once
    "duplicate_id": (
        "id {id} 重复（{collection} 中的 id 应各不相同）",
        "duplicate id {id} (expected ids unique within {collection})",
    ),
    "unknown_reference": (
        "未知的{thing} {value}（{hint}应为以下之一：{known}）",
        "unknown {thing} {value} ({hint}expected one of: {known})",
    ),
    "unknown_reference_none_defined": (
        "未知的{thing} {value}（{hint}尚未定义任何{thing}）",
        "unknown {thing} {value} ({hint}expected one of: none defined)",
    ),
    "thing_place": ("地点", "place"),
    "thing_theme": ("主题", "theme"),
    "thing_topic": ("专题", "topic"),
    "thing_class": ("班次", "class"),
    "thing_lecturer": ("授课教师", "lecturer"),
    "thing_site": ("现场教学点", "site"),
    "outside_the_programme": (
        "{dates} 不在项目日期之内（应为 {first} 到 {last} 之间的日期）",
        "{dates} is outside the programme (expected a date from {first} to {last})",
    ),
    "duplicate_hotel_id": (
        "住宿 id {id} 重复（住宿 id 应各不相同；lodging {other} 也是这个 id）",
        "duplicate hotel id {id} (expected hotel ids unique; lodging {other} has it too)",
    ),
    "must_and_never_visit": (
        "现场教学点 {sites} 同时在 must_visit 和 never_visit 中（每个教学点至多在其中之一）",
        "sites {sites} are both must_visit and never_visit (expected each site in one of them at most)",
    ),
    "return_after_dinner": (
        "最晚返回时间 {latest} 晚于晚餐时间 {dinner}（应不晚于晚餐）",
        "latest return {latest} is after dinner at {dinner} (expected no later than dinner)",
    ),
    "return_before_departure": (
        "最晚返回时间 {latest} 早于最早发车时间（应为 {earliest} 或更晚）",
        "latest return {latest} is before the earliest departure (expected {earliest} or later)",
    ),
    #
    # variants: a variant file and its changes
    "no_dates_given": (
        "未给出日期（应为以下写法之一：date: D，dates: [D, ...]，或 from: D 加 until: D）",
        "no dates given (expected one of: date: D, dates: [D, ...], or from: D and until: D)",
    ),
    "dates_given_twice": (
        "日期的写法不止一种（应为以下写法之一：date: D，dates: [D, ...]，或 from: D 加 until: D）",
        "dates given in more than one way (expected one of: date: D, dates: [D, ...], or from: D and until: D)",
    ),
    "first_or_last_date_alone": (
        "只给了 from 和 until 中的一个（应两者都给：第一天和最后一天）",
        "only one of from and until given (expected both: the first and the last date)",
    ),
    "until_before_from_change": (
        "until {until} 早于 from {first}（until 应不早于 from）",
        "until {until} is before from {first} (expected until on or after from)",
    ),
    "range_too_long": (
        "日期范围超过 {most} 天（应为项目期间的日期）",
        "the range is longer than {most} days (expected the programme's dates)",
    ),
    "nothing_to_add": (
        "没有要添加的内容（应至少有以下之一：{collections}）",
        "nothing to add (expected at least one of: {collections})",
    ),
    "nothing_to_remove": (
        "没有要删除的内容（应至少有以下之一：{collections}）",
        "nothing to remove (expected at least one of: {collections})",
    ),
    "no_operation": (
        "这项修改中没有操作（应恰好有以下之一：{operations}）",
        "no operation in one change (expected exactly one of: {operations})",
    ),
    "operations": (
        "一项修改中有 {count} 个操作（{given}）（应恰好有以下之一：{operations}）",
        "{count} operations ({given}) in one change (expected exactly one of: {operations})",
    ),
    "extends_cycle": (
        "{extends} 构成了循环：{chain}（变体一层层扩展下去，最终应落到一个情景文件上）",
        "{extends} makes a cycle: {chain} (expected a chain of variants that ends in a scenario file)",
    ),
    "base_unreadable": (
        "{name}（路径相对于本文件）：{reasons}",
        "{name} (the path is relative to this file): {reasons}",
    ),
    "reasons": ("{first}；{then}", "{first}; {then}"),
    "base_not_a_variant": (
        "{file} 不是变体文件：其中有变体格式没有的键（应为由各部分组成的 YAML 映射：extends、name_zh、name_en、note、"
        "changes；请单独加载该文件查看其问题）",
        "{file} is not a variant file: it has keys the variant format does not have (expected a YAML mapping of "
        "sections: extends, name_zh, name_en, note, changes; load that file on its own to see its problems)",
    ),
    "base_not_a_scenario": (
        "{file} 不是情景文件：其中有情景格式没有的键（应为由各部分组成的 YAML 映射：schema、programme、places、themes、"
        "classes、lodging 等；请单独加载该文件查看其问题）",
        "{file} is not a scenario file: it has keys the scenario format does not have (expected a YAML mapping of "
        "sections: schema, programme, places, themes, classes, lodging, ...; load that file on its own to see its "
        "problems)",
    ),
    "holds_no_key": (
        "{shown} 是{kind}，没有 {name}（{hint}）",
        "{shown} holds {kind}, so it has no {name} (expected {hint})",
    ),
    "no_entries_to_change": (
        "{path} 中没有可修改的条目（路径应止于 {path}，整体设置这个列表）",
        "{path} has no entries to change (expected a path ending at {path}, setting the whole list)",
    ),
    "no_entry_at": (
        "{shown} 中没有第 {position} 项（位置应为 1 到 {count}）",
        "{shown} has no entry {position} (expected a position from 1 to {count})",
    ),
    "matches_several": (
        "{shown}[{label}] 对应了 {count} 个条目（应只对应一个；请按位置指定，例如 {shown}[{first}]）",
        "{shown}[{label}] matches {count} entries (expected one; name it by position, e.g. {shown}[{first}])",
    ),
    "has_no_such": ("{shown} 中没有{thing} {label}（{expected}）", "{shown} has no {thing} {label} ({expected})"),
    "expected_one_of_known": ("{hint}应为以下之一：{known}", "{hint}expected one of: {known}"),
    "expected_none_defined": ("{hint}尚未定义任何条目", "{hint}expected one of: none defined"),
    "no_key_in": (
        "{within} 中没有键 {name}（{hint}应为以下之一：{allowed}）",
        "no key {name} in {within} ({hint}expected one of: {allowed})",
    ),
    "no_key_at_the_top": (
        "顶层没有键 {name}（{hint}应为以下之一：{allowed}）",
        "no key {name} at the top level ({hint}expected one of: {allowed})",
    ),
    "already_exists": (
        "{thing} {label} 已存在（{where}）（应为新的 id；要修改它，请用 set）",
        "{thing} {label} already exists ({where}) (expected a new id; to change it, use set)",
    ),
    "none_to_remove": ("没有要删除的{thing} {ident}（{expected}）", "no {thing} {ident} to remove ({expected})"),
    "still_used": (
        "无法删除{thing} {ident}：{places} 仍在使用它（应先在之前的修改中改掉这些引用，例如用 set）",
        "cannot remove {thing} {ident}: still used at {places} (expected those uses changed first, e.g. with set, "
        "in an earlier change)",
    ),
    "date_outside_the_programme": (
        "{dates} 不在项目日期之内（应为 {span} 之间的日期）",
        "{dates} is outside the programme (expected dates from {span})",
    ),
    "dates_outside_the_programme": (
        "{dates} 不在项目日期之内（应为 {span} 之间的日期）",
        "{dates} are outside the programme (expected dates from {span})",
    ),
    "date_span": ("{first} 到 {last}", "{first} to {last}"),
    "base_not_a_mapping": (
        "基础文件不是情景（应为由各部分组成的映射）",
        "the base is not a scenario (expected a mapping of sections)",
    ),
    "base_collection_not_a_list": (
        "基础文件中的 {collection} 不是列表（应为条目列表）",
        "{collection} in the base is not a list (expected a list of entries)",
    ),
    "no_such": ("没有{thing} {ident}（{expected}）", "no {thing} {ident} ({expected})"),
    "base_entry_not_a_mapping": (
        "基础文件中的这一条目不是映射（应为可修改的映射）",
        "the entry in the base is not a mapping (expected one to change)",
    ),
    "base_key_not_a_list": (
        "基础文件中的 {key} 不是列表（应为可添加内容的列表）",
        "{key} in the base is not a list (expected a list to add to)",
    ),
    "not_a_path": (
        "{text} 不是路径（应为用点连接的名称，列表中的条目用 [id] 表示，例如 classes[rural].trainees）",
        "{text} is not a path (expected names joined by dots, with [id] for an entry of a list, "
        "e.g. classes[rural].trainees)",
    ),
    "not_a_path_like": (
        "{text} 不是路径（应形如 limits.max_coach_minutes_per_day）",
        "{text} is not a path (expected e.g. limits.max_coach_minutes_per_day)",
    ),
    "an_entry_in_brackets": (
        "其后应为方括号中的条目，例如 [rural] 或 [2]",
        "an entry in brackets, e.g. [rural] or [2]",
    ),
    "one_of_its_keys": ("其后应为它的某个键", "one of its keys"),
    "the_path_to_end_there": ("路径应止于此处", "the path to end there"),
    "thing_lodging_at": ("住宿地点", "lodging at"),
    "thing_entry": ("条目", "entry"),
}
"""key -> (Chinese, English) templates of every sentence `Message` says."""


DESCRIPTIONS: dict[str, str] = {
    "the scenario or variant file, relative to this file": "情景文件或变体文件的路径（相对于本文件）",
    "the variant's name in Chinese": "变体的中文名称",
    "the variant's name in English": "变体的英文名称",
    "what the variant is about, for the reader": "给读者看的变体说明",
    "the changes, applied in order": "按顺序执行的各项修改",
    "{path: ..., value: ...}": "{path: ..., value: ...}",
    "{classes: {...}} or {sites: [{...}, {...}]}": "{classes: {...}} 或 {sites: [{...}, {...}]}",
    "{lecturers: lect_org} or {sites: [a, b]}": "{lecturers: lect_org} 或 {sites: [a, b]}",
    "{lecturer: ..., date: ...}": "{lecturer: ..., date: ...}",
    "{site: ..., dates: [...]}": "{site: ..., dates: [...]}",
    "one date, YYYY-MM-DD": "一个日期，形如 YYYY-MM-DD",
    "several dates, e.g. [2019-08-27]": "几个日期，例如 [2019-08-27]",
    "the first date of a range": "日期范围的第一天",
    "the last date of a range (included)": "日期范围的最后一天（含当天）",
    "site id": "现场教学点 id",
    "from this time; whole day if omitted": "开始时间；不写则为全天",
    "until this time; whole day if omitted": "结束时间；不写则为全天",
    "lecturer id": "授课教师 id",
    "only these weekdays of the dates given": "所给日期中仅限的星期几",
    "am (before 12:00) or pm (from 12:00)": "am（12:00 前）或 pm（12:00 起）",
    "place ids": "地点 id",
    "a short id: a letter of any script, then letters, digits, '_', '-' or single dots": (
        "简短的 id：以任意文字的字母开头，其后为字母、数字、'_'、'-' 或单个点"
    ),
    "theme ids": "主题 id",
    "topic ids": "专题 id",
    "class ids (with their requirements.by_class entry)": "班次 id（连同其 requirements.by_class 条目）",
    "lecturer ids": "授课教师 id",
    "site ids": "现场教学点 id",
    "place ids of lodging entries": "住宿条目的地点 id",
    "new places": "新增的地点",
    "new themes": "新增的主题",
    "new topics": "新增的专题",
    "new classes": "新增的班次",
    "new lecturers": "新增的授课教师",
    "new sites": "新增的现场教学点",
    "new lodging entries": "新增的住宿条目",
    'where, e.g. "limits.max_coach_minutes_per_day" or "classes[rural].trainees"': (
        '要修改的位置，例如 "limits.max_coach_minutes_per_day" 或 "classes[rural].trainees"'
    ),
    "the new value, written as in a scenario file": "新的值，按情景文件中的写法",
    "scenario format version: 1": "情景格式版本：1",
    "kinds that count as teaching in the field-teaching share": "计入现场教学占比中教学时间的活动类型",
    "kinds that count as field teaching": "计为现场教学的活动类型",
    "kinds that count towards limits.max_teaching_minutes_per_day": (
        "计入 limits.max_teaching_minutes_per_day 的活动类型"
    ),
    "cost per minute of coach driving": "每分钟车程的代价",
    "reward per visit to a site that serves the class's theme": "每次参观与班次主题相符的教学点的奖励",
    "reward per point of a visited site's value": "所参观教学点价值每一分的奖励",
    "cost per lecture between the busiest and lightest lecturer": "最忙与最闲授课教师之间每差一次讲座的代价",
    "cost per evening ending after late_evening_after": "每个晚于 late_evening_after 结束的晚上的代价",
    (
        "cost per started hour of a class-day's free daytime beyond limits.max_idle_minutes (0: free time "
        "is shown, not priced)"
    ): ("班次每天超出 limits.max_idle_minutes 的白天空闲时间每开始一小时的代价（0：只显示空闲时间，不计代价）"),
    "most coach driving per class per day (two decimals allowed)": "每个班次每天最多的车程（可带两位小数）",
    "longest drive without a rest stop; longer legs get rest stops": "不停车休息的最长连续车程；更长的路段安排途中休息",
    "length of a rest stop on a long leg": "长途路段途中休息的时长",
    "latest arrival at the night's place": "最晚到达当晚住宿地的时间",
    "most teaching (workload kinds) per class per day": "每个班次每天最多的教学时间（计入工作量的活动）",
    "longest one-way trip a lecturer makes from home to a lecture (no limit if omitted)": (
        "授课教师从住地前往讲座的最长单程（不写则不限）"
    ),
    "whole minutes": "整数分钟数",
    (
        "a daytime gap (day_start to dinner) at least this long is shown as free time; free daytime beyond "
        "it is priced by the idle-time weight (idle_hour)"
    ): ("白天（day_start 到晚餐）至少这么长的空当显示为自由时间；超出部分按空闲时间权重（idle_hour）计代价"),
    "a lecturer arrives at least this long before the lecture (from home, or from the lecture before)": (
        "授课教师至少提前这么久到达讲座地点（从住地或上一场讲座出发）"
    ),
    "what every class must get": "每个班次都要满足的要求",
    "class id -> changes for that class": "班次 id -> 该班次的修改",
    "a fraction between 0 and 1": "0 到 1 之间的比例",
    "topic id -> number of lectures on that topic": "专题 id -> 该专题的讲座次数",
    "length of one lecture, class hours": "一次讲座的时长（课时）",
    "least share of teaching time spent in field visits": "教学时间中现场教学的最低占比",
    "least evening seminar time, class hours": "晚间研讨的最少时长（课时）",
    "most seminar class hours in one evening": "一个晚上最多的研讨课时",
    "least report-writing time, class hours": "撰写调研报告的最少时长（课时）",
    "site ids the class must visit": "班次必须参观的教学点 id",
    "site ids the class must not visit": "班次不得参观的教学点 id",
    "least visits to red-education sites": "参观红色教育基地的最少次数",
    "most field visits in one day": "一天最多的现场教学次数",
    "opening session on the morning of day 1 (0: none)": "第一天上午的开班式时长（0：没有）",
    "closing presentations on the last day (0: none)": "最后一天的汇报交流时长（0：没有）",
    "every day but rest days has at least one visit, lecture, opening, presentation or closing": (
        "除休息日外每天至少有一项参观、讲座、开班式、汇报或结业式"
    ),
    "closing session (结业式) on the last day, after the presentations; the programme ends with it (0: none)": (
        "最后一天汇报之后的结业式时长，项目以此结束（0：没有）"
    ),
    "id of the hotel (default: its place's id; the second at a place <place>.2, ...)": (
        "酒店的 id（默认为其地点的 id；同一地点的第二家为 <place>.2，依此类推）"
    ),
    "the hotel's name in Chinese": "酒店的中文名称",
    "the hotel's name in English": "酒店的英文名称",
    "place id": "地点 id",
    "the hotel's address (default: its place's)": "酒店地址（默认为其地点的地址）",
    "front desk, sales manager": "前台、销售经理等联系人",
    "classes it takes per night": "每晚可接待的班次数",
    "rooms held for the programme a night": "每晚为项目预留的房间数",
    "trainees sharing a room": "每间房住的学员人数",
    "the person's name (or the desk's, e.g. 'Front desk')": "联系人姓名（或部门名称，例如“前台”）",
    "what they do, e.g. 'host', '班主任', 'duty officer'": "职责，例如“接待人”“班主任”“值班员”",
    "phone number, as written": "电话号码，按原样书写",
    "e-mail address": "电子邮件地址",
    "the site's name in Chinese (default: its place's)": "教学点的中文名称（默认为其地点的名称）",
    "the site's name in English (default: its place's)": "教学点的英文名称（默认为其地点的名称）",
    "where the coach stops (default: its place's address)": "车辆停靠的地址（默认为其地点的地址）",
    "the hosts to call": "接待方联系人",
    "enterprise, village, community, museum, memorial, ...": (
        "一种类型，如 enterprise、village、community、museum、memorial 等"
    ),
    "counts as Party-spirit (red) education; default: true for museums and memorials": (
        "是否计为党性（红色）教育；默认博物馆和纪念馆为 true"
    ),
    "theme ids the site serves": "教学点所服务的主题 id",
    "length of a visit": "一次参观的时长",
    "classes at the site at once": "教学点同时可接待的班次数",
    "trainees at the site at once": "教学点同时可接待的学员人数",
    "weekdays open": "开放的星期几",
    "opening hours": "开放时间",
    "dates closed (holidays, repairs)": "闭馆日期（节假日、维修）",
    "priority of a visit (higher is better; a soft goal)": "参观的优先程度（越高越好；软目标）",
    "opening time": "开门时间",
    "closing time; a visit must be over by then": "关门时间；参观须在此之前结束",
    "name in Chinese": "中文名称",
    "name in English": "英文名称",
    "who arranges the lecturer's visits (an assistant, an office)": "为授课教师安排行程的联系人（助理或办公室）",
    "topic ids this lecturer teaches": "该授课教师讲授的专题 id",
    "place id the lecturer sets out from": "授课教师出发地的地点 id",
    "when away: dates, ranges of dates, weekdays; whole days, half-days or time windows": (
        "不能授课的时间：日期、日期范围、星期几；全天、半天或时段"
    ),
    "when free, if only then (the same forms): away at every other time of the programme": (
        "仅在这些时间有空（写法相同）：项目其余时间都不能授课"
    ),
    "most lectures in one day": "一天最多的讲座次数",
    "most lectures in the programme (no limit if omitted)": "整个项目最多的讲座次数（不写则不限）",
    "fewest lectures in the programme: an invited lecturer who must take the podium": (
        "整个项目最少的讲座次数：受邀且必须登台的授课教师"
    ),
    "one date": "一个日期",
    "first date of a range (with until)": "日期范围的第一天（与 until 一起写）",
    "last date of a range (with from)": "日期范围的最后一天（与 from 一起写）",
    "only these weekdays (of the range, or of every week)": "仅限的星期几（日期范围内，或每周）",
    "theme id": "主题 id",
    "number of trainees": "学员人数",
    "place id of the class's home district": "班次所在区县的地点 id",
    "place where day 1 starts (default: base)": "第一天出发的地点（默认为 base）",
    "place where the last day ends (default: base)": "最后一天结束的地点（默认为 base）",
    "the professor who stays with the class all week": "全程随班的带班教授",
    "the class teacher (班主任) who looks after the class": "负责照管班次的班主任",
    "the class's coach: plate, company, driver, phone": "班次的车辆：车牌、公司、司机、电话",
    "notes for the class's trainees": "给该班学员的说明",
    "number plate, e.g. 辽B·12345": "车牌号，例如 辽B·12345",
    "coach company": "客车公司",
    "driver's name": "司机姓名",
    "driver's phone number": "司机电话",
    "latitude, degrees": "纬度（度）",
    "longitude, degrees": "经度（度）",
    "city or district, for the reader": "所在城市或区县，供读者参考",
    "road km per great-circle km": "每公里直线距离对应的道路公里数",
    "average coach speed, km/h": "客车平均时速（公里/小时）",
    "an override from A to B also holds from B to A": "从 A 到 B 的实测路段是否也适用于从 B 到 A",
    "measured legs": "实测路段",
    "coach driving time, minutes (two decimals allowed)": "客车行驶时间（分钟，可带两位小数）",
    "road distance, km (estimated if omitted)": "道路距离（公里，不写则估算）",
    "date of day 1, YYYY-MM-DD": "第一天的日期，形如 YYYY-MM-DD",
    "number of days": "天数",
    "default language of labels: zh or en": "标签的默认语言：zh 或 en",
    "IANA time zone of all clock times": "所有时间所用的 IANA 时区",
    "who runs the programme": "主办单位",
    "the organisers' contacts: office, person on duty": "主办方联系人：办公室、值班人员",
    "notes for every trainee: what to bring, dress, rules": "给全体学员的说明：携带物品、着装、纪律",
    "length of one class hour (课时)": "一课时的时长",
    "the daily frame": "每日作息框架",
    "days whose limits differ": "限制不同的日子",
    "day number, 1 for the first day": "第几天，第一天为 1",
    "most coach driving that day": "当天最多的车程",
    "latest arrival at that night's place": "最晚到达当晚住宿地的时间",
    "earliest coach departure that day": "当天最早的发车时间",
    "earliest start of a session that day (default: as frame.day_start says, for that day)": (
        "当天课程最早的开始时间（默认按 frame.day_start 对当天的规定）"
    ),
    "a day off: no visit, session or evening work; the day is free time (自由活动)": (
        "休息日：没有参观、课程或晚间安排，全天自由活动"
    ),
    "earliest coach departure of a day": "每天最早的发车时间",
    (
        "earliest start of a session (opening, lecture, presentation); default 08:00, or the earliest "
        "departure when that is later"
    ): ("课程（开班式、讲座、汇报）最早的开始时间；默认 08:00，若最早发车时间更晚则取发车时间"),
    (
        "clock times a person reads (sessions, visits, meals, departures) are multiples of this many "
        "minutes; a coach's arrival is what the drive gives. A divisor of 60"
    ): ("日程上的时间（课程、参观、用餐、发车）都是这个分钟数的整数倍，客车到达时间按实际车程计；应能整除 60"),
    (
        "a class reaches a site at most this long before its visit starts: the coach leaves when needed, "
        "not at the earliest minute"
    ): ("班次最多提前这么久到达教学点：客车按需出发，而不是尽早出发"),
    "the lunch break": "午餐时间",
    "dinner, taken where the class sleeps": "晚餐，在当晚住宿地用餐",
    "the evening seminar window; seminars start at its start": "晚间研讨时段；研讨从时段开始时开始",
    "nothing (not even report writing) goes past this time": "任何安排（包括撰写报告）都不得超过的时间",
    "an evening that ends after this counts as a late evening (soft goal)": "晚间安排晚于此时结束即算晚归（软目标）",
    'start, "HH:MM"': '开始时间，"HH:MM"',
    'end, "HH:MM"': '结束时间，"HH:MM"',
    "earliest start of lunch": "午餐最早的开始时间",
    "lunch must be over by this time": "午餐最晚结束的时间",
    "length of lunch": "午餐时长",
}
"""The description of every field of the scenario and variant formats in Chinese, keyed by its
English description (as gettext keys a translation by its source text): what a "required but
missing" message expects in Chinese."""


class Message(str):
    """A sentence about an input file: its English wording, with the key and values to word it
    in Chinese too.

    Parameters
    ----------
    key
        A key of ``words``: ``WORDS`` here. A subclass in a layer above the scenario (the
        checker's `Sentence`, the solver's `ParamsMessage`) names its own table, since this
        module, at the bottom, holds only the scenario's sentences.
    **fields
        The values the sentence names: text and numbers as they are shown, a `Message` (worded
        in the sentence's language), or a tuple of them (joined with ``, `` or ``、``).
    """

    words: ClassVar[Mapping[str, tuple[str, str]]] = WORDS
    key: str
    fields: Mapping[str, Any]

    def __new__(cls, key: str, /, **fields: Any) -> Self:
        message = super().__new__(cls, worded(key, fields, "en", cls.words))
        message.key = key
        message.fields = fields
        return message

    def in_language(self, lang: str) -> str:
        """The sentence in ``lang`` (``"zh"`` or ``"en"``); English for any other."""
        return worded(self.key, self.fields, lang, self.words) if lang == "zh" else str(self)

    def __reduce__(self) -> tuple[Any, ...]:
        return _rebuilt, (type(self), self.key, dict(self.fields))


def _rebuilt(cls: type[Message], key: str, fields: dict[str, Any]) -> Message:
    return cls(key, **fields)


def worded(key: str, fields: Mapping[str, Any], lang: str, words: Mapping[str, tuple[str, str]] = WORDS) -> str:
    """The template of ``key`` in ``words`` (by default ``WORDS``) in ``lang``, with ``fields``
    filled in, each in that language."""
    chinese, english = words[key]
    template = chinese if lang == "zh" else english
    return template.format(**{name: _in_language(value, lang) for name, value in fields.items()})


def _in_language(value: Any, lang: str) -> Any:
    if isinstance(value, Message):
        return value.in_language(lang)
    if isinstance(value, tuple):
        return ("、" if lang == "zh" else ", ").join(str(_in_language(item, lang)) for item in value)
    return value
