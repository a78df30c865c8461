"""What ADLY says when a typed answer is a question, nonsense or a way out, in English and Arabic."""

from __future__ import annotations

from typing import Any

_TEXTS: dict[str, dict[str, str]] = {
    "help_start": {
        "en": "I create ad campaigns on Meta (Facebook and Instagram), TikTok and Snapchat from one sentence. Tell "
              "me what to advertise, on which platforms, the budget, who to reach and when, for example: "
              "“Instagram and TikTok campaign for our Ramadan sale, 1000 SAR, women 25-40 in Riyadh”. I write the "
              "copy, make the images and the video, show you everything, and publish only after your approval.",
        "ar": "أنشئ حملات إعلانية على ميتا (فيسبوك وإنستغرام) وتيك توك وسناب شات من جملة واحدة. اكتب لي ماذا تريد "
              "أن تعلن، وعلى أي منصة، والميزانية، ومن تريد أن تصل إليه ومتى، مثلاً: «حملة على إنستغرام وتيك توك "
              "لتخفيضات رمضان بميزانية ١٠٠٠ ريال للنساء من ٢٥ إلى ٤٠ سنة في الرياض». أكتب النصوص وأصمم الصور "
              "والفيديو، وأعرض عليك كل شيء، ولا أنشر إلا بعد موافقتك.",
    },
    "help_clarify": {
        "en": "Type your answer to the question above (for example “1500 SAR, Instagram only”), the number of a "
              "fix when one is offered, or “cancel” to stop here.",
        "ar": "اكتب إجابتك عن السؤال أعلاه (مثلاً «١٥٠٠ ريال، إنستغرام فقط»)، أو رقم الحل إن عُرض عليك، أو "
              "«إلغاء» للتوقف هنا.",
    },
    "help_connect": {
        "en": "Open the link above to connect the ad account, type the number of an account when several are "
              "offered, or “cancel” to stop here.",
        "ar": "افتح الرابط أعلاه لربط الحساب الإعلاني، أو اكتب رقم الحساب إن عُرضت عليك عدة حسابات، أو «إلغاء» "
              "للتوقف هنا.",
    },
    "help_review": {
        "en": "Type “approve” to use this content; “change the English headline to …” (or the text, the "
              "description, the button) to edit a line; “regenerate the square image” (or the copy, the "
              "vertical image, the video, the voice-over) for a new version; or “cancel”.",
        "ar": "اكتب «موافقة» لاعتماد هذا المحتوى، أو «غيّر العنوان إلى …» (أو النص أو الوصف أو الزر) لتعديل سطر، "
              "أو «أعد إنشاء الصورة المربعة» (أو النص أو الصورة العمودية أو الفيديو أو التعليق الصوتي) لنسخة "
              "جديدة، أو «إلغاء».",
    },
    "help_preview": {
        "en": "Type “approve and publish” to publish this plan; a change in your own words (“make it 1500 SAR”, "
              "“drop TikTok”, “start on 20 March”) to rebuild it; or “cancel”.",
        "ar": "اكتب «موافقة ونشر» لنشر هذه الخطة، أو التغيير الذي تريده بكلماتك («خلها ١٥٠٠ ريال»، «شيل تيك "
              "توك»، «تبدأ ٢٠ مارس») لإعادة بنائها، أو «إلغاء».",
    },
    "help_over_ceiling": {
        "en": "Type “approve” (an admin of this workspace) to go above the budget ceiling, or “cancel”.",
        "ar": "اكتب «موافقة» (لمسؤول مساحة العمل) لتجاوز سقف الميزانية، أو «إلغاء».",
    },
    "not_understood": {
        "en": "I did not understand “{text}”.",
        "ar": "لم أفهم «{text}».",
    },
    "no_answer_found": {
        "en": "I found no answer to the question in “{text}”.",
        "ar": "لم أجد في «{text}» إجابة عن السؤال.",
    },
    "no_change_found": {
        "en": "I found no change to the plan in “{text}”; the plan is as shown.",
        "ar": "لم أجد في «{text}» تغييراً على الخطة؛ الخطة كما هي معروضة.",
    },
    "empty_answer": {
        "en": "Nothing was typed.",
        "ar": "لم تكتب شيئاً.",
    },
    "edit_which_copy": {
        "en": "Which text shall I change: say “the English headline” or “the Arabic headline”.",
        "ar": "أي نص تريد تغييره: قل «العنوان العربي» أو «العنوان الإنجليزي».",
    },
    "regenerate_which": {
        "en": "Which one shall I make again: the copy, the square image, the portrait image, the vertical "
              "image, the video or the voice-over?",
        "ar": "ماذا تريد أن أعيد إنشاءه: النص، أو الصورة المربعة، أو الصورة الطولية، أو الصورة العمودية، أو "
              "الفيديو، أو التعليق الصوتي؟",
    },
}


def at(key: str, language: str | None, **values: Any) -> str:
    """The sentence `key` in `language` ("ar" or anything else: English)."""
    text = _TEXTS[key]["ar" if language == "ar" else "en"]
    return text.format(**values) if values else text


def help_for(kind: str, language: str | None) -> str:
    """What can be typed at a prompt of `kind`."""
    return at(f"help_{kind}" if f"help_{kind}" in _TEXTS else "help_clarify", language)
