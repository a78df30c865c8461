"""How values read for the user: money, dates, places, audiences, statuses and asset slots, in English or Arabic.

One Arabic format everywhere in the conversation: Latin digits with a comma for thousands (babel's default for
Arabic and what Gulf ad dashboards show), the currency's Arabic symbol after the amount ("1,000 ر.س",
"3,262.50 ر.س"), minor units only when the amount has them; dates as "8 فبراير 2027".
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from babel.dates import format_date
from babel.numbers import format_decimal, get_currency_precision, get_currency_symbol

from agent.place_names import place_name
from agent.texts import lang_of

# Babel gives some currencies a Latin symbol in Arabic (US$): those read as a word instead.
_ARABIC_CURRENCY_WORDS = {"USD": "دولار", "EUR": "يورو", "GBP": "جنيه إسترليني"}


def currency_symbol(currency: str, language: str | None) -> str:
    """SAR / ر.س: the ISO code in English, the Arabic symbol (or word) in Arabic."""
    if lang_of(language) != "ar":
        return currency
    if currency in _ARABIC_CURRENCY_WORDS:
        return _ARABIC_CURRENCY_WORDS[currency]
    symbol = str(get_currency_symbol(currency, locale="ar")).replace("\u200f", "").strip().rstrip(".")
    return symbol if not any("a" <= ch.lower() <= "z" for ch in symbol) else currency


def money_text(amount: Decimal | str | float | int, currency: str, language: str | None) -> str:
    """1,000 SAR / 1,000 ر.س; 3,262.50 SAR / 3,262.50 ر.س (minor units only when there are some)."""
    value = Decimal(str(amount))
    digits = int(get_currency_precision(currency))
    pattern = "#,##0" if value == value.to_integral_value() else "#,##0." + "0" * digits
    number = format_decimal(value, format=pattern, locale=lang_of(language))
    return f"{number} {currency_symbol(currency, language)}"


def number_text(value: int | Decimal, language: str | None) -> str:
    return str(format_decimal(value, format="#,##0.##", locale=lang_of(language)))


def date_text(day: date | str, language: str | None) -> str:
    """2027-02-08 in English (as typed in plans), 8 فبراير 2027 in Arabic."""
    if isinstance(day, str):
        day = date.fromisoformat(day)
    if lang_of(language) != "ar":
        return day.isoformat()
    return str(format_date(day, "d MMMM y", locale="ar"))


def places_text(names: Sequence[str], language: str | None, *, most: int = 0) -> str:
    """Riyadh, Jeddah / الرياض، جدة (`most` > 0 names that many and counts the rest: "+3")."""
    shown = [place_name(n, language) for n in names]
    rest = 0
    if most and len(shown) > most:
        shown, rest = shown[:most], len(shown) - most
    sep = "، " if lang_of(language) == "ar" else ", "
    return sep.join(shown) + (f" +{rest}" if rest else "")


def ages_text(age_min: int | None, age_max: int | None, language: str | None) -> str:
    ar = lang_of(language) == "ar"
    if age_min is None and age_max is None:
        return ""
    if age_max is None:
        return f"{age_min}+"
    if age_min is None:
        return f"حتى {age_max}" if ar else f"up to {age_max}"
    return f"{age_min}-{age_max}"


_WHO = {
    "female": {"en": "women", "ar": "نساء"},
    "male": {"en": "men", "ar": "رجال"},
    "all": {"en": "everyone", "ar": "الجميع"},
}


def audience_text(
    genders: Sequence[str], age_min: int | None, age_max: int | None, locations: Sequence[str],
    language: str | None, *, most_places: int = 0,
) -> str:
    """"Riyadh women 25-34" / "نساء 25-34، الرياض": who, ages, then where."""
    lang = lang_of(language)
    who = _WHO[genders[0]][lang] if len(genders) == 1 and genders[0] in _WHO else ""
    ages = ages_text(age_min, age_max, language)
    where = places_text(locations, language, most=most_places)
    if lang == "ar":
        head = " ".join(part for part in ((who or ("أعمار" if ages else "")), ages) if part)
        return "، ".join(part for part in (head, where) if part) or _WHO["all"]["ar"]
    return " ".join(part for part in (where, who, ages) if part) or _WHO["all"]["en"]


STATUS_NAMES: dict[str, dict[str, str]] = {
    "live": {"en": "live", "ar": "تعمل"},
    "active": {"en": "active", "ar": "نشطة"},
    "paused": {"en": "paused", "ar": "متوقفة"},
    "draft": {"en": "draft", "ar": "مسودة"},
    "deleted": {"en": "deleted", "ar": "محذوفة"},
    "archived": {"en": "archived", "ar": "مؤرشفة"},
    "cancelled": {"en": "cancelled", "ar": "ملغاة"},
    "failed": {"en": "failed", "ar": "فشلت"},
    "error": {"en": "error", "ar": "خطأ"},
    "publishing": {"en": "publishing", "ar": "قيد النشر"},
    "awaiting_approval": {"en": "awaiting approval", "ar": "بانتظار الموافقة"},
    "approved": {"en": "approved", "ar": "تمت الموافقة"},
    "completed": {"en": "completed", "ar": "انتهت"},
    "ended": {"en": "ended", "ar": "انتهت"},
    "withdrawn": {"en": "withdrawn", "ar": "مسحوبة"},
    "needs_reconnect": {"en": "needs reconnecting", "ar": "تحتاج إعادة ربط"},
    "rejected": {"en": "rejected", "ar": "مرفوضة"},
    "in_review": {"en": "in review", "ar": "قيد المراجعة"},
    "pending": {"en": "pending", "ar": "قيد الانتظار"},
    "waiting": {"en": "waiting", "ar": "بانتظار ردك"},
}


def status_text(status: str | None, language: str | None) -> str:
    """A status as people say it (live / تعمل); one we do not know reads as itself, spaced, never as a code."""
    key = (status or "draft").lower()
    known = STATUS_NAMES.get(key)
    if known is not None:
        return known[lang_of(language)]
    return key.replace("_", " ") if lang_of(language) != "ar" else "غير معروفة"


LANGUAGE_NAMES: dict[str, dict[str, str]] = {
    "ar": {"en": "Arabic", "ar": "العربية"},
    "en": {"en": "English", "ar": "الإنجليزية"},
}
_KIND_NAMES: dict[str, dict[str, str]] = {
    "copy": {"en": "copy", "ar": "النص"},
    "image": {"en": "image", "ar": "صورة"},
    "video": {"en": "video", "ar": "فيديو"},
    "voice": {"en": "voice-over", "ar": "التعليق الصوتي"},
}
_RATIOS: dict[str, dict[str, str]] = {
    "1x1": {"en": "Square image (1:1)", "ar": "صورة مربعة"},
    "4x5": {"en": "Portrait image (4:5)", "ar": "صورة طولية (4:5)"},
    "9x16": {"en": "Full-screen image (9:16)", "ar": "صورة بملء الشاشة (9:16)"},
}


def language_name(code: str | None, language: str | None) -> str:
    names = LANGUAGE_NAMES.get(code or "")
    return names[lang_of(language)] if names else (code or "")


def kind_name(kind: str, language: str | None) -> str:
    names = _KIND_NAMES.get(kind)
    return names[lang_of(language)] if names else kind


def slot_label(slot: str, language: str | None) -> str:
    """What a person calls an asset slot: copy:ar -> "النص العربي" / "Arabic copy"; image:en:1x1 ->
    "صورة مربعة (بالإنجليزية)" / "Square image (1:1), English". The slot id itself stays for machines."""
    parts = slot.split(":")
    kind = parts[0]
    asset_lang = parts[1] if len(parts) > 1 else None
    ar = lang_of(language) == "ar"
    if kind == "copy":
        if ar:
            return {"ar": "النص العربي", "en": "النص الإنجليزي"}.get(asset_lang or "", "النص")
        return f"{language_name(asset_lang, 'en')} copy" if asset_lang else "Copy"
    if kind == "image" and len(parts) > 2 and parts[2] in _RATIOS:
        base = _RATIOS[parts[2]][lang_of(language)]
    elif kind == "video":
        base = "فيديو عمودي (9:16)" if ar else "Vertical video (9:16)"
    elif kind == "voice":
        base = "التعليق الصوتي" if ar else "Voice-over"
    else:
        base = kind_name(kind, language)
    if not asset_lang:
        return base
    if ar:
        return f"{base} ({'بالعربية' if asset_lang == 'ar' else 'بالإنجليزية' if asset_lang == 'en' else asset_lang})"
    return f"{base}, {language_name(asset_lang, 'en')}"


def format_name(fmt: str, language: str | None) -> str:
    return kind_name(fmt, language)


# ------------------------------------------------------------------------------------------- names in Arabic

THEME_NAMES_AR: dict[str, str] = {
    "ramadan": "رمضان",
    "eid_al_fitr": "عيد الفطر",
    "eid_al_adha": "عيد الأضحى",
    "eid": "العيد",
    "hajj": "موسم الحج",
    "white_friday": "الجمعة البيضاء",
    "black_friday": "الجمعة السوداء",
    "saudi_national_day": "اليوم الوطني السعودي",
    "founding_day": "يوم التأسيس",
    "uae_national_day": "عيد الاتحاد",
    "kuwait_national_day": "العيد الوطني الكويتي",
    "qatar_national_day": "اليوم الوطني القطري",
    "bahrain_national_day": "العيد الوطني البحريني",
    "mothers_day": "عيد الأم",
    "valentines": "عيد الحب",
    "new_year": "رأس السنة",
    "singles_day": "يوم العزاب",
    "back_to_school": "العودة للمدارس",
    "summer": "الصيف",
    "winter": "الشتاء",
    "graduation": "التخرج",
    "anniversary": "الذكرى السنوية",
    "grand_opening": "الافتتاح الكبير",
    "opening": "الافتتاح",
    "end_of_season": "نهاية الموسم",
    "clearance": "التصفية",
    "weekend": "نهاية الأسبوع",
    "birthday": "عيد الميلاد",
}
# The campaign's kind, as the name's first word: "تخفيضات رمضان 2027" (a sale), "زيارات رمضان 2027" (traffic).
OBJECTIVE_WORDS_AR: dict[str, str] = {
    "sales": "تخفيضات",
    "traffic": "زيارات",
    "awareness": "حملة تعريف",
    "engagement": "تفاعل",
    "leads": "عملاء",
    "app_installs": "تثبيت التطبيق",
    "video_views": "مشاهدات",
}
PLATFORM_SHORT_NAMES: dict[str, dict[str, str]] = {
    "meta": {"en": "Meta", "ar": "ميتا"},
    "tiktok": {"en": "TikTok", "ar": "تيك توك"},
    "snapchat": {"en": "Snapchat", "ar": "سناب شات"},
}


def _has_latin(text: str) -> bool:
    return any("a" <= ch.lower() <= "z" for ch in text)


def arabic_campaign_name(theme: str | None, objective: str | None, product: str | None, start: date) -> str:
    """"تخفيضات رمضان 2027": the objective's word, then the occasion (or the product as the user wrote it)."""
    word = OBJECTIVE_WORDS_AR.get(objective or "", "حملة")
    label = THEME_NAMES_AR.get(theme or "") or (product.strip() if product else "")
    if not label and theme and not _has_latin(theme):
        label = theme.replace("_", " ")
    if not label:
        return f"حملة {date_text(start, 'ar')}"
    return f"{word} {label} {start.year}"


def platform_short_name(platform: str, language: str | None) -> str:
    """Meta / ميتا: the platform as the campaign's name carries it."""
    return PLATFORM_SHORT_NAMES.get(platform, {}).get(lang_of(language), platform)


def ad_label(fmt: str, ad_language: str, language: str | None) -> str:
    """The ad's own part of its name: "image ar" in English plans (as before), "صورة بالعربية" in Arabic ones."""
    if lang_of(language) != "ar":
        return f"{fmt} {ad_language}"
    in_language = {"ar": "بالعربية", "en": "بالإنجليزية"}.get(ad_language, ad_language)
    return f"{kind_name(fmt, 'ar')} {in_language}"


_PROVIDERS: dict[str, dict[str, str]] = {
    "templates": {"en": "templates", "ar": "القوالب"},
    "procedural": {"en": "procedural", "ar": "المولّد المدمج"},
    "slideshow": {"en": "slideshow", "ar": "عرض الشرائح"},
    "storyboard": {"en": "storyboard", "ar": "مشاهد القصة"},
    "espeak-ng": {"en": "espeak-ng", "ar": "الصوت الآلي"},
    "openai-chat": {"en": "openai-chat", "ar": "OpenAI"},
    "edited": {"en": "edited", "ar": "تعديلك"},
}


def provider_name(provider: str | None, language: str | None) -> str:
    """Who made an asset, as a reader says it (an unknown provider keeps its own name: a brand)."""
    known = _PROVIDERS.get(provider or "")
    if known is not None:
        return known[lang_of(language)]
    if lang_of(language) == "ar" and provider and provider.lower().startswith("openai"):
        return "OpenAI"
    return provider or ""
