"""The checker's sentences in both languages: every sentence ``check`` writes has a Chinese and
an English wording (``scheduler.analysis.wording.WORDS``); the English one is the sentence as it
always was, and the Chinese one holds no English word but the ids and values it names."""

from __future__ import annotations

import ast
import datetime as dt
import re
import string

import pytest
from helpers import ROOT, SCENARIO, VALID, scenario_ids
from test_check import BROKEN

from scheduler.analysis.check import check, foreign, say_date
from scheduler.analysis.freeze import cannot_keep, not_kept
from scheduler.analysis.wording import WORDS, Sentence
from scheduler.plan.model import Event, Freeze, Night, Plan

SAYERS = (ROOT / "scheduler" / "analysis" / "check.py", ROOT / "scheduler" / "analysis" / "freeze.py")
"""The modules whose sentences ``WORDS`` words."""
CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")
ONE_LANGUAGE_FIELDS = {
    "zh": {"month", "day", "weekday_zh", "kind_zh"},
    "en": {"iso", "weekday_en", "kind_en"},
}
"""The fields only one language's template reads: a date's parts, a weekday's or a kind's name."""
PLAN_KEYS = r"\b(class_id|place|site|lecturer|topic|from_place|to_place|driving_minutes|rest_minutes|km)\b"
"""The keys of a plan file's event, which a ``well formed`` sentence names as the file writes them."""


def fields_of(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def english_left(sentence: str) -> set[str]:
    """The English words of a Chinese sentence once its ids, quoted values and file keys are gone."""
    text = re.sub(r"'[^']*'|\b[a-z]+(?:_[a-z]+)+\b", " ", sentence)
    text = re.sub(PLAN_KEYS, " ", text)
    for name in sorted(scenario_ids(SCENARIO), key=len, reverse=True):
        text = re.sub(rf"(?<![A-Za-z_]){re.escape(name)}(?![A-Za-z_])", " ", text)
    return set(re.findall(r"[A-Za-z]+", text))


@pytest.mark.parametrize("key", sorted(WORDS))
def test_every_sentence_has_both_wordings(key: str):
    chinese, english = WORDS[key]
    assert chinese and english
    assert CJK.search(chinese), chinese
    assert not CJK.search(english), english
    assert fields_of(chinese) - ONE_LANGUAGE_FIELDS["zh"] == fields_of(english) - ONE_LANGUAGE_FIELDS["en"]


def sentence_keys_in_check() -> tuple[set[str], set[str]]:
    """The keys ``check.py`` and ``freeze.py`` pass to ``Sentence`` as literals, and every string
    they hold (the keys their tables name among them)."""
    literal: set[str] = set()
    strings: set[str] = set()
    nodes = [node for path in SAYERS for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))]
    for node in nodes:
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            strings.add(node.value)
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "Sentence" and node.args:
            first = node.args[0]
            if isinstance(first, ast.Constant):
                literal.add(first.value)
    return literal, strings


def test_every_key_check_uses_is_in_the_table_and_every_key_of_the_table_is_used():
    literal, strings = sentence_keys_in_check()
    assert literal, "no Sentence(...) in check.py or freeze.py"
    assert literal <= set(WORDS), sorted(literal - set(WORDS))
    assert set(WORDS) <= strings, sorted(set(WORDS) - strings)


@pytest.mark.parametrize("row", range(len(BROKEN)))
def test_each_broken_rule_is_said_in_chinese(row: int):
    """Every rule's sentences, in Chinese: no English word but the ids and values they name; the
    English wording is the violation's sentence itself."""
    _, mutation, _ = BROKEN[row]
    violations = check(SCENARIO, mutation(VALID))
    assert violations
    for violation in violations:
        assert isinstance(violation.message, Sentence)
        assert violation.in_language("en") == str(violation)
        chinese = violation.in_language("zh")
        assert CJK.search(chinese), chinese
        assert not english_left(chinese), (sorted(english_left(chinese)), chinese)


def test_the_english_sentences_are_as_they_were():
    broken = dict(BROKEN_BY_NAME)
    said = {rule: [str(v) for v in check(SCENARIO, mutation(VALID))] for rule, mutation in broken.items()}
    assert said["lodging"] == [
        "Lodging bangchuidao holds classes economy, urban after 2019-08-26 (Monday), but takes 1 class a night."
    ]
    assert said["lecturer"] == [
        "Lecturer li's lectures for class economy at jinpu on 2019-08-26 (Monday) (08:30-10:00) and for class urban "
        "at jinpu on 2019-08-26 (Monday) (08:30-10:00) overlap."
    ]


BROKEN_BY_NAME = {
    "lodging": next(m for rule, m, _ in BROKEN if rule == "lodging capacity"),
    "lecturer": next(m for rule, m, _ in BROKEN if rule == "lecturer one at a time"),
}


def test_a_date_is_said_as_the_outputs_say_it():
    date = say_date(dt.date(2019, 8, 26))
    assert date == "2019-08-26 (Monday)"
    assert date.in_language("zh") == "8月26日（周一）"


def test_a_plan_of_another_programme_is_said_in_chinese():
    other = Plan(
        (Event("elsewhere", dt.date(2030, 1, 1), 600, 660, "lecture", "jinpu", lecturer="li", topic="policy"),),
        (Night("elsewhere", dt.date(2030, 1, 1), "jinpu"),),
    )
    said = foreign(SCENARIO, other)
    assert said is not None
    assert str(said) == (
        "it is a plan of another programme (classes elsewhere; 2030-01-01 to 2030-01-01), "
        "not of this one (classes economy, urban; 2019-08-26 to 2019-08-27)"
    )
    assert said.in_language("zh") == (
        "这是另一个项目的方案（班次 elsewhere；2030-01-01 至 2030-01-01），"
        "不是本项目的方案（班次 economy、urban；2019-08-26 至 2019-08-27）"
    )


def test_what_a_re_plan_cannot_keep_is_said_in_chinese():
    newcomer = SCENARIO.training_class("urban").model_copy(update={"id": "newcomer"})
    grown = SCENARIO.model_copy(update={"classes": (*SCENARIO.classes, newcomer)})
    reasons = cannot_keep(grown, VALID, Freeze(dt.date(2019, 8, 27), 12 * 60))
    (reason,) = [r for r in reasons if "newcomer" in r]
    assert reason == (
        "Class newcomer is not in the saved plan, so it has nothing to keep before 2019-08-27 (Tuesday) 12:00: a "
        "class added to a programme under way can only be planned from the start (freeze at 2019-08-26 or earlier, "
        "or solve the programme anew)."
    )
    assert reason.in_language("zh") == (
        "班次 newcomer 不在已保存的方案中，8月27日（周二） 12:00 之前没有可保留的安排：培训进行中新增的班次只能从头编排"
        "（请把冻结时刻定在 2019-08-26 或更早，或重新编排整个项目）。"
    )


def test_a_finding_given_as_a_reason_is_said_in_the_language_asked():
    """A sweep's task that re-planned into a broken plan (a bug) names the findings as reasons."""
    import pickle

    from scheduler.analysis.risk import Reason

    (violation,) = check(SCENARIO, BROKEN_BY_NAME["lodging"](VALID))
    reason = pickle.loads(pickle.dumps(Reason(violation.message)))  # as it comes back from a worker process
    assert reason.say("en") == str(reason) == str(violation)
    assert reason.say("zh") == violation.in_language("zh")
    assert Reason.of("internal_broken").say("zh") == "内部错误：新方案违反了规则（程序缺陷，请报告）"


def test_what_a_re_plan_did_not_keep_is_said_in_chinese():
    from test_check import drop

    new = drop("economy", 0, "meal", "12:00")(VALID)
    (sentence,) = not_kept(VALID, new, Freeze(dt.date(2019, 8, 27), 0)).sentences()
    assert sentence == "Class economy's meal at guangyang (12:00-13:00) on 2019-08-26 (Monday) is not kept as it was"
    assert sentence.in_language("zh") == "班次 economy 8月26日（周一）的用餐（guangyang，12:00-13:00）没有按原样保留"
