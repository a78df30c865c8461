"""Bilingual (English/Arabic) texts of validation issues, fixes and clarification questions."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from agent.localize import date_text, money_text
from agent.place_names import ARABIC_PLACE_NAMES


@dataclass(frozen=True)
class Bi:
    """A value that reads differently in each language (a platform's name, an amount with its currency)."""

    en: str
    ar: str


CURRENCY_AR = {
    "SAR": "ريال سعودي",
    "AED": "درهم إماراتي",
    "KWD": "دينار كويتي",
    "QAR": "ريال قطري",
    "BHD": "دينار بحريني",
    "OMR": "ريال عماني",
    "JOD": "دينار أردني",
    "EGP": "جنيه مصري",
    "USD": "دولار أمريكي",
}


def money(amount: Decimal, currency: str) -> Bi:
    # The conversation's one money format in each language (agent/localize.py): "1,000 SAR", "1,000 ر.س".
    return Bi(money_text(amount, currency, "en"), money_text(amount, currency, "ar"))


def days(n: int) -> Bi:
    if n == 1:
        return Bi("1 day", "يوم واحد")
    if n == 2:
        return Bi("2 days", "يومين")
    return Bi(f"{n} days", f"{n} {'أيام' if 3 <= n <= 10 else 'يوماً'}")


def join(items: list[Bi]) -> Bi:
    return Bi("; ".join(i.en for i in items), "؛ ".join(i.ar for i in items))


# key -> (English, Arabic). Placeholders are filled by `text`; a Bi value picks its language.
CATALOGUE: dict[str, tuple[str, str]] = {
    "missing": (
        "{label} is missing. Tell me, for example: “{example}”.",
        "لم تحدد {label}. اكتبها مثلاً: «{example}».",
    ),
    "budget_below_minimum": (
        "The total budget of {total} is too low for {platforms} over {days}: {details}. The minimum for "
        "{all_platforms} "
        "is {needed} in total, {short} more than the budget.",
        "الميزانية الإجمالية البالغة {total} أقل من الحد الأدنى لـ{platforms} على مدى {days}: {details}. "
        "الحد الأدنى لـ{all_platforms} هو {needed} إجمالاً، أي بزيادة {short}.",
    ),
    "budget_below_minimum_daily": (
        "The daily budget of {total} is too low for {platforms}: {details}. The minimum for {all_platforms} "
        "is {needed} a day in total, {short} more than the budget.",
        "الميزانية اليومية البالغة {total} أقل من الحد الأدنى لـ{platforms}: {details}. الحد الأدنى "
        "لـ{all_platforms} هو {needed} يومياً إجمالاً، أي بزيادة {short}.",
    ),
    "platform_minimum_detail": (
        "{platform} needs {min_day} a day{per} over {days} = {need} (an equal share gives it {share})",
        "{platform} يحتاج {min_day} يومياً{per} على مدى {days} = {need} (الحصة المتساوية تعطيه {share})",
    ),
    "platform_minimum_detail_daily": (
        "{platform} needs at least {need} a day ({min_day}{per}; an equal share gives it {share})",
        "{platform} يحتاج {need} يومياً على الأقل ({min_day}{per}؛ الحصة المتساوية تعطيه {share})",
    ),
    "platform_minimum_detail_flat": (
        "{platform} needs at least {need} (an equal share gives it {share})",
        "{platform} يحتاج {need} على الأقل (الحصة المتساوية تعطيه {share})",
    ),
    "fix_raise_budget": ("Raise the budget to {amount}", "رفع الميزانية إلى {amount}"),
    "fix_shorten": ("Shorten to {days} ({start} to {end})", "تقصير المدة إلى {days} (من {start} إلى {end})"),
    "schedule_fitted": (
        "The budget of {total} covers the platforms' minimum spend for {days}, so the campaign runs the first "
        "{days} of {occasion} ({start} to {end}) instead of all {all_days}. To run all of it, raise the budget "
        "to {needed}.",
        "ميزانية {total} تغطي الحد الأدنى للإنفاق على المنصات لمدة {days}، لذلك ستعمل الحملة أول {days} من "
        "{occasion} (من {start} إلى {end}) بدلاً من {all_days} كاملة. لتشغيلها طوال المدة، ارفع الميزانية إلى {needed}.",
    ),
    "schedule_fitted_peak": (
        "The budget of {total} covers the platforms' minimum spend for {days}, so the campaign runs {why} "
        "({start} to {end}) instead of all {all_days} of {occasion}. To run all of it, raise the budget to {needed}.",
        "ميزانية {total} تغطي الحد الأدنى للإنفاق على المنصات لمدة {days}، لذلك ستعمل الحملة {why} "
        "(من {start} إلى {end}) بدلاً من {all_days} كاملة من {occasion}. لتشغيلها طوال المدة، ارفع الميزانية إلى {needed}.",
    ),
    "peak_ramadan_last_nights": (
        "the last {days} of Ramadan, its last nights, when Gulf shoppers spend the most",
        "آخر {days} من رمضان، لياليه الأخيرة حين يبلغ إنفاق المتسوقين في الخليج ذروته",
    ),
    "peak_eid_run_up": (
        "the last {days} before Eid, when people shop for it",
        "آخر {days} قبل العيد، حين يتسوّق الناس له",
    ),
    "eid_run_up_included": (
        "Gulf shoppers buy for Eid in the days before it, so the campaign starts on {start}, {days} before Eid, "
        "and runs through its last day ({end}). To run on Eid's days alone, say “only Eid days”.",
        "يتسوّق الناس في الخليج للعيد في الأيام التي تسبقه، لذلك تبدأ الحملة في {start}، قبل العيد بـ{days}، "
        "وتستمر حتى آخر أيامه ({end}). لتشغيلها في أيام العيد فقط، اكتب «أيام العيد فقط».",
    ),
    "ages_assumed": (
        "I read “{words}” as ages {ages}. To change it, tell me the ages (for example “ages 18-24”).",
        "فهمت «{words}» على أنها الفئة العمرية {ages}. لتغييرها اكتب الأعمار (مثلاً «من 18 إلى 24 سنة»).",
    ),
    "placements_meta": (
        "On Meta the ads show only in {placements}, as asked.",
        "على ميتا ستظهر الإعلانات في {placements} فقط كما طلبت.",
    ),
    "placements_tiktok": (
        "TikTok has no Reels, Stories or Feed choice: its ads run in the TikTok app's own feed.",
        "لا يوجد في تيك توك اختيار ريلز أو قصص أو خلاصة: تظهر إعلاناته في خلاصة تطبيق تيك توك نفسه.",
    ),
    "placements_snapchat": (
        "On Snapchat the placements are chosen automatically; ADLY does not set them there.",
        "على سناب شات تُختار أماكن الظهور تلقائياً؛ لا يحددها ADLY هناك.",
    ),
    "chat_objective_meta": (
        "On Meta the ads open a {app} chat with you and optimise for conversations; your Facebook Page needs "
        "{app} connected.",
        "على ميتا تفتح الإعلانات محادثة {app} معك ويكون هدفها المحادثات؛ يجب أن تكون صفحة فيسبوك مربوطة بـ{app}.",
    ),
    "chat_objective_unavailable": (
        "{platforms} cannot open a {app} chat, so there the campaign drives visits to your website (traffic) "
        "instead.",
        "لا يمكن أن تفتح {platforms} محادثة {app}، لذلك ستهدف الحملة هناك إلى زيارات موقعك بدلاً من ذلك.",
    ),
    "plan_placements": ("Placements: {placements}", "أماكن الظهور: {placements}"),
    "plan_chat": ("Ads open a {app} chat", "الإعلانات تفتح محادثة {app}"),
    "fix_full_occasion": (
        "Run all {all_days} with a budget of {needed}",
        "التشغيل طوال {all_days} بميزانية {needed}",
    ),
    "budget_split": (
        "Budget split: {split}. Equal by default{adjusted}.",
        "توزيع الميزانية: {split}. التوزيع متساوٍ افتراضياً{adjusted}.",
    ),
    "budget_split_adjusted": (
        ", adjusted so that {platforms} reaches its minimum of {minimum}",
        "، مع تعديله ليصل {platforms} إلى حده الأدنى {minimum}",
    ),
    "minimum_unknown": (
        "ADLY does not know {platform}'s minimum budget in {currency}; {platform} will check it when "
        "publishing.",
        "لا يعرف ADLY الحد الأدنى لميزانية {platform} بعملة {currency}؛ ستتحقق منه {platform} عند النشر.",
    ),
    "age_range_rounded": (
        "{platform} targets age groups only, so {asked} becomes {got} on {platform}.",
        "تستهدف {platform} فئات عمرية محددة فقط، لذلك يصبح النطاق {asked} هو {got} على {platform}.",
    ),
    "age_range_open": (
        "{platform}'s oldest age option is open-ended, so {asked} becomes {got} on {platform}.",
        "آخر خيار عمري في {platform} مفتوح، لذلك يصبح النطاق {asked} هو {got} على {platform}.",
    ),
    "fix_age_everywhere": ("Use ages {ages} on every platform", "استخدام الأعمار {ages} على كل المنصات"),
    "fix_age_narrow": ("Narrow to ages {ages}", "تضييق الأعمار إلى {ages}"),
    "age_range_invalid": (
        "The minimum age {age_min} is above the maximum age {age_max}.",
        "الحد الأدنى للعمر {age_min} أكبر من الحد الأعلى {age_max}.",
    ),
    "fix_swap_ages": ("Use ages {ages}", "استخدام الأعمار {ages}"),
    "location_untargetable": (
        "{platform} cannot target ads to {location}: advertising there is not allowed.",
        "لا تسمح {platform} باستهداف الإعلانات في {location}.",
    ),
    "fix_drop_location": ("Remove {location}", "إزالة {location}"),
    "location_widened": (
        "{platform} cannot target the city {location}; its {ad_set} will target {wider} (a wider area) "
        "instead.",
        "لا تستهدف {platform} مدينة {location} مباشرة؛ ستستهدف المجموعة الإعلانية {wider} (منطقة أوسع) "
        "بدلاً منها.",
    ),
    "no_locations_left": (
        "None of the locations can be targeted on {platform}. Add a location in a country where it runs ads.",
        "لا يمكن استهداف أي من المواقع على {platform}. أضف موقعاً في دولة تنشر فيها الإعلانات.",
    ),
    "date_in_past": (
        "The start date {start} is in the past (today is {today}). Campaigns can start today at the "
        "earliest.",
        "تاريخ البداية {start} مضى (اليوم {today}). أقرب موعد لبدء الحملة هو اليوم.",
    ),
    "end_in_past": (
        "The end date {end} is in the past (today is {today}).",
        "تاريخ النهاية {end} مضى (اليوم {today}).",
    ),
    "fix_start_on": ("Start {when} ({start} to {end})", "البدء {when_ar} (من {start} إلى {end})"),
    "end_before_start": (
        "The end date {end} is before the start date {start}.",
        "تاريخ النهاية {end} يسبق تاريخ البداية {start}.",
    ),
    "fix_run_days": ("Run {days} from {start} (to {end})", "التشغيل لمدة {days} من {start} (حتى {end})"),
    "fix_swap_dates": ("Swap them: {start} to {end}", "تبديلهما: من {start} إلى {end}"),
    "schedule_default_all": (
        "No dates given: the campaign starts tomorrow ({start}) and runs {days} by default, until {end}.",
        "لم تحدد تواريخ: ستبدأ الحملة غداً ({start}) وتستمر {days} افتراضياً حتى {end}.",
    ),
    "schedule_default_end": (
        "No end date given: the campaign runs {days} by default, from {start} until {end}.",
        "لم تحدد تاريخ نهاية: ستستمر الحملة {days} افتراضياً من {start} حتى {end}.",
    ),
    "schedule_default_start": (
        "No start date given: the campaign starts tomorrow ({start}) and runs until {end}.",
        "لم تحدد تاريخ بداية: ستبدأ الحملة غداً ({start}) وتستمر حتى {end}.",
    ),
    "special_ad_category": (
        "This looks like a {category} ad (because of “{words}”). {category_cap} ads must be declared as a "
        "special "
        "ad category on Meta and TikTok; Meta then targets ages 18-65+ and all genders only. Confirm or "
        "tell me "
        "it is not a {category} ad.",
        "يبدو أن هذا إعلان {category} (بسبب «{words}»). يجب تصنيف إعلانات {category} كفئة إعلانية خاصة على "
        "ميتا "
        "وتيك توك، وعندها تستهدف ميتا الأعمار 18-65+ وكل الأجناس فقط. أكّد ذلك أو أخبرني أنه ليس إعلان "
        "{category}.",
    ),
    "fix_declare_category": (
        "Yes, declare it as {category} (ages 18-65+, all genders)",
        "نعم، صنّفه كإعلان {category} (الأعمار 18-65+، كل الأجناس)",
    ),
    "fix_not_category": ("No, it is not a {category} ad", "لا، ليس إعلان {category}"),
    "special_category_targeting": (
        "Declared {category} ads cannot target by {what} on Meta: it will reach ages 18-65+ and all genders.",
        "لا يمكن لإعلانات {category} المصنّفة الاستهداف حسب {what_ar} على ميتا: ستصل إلى الأعمار 18-65+ وكل "
        "الأجناس.",
    ),
    "fix_clear_demographics": ("Target ages 18-65+ and all genders", "استهداف الأعمار 18-65+ وكل الأجناس"),
    "account_currency_mismatch": (
        "Your {platform} ad account bills in {account_currency}, but the budget is in {currency}. The budget "
        "must be in the account's currency{converted}.",
        "حساب {platform} الإعلاني يتعامل بعملة {account_currency} بينما الميزانية بعملة {currency}. يجب أن "
        "تكون الميزانية بعملة الحساب{converted}.",
    ),
    "converted_at_peg": (": {amount} at the fixed rate", ": {amount} بسعر الصرف الثابت"),
    "fix_convert": ("Use {amount}", "استخدام {amount}"),
    "account_cannot_create_ads": (
        "The connected {platform} ad account ({account}) cannot create ads: your access lacks the advertiser "
        "permission. Ask an admin of the account to grant it, or connect another account.",
        "حساب {platform} الإعلاني المتصل ({account}) لا يسمح بإنشاء إعلانات: صلاحيتك لا تشمل إدارة "
        "الإعلانات. "
        "اطلب من مسؤول الحساب منحك الصلاحية، أو اربط حساباً آخر.",
    ),
    "landing_url_example": (
        "No landing page given: in the sandbox the ads link to the example page {url}. Name your shop's page (it "
        "is remembered for the next campaigns); a real platform never gets the example.",
        "لم تحدد صفحة هبوط: في بيئة التجربة توجّه الإعلانات إلى صفحة المثال {url}. أرسل صفحة متجرك (ستُحفظ للحملات "
        "القادمة)؛ المنصات الحقيقية لا تحصل أبدًا على صفحة المثال.",
    ),
    "landing_url_default": (
        "No landing page given: the ads will link to {url} (the workspace default).",
        "لم تحدد صفحة هبوط: ستوجّه الإعلانات إلى {url} (الرابط الافتراضي لمساحة العمل).",
    ),
    "landing_url_missing": (
        "A {objective} campaign needs a landing page and none was given. Send the link, e.g. "
        "“https://yourstore.sa/ramadan”.",
        "حملة {objective_ar} تحتاج إلى صفحة هبوط ولم تحدد واحدة. أرسل الرابط، مثلاً "
        "«https://yourstore.sa/ramadan».",
    ),
    "landing_url_invalid": (
        "The landing page “{url}” is not a web address; it must start with https:// (or http://).",
        "صفحة الهبوط «{url}» ليست رابطاً صحيحاً؛ يجب أن تبدأ بـ https:// (أو http://).",
    ),
    "fix_https": ("Use {url}", "استخدام {url}"),
    "landing_url_required": (
        "Which page should the ads open? Send its https address (e.g. https://yourshop.com/ramadan).",
        "ما الصفحة التي تفتحها الإعلانات؟ أرسل رابطها بصيغة https (مثل https://yourshop.com/ramadan).",
    ),
    "landing_url_not_https": (
        "The landing page “{url}” is not https: ads link only to secure pages (https://).",
        "صفحة الهبوط «{url}» ليست آمنة: الإعلانات تربط بصفحات https:// فقط.",
    ),
    "landing_url_credentials": (
        "The landing page “{url}” carries a user name or password; give the page's address without them.",
        "صفحة الهبوط «{url}» تحتوي على اسم مستخدم أو كلمة مرور؛ أعطِ عنوان الصفحة بدونها.",
    ),
    "landing_url_private": (
        "The landing page “{url}” is not a public website (a local, private or internal address); ads need a page "
        "anyone can open.",
        "صفحة الهبوط «{url}» ليست موقعًا عامًا (عنوان محلي أو خاص أو داخلي)؛ الإعلانات تحتاج صفحة يفتحها الجميع.",
    ),
    "landing_url_placeholder": (
        "“{url}” is an example address reserved for documentation, not your shop's page; give the page your ads "
        "should open.",
        "«{url}» عنوان مثال مخصص للتوثيق وليس صفحة متجرك؛ أرسل الصفحة التي يجب أن تفتحها إعلاناتك.",
    ),
    "landing_url_hidden": (
        "The landing page “{url}” contains invisible characters (�) that can make it read as another address; "
        "type it again.",
        "صفحة الهبوط «{url}» تحتوي على أحرف غير مرئية (�) قد تجعلها تُقرأ كعنوان آخر؛ اكتبها من جديد.",
    ),
    "objective_default": (
        "No objective given: the campaign will optimise for {objective}.",
        "لم تحدد هدف الحملة: سيكون الهدف {objective_ar}.",
    ),
    "tiktok_needs_video": (
        "TikTok in-feed ads must be videos, and only {types} were asked for. A video will be needed for "
        "TikTok.",
        "إعلانات تيك توك في الصفحة الرئيسية يجب أن تكون فيديو، وطُلب {types} فقط. ستحتاج تيك توك إلى فيديو.",
    ),
    "fix_add_video": ("Also make a video", "إنشاء فيديو أيضاً"),
    "copy_too_long": (
        "The {field} of {platform} ad {ad} is {length} characters; {platform} allows {limit}{hard}.",
        "{field_ar} في إعلان {platform} ‏{ad} طوله {length} حرفاً؛ تسمح {platform} بـ{limit}{hard_ar}.",
    ),
    "conflict": (
        "I read {label} two ways: {rules} or {llm}. Which one did you mean?",
        "فهمت {label} بطريقتين: {rules} أو {llm}. أيهما تقصد؟",
    ),
    "conflict_line": ("{label}: {rules} or {llm}?", "{label}: {rules} أو {llm}؟"),
    "fix_use_value": ("Use {value}", "اعتماد {value}"),
    "schedule_range": ("{start} to {end}", "من {start} إلى {end}"),
    "question_intro": ("To set up the campaign I still need:", "لإعداد الحملة أحتاج إلى:"),
    "question_outro": (
        "Reply in one message, for example: “{example}”.",
        "أرسلها في رسالة واحدة، مثلاً: «{example}».",
    ),
}

OBJECTIVE_AR = {
    "sales": "المبيعات",
    "traffic": "زيارات الموقع",
    "awareness": "الوعي بالعلامة",
    "engagement": "التفاعل",
    "leads": "العملاء المحتملين",
    "app_installs": "تثبيت التطبيق",
    "video_views": "مشاهدات الفيديو",
}
CATEGORY = {
    "housing": Bi("housing", "عقارات"),
    "employment": Bi("employment", "توظيف"),
    "credit": Bi("credit", "ائتمان وتمويل"),
}

# Clarification: field -> (label EN, example EN, label AR, example AR). Keys are the names `missing` uses;
# dotted names fall back to their first part.
FIELD_PROMPTS: dict[str, tuple[str, str, str, str]] = {
    "platforms": (
        "which platforms (Instagram, Facebook, TikTok, Snapchat)",
        "Instagram and TikTok",
        "المنصات (إنستغرام، فيسبوك، تيك توك، سناب شات)",
        "إنستغرام وتيك توك",
    ),
    "budget": (
        "the budget and its currency, total or per day",
        "1500 SAR in total",
        "الميزانية وعملتها، إجمالية أو يومية",
        "1500 ريال إجمالي",
    ),
    "budget.amount": ("the budget amount", "1500 SAR", "مبلغ الميزانية", "1500 ريال"),
    "budget.currency": ("the budget's currency", "SAR", "عملة الميزانية", "ريال سعودي"),
    "schedule": ("when it runs", "from 1 to 14 March", "موعد الحملة", "من 1 إلى 14 مارس"),
    "schedule.start_date": ("the start date", "starting 1 March", "تاريخ البداية", "تبدأ 1 مارس"),
    "schedule.end_date": (
        "the end date or duration",
        "for two weeks",
        "تاريخ النهاية أو المدة",
        "لمدة أسبوعين",
    ),
    "audience": ("who to reach", "women 25-40 in Riyadh", "الجمهور المستهدف", "نساء من 25 إلى 40 في الرياض"),
    "audience.locations": ("where to show the ads", "Riyadh and Jeddah", "مكان عرض الإعلانات", "الرياض وجدة"),
    "locations": ("where to show the ads", "Riyadh and Jeddah", "مكان عرض الإعلانات", "الرياض وجدة"),
    "audience.age_min": ("the age range", "ages 25-40", "الفئة العمرية", "من 25 إلى 40 سنة"),
    "audience.age_max": ("the age range", "ages 25-40", "الفئة العمرية", "من 25 إلى 40 سنة"),
    "audience.genders": ("the gender", "women", "الجنس", "نساء"),
    "objective": (
        "the goal (sales, website visits, awareness)",
        "sales",
        "هدف الحملة (مبيعات، زيارات، وعي)",
        "مبيعات",
    ),
    "landing_url": (
        "the landing page link",
        "https://yourstore.sa/ramadan",
        "رابط صفحة الهبوط",
        "https://yourstore.sa/ramadan",
    ),
    "product": (
        "what you are advertising",
        "our new abaya collection",
        "ما الذي تعلن عنه",
        "تشكيلة العبايات الجديدة",
    ),
    "theme": ("the occasion or theme", "Ramadan", "المناسبة أو الموضوع", "رمضان"),
    "languages": ("the ad languages", "Arabic and English", "لغات الإعلان", "العربية والإنجليزية"),
    "creative_types": ("the formats", "images and a video", "أنواع المحتوى", "صور وفيديو"),
}


# What a conflict between the rules and the LLM is about (agent.parsing.conflicts), as the question names it.
CONFLICT_LABELS: dict[str, Bi] = {
    "budget.amount": Bi("the budget", "الميزانية"),
    "audience.age_min": Bi("the minimum age", "الحد الأدنى للعمر"),
    "audience.age_max": Bi("the maximum age", "الحد الأعلى للعمر"),
    "schedule": Bi("the dates", "مواعيد الحملة"),
    "platforms": Bi("the platforms", "المنصات"),
}
APP_NAMES: dict[str, Bi] = {
    "facebook": Bi("Facebook", "فيسبوك"),
    "instagram": Bi("Instagram", "إنستغرام"),
    "messenger": Bi("Messenger", "ماسنجر"),
    "audience_network": Bi("Audience Network", "شبكة الجمهور"),
}


def field_prompt(field: str) -> tuple[str, str, str, str]:
    if field in FIELD_PROMPTS:
        return FIELD_PROMPTS[field]
    head = field.split(".", 1)[0]
    if head in FIELD_PROMPTS:
        return FIELD_PROMPTS[head]
    words = field.replace(".", " ").replace("_", " ")
    return (f"the {words}", words, words, words)


def text(key: str, **values: object) -> tuple[str, str]:
    """(English, Arabic) of catalogue entry `key` with `values` filled in; a Bi value picks its language."""
    en, ar = CATALOGUE[key]
    en_values = {k: (v.en if isinstance(v, Bi) else v) for k, v in values.items()}
    ar_values = {k: (v.ar if isinstance(v, Bi) else _arabic_value(v)) for k, v in values.items()}
    return en.format(**en_values), ar.format(**ar_values)


_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def _arabic_value(value: object) -> object:
    """A day reads "8 فبراير 2027" in an Arabic sentence (a date, or the ISO text a patch carries), a place
    "الرياض"."""
    if isinstance(value, date) and not isinstance(value, datetime):
        return date_text(value, "ar")
    if isinstance(value, str) and _ISO_DAY.fullmatch(value):
        return date_text(value, "ar")
    if isinstance(value, str) and value in ARABIC_PLACE_NAMES:
        # A place reaches sentences by its canonical English name (the plan's); an Arabic reader sees الرياض.
        return ARABIC_PLACE_NAMES[value]
    return value


def bi(key: str, **values: object) -> Bi:
    en, ar = text(key, **values)
    return Bi(en, ar)
