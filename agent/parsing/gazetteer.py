"""Gazetteer of the Gulf, Egypt, Jordan and the Levant: canonical English names, kinds, ISO codes, aliases."""

from __future__ import annotations

from typing import NamedTuple


class Place(NamedTuple):
    name: str  # canonical English name, as the contract prints it
    kind: str  # country | region | city
    country_code: str
    aliases: tuple[str, ...]  # English, transliterations, Arabic (Arabic without the article: it is optional)


# Names that are also everyday words are left out on purpose (Arabic "صور" = pictures, not Tyre; English
# "salt", "hail", "tyre"); "عمان" is Oman unless written with a shadda or next to Jordan (see rules).
PLACES: tuple[Place, ...] = (
    # Countries
    Place("Saudi Arabia", "country", "SA", ("saudi arabia", "saudi", "ksa", "the kingdom", "k.s.a", "saudia",
                                            "سعوديه", "المملكه العربيه السعوديه", "المملكه", "مملكه", "سعودي")),
    Place("United Arab Emirates", "country", "AE", ("uae", "u.a.e", "emirates", "united arab emirates",
                                                    "the emirates", "امارات", "الامارات العربيه المتحده", "دوله الامارات")),
    Place("Kuwait", "country", "KW", ("kuwait", "كويت")),
    Place("Qatar", "country", "QA", ("qatar", "قطر")),
    Place("Bahrain", "country", "BH", ("bahrain", "بحرين")),
    Place("Oman", "country", "OM", ("oman", "sultanate of oman", "عمان", "سلطنه عمان")),
    Place("Egypt", "country", "EG", ("egypt", "مصر")),
    Place("Jordan", "country", "JO", ("jordan", "اردن")),
    Place("Lebanon", "country", "LB", ("lebanon", "لبنان")),
    Place("Syria", "country", "SY", ("syria", "سوريا", "سوريه")),
    Place("Palestine", "country", "PS", ("palestine", "فلسطين")),
    Place("Iraq", "country", "IQ", ("iraq", "عراق")),
    # Saudi Arabia
    Place("Riyadh", "city", "SA", ("riyadh", "riyad", "ryadh", "riyaadh", "al riyadh", "رياض")),
    Place("Jeddah", "city", "SA", ("jeddah", "jedda", "jidda", "jiddah", "jaddah", "جده")),
    Place("Mecca", "city", "SA", ("mecca", "makkah", "makka", "makkah al mukarramah", "مكه", "مكه المكرمه")),
    Place("Medina", "city", "SA", ("medina", "madinah", "al madinah", "madina", "المدينه المنوره", "مدينه المنوره")),
    Place("Dammam", "city", "SA", ("dammam", "al dammam", "damam", "دمام")),
    Place("Khobar", "city", "SA", ("khobar", "al khobar", "alkhobar", "al-khobar", "خبر")),
    Place("Dhahran", "city", "SA", ("dhahran", "ظهران")),
    Place("Taif", "city", "SA", ("taif", "al taif", "طائف", "طايف")),
    Place("Abha", "city", "SA", ("abha", "ابها")),
    Place("Tabuk", "city", "SA", ("tabuk", "tabouk", "تبوك")),
    Place("Buraidah", "city", "SA", ("buraidah", "buraydah", "buraida", "بريده")),
    Place("Hail", "city", "SA", ("ha'il", "haail", "حائل", "حايل")),
    Place("Jazan", "city", "SA", ("jazan", "jizan", "gizan", "جازان", "جيزان")),
    Place("Najran", "city", "SA", ("najran", "نجران")),
    Place("Al Ahsa", "city", "SA", ("al ahsa", "al-ahsa", "alahsa", "ahsa", "al hasa", "hofuf", "al hofuf",
                                     "احساء", "هفوف")),
    Place("Yanbu", "city", "SA", ("yanbu", "ينبع")),
    Place("Jubail", "city", "SA", ("jubail", "al jubail", "جبيل")),
    Place("Khamis Mushait", "city", "SA", ("khamis mushait", "khamis mushayt", "خميس مشيط")),
    Place("AlUla", "city", "SA", ("alula", "al ula", "al-ula", "علا")),
    Place("Al Khafji", "city", "SA", ("khafji", "al khafji", "خفجي")),
    Place("Eastern Province", "region", "SA", ("eastern province", "eastern region", "the eastern province",
                                                "المنطقه الشرقيه", "شرقيه")),
    Place("Qassim", "region", "SA", ("qassim", "al qassim", "qaseem", "al-qassim", "قصيم")),
    Place("Asir", "region", "SA", ("asir", "aseer", "عسير")),
    Place("Al Jouf", "region", "SA", ("al jouf", "jouf", "al-jouf", "جوف")),
    # United Arab Emirates
    Place("Dubai", "city", "AE", ("dubai", "dubay", "دبي")),
    Place("Abu Dhabi", "city", "AE", ("abu dhabi", "abudhabi", "abu-dhabi", "ابوظبي", "ابو ظبي")),
    Place("Sharjah", "city", "AE", ("sharjah", "sharja", "شارقه")),
    Place("Ajman", "city", "AE", ("ajman", "عجمان")),
    Place("Ras Al Khaimah", "city", "AE", ("ras al khaimah", "ras al-khaimah", "rak", "راس الخيمه")),
    Place("Fujairah", "city", "AE", ("fujairah", "fujeirah", "فجيره")),
    Place("Al Ain", "city", "AE", ("al ain", "al-ain", "alain", "عين")),
    Place("Umm Al Quwain", "city", "AE", ("umm al quwain", "umm al-quwain", "ام القيوين")),
    # Kuwait
    Place("Kuwait City", "city", "KW", ("kuwait city", "مدينه الكويت")),
    Place("Hawalli", "city", "KW", ("hawalli", "hawally", "حولي")),
    Place("Salmiya", "city", "KW", ("salmiya", "salmiyah", "سالميه")),
    Place("Jahra", "city", "KW", ("jahra", "al jahra", "جهراء")),
    Place("Farwaniya", "city", "KW", ("farwaniya", "farwaniyah", "فروانيه")),
    # Qatar
    Place("Doha", "city", "QA", ("doha", "دوحه")),
    Place("Al Wakrah", "city", "QA", ("al wakrah", "wakrah", "وكره")),
    Place("Lusail", "city", "QA", ("lusail", "لوسيل")),
    Place("Al Rayyan", "city", "QA", ("al rayyan", "rayyan", "ريان")),
    # Bahrain
    Place("Manama", "city", "BH", ("manama", "منامه")),
    Place("Muharraq", "city", "BH", ("muharraq", "al muharraq", "محرق")),
    Place("Riffa", "city", "BH", ("riffa", "رفاع")),
    # Oman
    Place("Muscat", "city", "OM", ("muscat", "masqat", "مسقط")),
    Place("Salalah", "city", "OM", ("salalah", "salala", "صلاله")),
    Place("Sohar", "city", "OM", ("sohar", "صحار")),
    Place("Nizwa", "city", "OM", ("nizwa", "نزوى", "نزوي")),
    # Egypt
    Place("Cairo", "city", "EG", ("cairo", "قاهره")),
    Place("New Cairo", "city", "EG", ("new cairo", "القاهره الجديده")),
    Place("Alexandria", "city", "EG", ("alexandria", "alex", "اسكندريه")),
    Place("Giza", "city", "EG", ("giza", "جيزه")),
    Place("Sharm El Sheikh", "city", "EG", ("sharm el sheikh", "sharm el-sheikh", "sharm", "شرم الشيخ")),
    Place("Hurghada", "city", "EG", ("hurghada", "غردقه")),
    Place("Mansoura", "city", "EG", ("mansoura", "mansourah", "منصوره")),
    Place("Tanta", "city", "EG", ("tanta", "طنطا")),
    Place("Luxor", "city", "EG", ("luxor", "اقصر")),
    Place("Aswan", "city", "EG", ("aswan", "اسوان")),
    Place("Port Said", "city", "EG", ("port said", "بورسعيد", "بور سعيد")),
    Place("Suez", "city", "EG", ("suez", "سويس")),
    # Jordan
    Place("Amman", "city", "JO", ("amman",)),  # Arabic "عمّان": see rules (shadda)
    Place("Irbid", "city", "JO", ("irbid", "اربد")),
    Place("Zarqa", "city", "JO", ("zarqa", "zarka", "زرقاء")),
    Place("Aqaba", "city", "JO", ("aqaba", "akaba", "عقبه")),
    # Lebanon
    Place("Beirut", "city", "LB", ("beirut", "bayrut", "beyrouth", "بيروت")),
    Place("Tripoli", "city", "LB", ("tripoli", "طرابلس")),
    Place("Sidon", "city", "LB", ("sidon", "saida", "صيدا")),
    Place("Zahle", "city", "LB", ("zahle", "zahleh", "زحله")),
    # Syria
    Place("Damascus", "city", "SY", ("damascus", "دمشق")),
    Place("Aleppo", "city", "SY", ("aleppo", "halab", "حلب")),
    Place("Latakia", "city", "SY", ("latakia", "lattakia", "لاذقيه")),
    # Palestine
    Place("Ramallah", "city", "PS", ("ramallah", "رام الله")),
    Place("Gaza", "city", "PS", ("gaza", "غزه")),
    Place("Nablus", "city", "PS", ("nablus", "نابلس")),
    Place("Bethlehem", "city", "PS", ("bethlehem", "بيت لحم")),
    # Iraq
    Place("Baghdad", "city", "IQ", ("baghdad", "بغداد")),
    Place("Basra", "city", "IQ", ("basra", "basrah", "بصره")),
    Place("Erbil", "city", "IQ", ("erbil", "arbil", "اربيل")),
)

GCC_CODES: tuple[str, ...] = ("SA", "AE", "KW", "QA", "BH", "OM")
LEVANT_CODES: tuple[str, ...] = ("LB", "SY", "JO", "PS")

# Region words that stand for several countries; expanded in the order of the tuple.
GROUPS: dict[str, tuple[str, ...]] = {
    "gcc": GCC_CODES, "g.c.c": GCC_CODES, "gulf": GCC_CODES, "the gulf": GCC_CODES, "gulf countries": GCC_CODES,
    "gulf states": GCC_CODES, "gcc countries": GCC_CODES, "all gcc": GCC_CODES, "arabian gulf": GCC_CODES,
    "خليج": GCC_CODES, "دول الخليج": GCC_CODES, "الخليج العربي": GCC_CODES, "دول مجلس التعاون": GCC_CODES,
    "مجلس التعاون": GCC_CODES, "مجلس التعاون الخليجي": GCC_CODES, "الدول الخليجيه": GCC_CODES,
    "levant": LEVANT_CODES, "the levant": LEVANT_CODES, "بلاد الشام": LEVANT_CODES, "دول الشام": LEVANT_CODES,
}

COUNTRY_BY_CODE: dict[str, Place] = {p.country_code: p for p in PLACES if p.kind == "country"}
ARAB_COUNTRY_CODES: frozenset[str] = frozenset(COUNTRY_BY_CODE)
