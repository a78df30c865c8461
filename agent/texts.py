"""The flow's own sentences in English and Arabic; every message a user sees comes from here or from validation."""

from __future__ import annotations

from typing import Any

PLATFORM_NAMES: dict[str, dict[str, str]] = {
    "meta": {"en": "Meta (Facebook/Instagram)", "ar": "ميتا (فيسبوك/إنستغرام)"},
    "tiktok": {"en": "TikTok", "ar": "تيك توك"},
    "snapchat": {"en": "Snapchat", "ar": "سناب شات"},
}

_TEXTS: dict[str, dict[str, str]] = {
    "parsing": {"en": "Reading your request...", "ar": "جارٍ قراءة طلبك..."},
    "validating": {
        "en": "Checking it against each platform's rules...",
        "ar": "جارٍ التحقق من قواعد كل منصة...",
    },
    "connect": {
        "en": "Connect your ad accounts to go on: {platforms}.",
        "ar": "اربط حساباتك الإعلانية للمتابعة: {platforms}.",
    },
    "choose_account": {
        "en": "Several ad accounts are connected for {platforms}: choose the one to use.",
        "ar": "هناك عدة حسابات إعلانية مرتبطة لـ {platforms}: اختر الحساب الذي تريد استخدامه.",
    },
    "unknown_account": {
        "en": "That is not one of this workspace's connected {platform} ad accounts; choose one offered.",
        "ar": "هذا ليس أحد حسابات {platform} الإعلانية المرتبطة بمساحة العمل هذه؛ اختر أحد الحسابات المعروضة.",
    },
    "connected": {"en": "Connected {platform}: {account}.", "ar": "تم ربط {platform}: {account}."},
    "connect_declined": {
        "en": "{platform} was not connected: access was declined on its page ({reason}). Nothing was connected; "
              "press Connect again when you are ready.",
        "ar": "لم يتم ربط {platform}: رُفض الإذن في صفحتها ({reason}). لم يُربط أي حساب؛ "
              "اضغط «ربط» مرة أخرى عندما تكون جاهزًا.",
    },
    "generating": {
        "en": "Generating {count} assets in parallel...",
        "ar": "جارٍ إنشاء {count} من المواد بالتوازي...",
    },
    "generated": {
        "en": "Generated {kind} ({slot}) with {provider}.",
        "ar": "تم إنشاء {kind} ({slot}) بواسطة {provider}.",
    },
    "review": {
        "en": "Here is the creative for review. Approve it, edit any copy field, or regenerate one asset.",
        "ar": "هذه المواد الإعلانية للمراجعة. وافق عليها، أو عدّل أي نص، أو أعد إنشاء مادة واحدة.",
    },
    "regenerating": {"en": "Regenerating {slot}...", "ar": "جارٍ إعادة إنشاء {slot}..."},
    "rebuilding": {
        "en": "Rebuilding what shows your edit...",
        "ar": "جارٍ إعادة إنشاء ما يعرض تعديلك...",
    },
    "rebuilt": {
        "en": "Your edit of the {lang} {fields} was carried into: {assets}. Nothing else was remade.",
        "ar": "نُقل تعديلك على {fields} ({lang}) إلى: {assets}. ولم يُعَد إنشاء أي شيء آخر.",
    },
    "rebuilt_new_copy": {
        "en": "The new {lang} copy was carried into: {assets}. Nothing else was remade.",
        "ar": "نُقل النص {lang} الجديد إلى: {assets}. ولم يُعَد إنشاء أي شيء آخر.",
    },
    "rebuilt_nothing": {
        "en": "Your edit of the {lang} {fields} appears in no image, voice-over or video, so nothing else "
              "was remade.",
        "ar": "تعديلك على {fields} ({lang}) لا يظهر في أي صورة أو تعليق صوتي أو فيديو، فلم يُعَد إنشاء شيء آخر.",
    },
    "building": {"en": "Building the campaign structure...", "ar": "جارٍ بناء هيكل الحملة..."},
    "preview": {
        "en": "Final check before anything is published. Approve to publish, or tell me what to adjust.",
        "ar": "مراجعة أخيرة قبل النشر. وافق للنشر، أو أخبرني بما تريد تعديله.",
    },
    "publishing": {
        "en": "Publishing to {platforms} (everything paused until all of it exists)...",
        "ar": "جارٍ النشر على {platforms} (كل شيء متوقف حتى يكتمل الإنشاء)...",
    },
    "published_platform": {
        "en": "{platform}: campaign {campaign_id} is live.",
        "ar": "{platform}: الحملة {campaign_id} تعمل الآن.",
    },
    "publish_failed": {
        "en": "Publishing failed on {platform}: {reason}. Nothing is delivering; what was created was paused and removed.",
        "ar": "فشل النشر على {platform}: {reason}. لا شيء يُعرض؛ تم إيقاف ما أُنشئ وحذفه.",
    },
    # Why a platform is not live (agent/publishing/outcome.py: PlatformOutcome.explain).
    "why_token_expired": {"en": "the ad account must be connected again (its token expired)",
                          "ar": "يجب ربط الحساب الإعلاني من جديد (انتهت صلاحية الربط)"},
    "why_platform_said": {"en": "{words}", "ar": "ردّت المنصة: {words}"},
    "why_withdrawn": {"en": "withdrawn because publishing failed on {platforms}",
                      "ar": "سُحبت لأن النشر فشل على {platforms}"},
    "why_waiting_reconnect": {"en": "waiting (paused) until the other accounts are reconnected",
                              "ar": "متوقفة بانتظار إعادة ربط الحسابات الأخرى"},
    "why_paused_again": {"en": "paused again because activation failed on {platforms}",
                         "ar": "أُوقفت مجددًا لأن التفعيل فشل على {platforms}"},
    "why_not_withdrawn": {"en": "not withdrawn: the account is not connected; pause it in the platform's manager",
                          "ar": "لم تُسحب: الحساب غير مرتبط؛ أوقفها من مدير إعلانات المنصة"},
    "why_unknown": {"en": "unknown", "ar": "سبب غير معروف"},
    "asset_failed": {
        "en": "- {asset} could not be made ({reason}); say “regenerate” and its name to try again.",
        "ar": "- تعذّر إنشاء {asset}؛ اكتب «أعد إنشاء» واسمه للمحاولة مرة أخرى.",
    },
    "media_missing": {
        "en": "{platforms} would have nothing to show: {assets} could not be made. Regenerate it before approving, "
              "or cancel.",
        "ar": "لن يكون لدى {platforms} ما تعرضه: تعذّر إنشاء {assets}. أعد إنشاءه قبل الموافقة، أو ألغِ الحملة.",
    },
    "needs_reconnect": {
        "en": "{platform}: the connection expired while publishing. What was created there is paused and kept; "
        "nothing is delivering on any platform. Reconnect {platform} and publishing continues where it stopped.",
        "ar": "{platform}: انتهت صلاحية الربط أثناء النشر. ما تم إنشاؤه هناك متوقف ومحفوظ، ولا يُعرض أي إعلان على أي منصة. "
        "أعد ربط {platform} وسيكمل النشر من حيث توقف.",
    },
    "paused": {
        "en": "{platform}: everything was created and is paused; nothing is delivering ({reason}). "
        "Retry to finish switching it on; nothing will be created twice.",
        "ar": "{platform}: تم إنشاء كل شيء وهو متوقف، ولا يُعرض أي إعلان ({reason}). "
        "أعد المحاولة لإكمال التفعيل؛ لن يُنشأ أي شيء مرتين.",
    },
    "reconnect": {
        "en": "Reconnect {platforms} to finish publishing. Everything is paused until then.",
        "ar": "أعد ربط {platforms} لإكمال النشر. كل شيء متوقف حتى ذلك الحين.",
    },
    "withdrawn": {
        "en": "Withdrawn: what was created was paused and deleted.",
        "ar": "تم السحب: ما تم إنشاؤه أُوقف وحُذف.",
    },
    "tracking": {
        "en": "Performance tracking started (hourly sync, 15-minute status checks).",
        "ar": "بدأ تتبع الأداء (مزامنة كل ساعة، وفحص الحالة كل 15 دقيقة).",
    },
    "live": {"en": "Campaign is live on {platforms}.", "ar": "الحملة تعمل الآن على {platforms}."},
    "cancelled": {"en": "Cancelled. Nothing was published.", "ar": "تم الإلغاء. لم يُنشر أي شيء."},
    "already_handled": {
        "en": "That question was already answered (or is no longer pending); nothing changed.",
        "ar": "تمت الإجابة على هذا السؤال مسبقًا (أو لم يعد قائمًا)؛ لم يتغير شيء.",
    },
    "busy": {
        "en": "I'm still working on the previous step; try again in a moment.",
        "ar": "ما زلت أعمل على الخطوة السابقة؛ حاول بعد لحظات.",
    },
    "not_approver": {
        "en": "Only an approver can approve this. Approvers: {approvers}.",
        "ar": "الموافقة متاحة للمعتمدين فقط. المعتمدون: {approvers}.",
    },
    "self_approval": {
        "en": "You requested this campaign and its budget ({budget}) is above {limit}: another approver must approve it.",
        "ar": "أنت من طلب هذه الحملة وميزانيتها ({budget}) أعلى من {limit}: يجب أن يوافق عليها معتمد آخر.",
    },
    "self_approval_alone": {
        "en": "You requested this campaign and its budget ({budget}) is above {limit}: another approver must approve "
              "it, and you are the only one named. An admin must add an approver.",
        "ar": "أنت من طلب هذه الحملة وميزانيتها ({budget}) أعلى من {limit}: يجب أن يوافق عليها معتمد آخر، "
              "وأنت المعتمد الوحيد. على المسؤول إضافة معتمد.",
    },
    "no_approvers": {
        "en": "Nobody can approve yet: this workspace has no approvers. An admin must name them (ADLY's App Home -> "
              "Settings, ADLY_APPROVERS, or `adly workspaces create --approvers`).",
        "ar": "لا يمكن لأحد الموافقة بعد: لا يوجد معتمدون في مساحة العمل هذه. على المسؤول تحديدهم (صفحة ADLY الرئيسية "
              "-> الإعدادات).",
    },
    "not_allowed_to_cancel": {
        "en": "Only the person who asked for this campaign, an approver or an admin can cancel it.",
        "ar": "لا يمكن إلغاء هذه الحملة إلا لمن طلبها أو لمعتمد أو لمسؤول.",
    },
    "over_ceiling": {
        "en": "This plan is above the workspace's budget ceiling ({reason}). A workspace admin must approve it before "
              "anything is published.",
        "ar": "هذه الخطة أعلى من حد الميزانية في مساحة العمل ({reason}). يجب أن يوافق عليها مسؤول مساحة العمل قبل "
              "نشر أي شيء.",
    },
    "not_admin": {
        "en": "Only a workspace admin can approve a budget above the ceiling.",
        "ar": "لا يوافق على ميزانية أعلى من الحد إلا مسؤول مساحة العمل.",
    },
    "not_allowed_to_retry": {
        "en": "Only the person who asked for this campaign, an approver or an admin can retry it.",
        "ar": "لا يعيد المحاولة إلا صاحب طلب الحملة أو أحد المعتمدين أو المسؤولين.",
    },
    "nothing_to_retry": {
        "en": "There is nothing to retry: this campaign did not stop on an error.",
        "ar": "لا يوجد ما تُعاد محاولته: هذه الحملة لم تتوقف بسبب خطأ.",
    },
    "settings_not_allowed": {
        "en": "Only the workspace's approvers and admins can change its settings.",
        "ar": "لا يغيّر إعدادات مساحة العمل إلا المعتمدون والمسؤولون فيها.",
    },
    "settings_admin_only": {
        "en": "Only a workspace admin can change the budget ceilings.",
        "ar": "لا يغيّر حدود الميزانية إلا مسؤول مساحة العمل.",
    },
    "setting_required": {
        "en": "The setting `{field}` cannot be empty; give a value.",
        "ar": "لا يمكن ترك الإعداد `{field}` فارغًا؛ أعطِ قيمة.",
    },
    "setting_bad_timezone": {
        "en": "{zone} is not a time zone I know: use a name such as Asia/Riyadh or Asia/Dubai.",
        "ar": "{zone} ليست منطقة زمنية معروفة: استخدم اسمًا مثل Asia/Riyadh أو Asia/Dubai.",
    },
    "setting_bad_brand": {
        "en": "A brand name needs visible characters (up to 40).",
        "ar": "اسم العلامة التجارية يحتاج حروفًا ظاهرة (حتى 40 حرفًا).",
    },
    "setting_brand_ar_not_arabic": {
        "en": "The Arabic brand name must be written in Arabic letters, e.g. أدلي ستور.",
        "ar": "اكتب اسم العلامة التجارية بالعربي بحروف عربية، مثل أدلي ستور.",
    },
    "setting_bad_approver": {
        "en": "“{ref}” is not a user or user group id (such as U012AB3CD or S012AB3CD): no spaces, at most 128 "
              "characters.",
        "ar": "«{ref}» ليس معرّف مستخدم أو مجموعة مستخدمين (مثل U012AB3CD أو S012AB3CD): بلا مسافات وبحد أقصى 128 "
              "حرفًا.",
    },
    "stale_plan": {
        "en": "The plan changed since this was shown; review the new preview.",
        "ar": "تغيّرت الخطة منذ عرضها؛ راجع المعاينة الجديدة.",
    },
    "stale_content": {
        "en": "The content changed since this was shown; review it again.",
        "ar": "تغيّر المحتوى منذ عرضه؛ راجعه مرة أخرى.",
    },
    "edit_rejected": {
        "en": "That edit breaks a limit: {problems}",
        "ar": "هذا التعديل يتجاوز حدًا: {problems}",
    },
    "hidden_in_number": {
        "en": "Your message has invisible direction characters inside a number or a web address, so what you see "
              "may not be what is written. Please type it again.",
        "ar": "رسالتك تحتوي على أحرف اتجاه غير مرئية داخل رقم أو رابط، فقد لا يكون الظاهر هو المكتوب. اكتبها من جديد.",
    },
    "hidden_removed": {
        "en": "Invisible formatting characters were removed from your message.",
        "ar": "أُزيلت أحرف تنسيق غير مرئية من رسالتك.",
    },
    "instruction_too_long": {
        "en": "That message is {length:,} characters; the limit is {limit:,}. Shorten it and send it again.",
        "ar": "طول هذه الرسالة {length:,} حرفًا، والحد الأقصى {limit:,}. اختصرها وأرسلها مرة أخرى.",
    },
    "publish_resuming": {
        "en": "Publishing was interrupted when ADLY stopped. Resuming it from the ledger: what already exists is "
              "looked up, never sent twice.",
        "ar": "توقف النشر عند توقف ADLY. نستأنفه من السجل: ما أُنشئ سابقًا يُتحقق منه ولا يُرسل مرتين.",
    },
    "busy_elsewhere": {
        "en": "This campaign is still being worked on (another step is running). Try again in a few minutes.",
        "ar": "ما زال العمل جاريًا على هذه الحملة (خطوة أخرى قيد التنفيذ). حاول مرة أخرى بعد دقائق.",
    },
    "stopped_on_error": {
        "en": "This campaign stopped on an error before it finished. Retry resumes it where it stopped; nothing is "
              "sent twice.",
        "ar": "توقفت هذه الحملة بسبب خطأ قبل أن تكتمل. إعادة المحاولة تستأنفها من حيث توقفت؛ ولا يُرسل شيء مرتين.",
    },
    "internal_error": {
        "en": "Something went wrong on our side (reference {ref}). Nothing was published twice; try again.",
        "ar": "حدث خطأ من جهتنا (المرجع {ref}). لم يُنشر شيء مرتين؛ حاول مرة أخرى.",
    },
}


def lang_of(language: str | None) -> str:
    return "ar" if language == "ar" else "en"


def t(key: str, language: str | None, **values: Any) -> str:
    """The sentence `key` in the user's language, with `values` filled in."""
    return _TEXTS[key][lang_of(language)].format(**values)


def platform_name(platform: str, language: str | None) -> str:
    return PLATFORM_NAMES.get(platform, {}).get(lang_of(language), platform)


def platform_list(platforms: list[str], language: str | None) -> str:
    sep = "، " if lang_of(language) == "ar" else ", "
    return sep.join(platform_name(p, language) for p in platforms)


COPY_FIELD_NAMES: dict[str, dict[str, str]] = {
    "headline": {"en": "headline", "ar": "العنوان"},
    "primary_text": {"en": "primary text", "ar": "النص الأساسي"},
    "description": {"en": "description", "ar": "الوصف"},
    "cta_label": {"en": "button label", "ar": "نص الزر"},
}
LANGUAGE_NAMES: dict[str, dict[str, str]] = {
    "ar": {"en": "Arabic", "ar": "العربي"},
    "en": {"en": "English", "ar": "الإنجليزي"},
}
_ASSET_NAMES: dict[str, dict[str, str]] = {
    "image": {"en": "image {size}", "ar": "الصورة {size}"},
    "voice": {"en": "voice-over", "ar": "التعليق الصوتي"},
    "video": {"en": "video", "ar": "الفيديو"},
    "copy": {"en": "copy", "ar": "النص"},
}


def field_list(fields: list[str], language: str | None) -> str:
    lang = lang_of(language)
    names = [COPY_FIELD_NAMES.get(f, {}).get(lang, f) for f in fields]
    return (" و" if lang == "ar" else " and ").join(names)


def asset_list(slots: list[str], language: str | None) -> str:
    """Slots ("image:ar:9x16", "voice:ar") as people say them: "image 9:16, voice-over"."""
    lang = lang_of(language)
    names = []
    for slot in slots:
        kind, *rest = slot.split(":")
        size = rest[1].replace("x", ":") if kind == "image" and len(rest) > 1 else ""
        names.append(_ASSET_NAMES.get(kind, {}).get(lang, kind).format(size=size))
    return ("، " if lang == "ar" else ", ").join(names)


def language_name(code: str | None, language: str | None) -> str:
    return LANGUAGE_NAMES.get(code or "", {}).get(lang_of(language), code or "")
