"""The report's words in English and Arabic, and its numbers, money and dates formatted for the reader's locale.

Both languages write digits as Latin digits (babel's default for Arabic, and what Gulf ad dashboards show); Arabic
money carries the currency's Arabic symbol (ر.س.), English its ISO code.
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from babel.dates import format_date
from babel.numbers import format_decimal, get_currency_precision, get_currency_symbol

from agent.texts import lang_of

_TEXTS: dict[str, dict[str, str]] = {
    "report_title": {"en": "How “{name}” is doing", "ar": "أداء «{name}»"},
    "window": {"en": "{start} to {end}, compared with the {days} days before",
               "ar": "من {start} إلى {end}، مقارنة بالأيام الـ{days} السابقة"},
    "window_one": {"en": "{start}, compared with the day before", "ar": "{start}، مقارنة باليوم السابق"},
    "spent_lifetime": {"en": "Spent {spent} of the {budget} lifetime budget ({share}).",
                       "ar": "أُنفق {spent} من الميزانية الإجمالية {budget} ({share})."},
    "spent_daily": {"en": "Spent {spent} so far, on a daily budget of {budget}.",
                    "ar": "أُنفق {spent} حتى الآن، بميزانية يومية قدرها {budget}."},
    "spent_only": {"en": "Spent {spent} so far.", "ar": "أُنفق {spent} حتى الآن."},
    "pace_on_track": {"en": "On track: {spent} spent against {expected} expected by now ({off}).",
                      "ar": "على المسار: أُنفق {spent} مقابل {expected} متوقعة حتى الآن ({off})."},
    "pace_ahead": {"en": "Ahead of pace by {off}: {spent} spent against {expected} expected by now.",
                   "ar": "أسرع من الوتيرة بنسبة {off}: أُنفق {spent} مقابل {expected} متوقعة حتى الآن."},
    "pace_behind": {"en": "Behind pace by {off}: {spent} spent against {expected} expected by now.",
                    "ar": "أبطأ من الوتيرة بنسبة {off}: أُنفق {spent} مقابل {expected} متوقعة حتى الآن."},
    "pace_not_started": {"en": "Not started yet: it starts on {start}.", "ar": "لم تبدأ بعد: تبدأ في {start}."},
    "pace_unknown": {"en": "No pace to measure: the lifetime budget has no end date.",
                     "ar": "لا وتيرة لقياسها: الميزانية الإجمالية بلا تاريخ انتهاء."},
    "pace_other_currency": {"en": "Not counted in the pace (billed in another currency): {amounts}.",
                            "ar": "غير محسوب في الوتيرة (بعملة أخرى): {amounts}."},
    "platform_line": {
        "en": "*{platform}*: {spend} · {results} {kind} · {cost} per {kind_one} · {impressions} impressions · CTR {ctr}",
        "ar": "*{platform}*: {spend} · {kind}: {results} · {cost} لكل {kind_one} · مرات الظهور: {impressions} · نسبة النقر {ctr}",
    },
    "platform_change": {"en": "{results} {kind}, cost per {kind_one} {cost} vs the previous period",
                        "ar": "{kind} {results}، وتكلفة {kind_one} {cost} مقارنة بالفترة السابقة"},
    "platform_quiet": {"en": "*{platform}*: no delivery in this period.", "ar": "*{platform}*: لا عرض في هذه الفترة."},
    "no_cost": {"en": "no", "ar": "بلا"},
    "kind_conversions": {"en": "conversions", "ar": "التحويلات"},
    "kind_clicks": {"en": "clicks", "ar": "النقرات"},
    "kind_one_conversions": {"en": "conversion", "ar": "تحويل"},
    "kind_one_clicks": {"en": "click", "ar": "نقرة"},
    "best_ad": {"en": "Best ad: “{name}” on {platform}, {cost} per {kind_one} ({results} {kind}).",
                "ar": "أفضل إعلان: «{name}» على {platform}، {cost} لكل {kind_one} ({kind}: {results})."},
    "worst_ad": {"en": "Weakest ad: “{name}” on {platform}, {cost} per {kind_one} ({results} {kind}).",
                 "ar": "أضعف إعلان: «{name}» على {platform}، {cost} لكل {kind_one} ({kind}: {results})."},
    "worst_ad_none": {"en": "Weakest ad: “{name}” on {platform}, {spend} spent and no {kind} yet.",
                      "ar": "أضعف إعلان: «{name}» على {platform}، أُنفق {spend} دون أي {kind_one} بعد."},
    "alerts_title": {"en": "Worth acting on", "ar": "يستحق التصرف"},
    "alert_pacing_ahead": {"en": "Spending {off} faster than planned: the budget will run out before the end.",
                           "ar": "الإنفاق أسرع من المخطط بنسبة {off}: ستنفد الميزانية قبل النهاية."},
    "alert_pacing_behind": {"en": "Spending {off} slower than planned: part of the budget may go unspent.",
                            "ar": "الإنفاق أبطأ من المخطط بنسبة {off}: قد يبقى جزء من الميزانية دون إنفاق."},
    "alert_over_budget": {"en": "Spent {spent}, above the {budget} lifetime budget: check the platforms' caps.",
                          "ar": "أُنفق {spent}، أي أكثر من الميزانية الإجمالية {budget}: راجع حدود الإنفاق على المنصات."},
    "alert_spent_before_start": {
        "en": "{platform} spent {spent} before the scheduled start ({start}): check the schedule in its Ads Manager.",
        "ar": "أنفقت {platform} {spent} قبل موعد البدء المحدد ({start}): راجع الجدولة في مدير الإعلانات.",
    },
    "alert_ctr_collapse": {
        "en": "CTR on {platform} fell from {before} to {now}: refresh the creative or check the targeting.",
        "ar": "انخفضت نسبة النقر على {platform} من {before} إلى {now}: جدّد التصميم أو راجع الاستهداف.",
    },
    "alert_ad_rejected": {"en": "Ad “{name}” was rejected on {platform}: see the reason in its Ads Manager.",
                          "ar": "رُفض الإعلان «{name}» على {platform}: راجع السبب في مدير الإعلانات."},
    "alert_token_trouble": {
        "en": "The {platform} ad account {account} needs reconnecting: its numbers stopped updating.",
        "ar": "يجب إعادة ربط حساب {platform} الإعلاني {account}: توقف تحديث أرقامه.",
    },
    "no_delivery": {"en": "No delivery recorded yet.", "ar": "لم يُسجَّل أي عرض بعد."},
    "chart_title": {"en": "Spend per day by platform", "ar": "الإنفاق اليومي حسب المنصة"},
    "chart_axis_spend": {"en": "Spend ({currency})", "ar": "الإنفاق ({currency})"},
    "chart_axis_day": {"en": "Day", "ar": "اليوم"},
    "chart_pace": {"en": "Budget pace ({amount} a day)", "ar": "وتيرة الميزانية ({amount} يوميًا)"},
    "digest_daily_title": {"en": "Daily digest for {day}", "ar": "الملخص اليومي ليوم {day}"},
    "digest_weekly_title": {"en": "Weekly digest, {start} to {end}", "ar": "الملخص الأسبوعي من {start} إلى {end}"},
    "digest_campaign": {"en": "*{name}* ({status}): {spend} spent · {results}{pace}",
                        "ar": "*{name}* ({status}): إنفاق {spend} · {results}{pace}"},
    "digest_results": {"en": "{count} {kind} at {cost} each", "ar": "{kind}: {count} بتكلفة {cost} لكل {kind_one}"},
    "digest_results_count": {"en": "{count} {kind}", "ar": "{kind}: {count}"},
    "digest_results_none": {"en": "no {kind}", "ar": "بلا أي {kind_one}"},
    "digest_pace": {"en": " · {state}", "ar": " · {state}"},
    "digest_empty": {"en": "No campaign delivered in this period.", "ar": "لم تُعرض أي حملة في هذه الفترة."},
    "digest_chart": {"en": "Spend {start} to {end}", "ar": "الإنفاق من {start} إلى {end}"},
    "state_on_track": {"en": "on track", "ar": "على المسار"},
    "state_ahead": {"en": "ahead of pace by {off}", "ar": "أسرع من الوتيرة بنسبة {off}"},
    "state_behind": {"en": "behind pace by {off}", "ar": "أبطأ من الوتيرة بنسبة {off}"},
    "status_live": {"en": "live", "ar": "تعمل"},
    "status_partially_live": {"en": "live on {platforms} only", "ar": "تعمل على {platforms} فقط"},
    "status_paused": {"en": "paused", "ar": "متوقفة"},
    "status_other": {"en": "{status}", "ar": "{status}"},
    "report_not_found": {"en": "I found no published campaign matching “{query}”.",
                         "ar": "لم أجد حملة منشورة تطابق «{query}»."},
    "report_none": {"en": "There is no published campaign to report on yet.",
                    "ar": "لا توجد حملة منشورة بعد لعرض تقريرها."},
}


def pt(key: str, language: str | None, **values: Any) -> str:
    """A report sentence in the reader's language, with `values` filled in."""
    return _TEXTS[key][lang_of(language)].format(**values)


def _locale(language: str | None) -> str:
    return lang_of(language)


def money(amount: Decimal, currency: str, language: str | None) -> str:
    """12,345.68 SAR / 12,345.68 ر.س.: rounded to the currency's minor unit (3 places for KWD)."""
    digits = int(get_currency_precision(currency))
    rounded = amount.quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)
    number = format_decimal(rounded, format="#,##0" + ("." + "0" * digits if digits else ""),
                            locale=_locale(language))
    if lang_of(language) == "ar":
        return f"{number} {get_currency_symbol(currency, locale='ar')}"
    return f"{number} {currency}"


def currency_label(currency: str, language: str | None) -> str:
    """SAR / ر.س. (the chart's axis)."""
    return get_currency_symbol(currency, locale="ar").strip("\u200f") if lang_of(language) == "ar" else currency


def isolate(text: str) -> str:
    """Text of either direction set apart inside a sentence of the other (Unicode FSI ... PDI), so a Latin name in
    an Arabic line keeps its neighbours (a date's digits) where they belong."""
    return f"\u2068{text}\u2069"


def amounts(per_currency: dict[str, Decimal], language: str | None) -> str:
    """Amounts of several currencies side by side (never added up)."""
    sep = "، " if lang_of(language) == "ar" else ", "
    return sep.join(money(v, c, language) for c, v in sorted(per_currency.items()))


def count(value: int, language: str | None) -> str:
    return str(format_decimal(value, format="#,##0", locale=_locale(language)))


def percent(value: Decimal | None, language: str | None, *, signed: bool = False, places: int = 1) -> str:
    """15.3% (`signed`: +15.3% / -15.3%); "-" when there is nothing to show."""
    if value is None:
        return "-"
    pattern = "#,##0" + ("." + "0" * places if places else "")
    text = format_decimal(abs(value).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP),
                          format=pattern, locale=_locale(language))
    sign = ("+" if value > 0 else "-" if value < 0 else "") if signed else ""
    return f"{sign}{text}%"


def day_label(day: date, language: str | None, *, weekday: bool = False) -> str:
    return str(format_date(day, "EEE d MMM" if weekday else "d MMM", locale=_locale(language)))
