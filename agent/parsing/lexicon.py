"""Bilingual lexicon: surface words per category and canonical value, folded into one phrase lookup."""

from __future__ import annotations

from agent.parsing.gazetteer import GROUPS, PLACES
from agent.parsing.occasions import OCCASION_WORDS
from agent.parsing.text import TOKEN, fold

PLATFORM_WORDS: dict[str, tuple[str, ...]] = {
    "instagram": ("instagram", "insta", "ig", "instgram", "instagarm", "instagam", "instegram", "instagramm",
                  "insatgram", "instragram", "istagram", "inst", "انستقرام", "انستغرام", "انستجرام",
                  "انستاقرام", "انستاغرام", "انستا", "إنستا", "انستكرام", "الانستا", "انستقرم", "انستغرم", "ريلز"),
    "facebook": ("facebook", "fb", "face book", "facebok", "facbook", "faceboook", "fcebook", "فيسبوك", "فيس بوك",
                 "الفيس", "فيس", "فيسبوك"),
    "messenger": ("messenger", "fb messenger", "ماسنجر", "مسنجر"),
    "audience_network": ("audience network",),
    "meta": ("meta", "meta ads", "ميتا", "منصات ميتا"),
    "tiktok": ("tiktok", "tik tok", "tictoc", "tiktoc", "tick tock", "ticktok", "tik tock", "tictok", "tiktk",
               "tiktoks", "tt", "تيك توك", "تيكتوك", "تك توك", "تكتوك", "تيك", "التيك توك"),
    "snapchat": ("snapchat", "snap chat", "snap", "snapchats", "snapchta", "snapcht", "snpachat", "snapshat",
                 "سناب شات", "سنابشات", "سناب تشات", "سناب", "سنابتشات"),
    "all": ("all platforms", "all the platforms", "every platform", "all channels", "all three platforms",
            "all 3 platforms", "all three", "everywhere", "all networks", "all social", "all social media",
            "every network", "كل المنصات", "جميع المنصات", "كافه المنصات", "كل القنوات", "جميع القنوات",
            "المنصات الثلاث", "المنصات الثلاثه", "كل المواقع", "كل السوشيال", "كل مكان", "كل البرامج"),
}
META_PUBLISHERS: tuple[str, ...] = ("facebook", "instagram", "messenger", "audience_network")
PLATFORM_OF: dict[str, str] = {
    "instagram": "meta", "facebook": "meta", "messenger": "meta", "audience_network": "meta", "meta": "meta",
    "tiktok": "tiktok", "snapchat": "snapchat",
}

# Currency words. "riyal", "dinar" and "pound" alone are resolved against the target country in rules.
CURRENCY_WORDS: dict[str, tuple[str, ...]] = {
    "SAR": ("sar", "sr", "s.r", "saudi riyal", "saudi riyals", "saudi rial", "ر س", "رس", "ريال سعودي",
            "ريالات سعوديه", "﷼"),
    "riyal": ("riyal", "riyals", "rial", "rials", "ryal", "riyal's", "ريال", "ريالات", "ريالاً", "الريال"),
    "AED": ("aed", "dirham", "dirhams", "dhs", "dh", "dhs.", "uae dirham", "emirati dirham", "درهم", "دراهم",
            "درهم اماراتي", "د ا"),
    "KWD": ("kwd", "kd", "kuwaiti dinar", "kuwaiti dinars", "دينار كويتي", "د ك"),
    "BHD": ("bhd", "bd", "bahraini dinar", "bahraini dinars", "دينار بحريني", "د ب"),
    "JOD": ("jod", "jd", "jordanian dinar", "jordanian dinars", "دينار اردني", "د ا ر"),
    "dinar": ("dinar", "dinars", "دينار", "دنانير"),
    "QAR": ("qar", "qr", "qatari riyal", "qatari riyals", "qatari rial", "ريال قطري", "ر ق"),
    "OMR": ("omr", "omani rial", "omani rials", "omani riyal", "ريال عماني", "ر ع"),
    "EGP": ("egp", "le", "l.e", "egyptian pound", "egyptian pounds", "جنيه", "جنيهات", "جنيه مصري", "ج م",
            "جنيها"),
    "pound": ("pound", "pounds", "quid"),
    "USD": ("usd", "us dollar", "us dollars", "dollar", "dollars", "bucks", "دولار", "دولارات", "دولار امريكي"),
    "EUR": ("eur", "euro", "euros", "يورو"),
    "GBP": ("gbp", "sterling", "british pound", "british pounds", "جنيه استرليني"),
    "LBP": ("lbp", "lebanese pound", "lebanese pounds", "ليره لبنانيه", "ليره"),
}
CURRENCY_SYMBOLS: dict[str, str] = {"$": "USD", "€": "EUR", "£": "GBP", "﷼": "SAR"}

GENDER_WORDS: dict[str, tuple[str, ...]] = {
    "female": ("women", "woman", "ladies", "lady", "female", "females", "girls", "girl", "moms", "mums", "mothers",
               "wives", "womens", "women's", "ladies'", "housewives", "brides", "نساء", "سيدات", "بنات",
               "اناث", "نسائي", "نسائيه", "امهات", "حريم", "فتيات", "سيده", "المراه", "مراه", "نسوان", "الحريم",
               "البنات", "بنت", "النسائيه", "الامهات", "عرائس", "العرايس"),
    "male": ("men", "man", "male", "males", "guys", "boys", "gentlemen", "gents", "fathers", "dads", "husbands",
             "mens", "men's", "رجال", "رجالي", "ذكور", "الرجال", "رجاليه", "الاباء", "اباء", "شباب فقط",
             "رياجيل"),
    "all": ("both genders", "all genders", "men and women", "women and men", "everyone", "everybody", "anyone",
            "male and female", "female and male", "both sexes", "unisex", "الجنسين", "كلا الجنسين", "رجال ونساء",
            "نساء ورجال", "الكل", "للجميع", "الجميع", "شباب وبنات", "بنات وشباب",
            "الشباب والبنات", "البنات والشباب", "الرجال والنساء", "النساء والرجال"),
}

# (objective, strength): strong cues state a goal; weak ones only hint at one (see rules._objective).
OBJECTIVE_WORDS: dict[tuple[str, int], tuple[str, ...]] = {
    ("app_installs", 3): ("app installs", "app install", "installs", "install", "installations", "downloads",
                          "download", "app downloads", "تحميل التطبيق", "تحميلات", "تنزيل التطبيق", "تثبيت",
                          "تثبيتات", "تحميل تطبيق", "تنزيل تطبيق", "تحميل"),
    ("leads", 3): ("leads", "lead", "lead generation", "lead gen", "leadgen", "sign ups", "signups", "sign-ups",
                   "signup", "registrations", "register", "registration", "inquiries", "enquiries",
                   "bookings", "book a demo", "عملاء محتملين", "تسجيل", "تسجيلات", "استفسارات", "حجوزات", "ليدز"),
    ("video_views", 3): ("video views", "views", "view count", "مشاهدات", "مشاهده الفيديو", "مشاهدات الفيديو"),
    ("engagement", 3): ("engagement", "engagements", "likes", "comments", "followers", "follows", "interaction",
                        "interactions", "shares", "تفاعل", "التفاعل", "متابعين", "لايكات", "تعليقات",
                        "المتابعين", "انقيجمنت"),
    ("traffic", 3): ("traffic", "visits", "visitors", "site visits", "website visits", "clicks", "link clicks",
                     "web traffic", "footfall", "drive traffic", "زيارات", "زوار", "زياره", "الزيارات", "ترافيك",
                     "نقرات", "زيارات الموقع"),
    ("traffic", 1): ("website", "site", "landing page", "landing", "web site", "our site", "الموقع", "موقعنا", "الموقع الالكتروني",
                     "المتجر الالكتروني", "ويب سايت"),
    ("sales", 2): ("sale", "sales", "offer", "offers", "discount", "discounts", "promo", "promotion", "promotions",
                   "deal", "deals", "purchases", "purchase", "conversions", "conversion", "orders", "buy", "sell",
                   "selling", "revenue", "off", "coupon", "clearance", "bogo", "تخفيضات", "تخفيض", "خصم", "خصومات",
                   "عرض", "عروض", "تنزيلات", "مبيعات", "اوكازيون", "بيع", "شراء", "طلبات", "كوبون", "كود خصم",
                   "تخفيظات", "تخفيضاتنا", "سيل", "اوفر", "اوفرات"),
    ("app_installs", 1): ("app", "apps", "تطبيق", "تطبيقنا", "ابليكيشن"),
    ("awareness", 1): ("awareness", "brand awareness", "launch", "launching", "launches", "opening", "grand opening",
                       "reach", "introduce", "introducing", "announce", "announcing", "new branch",
                       "visibility", "توعيه", "التوعيه", "اطلاق", "افتتاح", "وعي", "الوعي", "انتشار", "تعريف", "التعريف", "اعلان عن",
                       "الوعي بالعلامه", "اطلاق منتج", "فرع جديد", "نطلق", "بنطلق", "بنفتح", "نفتح"),
}

CREATIVE_WORDS: dict[str, tuple[str, ...]] = {
    "image": ("image", "images", "photo", "photos", "picture", "pictures", "pics", "pic", "banner", "banners",
              "static", "statics", "poster", "posters", "carousel", "صور", "صوره", "بوستر", "بوسترات", "تصاميم",
              "تصميم", "بنر", "بنرات", "صور ثابته"),
    "video": ("video", "videos", "vid", "vids", "clip", "clips", "reel", "reels", "ريلز", "فيديو", "فيديوهات", "فديو", "مقطع",
              "مقاطع", "فيديو قصير", "ريل"),
    "voice": ("voice", "voiceover", "voice-over", "voice over", "voiceovers", "audio", "vo", "narration",
              "صوت", "تعليق صوتي", "فويس", "فويس اوفر", "صوتي", "الصوت"),
}
DEFAULT_CREATIVE_TYPES: tuple[str, ...] = ("image", "video", "voice")

LANGUAGE_WORDS: dict[str, tuple[str, ...]] = {
    "ar": ("arabic", "عربي", "العربي", "عربيه", "العربيه", "اللغه العربيه", "بالعربي", "بالعربيه"),
    "en": ("english", "انجليزي", "الانجليزي", "انجليزيه", "الانجليزيه", "انقليزي", "انجلش", "انقلش",
           "اللغه الانجليزيه", "بالانجليزي"),
    "fr": ("french", "فرنسي", "الفرنسيه"),
    "both": ("bilingual", "both languages", "باللغتين", "اللغتين", "ثنائي اللغه"),
}

MONTH_WORDS: dict[int, tuple[str, ...]] = {
    1: ("january", "jan", "يناير", "كانون الثاني", "جانفي"),
    2: ("february", "feb", "فبراير", "شباط", "فيفري"),
    3: ("march", "mar", "مارس", "اذار"),
    4: ("april", "apr", "ابريل", "نيسان", "افريل"),
    5: ("may", "مايو", "ايار", "ماي"),
    6: ("june", "jun", "يونيو", "حزيران", "يونيه", "جوان"),
    7: ("july", "jul", "يوليو", "تموز", "يوليه", "جويليه"),
    8: ("august", "aug", "اغسطس", "اب", "اغسطس"),
    9: ("september", "sep", "sept", "سبتمبر", "ايلول"),
    10: ("october", "oct", "اكتوبر", "تشرين الاول"),
    11: ("november", "nov", "نوفمبر", "تشرين الثاني"),
    12: ("december", "dec", "ديسمبر", "كانون الاول"),
}

WEEKDAY_WORDS: dict[int, tuple[str, ...]] = {
    0: ("monday", "الاثنين", "الإثنين", "اثنين"),
    1: ("tuesday", "الثلاثاء", "ثلاثاء"),
    2: ("wednesday", "الاربعاء", "اربعاء"),
    3: ("thursday", "الخميس", "خميس"),
    4: ("friday", "الجمعه", "جمعه"),
    5: ("saturday", "السبت", "سبت"),
    6: ("sunday", "الاحد", "احد"),
}

# Duration units in days; dual Arabic forms carry their count ("اسبوعين" = two weeks).
UNIT_WORDS: dict[str, tuple[str, ...]] = {
    "day": ("day", "days", "يوم", "ايام", "يوما", "أيام"),
    "week": ("week", "weeks", "wk", "wks", "اسبوع", "اسابيع", "أسبوع"),
    "month": ("month", "months", "شهر", "اشهر", "شهور"),
    "fortnight": ("fortnight",),
    "2day": ("يومين",),
    "2week": ("اسبوعين", "أسبوعين"),
    "2month": ("شهرين",),
}
UNIT_DAYS: dict[str, int] = {"day": 1, "week": 7, "month": 30, "fortnight": 14, "2day": 2, "2week": 14,
                             "2month": 60}

CUE_WORDS: dict[str, tuple[str, ...]] = {
    "neg": ("not", "no", "without", "except", "excluding", "exclude", "minus", "skip", "but not", "never", "n't",
            "dont", "don't", "بدون", "ماعدا", "ما عدا", "عدا", "باستثناء", "غير", "مو", "مش", "ليس", "لا", "من غير",
            "مب", "ماابي", "ما ابي", "ما نبي", "مانبي", "بلاش", "الا"),
    "only": ("only", "just", "exclusively", "solely", "فقط", "بس", "وحده", "لوحده", "حصرا", "فقط لا غير"),
    "add": ("add", "also", "plus", "include", "including", "as well", "too", "اضف", "ضيف", "زيد", "اضافه", "كمان",
            "ايضا", "وكمان", "زود", "ضف"),
    "drop": ("drop", "remove", "delete", "cancel", "exclude", "stop", "take out", "kill", "احذف", "شيل", "الغ",
             "الغي", "امسح", "وقف", "اوقف", "حذف", "ازل", "ازيل", "شيلو", "شيلوا"),
    "daily": ("daily", "per day", "a day", "each day", "every day", "per-day", "day-by-day", "a-day", "يوميا",
              "يومي", "يوميه", "في اليوم", "باليوم", "كل يوم", "لليوم", "اليوم الواحد", "للي يوم"),
    "lifetime": ("total", "lifetime", "overall", "in total", "altogether", "whole campaign", "for the whole",
                 "اجمالي", "اجماليه", "كلي", "اجمالا", "اجمالية", "للحمله كلها", "كامل"),
    "budget": ("budget", "budgets", "spend", "spending", "ad spend", "cap", "ميزانيه", "الميزانيه", "بميزانيه",
               "ميزانيتها", "بجت", "صرف", "الصرف", "مصروف"),
    "age": ("age", "ages", "aged", "years", "year", "yrs", "yr", "yo", "y/o", "years old", "year olds", "year-olds",
            "age group", "سنه", "سنوات", "عام", "عمر", "اعمار", "العمر", "سن", "اعمارهم", "الاعمار", "عمرهم"),
    "start": ("starting", "start", "starts", "from", "beginning", "begin", "begins", "commencing", "effective",
              "start on", "starting on", "starting from", "kick off", "launching on", "go live", "من", "يبدا",
              "تبدا", "ابتداء", "ابتداء من", "اعتبارا من", "بدايه من", "بدءا من", "نبدا", "تبدي", "يبدي"),
    "end": ("to", "until", "till", "til", "through", "thru", "ending", "ends", "end", "up to", "الى", "حتى",
            "لغايه", "لين", "لحد", "ل", "الين", "وتنتهي", "ينتهي", "تنتهي"),
    "for": ("for", "lasting", "run for", "over", "لمده", "مده", "خلال", "على مدى", "على مدار", "ل"),
    "over": ("over", "above", "older than", "more than", "at least", "minimum", "min", "and above", "and up",
             "plus", "or older", "and over", "فوق", "اكبر من", "اكثر من", "فما فوق", "وما فوق", "وفوق", "على الاقل"),
    "under": ("under", "below", "younger than", "less than", "below age", "تحت", "اقل من", "اصغر من", "دون"),
    "upto": ("up to", "max", "maximum", "at most", "or younger", "and under", "and below", "حتى", "الى", "لحد"),
    "between": ("between", "aged between", "بين", "ما بين"),
    "rel0": ("today", "now", "immediately", "asap", "right away", "اليوم", "الحين", "الان", "فورا", "حالا"),
    "rel1": ("tomorrow", "tmrw", "tmr", "بكره", "بكرا", "غدا", "باكر", "الغد"),
    "rel2": ("day after tomorrow", "بعد بكره", "بعد غد", "بعد غدا"),
    "next": ("next", "coming", "the coming", "upcoming", "القادم", "الجاي", "المقبل", "القادمه", "الجايه", "الجايين", "القادمين", "المقبلين",
             "المقبله", "الياي"),
    "this": ("this", "هذا", "هذه", "هذي"),
}

# Function words that end a product noun phrase.
PRODUCT_STOP: frozenset[str] = frozenset(
    "campaign campaigns ad ads advert adverts with on in at for to targeting target targeted aimed and or budget "
    "from starting during this next sale sales offer offers discount discounts promo promotion launch using via "
    "across by the a an of per daily run running lasting over under between aged women men ladies only just"
    .split()
)


def _arabic(text: str) -> bool:
    return any("\u0600" <= ch <= "\u06ff" for ch in text)


# Arabic attaches "and", "with", "for", "like" and the article to the next word: بالرياض، للنساء، وسناب.
AR_PREFIXES: tuple[str, ...] = tuple(
    sorted({a + b + c for a in ("", "و", "ف") for b in ("", "ب", "ل", "ك") for c in ("", "ال")} - {""}
           | {"لل", "ولل", "فلل"}, key=len, reverse=True)
)
AR_SUFFIXES: tuple[str, ...] = ("نا", "ها", "كم", "هم")


def _phrase_key(surface: str) -> str:
    """Folded, token-joined key of a surface form ("Tik-Tok" -> "tik tok"); Arabic loses a leading article."""
    tokens = TOKEN.findall(fold(surface))
    if tokens and _arabic(tokens[0]) and tokens[0].startswith("ال") and len(tokens[0]) > 3:
        tokens[0] = tokens[0][2:]
    return " ".join(tokens)


Entry = tuple[str, object]


def _build() -> dict[str, list[Entry]]:
    lookup: dict[str, list[Entry]] = {}

    def add(category: str, value: object, surfaces: tuple[str, ...] | list[str]) -> None:
        for surface in surfaces:
            key = _phrase_key(surface)
            if not key:
                continue
            entries = lookup.setdefault(key, [])
            if (category, value) not in entries:
                entries.append((category, value))

    for value, surfaces in PLATFORM_WORDS.items():
        add("platform", value, surfaces)
    for value, surfaces in CURRENCY_WORDS.items():
        add("currency", value, surfaces)
    for value, surfaces in GENDER_WORDS.items():
        add("gender", value, surfaces)
    for (objective, strength), surfaces in OBJECTIVE_WORDS.items():
        add("objective", (objective, strength), surfaces)
    for value, surfaces in CREATIVE_WORDS.items():
        add("creative", value, surfaces)
    for value, surfaces in LANGUAGE_WORDS.items():
        add("language", value, surfaces)
    for month, surfaces in MONTH_WORDS.items():
        add("month", month, surfaces)
    for weekday, surfaces in WEEKDAY_WORDS.items():
        add("weekday", weekday, surfaces)
    for unit, surfaces in UNIT_WORDS.items():
        add("unit", unit, surfaces)
    for cue, surfaces in CUE_WORDS.items():
        add("cue", cue, surfaces)
    for slug, surfaces in OCCASION_WORDS.items():
        add("occasion", slug, surfaces)
    for index, place in enumerate(PLACES):
        add("place", index, place.aliases)
    for group, codes in GROUPS.items():
        add("group", codes, [group])
    return lookup


LOOKUP: dict[str, list[Entry]] = _build()
MAX_NGRAM: int = max(len(key.split()) for key in LOOKUP)

# Typo tolerance for names people misspell (SymSpell-style: one deletion on either side matches one edit).
_FUZZY_CATEGORIES = ("platform", "place", "occasion")


def _deletes(word: str) -> set[str]:
    return {word[:i] + word[i + 1:] for i in range(len(word))}


def _build_fuzzy() -> dict[str, str]:
    index: dict[str, str] = {}
    ambiguous: set[str] = set()
    for key, entries in LOOKUP.items():
        if " " in key or len(key) < 6 or _arabic(key) or not any(c in _FUZZY_CATEGORIES for c, _ in entries):
            continue
        for variant in _deletes(key) | {key}:
            if variant in index and index[variant] != key:
                ambiguous.add(variant)
            index[variant] = key
    for variant in ambiguous:
        del index[variant]
    return index


FUZZY: dict[str, str] = _build_fuzzy()
# One edit changes a length by one at most: a token longer than this is no key's typo. Without the bound, a
# single long "word" costs time and memory quadratic in its length (all its deletions are built).
FUZZY_MAX_LEN: int = max((len(key) for key in FUZZY.values()), default=0) + 1


def fuzzy_key(token: str) -> str | None:
    """The lexicon key one edit away from an unknown Latin token of 6+ letters, if unambiguous."""
    if not 6 <= len(token) <= FUZZY_MAX_LEN or not token.isascii():
        return None
    if token in FUZZY:
        return FUZZY[token]
    for variant in _deletes(token):
        if variant in FUZZY:
            return FUZZY[variant]
    return None
