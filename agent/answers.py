"""Typed answers read for what they mean, in English and Arabic: approve, cancel, edit in plain words, regenerate,
a numbered option, or a question (help) at any prompt; and whether a new instruction is a request at all."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from agent.answer_texts import at, help_for
from agent.interactions import numbered_choices
from agent.models import CampaignRequest
from agent.parsing import merge_reply, parse_instruction
from agent.parsing.text import input_language


@dataclass(frozen=True)
class Answer:
    """What a typed line means at a prompt: a decision for the driver, or a sentence to show instead.

    `check_change`: the decision carries free text that must change the request to mean anything (a
    clarification answer, a plan adjustment); the driver checks that before resuming the flow."""

    decision: dict[str, Any] | None = None
    notice: str | None = None
    check_change: bool = False


# ------------------------------------------------------------------------------------------ normalising

_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
_MARKS = re.compile("[\u064b-\u0652\u0670\u0640]")  # diacritics (the shadda of "غيّر") and tatweel
_LETTERS = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه"})
_PUNCT = re.compile(r"[.,!?؟،؛:;\"'«»“”‘’()\[\]{}*_\-–—/\\]+")


def normalise(text: str) -> str:
    """Lower case, Western digits, Arabic letters folded (alef forms, ta marbuta), no marks or punctuation."""
    text = _MARKS.sub("", text.translate(_DIGITS)).translate(_LETTERS).lower()
    return " ".join(_PUNCT.sub(" ", text).split())


def _words(*phrases: str) -> frozenset[str]:
    return frozenset(normalise(p) for p in phrases)


APPROVE = _words(
    "approve", "approved", "approve it", "approve this", "approve all", "i approve", "yes approve", "approve them",
    "approve and publish", "approve & publish", "publish", "publish it", "go ahead and publish", "yes", "y", "ok",
    "okay", "a", "go", "go ahead", "looks good", "lgtm", "confirm", "accept", "ship it", "all good",
    "موافقة", "موافق", "أوافق", "وافق", "موافقة ونشر", "موافق وانشر", "موافقه وانشر", "وافق وانشر", "نعم", "اي",
    "ايوه", "أيوه", "تمام", "اعتمد", "اعتماد", "اعتمده", "اعتمدها", "اعتمدهم", "انشر", "انشرها", "نشر", "ماشي",
    "يلا", "يلا انشر", "أوكي", "اوك", "حلو", "ممتاز", "أكيد", "تم", "موافقة على المحتوى", "موافقة على الخطة",
    # Gulf yes: "ايه" / "إيه" / "ايوا" / "اوكي" (the way people answer in a chat).
    "ايه", "إيه", "ايوا", "أيوا", "اوكي", "ايه تمام", "ايه موافق", "تمام انشر", "زين", "طيب",
)
CANCEL = _words(
    "cancel", "cancel it", "cancel this", "cancel the campaign", "stop", "stop it", "abort", "quit", "exit",
    "never mind", "nevermind", "forget it", "don't publish", "do not publish",
    "إلغاء", "الغاء", "ألغ", "الغ", "ألغي", "الغي", "ألغها", "ألغيها", "الغيها", "إلغاء الحملة", "ألغ الحملة",
    "وقف", "توقف", "أوقف", "لا تنشر", "كنسل", "خلاص", "خلاص ألغ", "خلاص الغ", "بطلت", "لا أبي", "ما أبي", "ما ابغى",
    "لا ابغى", "انس الموضوع",
)
_HELP = re.compile(
    r"^(?:help|help me|what can (?:you|i) do|what do (?:you|i) do|what now|what are my options|options|menu|"
    r"commands|how does (?:this|it) work|how do i .*|what is this|who are you|hi|hello|hey|"
    r"مساعده|ساعدني|وش اسوي|ايش اسوي|ماذا افعل|وش اقدر اسوي|ايش اقدر اسوي|وش تقدر تسوي|ايش تقدر تسوي|"
    r"ماذا تستطيع|ماذا تستطيع ان تفعل|ماذا يمكنك|ماذا يمكنك ان تفعل|كيف|كيف استخدمك|الخيارات|وش تسوي|ايش تسوي|"
    r"ماذا تفعل|من انت|مرحبا|هلا|السلام عليكم)$"
)
_CAMPAIGN_WORDS = re.compile(
    r"\b(?:campaign|campaigns|ad|ads|advert|adverts|advertise|advertising|promote|promotion|sale|sales|offer|"
    r"launch|boost|budget)\b|حمل|اعلان|اعلن|ترويج|روج|عرض|عروض|تخفيض|خصم|ميزانيه"
)


def is_help(text: str) -> bool:
    """A question about what ADLY does or what to type ("what can you do?", "وش أسوي؟", "?")."""
    stripped = text.strip()
    return bool(stripped) and (set(stripped) <= set("?؟") or bool(_HELP.match(normalise(stripped))))


def instruction_help(text: str, *, today: date) -> str | None:
    """The help text, in the writer's language, when `text` is no campaign request: a question about ADLY, or
    words in which nothing of a campaign is found and no campaign is mentioned ("asdfgh"); None otherwise."""
    language = input_language(text)
    if not text.strip():
        return at("help_start", language)
    request = parse_instruction(text, today=today)
    recognised = bool(request.sources)
    if recognised:
        return None
    if is_help(text) or not _CAMPAIGN_WORDS.search(normalise(text)):
        return at("help_start", language)
    return None


def _leading_number(text: str) -> tuple[int | None, str]:
    """'2 change …' -> (2, 'change …'); '1)' -> (1, ''); the rest untouched."""
    match = re.match(r"^\s*(\d{1,2})\s*[).:\-]?\s*(.*)$", text.translate(_DIGITS), re.S)
    if match is None:
        return None, text
    return int(match.group(1)), match.group(2).strip()


# ------------------------------------------------------------------------------------------ the prompts


def read_answer(kind: str, payload: dict[str, Any], text: str) -> Answer:
    """What `text`, typed at a pending prompt of `kind` (its `payload`), means."""
    language = "ar" if payload.get("language") == "ar" else "en"
    said = normalise(text)
    if not said and not text.strip():
        return Answer(notice=f"{at('empty_answer', language)} {help_for(kind, language)}")
    if is_help(text):
        return Answer(notice=help_for(kind, language))
    if said in CANCEL:
        return Answer(decision={"cancel": True} if kind in ("clarify", "connect") else {"action": "cancel"})
    reader = {"clarify": _clarify, "connect": _connect, "review": _review, "preview": _preview,
              "over_ceiling": _over_ceiling}.get(kind)
    if reader is None:
        return Answer(notice=help_for(kind, language))
    return reader(payload, text, said, language)


def _not_understood(kind: str, text: str, language: str) -> Answer:
    return Answer(notice=f"{at('not_understood', language, text=text.strip()[:80])} {help_for(kind, language)}")


def _clarify(payload: dict[str, Any], text: str, said: str, language: str) -> Answer:
    offered = sum(len(i.get("fixes", [])) for i in payload.get("issues", []) if i.get("severity") == "error")
    number, rest = _leading_number(text)
    # A number picks an offered fix; any other number ("1500") is an answer like any text.
    if number is not None and not rest and 1 <= number <= offered:
        return Answer(decision={"fix": number})
    return Answer(decision={"text": text}, check_change=True)


def _connect(payload: dict[str, Any], text: str, said: str, language: str) -> Answer:
    accounts = numbered_choices(payload)
    number, rest = _leading_number(text)
    if number is not None and not rest and 1 <= number <= len(accounts):
        platform, choice = accounts[number - 1]
        return Answer(decision={"connected": {platform: choice["ad_account_id"]}})
    # Any other text checks the connections again (an account connected meanwhile goes on).
    return Answer(decision={})


def _over_ceiling(payload: dict[str, Any], text: str, said: str, language: str) -> Answer:
    number, rest = _leading_number(text)
    if said in APPROVE or (number == 1 and not rest):
        return Answer(decision={"action": "approve", "plan_hash": payload.get("plan_hash")})
    if number == 2 and not rest:
        return Answer(decision={"action": "cancel"})
    return _not_understood("over_ceiling", text, language)


def _preview(payload: dict[str, Any], text: str, said: str, language: str) -> Answer:
    number, rest = _leading_number(text)
    if said in APPROVE or (number == 1 and not rest):
        return Answer(decision={"action": "approve", "plan_hash": payload.get("plan_hash")})
    if number == 3 and not rest:
        return Answer(decision={"action": "cancel"})
    if number == 2:
        if not rest:
            return Answer(notice=help_for("preview", language))
        text = rest
    elif number is not None and not rest:
        return _not_understood("preview", text, language)
    if normalise(text) in CANCEL:
        return Answer(decision={"action": "cancel"})
    return Answer(decision={"action": "adjust", "text": text.strip()}, check_change=True)


# ------------------------------------------------------------------------------------------ review


_EDIT_VERBS = _words("change", "set", "make", "edit", "update", "replace", "rewrite", "use", "put",
                     "غير", "غيّر", "عدل", "عدّل", "خل", "خلي", "اجعل", "بدل", "بدّل", "حط", "اكتب", "حدث", "صحح")
_REGEN_VERBS = _words("regenerate", "redo", "remake", "recreate", "new", "another", "again", "generate", "retry",
                      "refresh", "change", "اعد", "أعد", "إعادة", "اعاده", "سو", "سوي", "جدد", "ولد", "غير", "غيّر",
                      "بدل", "بدّل", "جديد", "جديده", "ثانيه", "ثاني", "غيرها", "غيره")
# Copy fields, most specific first (the button's text before the text).
_FIELD_WORDS: tuple[tuple[str, str], ...] = (
    ("call to action", "cta_label"), ("button text", "cta_label"), ("cta label", "cta_label"),
    ("button", "cta_label"), ("cta", "cta_label"),
    ("نص الزر", "cta_label"), ("الزر", "cta_label"), ("زر", "cta_label"),
    ("headline", "headline"), ("title", "headline"), ("العنوان", "headline"), ("عنوان", "headline"),
    ("description", "description"), ("الوصف", "description"), ("وصف", "description"),
    ("primary text", "primary_text"), ("main text", "primary_text"), ("body", "primary_text"),
    ("message", "primary_text"), ("text", "primary_text"), ("النص الاساسي", "primary_text"),
    ("النص", "primary_text"), ("نص", "primary_text"), ("الرساله", "primary_text"),
)
_LANGUAGE_WORDS: tuple[tuple[str, str], ...] = (
    ("english", "en"), ("arabic", "ar"), ("الانجليزي", "en"), ("انجليزي", "en"), ("بالانجليزي", "en"),
    ("الانقليزي", "en"), ("العربي", "ar"), ("عربي", "ar"), ("بالعربي", "ar"),
)
# What people call each kind of asset, and the image sizes.
_KIND_WORDS: tuple[tuple[str, str], ...] = (
    ("voice over", "voice"), ("voiceover", "voice"), ("voice", "voice"), ("audio", "voice"),
    ("التعليق الصوتي", "voice"), ("التعليق", "voice"), ("الصوت", "voice"), ("صوت", "voice"),
    ("video", "video"), ("فيديو", "video"), ("الفيديو", "video"),
    ("image", "image"), ("picture", "image"), ("photo", "image"), ("الصوره", "image"), ("صوره", "image"),
    ("الصور", "image"), ("صور", "image"),
    ("copy", "copy"), ("wording", "copy"), ("text", "copy"), ("texts", "copy"), ("النص", "copy"), ("نص", "copy"),
    ("النصوص", "copy"), ("الكلام", "copy"),
)
_SIZE_WORDS: tuple[tuple[str, str], ...] = (
    ("square", "1x1"), ("1x1", "1x1"), ("مربعه", "1x1"), ("المربعه", "1x1"),
    ("portrait", "4x5"), ("4x5", "4x5"), ("طوليه", "4x5"), ("الطوليه", "4x5"),
    ("vertical", "9x16"), ("story", "9x16"), ("stories", "9x16"), ("9x16", "9x16"), ("عموديه", "9x16"),
    ("العموديه", "9x16"), ("ستوري", "9x16"),
)
# "change the headline to X" / "غيّر العنوان إلى X": the command before the separator, the new words after it.
_SEPARATOR = re.compile(r"\s+(?:to|into|with|as)\s+|\s+(?:إلى|الى|إلي|الي|لـ|ل|ليكون|لتكون|يكون|تكون)\s+|\s*[:=]\s*")
_QUOTES = "\"'«»“”‘’ "


def _has(said: str, phrase: str) -> bool:
    return re.search(rf"(?:^|\s){re.escape(phrase)}(?:\s|$)", said) is not None


def _first(said: str, table: tuple[tuple[str, str], ...]) -> str | None:
    return next((value for phrase, value in table if _has(said, normalise(phrase))), None)


def _review(payload: dict[str, Any], text: str, said: str, language: str) -> Answer:
    number, rest = _leading_number(text)
    if said in APPROVE or (number == 1 and not rest):
        return Answer(decision={"action": "approve", "content_hash": payload.get("content_hash")})
    if number == 4 and not rest:
        return Answer(decision={"action": "cancel"})
    if number in (2, 3) and rest:
        text = rest
    elif number is not None:
        return Answer(notice=help_for("review", language))
    slots = [a["slot"] for a in payload.get("assets", [])]
    legacy = _legacy_review(text, slots + list(payload.get("failed") or []), number)
    if legacy is not None:
        return Answer(decision=legacy)
    edit = _edit(payload, text, language)
    if edit is not None:
        return edit
    regenerate = _regenerate(slots + list(payload.get("failed") or []), text, language)  # a failed one too
    if regenerate is not None:
        return regenerate
    return _not_understood("review", text, language)


def _legacy_review(text: str, slots: list[str], number: int | None) -> dict[str, Any] | None:
    """The terse forms still work: 'edit copy:en headline=New words', 'regenerate image:ar:1x1'."""
    words = text.strip().split(maxsplit=2)
    if words and words[0].lower() in ("edit", "e"):
        words = words[1:]
        number = 2
    elif words and words[0].lower() in ("regenerate", "r"):
        words = words[1:]
        number = 3
    if words and words[0].isdigit() and 1 <= int(words[0]) <= len(slots):
        words[0] = slots[int(words[0]) - 1]  # the asset by the number the terminal shows beside it
    if not words or words[0] not in slots:
        return None
    if number == 3 or (len(words) == 1 and number != 2):
        return {"action": "regenerate", "slot": words[0]}
    rest = " ".join(words[1:])
    name, sep, value = rest.partition("=")
    if sep and name.strip():
        field = _first(normalise(name), _FIELD_WORDS) or name.strip()  # "العنوان=…" as well as "headline=…"
        return {"action": "edit", "slot": words[0], "edits": {field: value}}
    return None


def _edit(payload: dict[str, Any], text: str, language: str) -> Answer | None:
    """'change the English headline to …', 'غيّر العنوان إلى …': one copy field of one language, in plain words."""
    match = _SEPARATOR.search(text)
    if match is None:
        return None
    command, value = normalise(text[: match.start()]), text[match.end():].strip().strip(_QUOTES)
    words = command.split()
    if not words or words[0] not in _EDIT_VERBS or not value:
        return None
    copy_field = _first(command, _FIELD_WORDS)
    if copy_field is None:
        return None
    copies = {a["language"] or "": a["slot"] for a in payload.get("assets", []) if a.get("kind") == "copy"}
    wanted = _first(command, _LANGUAGE_WORDS)
    if wanted is not None:
        slot = copies.get(wanted)
    elif len(copies) == 1:
        slot = next(iter(copies.values()))
    else:
        # No language named: the copy in the language the person writes in.
        slot = copies.get(input_language(value) if value else language) or copies.get(language)
    if slot is None:
        return Answer(notice=at("edit_which_copy", language))
    return Answer(decision={"action": "edit", "slot": slot, "edits": {copy_field: value}})


def _regenerate(slots: list[str], text: str, language: str) -> Answer | None:
    """'regenerate the square image', 'أعد إنشاء الفيديو', 'new Arabic copy': one asset made again."""
    said = normalise(re.sub(r"(\d+)\s*[:x×/]\s*(\d+)", r"\1x\2", text.translate(_DIGITS).lower()))
    words = said.split()
    if not words or not any(w in _REGEN_VERBS for w in words):
        return None
    kind = _first(said, _KIND_WORDS)
    size = _first(said, _SIZE_WORDS)
    if kind is None and size is not None:
        kind = "image"
    if kind is None:
        return Answer(notice=at("regenerate_which", language))
    wanted = _first(said, _LANGUAGE_WORDS)
    candidates = [s for s in slots if s.split(":")[0] == kind]
    if size is not None:
        candidates = [s for s in candidates if s.endswith(f":{size}")]
    if wanted is not None:
        candidates = [s for s in candidates if s.split(":")[1] == wanted]
    elif len({s.split(":")[1] for s in candidates}) > 1:
        candidates = [s for s in candidates if s.split(":")[1] == language] or candidates
    if len(candidates) != 1:
        return Answer(notice=at("regenerate_which", language))
    return Answer(decision={"action": "regenerate", "slot": candidates[0]})


# ------------------------------------------------------------------------------------------ changes


def changes_request(request: dict[str, Any], text: str, *, today: date, default_currency: str) -> bool:
    """Whether merging `text` into `request` changes anything (an answer or an adjustment that means something)."""
    before = CampaignRequest.model_validate(request)
    after = merge_reply(before, text, today=today, default_currency=default_currency)
    return after.contract_dict() != before.contract_dict()
