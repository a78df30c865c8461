"""Slack-only sentences in English and Arabic (the flow's own sentences stay in agent/texts.py)."""

from __future__ import annotations

from typing import Any

from agent.texts import lang_of

_TEXTS: dict[str, dict[str, str]] = {
    "working": {"en": "Working on it...", "ar": "جارٍ العمل..."},
    "done": {"en": "Done.", "ar": "تم."},
    "request_from": {"en": "Campaign request from {user}:", "ar": "طلب حملة من {user}:"},
    "help": {
        "en": "Mention me with a campaign instruction, DM me, or use `/adly <instruction>`, e.g. "
        "`/adly Instagram and TikTok campaign for Ramadan with 1000 SAR targeting women 25-40 in Riyadh`. "
        "`/adly settings` opens the workspace settings.",
        "ar": "اذكرني مع وصف الحملة، أو راسلني مباشرة، أو استخدم `/adly <الوصف>`، مثل: "
        "`/adly حملة انستغرام وتيك توك لرمضان بميزانية 1000 ريال للنساء 25-40 في الرياض`. "
        "`/adly settings` يفتح إعدادات مساحة العمل.",
    },
    "not_in_channel": {
        "en": "I can't post in this channel yet: invite me with `/invite @ADLY`, then try again.",
        "ar": "لا أستطيع النشر في هذه القناة بعد: ادعُني بالأمر `/invite @ADLY` ثم حاول مرة أخرى.",
    },
    "not_found": {
        "en": "This conversation does not exist in this workspace.",
        "ar": "هذه المحادثة غير موجودة في مساحة العمل هذه.",
    },
    # cards
    "clarify_title": {"en": "A few details before I go on", "ar": "بعض التفاصيل قبل المتابعة"},
    "missing": {"en": "Missing: {fields}", "ar": "الناقص: {fields}"},
    "reply_hint": {
        "en": "Reply in this thread with your answer, or pick a fix below.",
        "ar": "ردّ في هذا الخيط بإجابتك، أو اختر أحد الحلول أدناه.",
    },
    "reply_hint_plain": {"en": "Reply in this thread with your answer.", "ar": "ردّ في هذا الخيط بإجابتك."},
    "connect_title": {"en": "Connect your ad accounts", "ar": "اربط حساباتك الإعلانية"},
    "connect_button": {"en": "Connect {platform}", "ar": "ربط {platform}"},
    "connected_line": {"en": "Connected: {platform} ({account})", "ar": "تم الربط: {platform} ({account})"},
    "choose_account": {"en": "Choose the {platform} ad account", "ar": "اختر حساب {platform} الإعلاني"},
    "connect_hint": {
        "en": "Each button opens the platform's login in your browser; this card updates when you're back.",
        "ar": "كل زر يفتح صفحة دخول المنصة في متصفحك؛ تتحدث هذه البطاقة عند عودتك.",
    },
    "review_title": {"en": "Creative for review (round {round})", "ar": "المواد الإعلانية للمراجعة (الجولة {round})"},
    "copy_heading": {"en": "Copy ({lang})", "ar": "النص ({lang})"},
    "headline": {"en": "Headline", "ar": "العنوان"},
    "primary_text": {"en": "Primary text", "ar": "النص الأساسي"},
    "description": {"en": "Description", "ar": "الوصف"},
    "cta_label": {"en": "Call to action", "ar": "زر الدعوة"},
    "media_line": {
        "en": "{label}: {size}{duration} by {provider}{draft}",
        "ar": "{label}: {size}{duration} بواسطة {provider}{draft}",
    },
    "draft_voice": {"en": " (draft voice)", "ar": " (صوت تجريبي)"},
    "media_uploaded": {"en": "The images and video are in the thread above.", "ar": "الصور والفيديو في الخيط أعلاه."},
    "approve": {"en": "Approve", "ar": "موافقة"},
    "edit_copy": {"en": "Edit {lang} copy", "ar": "تعديل النص ({lang})"},
    "regenerate": {"en": "Regenerate...", "ar": "إعادة إنشاء..."},
    "cancel": {"en": "Cancel", "ar": "إلغاء"},
    "cancel_confirm_title": {"en": "Cancel this campaign?", "ar": "إلغاء هذه الحملة؟"},
    "cancel_confirm_text": {
        "en": "Nothing has been published; the conversation ends here.",
        "ar": "لم يُنشر شيء؛ تنتهي المحادثة هنا.",
    },
    "yes_cancel": {"en": "Yes, cancel", "ar": "نعم، ألغِ"},
    "keep": {"en": "Keep it", "ar": "لا، أبقِها"},
    "preview_title": {"en": "Final check before publishing", "ar": "مراجعة أخيرة قبل النشر"},
    "budget_split": {"en": "Budget split", "ar": "توزيع الميزانية"},
    "publish": {"en": "Approve and publish", "ar": "موافقة ونشر"},
    "ceiling_title": {"en": "Budget above the workspace ceiling", "ar": "ميزانية أعلى من حد مساحة العمل"},
    "ceiling_figures": {
        "en": "*Plan:* {total} in all, {per_day} a day\n*Ceilings:* {max_campaign} a campaign, {max_daily} a day",
        "ar": "*الخطة:* {total} إجمالًا، {per_day} يوميًا\n*الحدود:* {max_campaign} للحملة، {max_daily} يوميًا",
    },
    "ceiling_approved_by": {"en": "Plan approved by {user}.", "ar": "وافق على الخطة {user}."},
    "ceiling_approve": {"en": "Approve above ceiling (admins)", "ar": "موافقة فوق الحد (للمسؤولين)"},
    "ceiling_confirm_title": {"en": "Spend above the ceiling?", "ar": "الإنفاق فوق الحد؟"},
    "ceiling_confirm_text": {
        "en": "You approve {total} as a workspace admin; publishing starts at once.",
        "ar": "أنت توافق على {total} بصفتك مسؤولًا عن مساحة العمل؛ يبدأ النشر فورًا.",
    },
    "adjust": {"en": "Adjust", "ar": "تعديل"},
    "publish_confirm_title": {"en": "Publish now?", "ar": "النشر الآن؟"},
    "publish_confirm_text": {
        "en": "This creates live campaigns spending up to {budget} on {platforms}.",
        "ar": "سيُنشئ هذا حملات فعلية تنفق حتى {budget} على {platforms}.",
    },
    "publish_yes": {"en": "Publish", "ar": "انشر"},
    "publish_no": {"en": "Not yet", "ar": "ليس بعد"},
    "adjust_hint": {
        "en": "Or reply in this thread with a change, e.g. \"make it 1500 SAR\" or \"drop TikTok\".",
        "ar": "أو ردّ في هذا الخيط بالتعديل، مثل \"خلها 1500 ريال\" أو \"احذف تيك توك\".",
    },
    # resolutions shown on a card once it is answered
    "resolved_approved": {"en": "Approved by {user} at {time}.", "ar": "وافق عليها {user} الساعة {time}."},
    "resolved_published": {
        "en": "Approved for publishing by {user} at {time}.",
        "ar": "وافق على النشر {user} الساعة {time}.",
    },
    "resolved_edited": {
        "en": "Edited by {user} at {time}; the new version is below.",
        "ar": "عدّلها {user} الساعة {time}؛ النسخة الجديدة أدناه.",
    },
    "resolved_regenerate": {
        "en": "{user} asked to regenerate {slot} at {time}; the new version is below.",
        "ar": "طلب {user} إعادة إنشاء {slot} الساعة {time}؛ النسخة الجديدة أدناه.",
    },
    "resolved_adjusted": {
        "en": "{user} asked for a change at {time}; the updated plan is below.",
        "ar": "طلب {user} تعديلًا الساعة {time}؛ الخطة المحدّثة أدناه.",
    },
    "retry": {"en": "Retry", "ar": "إعادة المحاولة"},
    "resolved_retried": {"en": "Retried by {user} at {time}.", "ar": "أعاد {user} المحاولة الساعة {time}."},
    "resolved_cancelled": {"en": "Cancelled by {user} at {time}.", "ar": "ألغاها {user} الساعة {time}."},
    "resolved_ceiling_approved": {
        "en": "Budget above the ceiling approved by {user} (admin) at {time}.",
        "ar": "وافق {user} (مسؤول) على الميزانية فوق الحد الساعة {time}.",
    },
    "resolved_answered": {"en": "Answered by {user} at {time}.", "ar": "أجاب {user} الساعة {time}."},
    "resolved_account_chosen": {"en": "Ad account chosen by {user} at {time}.",
                                "ar": "اختار {user} الحساب الإعلاني الساعة {time}."},
    "resolved_connected": {"en": "All accounts connected.", "ar": "تم ربط جميع الحسابات."},
    # the final report
    "report_live": {"en": "Campaign is live", "ar": "الحملة تعمل الآن"},
    "report_failed": {"en": "Campaign was not published", "ar": "لم تُنشر الحملة"},
    "report_cancelled": {"en": "Campaign cancelled", "ar": "أُلغيت الحملة"},
    "report_paused": {"en": "Campaign is paused", "ar": "الحملة متوقفة"},
    "campaign_id": {"en": "Campaign ID", "ar": "معرّف الحملة"},
    "ad_sets": {"en": "Ad sets", "ar": "المجموعات الإعلانية"},
    "ads": {"en": "Ads", "ar": "الإعلانات"},
    "open_ads_manager": {"en": "Open in Ads Manager", "ar": "فتح في مدير الإعلانات"},
    "assets_used": {"en": "{count} approved assets", "ar": "{count} من المواد المعتمدة"},
    # modals
    "edit_title": {"en": "Edit copy", "ar": "تعديل النص"},
    "save": {"en": "Save", "ar": "حفظ"},
    "close": {"en": "Close", "ar": "إغلاق"},
    "adjust_title": {"en": "Adjust the plan", "ar": "تعديل الخطة"},
    "adjust_label": {"en": "What should change?", "ar": "ما الذي تريد تغييره؟"},
    "send": {"en": "Send", "ar": "إرسال"},
    "required": {"en": "This field can't be empty.", "ar": "لا يمكن ترك هذا الحقل فارغًا."},
    # App Home and settings
    "home_title": {"en": "ADLY", "ar": "ADLY"},
    "home_intro": {
        "en": "Turn a sentence into approved ad campaigns on Meta, TikTok and Snapchat.",
        "ar": "حوّل جملة واحدة إلى حملات إعلانية معتمدة على ميتا وتيك توك وسناب شات.",
    },
    "recent_campaigns": {"en": "Recent campaigns", "ar": "أحدث الحملات"},
    "no_campaigns": {"en": "No campaigns yet.", "ar": "لا توجد حملات بعد."},
    "spend": {"en": "spend", "ar": "الإنفاق"},
    "accounts": {"en": "Connected ad accounts", "ar": "الحسابات الإعلانية المرتبطة"},
    "no_accounts": {"en": "No ad account connected yet.", "ar": "لا يوجد حساب إعلاني مرتبط بعد."},
    "token_expires": {"en": "token expires {when}", "ar": "ينتهي الرمز {when}"},
    "token_no_expiry": {"en": "token does not expire", "ar": "الرمز لا ينتهي"},
    "settings": {"en": "Workspace settings", "ar": "إعدادات مساحة العمل"},
    "edit_settings": {"en": "Edit settings", "ar": "تعديل الإعدادات"},
    "settings_readonly": {
        "en": "Only approvers and admins can change these settings (the budget ceilings: admins only).",
        "ar": "يمكن للمعتمدين والمسؤولين فقط تغيير هذه الإعدادات (حدود الميزانية: المسؤولون فقط).",
    },
    "campaign_ceiling": {"en": "Budget ceiling per campaign (admins)", "ar": "حد الميزانية لكل حملة (للمسؤولين)"},
    "daily_ceiling": {"en": "Budget ceiling per day (admins)", "ar": "حد الميزانية اليومي (للمسؤولين)"},
    "default_currency": {"en": "Default currency", "ar": "العملة الافتراضية"},
    "landing_page": {"en": "Landing page", "ar": "صفحة الهبوط"},
    "landing_page_unset": {"en": "asked on the first campaign", "ar": "يُطلب في أول حملة"},
    "brand_name": {"en": "Brand on ads", "ar": "العلامة التجارية في الإعلانات"},
    "brand_name_ar": {"en": "Brand in Arabic letters", "ar": "اسم العلامة بالحروف العربية"},
    "brand_name_ar_hint": {
        "en": "Arabic ads show this name; left empty, the brand is written in Arabic letters for you.",
        "ar": "تظهر الإعلانات العربية بهذا الاسم؛ إن تُرك فارغًا كُتب اسم العلامة بحروف عربية تلقائيًا.",
    },
    "bad_brand_ar": {"en": "Write it in Arabic letters, e.g. أدلي ستور.", "ar": "اكتبه بحروف عربية، مثل أدلي ستور."},
    "landing_page_hint": {
        "en": "Where ads link when a request names no page (https, a public website).",
        "ar": "الصفحة التي تنتقل إليها الإعلانات حين لا يذكر الطلب صفحة (https، موقع عام).",
    },
    "approvers": {"en": "Approvers", "ar": "المعتمدون"},
    "anyone": {"en": "nobody yet: an admin must name approvers", "ar": "لا أحد بعد: على المسؤول تحديد المعتمدين"},
    "self_limit": {
        "en": "Requester may self-approve up to",
        "ar": "يمكن لصاحب الطلب الموافقة بنفسه حتى",
    },
    "digest_channel": {"en": "Daily digest channel", "ar": "قناة الملخص اليومي"},
    "digest_hour": {"en": "Digest hour", "ar": "ساعة الملخص"},
    "timezone": {"en": "Time zone (digest hour and days)", "ar": "المنطقة الزمنية (ساعة الملخص وأيامه)"},
    "none": {"en": "none", "ar": "لا يوجد"},
    "bad_currency": {"en": "Use a 3-letter ISO code such as SAR.", "ar": "استخدم رمزًا من 3 أحرف مثل SAR."},
    "bad_amount": {"en": "Use a number such as 5000.", "ar": "استخدم رقمًا مثل 5000."},
    "settings_saved": {"en": "Settings saved.", "ar": "تم حفظ الإعدادات."},
    # cleanup alerts (bot/slack/alerts.py): a withdrawal that could not delete everything
    "cleanup_title": {"en": "Cleanup needed on {platforms}", "ar": "مطلوب تنظيف على {platforms}"},
    "cleanup_intro": {
        "en": "Publishing \"{name}\" failed and ADLY withdrew it, but these objects could not be deleted and "
        "still exist:",
        "ar": "فشل نشر \"{name}\" وسحبته ADLY، لكن تعذّر حذف هذه العناصر وما زالت موجودة:",
    },
    "cleanup_line": {
        "en": "{platform} {kind} `{external_id}`: {state}. Stuck since {since}. Last error: {error}",
        "ar": "{kind} على {platform} `{external_id}`: {state}. عالق منذ {since}. آخر خطأ: {error}",
    },
    "cleanup_paused": {"en": "paused, not delivering", "ar": "متوقف ولا يُعرض"},
    "cleanup_not_paused": {
        "en": "*NOT paused: it may be delivering and spending*",
        "ar": "*غير متوقف: قد يُعرض وينفق من الميزانية*",
    },
    "cleanup_unknown": {"en": "status unknown (could not read it back)", "ar": "الحالة غير معروفة (تعذّرت قراءتها)"},
    "cleanup_no_error": {"en": "none recorded", "ar": "لم يُسجَّل"},
    "cleanup_action": {
        "en": "What to do: delete them in the {platform} Ads Manager (ad account {account}).",
        "ar": "المطلوب: احذفها من مدير إعلانات {platform} (الحساب الإعلاني {account}).",
    },
    "cleanup_action_url": {
        "en": "What to do: delete them in the {platform} Ads Manager: <{url}|open Ads Manager>.",
        "ar": "المطلوب: احذفها من مدير إعلانات {platform}: <{url}|فتح مدير الإعلانات>.",
    },
    "cleanup_retrying": {
        "en": "ADLY keeps retrying the delete on its own ({attempts} of {limit} attempts so far) and will post "
        "here once they are gone.",
        "ar": "تواصل ADLY محاولة الحذف تلقائيًا ({attempts} من {limit} محاولات حتى الآن) وستكتب هنا عند حذفها.",
    },
    "cleanup_gave_up": {
        "en": "ADLY stopped retrying after {attempts} attempts: only a person can delete them now. ADLY checks "
        "every few hours and will post here once they are gone.",
        "ar": "توقفت ADLY عن المحاولة بعد {attempts} محاولات: الحذف الآن بيد شخص. تتحقق ADLY كل بضع ساعات "
        "وستكتب هنا عند حذفها.",
    },
    "cleanup_resolved": {
        "en": "Cleaned up: these no longer exist on {platforms}: {objects}.",
        "ar": "تم التنظيف: لم تعد هذه موجودة على {platforms}: {objects}.",
    },
    "cleanup_all_clear": {
        "en": "Nothing ADLY created for this campaign is left on any platform.",
        "ar": "لم يبقَ على أي منصة شيء مما أنشأته ADLY لهذه الحملة.",
    },
    "kind_campaign": {"en": "campaign", "ar": "الحملة"},
    "kind_ad_set": {"en": "ad set", "ar": "المجموعة الإعلانية"},
    "kind_ad": {"en": "ad", "ar": "الإعلان"},
    "kind_creative": {"en": "creative", "ar": "التصميم الإعلاني"},
    # status notices (bot/slack/status_notices.py): a platform changed a campaign's status outside ADLY
    "status_title": {"en": "Status changed on {platforms}", "ar": "تغيّرت الحالة على {platforms}"},
    "status_intro": {
        "en": "The platform changed the status of \"{name}\":",
        "ar": "غيّرت المنصة حالة \"{name}\":",
    },
    "status_line": {"en": "{platform}: {old} → *{new}*", "ar": "{platform}: {old} ← *{new}*"},
    "status_line_object": {
        "en": "{platform} · {kind} \"{name}\": {old} → *{new}*",
        "ar": "{platform} · {kind} \"{name}\": {old} ← *{new}*",
    },
    "status_active": {"en": "active", "ar": "فعّالة"},
    "status_paused": {"en": "paused", "ar": "متوقفة"},
    "status_deleted": {"en": "deleted", "ar": "محذوفة"},
    "status_archived": {"en": "archived", "ar": "مؤرشفة"},
    "status_pending_review": {"en": "in review", "ar": "قيد المراجعة"},
    "status_rejected": {"en": "rejected in review", "ar": "مرفوضة في المراجعة"},
    "status_unknown": {"en": "unknown", "ar": "غير معروفة"},
    "status_hint_rejected": {
        "en": "Rejected: check the reason in the {platform} Ads Manager, fix the ad and publish again.",
        "ar": "مرفوضة: راجع السبب في مدير إعلانات {platform} وعدّل الإعلان ثم انشره مجددًا.",
    },
    "status_hint_stopped": {
        "en": "Not delivering on {platform} now. If nobody on your team did this, check the {platform} Ads Manager.",
        "ar": "لا تُعرض الآن على {platform}. إن لم يفعل ذلك أحد من فريقك فراجع مدير إعلانات {platform}.",
    },
    "status_hint_active": {
        "en": "Delivering again on {platform}.",
        "ar": "تُعرض مجددًا على {platform}.",
    },
    # token warnings (bot/slack/token_notices.py): an ad account's token is about to expire, or has
    "token_title_expires_7d": {
        "en": "{platform} connection expires in 7 days", "ar": "ينتهي ربط {platform} خلال 7 أيام",
    },
    "token_title_expires_1d": {
        "en": "{platform} connection expires tomorrow", "ar": "ينتهي ربط {platform} غدًا",
    },
    "token_title_lapsed": {"en": "{platform} connection lapsed", "ar": "انتهى ربط {platform}"},
    "token_body_expires": {
        "en": "The access ADLY holds for the {platform} ad account *{account}* ends on {when} UTC and cannot be "
        "renewed automatically. Reconnect it before then, or tracking and publishing on it will stop.",
        "ar": "صلاحية الوصول التي يملكها ADLY لحساب {platform} الإعلاني *{account}* تنتهي في {when} (UTC) ولا "
        "يمكن تجديدها تلقائيًا. أعد ربطه قبل ذلك وإلا سيتوقف تتبّع الحملات والنشر عليه.",
    },
    "token_body_lapsed": {
        "en": "ADLY can no longer reach the {platform} ad account *{account}*: its access has ended. Tracking of "
        "its campaigns is paused (the ads themselves keep running) until someone reconnects it.",
        "ar": "لم يعد ADLY قادرًا على الوصول إلى حساب {platform} الإعلاني *{account}*: انتهت صلاحية الوصول. "
        "تتبّع حملاته متوقف (الإعلانات نفسها مستمرة) حتى يعيد أحدكم ربطه.",
    },
    "token_reason": {"en": "Reason: {reason}", "ar": "السبب: {reason}"},
    "token_reconnect": {"en": "Reconnect {platform}", "ar": "أعد ربط {platform}"},
}


def st(key: str, language: str | None, **values: Any) -> str:
    """A Slack sentence in the user's language, with `values` filled in."""
    return _TEXTS[key][lang_of(language)].format(**values)
