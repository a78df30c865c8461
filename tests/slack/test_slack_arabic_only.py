"""An Arabic conversation in Slack, from the mention to live: no Latin word in anything the user can read.

Scanned: every chat.postMessage / chat.update / chat.postEphemeral (fallback text and the blocks' visible text:
text objects, options, placeholders, confirm dialogs) and the titles of the files uploaded into the thread.
Allowed: brands, URLs, people's names, the ad account's own name and the English ads' copy (see latin_scan).
"""

from __future__ import annotations

import json
from typing import Any

from fake_slack import find_element
from latin_scan import latin_words, user_data_phrases, visible_texts
from slack_harness import APPROVER, MARKETER, Slack

from agent.localize import slot_label

ARABIC_REQUEST = "أبغى حملة انستغرام وتيك توك لتخفيضات رمضان بميزانية 1000 ريال للنساء 25-40 في الرياض"


def _shown(slack: Slack) -> list[str]:
    texts: list[str] = []
    for call in slack.fake.calls:
        args = call.args
        if call.method in ("chat.postMessage", "chat.update", "chat.postEphemeral"):
            texts.append(str(args.get("text") or ""))
            blocks = args.get("blocks")
            if isinstance(blocks, str):
                blocks = json.loads(blocks)
            texts.extend(visible_texts(blocks or []))
        elif call.method == "files.completeUploadExternal":
            files = args.get("files")
            files = json.loads(files) if isinstance(files, str) else files or []
            texts.extend(str(f.get("title") or "") for f in files)
    return texts


def _option_labels(card: dict[str, Any], action_id: str) -> dict[str, str]:
    found = find_element(card["blocks"], action_id)
    assert found is not None
    return {o["value"]: o["text"]["text"] for o in found[1]["options"]}


async def test_arabic_conversation_in_slack_shows_no_latin_words(slack: Slack) -> None:
    review = await slack.to_review(ARABIC_REQUEST)

    # The Regenerate menu names assets as people do; its values stay the slot ids the flow works with.
    options = _option_labels(review, "adly.review.regenerate")
    assert options["copy:ar"] == "النص العربي" and options["image:ar:1x1"] == slot_label("image:ar:1x1", "ar")
    await slack.click(review, "adly.review.regenerate", user=APPROVER, option="image:ar:1x1")
    await slack.drain()
    second = slack.last_card("adly.review.approve")
    assert second["ts"] != review["ts"]

    await slack.click(second, "adly.review.approve", user=APPROVER)
    await slack.drain()
    preview = slack.last_card("adly.preview.approve")
    await slack.click(preview, "adly.preview.approve", user=APPROVER)
    await slack.drain()
    report = slack.fake.posted()[-1]
    shown = _shown(slack)
    everything = "\n".join(shown)
    assert "الحملة تعمل الآن" in json.dumps(report.get("blocks"), ensure_ascii=False)
    assert "تخفيضات رمضان 2027" in everything and "1,000 ر.س" in everything
    assert slot_label("image:ar:1x1", "ar") in everything  # "regenerating ..." and the card's resolution

    people = [f"Name {u}" for u in (APPROVER, MARKETER)] + [f"Real {u}" for u in (APPROVER, MARKETER)]
    found = latin_words(shown, [*people, *await user_data_phrases(slack.services)])
    assert found == [], "\n".join(f"{w}: {t}" for w, t in found)
