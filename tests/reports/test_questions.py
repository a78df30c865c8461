"""Performance questions told apart from instructions, in English and Arabic, and the campaign a question names."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from agent.performance.questions import best_match, is_performance_question, report_query


@pytest.mark.parametrize("text", [
    "how is it doing?", "How's it going", "how is my Ramadan campaign doing?", "How are we doing so far",
    "how did the campaign perform", "كيف أداء الحملة؟", "كيف الحملة", "شلون الحملة اليوم؟", "وش صار على الحملة",
    "كم صرفنا؟",
])
def test_questions(text: str) -> None:
    assert is_performance_question(text)
    assert is_performance_question(text, topics=False)


@pytest.mark.parametrize("text", [
    "make it 1500 SAR", "drop TikTok", "Create a Ramadan campaign on TikTok for 3000 SAR",
    "أنشئ حملة على تيك توك بميزانية 1000 ريال", "خلها 1500 ريال",
])
def test_instructions_are_not_questions(text: str) -> None:
    assert not is_performance_question(text)


def test_bare_topics_count_only_where_asked_for() -> None:
    assert is_performance_question("results?") and is_performance_question("النتائج")
    assert not is_performance_question("a campaign for results on Snapchat", topics=False)


def test_report_keyword() -> None:
    assert report_query("report") == "" and report_query("Report: Ramadan") == "Ramadan"
    assert report_query("تقرير رمضان") == "رمضان"
    assert report_query("reporting tool campaign") is None and report_query("how is it doing") is None


def test_the_campaign_a_question_names() -> None:
    campaigns = [SimpleNamespace(name="National Day sale 2026"), SimpleNamespace(name="Ramadan sale 2027"),
                 SimpleNamespace(name="Eid perfumes 2027")]
    def words(c: SimpleNamespace) -> str:
        return str(c.name)

    assert best_match("how is my Ramadan campaign doing?", campaigns, words_of=words) is campaigns[1]
    assert best_match("report eid", campaigns, words_of=words) is campaigns[2]
    assert best_match("how is it doing?", campaigns, words_of=words) is None  # names none: the caller picks
    assert best_match("christmas", campaigns, words_of=words) is None
