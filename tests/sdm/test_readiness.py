"""SURE test and the "who decides" question."""

import itertools

import pytest
from pydantic import ValidationError

from sdm.teaching import readiness
from sdm.teaching.readiness import ROLE_LABELS, SURE_IDS, SURE_ITEMS, Role, role_choices, score_sure

ALL_ANSWERS = [dict(zip(SURE_IDS, combo, strict=True)) for combo in itertools.product([True, False], repeat=4)]


def test_four_items_in_sure_order_with_plain_questions():
    assert [i.letter for i in SURE_ITEMS] == ["S", "U", "R", "E"]
    assert SURE_IDS == ("sure", "understand", "risk_benefit", "encouragement")
    for item in SURE_ITEMS:
        assert item.question.endswith("?") and len(item.question.split()) <= 15
        assert item.if_no


@pytest.mark.parametrize("answers", ALL_ANSWERS, ids=lambda a: "".join("Y" if v else "N" for v in a.values()))
def test_every_one_of_the_16_combinations(answers):
    res = score_sure(answers)
    yes = sum(answers.values())
    assert res.score == yes and res.out_of == 4
    assert res.conflict is (yes <= 3)
    assert res.unmet == [k for k in SURE_IDS if not answers[k]]
    assert len(res.next_steps) == 4 - yes
    if res.conflict:
        assert res.message == readiness.CONFLICT_MESSAGE
    else:
        assert res.message == readiness.READY_MESSAGE and res.next_steps == []


def test_sixteen_distinct_combinations_cover_every_score():
    assert len({tuple(a.values()) for a in ALL_ANSWERS}) == 16
    scores = [score_sure(a).score for a in ALL_ANSWERS]
    assert sorted(set(scores)) == [0, 1, 2, 3, 4]
    assert sum(s == 4 for s in scores) == 1  # only all-yes is free of conflict


def test_answers_must_be_complete_and_boolean():
    good = dict.fromkeys(SURE_IDS, True)
    with pytest.raises(ValueError, match="missing"):
        score_sure({k: v for k, v in good.items() if k != "sure"})
    with pytest.raises(ValueError, match="unknown"):
        score_sure({**good, "extra": True})
    with pytest.raises(ValueError):
        score_sure({**good, "understand": 1})
    with pytest.raises(ValueError):
        score_sure({**good, "understand": "yes"})


def test_result_is_frozen():
    res = score_sure(dict.fromkeys(SURE_IDS, False))
    with pytest.raises(ValidationError):
        res.score = 4


def test_who_decides_has_three_labelled_roles():
    assert [r.value for r in Role] == ["myself", "shared", "clinician"]
    assert set(ROLE_LABELS) == set(Role)
    for r in Role:
        assert r.label == ROLE_LABELS[r] and r.label.startswith("I want")
    assert role_choices() == [(r.value, r.label) for r in Role]
    assert Role("shared") is Role.shared


def test_readiness_text_is_plain_and_never_prescriptive():
    texts = [i.question for i in SURE_ITEMS] + [i.if_no for i in SURE_ITEMS]
    texts += [readiness.READY_MESSAGE, readiness.CONFLICT_MESSAGE, readiness.ROLE_QUESTION, *ROLE_LABELS.values()]
    for t in texts:
        for word in ("recommend", "best", "should choose", "preferred option"):
            assert word not in t.lower()
    textstat = pytest.importorskip("textstat")
    assert textstat.flesch_kincaid_grade(" ".join(texts)) <= 8


def test_nothing_is_stored():
    before = {k: v for k, v in vars(readiness).items() if not k.startswith("__")}
    for a in ALL_ANSWERS:
        score_sure(a)
    after = {k: v for k, v in vars(readiness).items() if not k.startswith("__")}
    assert before.keys() == after.keys()
    assert all(before[k] is after[k] for k in before)


# ----------------------------------------------------------------- in Spanish (issue 12)


def test_the_questions_and_roles_in_spanish_come_from_the_spanish_catalogue():
    from sdm.words import i18n

    es, en = i18n.catalogue("es"), i18n.catalogue("en")
    spanish = readiness.sure_items(es)
    assert [i.id for i in spanish] == list(SURE_IDS) and [i.letter for i in spanish] == ["S", "U", "R", "E"]
    for item, english in zip(spanish, SURE_ITEMS, strict=True):
        assert item.question.startswith("¿") and item.question.endswith("?")
        assert item.question != english.question and item.if_no != english.if_no
    assert readiness.role_question(es) == "¿Cómo le gustaría que se tome esta decisión?"
    assert [v for v, _ in role_choices(es)] == [v for v, _ in role_choices(en)] == [r.value for r in Role]
    assert all(label.startswith("Quiero") for _, label in role_choices(es))


@pytest.mark.parametrize("answers", ALL_ANSWERS, ids=lambda a: "".join("Y" if v else "N" for v in a.values()))
def test_the_score_is_the_same_in_every_language(answers):
    from sdm.words import i18n

    en, es = score_sure(answers), score_sure(answers, i18n.catalogue("es"))
    assert (es.score, es.out_of, es.conflict, es.unmet) == (en.score, en.out_of, en.conflict, en.unmet)
    assert len(es.next_steps) == len(en.next_steps)
    assert es.message == i18n.catalogue("es").t("readiness.conflict" if en.conflict else "readiness.ready")
    assert es.message != en.message
