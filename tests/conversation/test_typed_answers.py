"""Typed answers mean what they say, in English and Arabic, at every prompt: each failure found by trying the bot as
a Gulf marketer would, replayed through the conversation driver (`driver.reply`, what Slack thread replies and the
terminal use)."""

from __future__ import annotations

from datetime import date

from conversation_helpers import SEED_AR, SEED_EN, TODAY, say, start, state, until
from sqlalchemy import func, select

from agent.answers import instruction_help
from agent.reports import campaign_summary
from bot.console import summary_lines
from bot.services import open_services
from bot.settings import Settings
from store.models import Conversation


async def test_arabic_review_takes_the_shown_option_and_preview_cancel_cancels(settings: Settings) -> None:
    async with open_services(settings) as services:
        turn = await until(services, await start(services, SEED_AR), "review")
        turn = await say(services, turn, "موافقة")  # the option as the review shows it
        assert turn.notice is None
        assert turn.prompt is not None and turn.prompt.kind == "preview"
        preview = turn.prompt.interrupt_id
        turn = await say(services, turn, "إلغاء")
        assert turn.status == "cancelled", (turn.status, turn.notice)
        assert turn.prompt is None or turn.prompt.interrupt_id != preview
        summary = await campaign_summary(services.ctx, turn.conversation_id)
        assert summary["status"] == "draft"
        lines = summary_lines(summary)
        assert not any("None" in line for line in lines), lines


async def test_arabic_preview_publishes_on_approve_and_publish(settings: Settings) -> None:
    async with open_services(settings) as services:
        turn = await until(services, await start(services, SEED_AR), "preview")
        before = (await state(services, turn))["plan_hash"]
        turn = await say(services, turn, "موافقة ونشر")
        assert turn.status == "live", (turn.status, turn.notice)
        values = await state(services, turn)
        assert values["plan_hash"] == before  # published as shown: not rebuilt from the words


async def test_numbers_still_pick_the_numbered_options(settings: Settings) -> None:
    async with open_services(settings) as services:
        turn = await until(services, await start(services, SEED_EN), "review")
        turn = await say(services, turn, "1")
        assert turn.prompt is not None and turn.prompt.kind == "preview"
        turn = await say(services, turn, "3")
        assert turn.status == "cancelled"


async def test_a_clarifying_question_can_be_left_and_explains_itself(settings: Settings) -> None:
    async with open_services(settings) as services:
        turn = await start(services, "Ramadan campaign for women in Riyadh")
        assert turn.prompt is not None and turn.prompt.kind == "clarify"
        asked = turn.prompt.interrupt_id
        for typed, expected in (("", "Nothing was typed"), ("asdfgh", "no answer"), ("what can you do?", "cancel")):
            turn = await say(services, turn, typed)
            assert turn.prompt is not None and turn.prompt.interrupt_id == asked, typed  # asked once, not again
            assert turn.notice and expected in turn.notice and "“cancel”" in turn.notice, turn.notice
        turn = await say(services, turn, "cancel")
        assert turn.status == "cancelled"
        summary = await campaign_summary(services.ctx, turn.conversation_id)
        assert summary_lines(summary) == ["No campaign was created."]


async def test_an_arabic_clarifying_question_is_left_with_ilgha(settings: Settings) -> None:
    async with open_services(settings) as services:
        turn = await start(services, "حملة رمضان للنساء في الرياض")
        assert turn.prompt is not None and turn.prompt.kind == "clarify"
        turn = await say(services, turn, "")
        assert turn.notice and "لم تكتب شيئاً" in turn.notice and "«إلغاء»" in turn.notice
        turn = await say(services, turn, "إلغاء")
        assert turn.status == "cancelled"


async def test_questions_and_nonsense_get_help_instead_of_a_campaign() -> None:
    for text in ("what can you do?", "asdfgh", "help", "?"):
        help_text = instruction_help(text, today=TODAY)
        assert help_text is not None and "Meta" in help_text and "approval" in help_text, text
    for text in ("وش تقدر تسوي؟", "مساعدة"):
        help_text = instruction_help(text, today=TODAY)
        assert help_text is not None and "تيك توك" in help_text, text
    for text in (SEED_EN, SEED_AR, "Ramadan campaign for women in Riyadh", "new campaign", "campaign for my shoes"):
        assert instruction_help(text, today=TODAY) is None, text


async def test_the_terminal_answers_questions_without_starting_a_campaign(settings: Settings, monkeypatch) -> None:
    from bot import console

    typed = iter(["what can you do?", "asdfgh", ""])

    async def ask(question: str) -> str | None:
        return next(typed)

    said: list[str] = []
    monkeypatch.setattr(console, "_ask", ask)
    assert await console.run_chat(settings, resume=None, say=said.append) == 0
    assert sum("I create ad campaigns" in line for line in said) == 2, said
    async with open_services(settings) as services, services.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(Conversation)) == 0


async def test_the_terminal_takes_arabic_words_at_review_and_preview(settings: Settings, monkeypatch) -> None:
    from bot import console

    typed = iter([SEED_AR, "موافقة", "إلغاء", ""])

    async def ask(question: str) -> str | None:
        return "نعم" if "[نعم/لا]" in question else next(typed)  # connect: asked in Arabic, answered in Arabic

    said: list[str] = []
    monkeypatch.setattr(console, "_ask", ask)
    assert await console.run_chat(settings, resume=None, say=said.append) == 0
    assert not any("numbered choices" in line or "الخيارات المرقمة" in line for line in said), said
    # The final report in the speaker's language: the campaign, still a draft (مسودة).
    assert any(line.startswith("الحملة «") and line.endswith(": مسودة") for line in said), said[-12:]
    assert not any("None" in line for line in said), [line for line in said if "None" in line]


async def test_the_terminal_connect_step_can_be_left(settings: Settings, monkeypatch) -> None:
    from bot import console

    typed = iter([SEED_AR, "إلغاء", ""])

    async def ask(question: str) -> str | None:
        return next(typed)

    said: list[str] = []
    monkeypatch.setattr(console, "_ask", ask)
    assert await console.run_chat(settings, resume=None, say=said.append) == 0
    assert "لم تُنشأ أي حملة." in said, said[-8:]  # "No campaign was created.", in Arabic
    async with open_services(settings) as services, services.sessions() as session:
        conversation = await session.scalar(select(Conversation))
        assert conversation is not None and conversation.status == "done"
        turn = await services.driver.current(conversation.id)
        assert turn.status == "cancelled"


async def test_copy_is_edited_and_assets_regenerated_in_plain_words(settings: Settings) -> None:
    async with open_services(settings) as services:
        turn = await until(services, await start(services, SEED_EN), "review")

        def copy(slot: str) -> dict[str, str]:
            assert turn.prompt is not None
            return next(a["text"] for a in turn.prompt.payload["assets"] if a["slot"] == slot)

        turn = await say(services, turn, "change the English headline to Big Ramadan Sale")
        assert turn.notice is None, turn.notice
        assert copy("copy:en")["headline"] == "Big Ramadan Sale"
        turn = await say(services, turn, "غيّر العنوان العربي إلى عروض رمضان الكبرى")
        assert copy("copy:ar")["headline"] == "عروض رمضان الكبرى"
        assert copy("copy:en")["headline"] == "Big Ramadan Sale"
        turn = await say(services, turn, "make it 1500 SAR")  # not a review answer: said so, nothing changes
        assert turn.notice and "did not understand" in turn.notice
        assert turn.prompt is not None
        square = next(a["asset_id"] for a in turn.prompt.payload["assets"] if a["slot"] == "image:en:1x1")
        round_before = turn.prompt.payload["round"]
        turn = await say(services, turn, "regenerate the square image")
        assert turn.prompt is not None and turn.prompt.kind == "review"
        assert turn.prompt.payload["round"] == round_before + 1
        assert next(a["asset_id"] for a in turn.prompt.payload["assets"] if a["slot"] == "image:en:1x1") != square


async def test_adjustments_rederive_the_window_and_its_warning(settings: Settings) -> None:
    async with open_services(settings) as services:
        turn = await until(services, await start(services, SEED_EN), "preview")
        plan = turn.prompt.payload["plan"] if turn.prompt else {}
        # A short budget keeps the last nights of Ramadan, when Gulf shoppers spend most.
        assert (plan["start_date"], plan["end_date"]) == ("2027-03-01", "2027-03-08")
        assert any("8 days" in w for w in turn.prompt.payload["warnings"]) if turn.prompt else False
        turn = await say(services, turn, "make it 1500 SAR")
        assert turn.prompt is not None and turn.prompt.kind == "preview"
        plan, warnings = turn.prompt.payload["plan"], turn.prompt.payload["warnings"]
        assert (plan["start_date"], plan["end_date"]) == ("2027-02-24", "2027-03-08")  # the window grows with it
        assert any("1,500 SAR" in w and "13 days" in w for w in warnings), warnings
        assert not any("8 days" in w for w in warnings), warnings
        turn = await say(services, turn, "drop TikTok")
        assert turn.prompt is not None and turn.prompt.kind == "preview"
        payload = turn.prompt.payload
        assert (payload["plan"]["start_date"], payload["plan"]["end_date"]) == ("2027-02-08", "2027-03-08")
        assert not any("days of Ramadan" in w for w in payload["warnings"]), payload["warnings"]
        assert [p["platform"] for p in payload["plan"]["platforms"]] == ["meta"]
        assert payload["plan"]["name"] == "Ramadan sale 2027"
        assert payload["notes"][0].startswith("Budget: all 1,500")
        # Dropped everywhere: publishing leaves no TikTok row behind in the report.
        turn = await say(services, turn, "approve and publish")
        assert turn.status == "live", turn.notice
        summary = await campaign_summary(services.ctx, turn.conversation_id)
        assert [p["platform"] for p in summary["platforms"]] == ["meta"]
        assert not any("None" in line for line in summary_lines(summary))


async def test_a_nonsense_adjustment_changes_nothing_and_says_so(settings: Settings) -> None:
    async with open_services(settings) as services:
        turn = await until(services, await start(services, SEED_EN), "preview")
        assert turn.prompt is not None
        shown = turn.prompt.interrupt_id
        turn = await say(services, turn, "asdfgh")
        assert turn.prompt is not None and turn.prompt.interrupt_id == shown
        assert turn.notice and "no change" in turn.notice


async def test_moving_an_occasion_campaign_out_of_the_occasion_asks_first(settings: Settings) -> None:
    async with open_services(settings) as services:
        turn = await until(services, await start(services, SEED_EN), "preview")
        turn = await say(services, turn, "start next Sunday")
        assert turn.prompt is not None and turn.prompt.kind == "clarify", turn.prompt
        issue = next(i for i in turn.prompt.payload["issues"] if i["code"] == "schedule_outside_occasion")
        assert "outside Ramadan" in issue["message"] and len(issue["fixes"]) == 2
        turn = await say(services, turn, "1")  # keep the Ramadan dates
        assert turn.prompt is not None and turn.prompt.kind == "preview"
        plan = turn.prompt.payload["plan"]
        assert (plan["start_date"], plan["name"]) == ("2027-03-01", "Ramadan sale 2027")
        turn = await say(services, turn, "start next Sunday")
        turn = await say(services, turn, "2")  # run on the new dates, not as a Ramadan campaign
        # The content spoke of Ramadan: it is made again for what the campaign now is, and reviewed again.
        assert turn.prompt is not None and turn.prompt.kind == "review", turn.prompt
        copies = [a["text"] for a in turn.prompt.payload["assets"] if a["kind"] == "copy"]
        assert copies and not any("Ramadan" in c["headline"] or "رمضان" in c["headline"] for c in copies), copies
        turn = await say(services, turn, "approve")
        assert turn.prompt is not None and turn.prompt.kind == "preview", turn.prompt
        plan = turn.prompt.payload["plan"]
        sunday = date(2026, 12, 6)
        assert plan["start_date"] == sunday.isoformat()
        assert "Ramadan" not in plan["name"]


async def test_preview_explains_the_budget_and_format_split_in_both_languages(settings: Settings) -> None:
    async with open_services(settings) as services:
        turn = await until(services, await start(services, SEED_EN), "preview")
        assert turn.prompt is not None
        budget, formats = turn.prompt.payload["notes"]
        assert "TikTok 600 SAR" in budget and "least" in budget and "Meta" in budget
        assert "25-34 image ads" in formats and "35-40 video ads" in formats and "younger" in formats
    async with open_services(settings) as services:
        turn = await until(services, await start(services, SEED_AR), "preview")
        assert turn.prompt is not None
        budget, formats = turn.prompt.payload["notes"]
        assert budget.startswith("توزيع الميزانية") and "تيك توك" in budget
        assert formats.startswith("المجموعات والأشكال") and "إعلانات صور" in formats


async def test_a_tiktok_only_campaign_makes_only_vertical_images(settings: Settings) -> None:
    async with open_services(settings) as services:
        turn = await start(services, "TikTok campaign for Ramadan sale with 3000 SAR budget targeting women 25-40 in Riyadh")
        turn = await until(services, turn, "review")
        assert turn.prompt is not None
        images = [a["slot"] for a in turn.prompt.payload["assets"] if a["kind"] == "image"]
        assert images and all(slot.endswith(":9x16") for slot in images), images


async def test_an_answer_with_a_location_and_a_drop_takes_both(settings: Settings) -> None:
    async with open_services(settings) as services:
        turn = await start(services, "Instagram and TikTok campaign for Ramadan sale targeting women 25-40")
        assert turn.prompt is not None and turn.prompt.kind == "clarify"
        turn = await say(services, turn, "3000 SAR, Riyadh, and drop TikTok")
        assert turn.prompt is not None and turn.prompt.kind != "clarify", turn.prompt.payload
        request = (await state(services, turn))["request"]
        assert request["platforms"] == ["meta"]
        assert [loc["name"] for loc in request["audience"]["locations"]] == ["Riyadh"]
