"""The terminal's own sentences in English and Arabic (prompts, demo narration, the final summary)."""

from __future__ import annotations

from typing import Any

from agent.localize import money_text, provider_name, slot_label, status_text
from agent.texts import lang_of, platform_name

_TEXTS: dict[str, dict[str, str]] = {
    "answer": {"en": "Reply with your answer.", "ar": "اكتب إجابتك."},
    "answer_or_fix": {"en": "Reply with your answer, or a fix number.", "ar": "اكتب إجابتك، أو رقم الحل."},
    "account": {"en": "Reply with the number of the ad account to use.",
                "ar": "اكتب رقم الحساب الإعلاني المراد استخدامه."},
    "review": {"en": "1) approve   2) edit: “change the English headline to …” (or 2 N headline=…)   "
                     "3) regenerate: “regenerate the square image” (or 3 N)   4) cancel   (? for help)",
               "ar": "1) موافقة   2) تعديل: «غيّر العنوان إلى …» (أو 2 رقم_المادة العنوان=…)   "
                     "3) إعادة إنشاء: «أعد إنشاء الصورة المربعة» (أو 3 رقم_المادة)   4) إلغاء   (؟ للمساعدة)"},
    "preview": {"en": "1) approve and publish   2) adjust (type the change)   3) cancel",
                "ar": "1) موافقة ونشر   2) تعديل (اكتب التغيير)   3) إلغاء"},
    "over_ceiling": {"en": "1) approve above the ceiling (admins only)   2) cancel",
                     "ar": "1) الموافقة فوق الحد (للمسؤولين فقط)   2) إلغاء"},
    "severity_error": {"en": "error", "ar": "مطلوب"},
    "severity_warning": {"en": "warning", "ar": "تنبيه"},
    "severity_info": {"en": "info", "ar": "للعلم"},
    "headline": {"en": "headline", "ar": "العنوان"},
    "primary_text": {"en": "text", "ar": "النص"},
    "description": {"en": "description", "ar": "الوصف"},
    "cta": {"en": "cta", "ar": "زر الدعوة"},
    "by": {"en": "by {provider}", "ar": "بواسطة {provider}"},
    "draft_voice": {"en": " (draft voice)", "ar": " (صوت تجريبي)"},
    "seconds": {"en": "{value:.1f}s", "ar": "{value:.1f} ث"},
    "instruction": {"en": "Instruction: {text}", "ar": "الطلب: {text}"},
    "real_platform": {
        "en": "  {platform} is a real platform: open the link above; the OAuth callback continues the flow.",
        "ar": "  {platform} منصة حقيقية: افتح الرابط أعلاه، وستكمل المحادثة بعد عودتك من صفحة الإذن.",
    },
    "connecting": {
        "en": "  Connecting {platform} in the sandbox{where} on your behalf (consent page -> code -> encrypted token).",
        "ar": "  جارٍ ربط {platform} في بيئة التجربة{where} نيابة عنك (صفحة الإذن ثم الرمز ثم حفظ المفتاح مشفرًا).",
    },
    "connecting_where": {"en": " at {host}", "ar": " على {host}"},
    "demo_account": {
        "en": "Demo: choosing the first {platform} ad account on your behalf: {name} ({external_id}).",
        "ar": "العرض التجريبي: اختيار أول حساب إعلاني على {platform} نيابة عنك: {name} ({external_id}).",
    },
    "demo_stopped": {"en": "Demo stopped before publishing: {message}",
                     "ar": "توقف العرض التجريبي قبل النشر: {message}"},
    "demo_no_questions": {
        "en": "The demo does not answer questions for you: give a complete instruction, or use `adly chat`.",
        "ar": "العرض التجريبي لا يجيب عن الأسئلة نيابة عنك: اكتب طلبًا كاملًا، أو استخدم الأمر adly chat.",
    },
    "not_connected": {"en": "Not connected: {reason}", "ar": "لم يتم الربط: {reason}"},
    "demo_no_callback": {
        "en": "Waiting for a real OAuth callback is not possible in the demo; use `adly serve`.",
        "ar": "لا يمكن للعرض التجريبي انتظار إذن من منصة حقيقية؛ استخدم الأمر adly serve.",
    },
    "demo_approve_content": {"en": "Demo: approving the generated content on your behalf.",
                             "ar": "العرض التجريبي: الموافقة على المواد الإعلانية نيابة عنك."},
    "demo_approve_plan": {"en": "Demo: approving the campaign plan on your behalf; publishing now.",
                          "ar": "العرض التجريبي: الموافقة على خطة الحملة نيابة عنك؛ جارٍ النشر الآن."},
    "ask_campaign": {"en": "\nWhat campaign shall we create? (empty line to quit)\n> ",
                     "ar": "\nما الحملة التي تريد إنشاءها؟ (سطر فارغ للخروج)\n> "},
    "ask_campaign_first": {
        "en": "\nWhat campaign shall we create? / ما الحملة التي تريد إنشاءها؟ (empty line to quit / سطر فارغ للخروج)\n> ",
        "ar": "\nWhat campaign shall we create? / ما الحملة التي تريد إنشاءها؟ (empty line to quit / سطر فارغ للخروج)\n> ",
    },
    "paused": {"en": "Paused. Continue later with: adly chat --resume {conversation_id}",
               "ar": "توقفنا هنا. أكمل لاحقًا بالأمر: adly chat --resume {conversation_id}"},
    "numbered_accounts": {"en": "Please answer with one of the numbered accounts.",
                          "ar": "اكتب رقم أحد الحسابات المعروضة."},
    "connect_now": {"en": "Connect now in the sandbox? [Y/n] ", "ar": "أربط الحسابات الآن في بيئة التجربة؟ [نعم/لا] "},
    "numbered_choices": {"en": "Please answer with one of the numbered choices.",
                         "ar": "اختر أحد الخيارات المرقمة."},
    "nothing_to_resume": {"en": "No conversation to resume.", "ar": "لا توجد محادثة لاستئنافها."},
    "resuming": {"en": "Resuming conversation.", "ar": "جارٍ استئناف المحادثة."},
    "summary_campaign": {"en": "Campaign “{name}”: {status}", "ar": "الحملة «{name}»: {status}"},
    "summary_unnamed": {"en": "The campaign", "ar": "الحملة"},
    "summary_platform": {"en": "  {platform}: campaign {external_id} ({status})",
                         "ar": "  {platform}: الحملة {external_id} ({status})"},
    "summary_ad_set": {"en": "    ad set {external_id} ({status}) {name}",
                       "ar": "    مجموعة إعلانية {external_id} ({status}) {name}"},
    "summary_ad": {"en": "      ad {external_id} ({status}) {name}", "ar": "      إعلان {external_id} ({status}) {name}"},
    "summary_assets": {"en": "  {count} approved assets", "ar": "  عدد المواد المعتمدة: {count}"},
    "not_created": {"en": "not created", "ar": "لم تُنشأ"},
    "no_campaign": {"en": "No campaign was created.", "ar": "لم تُنشأ أي حملة."},
}

# Typed answers that mean yes to "connect now?", in both languages.
YES_WORDS = frozenset({"", "y", "yes", "نعم", "ن", "اي", "ايه", "إيه", "أيوه", "ايوه", "تمام", "اوكي"})


def ct(key: str, language: str | None, **values: Any) -> str:
    """A terminal sentence in the user's language, with `values` filled in."""
    return _TEXTS[key][lang_of(language)].format(**values)


def asset_lines(number: int, asset: dict[str, Any], language: str | None) -> list[str]:
    """One reviewed asset, numbered (the number is what a typed answer names), with its human label."""
    lang = lang_of(language)
    label = slot_label(asset["slot"], language)
    by = ct("by", language, provider=provider_name(asset.get("provider"), language))
    if asset["kind"] == "copy":
        text = asset.get("text") or {}
        cta = text.get("cta_label", "") if lang == "ar" else f"{text.get('cta_label', '')} ({text.get('cta', '')})"
        lines = [f"  {number}) {label} ({by})",
                 f"      {ct('headline', language)}: {text.get('headline', '')}",
                 f"      {ct('primary_text', language)}: {text.get('primary_text', '')}",
                 f"      {ct('description', language)}: {text.get('description', '')}",
                 f"      {ct('cta', language)}: {cta}"]
        lines.extend(f"      ! {problem}" for problem in asset.get("problems", []))
        return lines
    size = f" {asset.get('width')}×{asset.get('height')}" if asset.get("width") else ""
    duration = f" {ct('seconds', language, value=asset['duration_s'])}" if asset.get("duration_s") else ""
    draft = ct("draft_voice", language) if asset.get("draft") else ""
    return [f"  {number}) {label}{size}{duration}{draft} ({by}): {asset.get('path')}"]


def summary_lines(summary: dict[str, Any], language: str | None = None) -> list[str]:
    """The final report of a conversation: the campaign, then each platform's objects with their statuses."""
    if summary.get("campaign_id") is None:  # a cancelled question or plan: no draft tree of empty ids
        return [ct("no_campaign", language)]
    name = summary.get("name") or ct("summary_unnamed", language)
    lines = [ct("summary_campaign", language, name=name, status=status_text(summary["status"], language))]
    missing = ct("not_created", language)
    for p in summary["platforms"]:
        lines.append(ct("summary_platform", language, platform=platform_name(p["platform"], language),
                        external_id=p["external_campaign_id"] or missing, status=status_text(p["status"], language)))
        for s in p["ad_sets"]:
            lines.append(ct("summary_ad_set", language, external_id=s["external_id"] or missing,
                            status=status_text(s["status"], language), name=s["name"]))
            budget = s.get("budget") or {}
            if budget.get("amount") and budget.get("currency"):
                lines[-1] += f" - {money_text(budget['amount'], budget['currency'], language)}"
        for a in p["ads"]:
            lines.append(ct("summary_ad", language, external_id=a["external_id"] or missing,
                            status=status_text(a["status"], language), name=a["name"]))
    lines.append(ct("summary_assets", language, count=len(summary["assets"])))
    return lines
