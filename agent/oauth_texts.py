"""What the OAuth pages and refusals say, in English and Arabic (the browser tab and the conversation alike)."""

from __future__ import annotations

from typing import Any

from agent.texts import lang_of

_TEXTS: dict[str, dict[str, str]] = {
    # Refusals (OAuthFailed): safe to show, never a token.
    "link_invalid": {"en": "the link is invalid; ask for a new one",
                     "ar": "الرابط غير صالح؛ اطلب رابطًا جديدًا"},
    "link_used": {"en": "this link was already used or has expired; ask for a new one",
                  "ar": "هذا الرابط استُخدم من قبل أو انتهت صلاحيته؛ اطلب رابطًا جديدًا"},
    "link_other_platform": {"en": "this link was made for another platform",
                            "ar": "هذا الرابط مخصص لمنصة أخرى"},
    "reconnect_invalid": {"en": "this reconnect link is invalid or expired; use the newest warning's link",
                          "ar": "رابط إعادة الربط هذا غير صالح أو انتهت صلاحيته؛ استخدم الرابط في أحدث تنبيه"},
    "account_gone": {"en": "this ad account is no longer connected to the workspace",
                     "ar": "هذا الحساب الإعلاني لم يعد مرتبطًا بمساحة العمل"},
    "platform_silent": {"en": "{platform} did not answer while connecting; press Connect again in a minute",
                        "ar": "لم تستجب {platform} أثناء الربط؛ اضغط «ربط» مرة أخرى بعد دقيقة"},
    "no_ad_account": {"en": "this login has no ad account; create one on the platform first",
                      "ar": "لا يوجد حساب إعلاني في هذا الدخول؛ أنشئ حسابًا على المنصة أولًا"},
    "our_side": {"en": "something went wrong on our side; start again from the conversation",
                 "ar": "حدث خطأ من جهتنا؛ ابدأ من جديد من المحادثة"},
    "sandbox_page": {
        "en": "{platform}: the sandbox consent page at {host} did not work ({error}). If a *_API_BASE_URL points "
              "at `adly sandbox serve`, check that it is running.",
        "ar": "{platform}: صفحة الإذن في بيئة التجربة على {host} لم تعمل ({error}). إذا كان أحد إعدادات "
              "*_API_BASE_URL يشير إلى adly sandbox serve فتأكد أنه يعمل.",
    },
    # The browser tab after a login.
    "title_connected": {"en": "Connected", "ar": "تم الربط"},
    "title_not_connected": {"en": "Not connected", "ar": "لم يتم الربط"},
    "title_not_found": {"en": "Not found", "ar": "غير موجود"},
    "page_connected": {"en": "Your ad account is connected. You can close this tab and return to the conversation.",
                       "ar": "تم ربط حسابك الإعلاني. يمكنك إغلاق هذه الصفحة والعودة إلى المحادثة."},
    "page_declined": {"en": "Nothing was connected: the platform said {reason}. Go back to the conversation and "
                            "press Connect to try again.",
                      "ar": "لم يُربط أي حساب: ردّت المنصة بـ «{reason}». عد إلى المحادثة واضغط «ربط» للمحاولة "
                            "مرة أخرى."},
    "page_refused": {"en": "Nothing was connected: {reason}.", "ar": "لم يُربط أي حساب: {reason}."},
    "page_no_code": {"en": "This link is missing its code or state. Start again from the conversation.",
                     "ar": "هذا الرابط ينقصه رمز الإذن أو الحالة. ابدأ من جديد من المحادثة."},
    "page_reconnect_incomplete": {"en": "This reconnect link is incomplete. Use the button in the newest warning.",
                                  "ar": "رابط إعادة الربط هذا ناقص. استخدم الزر في أحدث تنبيه."},
    "page_no_sandbox": {"en": "No platform runs in the sandbox here.",
                        "ar": "لا توجد منصة تعمل في بيئة التجربة هنا."},
}


def oauth_text(key: str, language: str | None, **values: Any) -> str:
    """The sentence `key` in `language`, with `values` filled in."""
    return _TEXTS[key][lang_of(language)].format(**values)


def page_language(accept_language: str | None) -> str:
    """The browser's first preferred language we speak ("ar-SA,ar;q=0.9,en;q=0.8" -> "ar"), else English."""
    ranked: list[tuple[float, int, str]] = []
    for position, part in enumerate((accept_language or "").split(",")):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        primary = tag.strip().lower().split("-")[0]
        if primary in ("ar", "en") and quality > 0:
            ranked.append((-quality, position, primary))
    return min(ranked)[2] if ranked else "en"
