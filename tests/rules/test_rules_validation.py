"""Validation: the seed passes with warnings; bad budgets, dates, ages, places, categories, accounts get fixes."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from rules_helpers import DEFAULT_URL, TODAY, accounts_for, seed_request

from agent.localize import money_text
from agent.models import Budget, CampaignRequest, Location, Schedule
from agent.planning import DEFAULT_DURATION_DAYS
from agent.validation import (
    Fix,
    ValidationIssue,
    apply_fix,
    blocking,
    clarification_question,
    validate_request,
)


def codes(issues: list[ValidationIssue], severity: str | None = None) -> list[str]:
    return [i.code for i in issues if severity is None or i.severity == severity]


def only(issues: list[ValidationIssue], code: str) -> ValidationIssue:
    found = [i for i in issues if i.code == code]
    assert len(found) == 1, [i.code for i in issues]
    return found[0]


def check(request: CampaignRequest, **kw: object) -> list[ValidationIssue]:
    kw.setdefault("today", TODAY)
    kw.setdefault("default_landing_url", DEFAULT_URL)
    return validate_request(request, **kw)  # type: ignore[arg-type]


# ------------------------------------------------------------------------------------------- the seed


def test_seed_validates_with_only_info_and_the_tiktok_age_warning() -> None:
    issues = check(seed_request(), accounts=accounts_for(["meta", "tiktok"]))
    assert blocking(issues) == []
    assert codes(issues, "warning") == ["age_range_rounded"]
    warning = only(issues, "age_range_rounded")
    assert warning.platform == "tiktok"
    assert "25-40 becomes 25-44" in warning.message_en
    assert "25-40" in warning.message_ar and "25-44" in warning.message_ar
    assert [f.patch for f in warning.fixes] == [
        {"audience": {"age_min": 25, "age_max": 44}},
        {"audience": {"age_min": 25, "age_max": 34}},
    ]
    assert set(codes(issues, "info")) == {"schedule_default", "landing_url_default", "budget_split"}
    schedule = only(issues, "schedule_default")
    assert f"{DEFAULT_DURATION_DAYS} days" in schedule.message_en
    assert "2027-01-11" in schedule.message_en and "2027-01-17" in schedule.message_en
    assert DEFAULT_URL in only(issues, "landing_url_default").message_en
    split = only(issues, "budget_split").message_en
    assert "Meta 475 SAR" in split and "TikTok 525 SAR" in split


def test_every_message_is_bilingual() -> None:
    request = seed_request(
        budget=Budget(amount=Decimal("100"), currency="SAR"),
        schedule=Schedule(start_date=date(2027, 1, 1)),
        product="شقق للإيجار",
    )
    issues = check(request, accounts=accounts_for(["meta", "tiktok"], currency="AED", can_create_ads=False))
    assert issues
    for issue in issues:
        assert issue.message_en and issue.message_ar and issue.message_en != issue.message_ar
        assert any("\u0600" <= ch <= "\u06ff" for ch in issue.message_ar)
        for fix in issue.fixes:
            assert fix.label_en and any("\u0600" <= ch <= "\u06ff" for ch in fix.label_ar)


# ------------------------------------------------------------------------------------------- budget

BUDGET_CASES = [
    # platforms, amount, currency, period, days, raise to, shorten to (days)
    (["tiktok"], "300", "SAR", "lifetime", 7, "525.00", 4),  # $20 x 3.75 = 75 SAR/day x 7
    (["meta", "tiktok"], "500", "SAR", "lifetime", 7, "787.50", 4),  # + Meta 2 ad sets x 18.75 x 7
    (["tiktok"], "30", "KWD", "lifetime", 7, "42.980", 4),  # $20 x 0.307 = 6.140 KWD/day
    (["tiktok"], "60", "AED", "lifetime", 1, "73.45", None),  # one day: nothing to shorten
    (["tiktok"], "50", "SAR", "daily", 7, "75.00", None),  # daily: days do not matter
    (["snapchat"], "3", "SAR", "daily", 7, "5.00", None),  # 5,000,000 micro in every currency
    (["snapchat", "tiktok"], "400", "SAR", "lifetime", 10, "800.00", 5),  # 5 + 75 a day
]


@pytest.mark.parametrize(
    ("platforms", "amount", "currency", "period", "days", "raise_to", "shorten_to"), BUDGET_CASES
)
def test_budget_below_minimum_offers_exact_fixes_that_pass(
    platforms: list[str],
    amount: str,
    currency: str,
    period: str,
    days: int,
    raise_to: str,
    shorten_to: int | None,
) -> None:
    start = TODAY + timedelta(days=1)
    request = seed_request(
        platforms=platforms,
        budget=Budget(amount=Decimal(amount), currency=currency, period=period),  # type: ignore[arg-type]
        schedule=Schedule(start_date=start, duration_days=days),
    )
    issues = check(request)
    issue = only(issues, "budget_below_minimum")
    assert issue.severity == "error" and issue.field == "budget.amount"
    short = Decimal(raise_to) - Decimal(amount)
    assert money_text(short, currency, "en") in issue.message_en  # says by how much ("400 SAR", "2.50 SAR")
    assert money_text(Decimal(raise_to), currency, "ar") in issue.message_ar  # the conversation's Arabic money format
    patches = [f.patch for f in issue.fixes]
    assert patches[0] == {"budget": {"amount": raise_to}}
    if shorten_to is None:
        assert len(patches) == 1
    else:
        end = start + timedelta(days=shorten_to - 1)
        assert patches[1] == {
            "schedule": {
                "start_date": start.isoformat(),
                "end_date": end.isoformat(),
                "duration_days": shorten_to,
            }
        }
    for fix in issue.fixes:
        fixed = apply_fix(request, fix)
        assert "budget_below_minimum" not in codes(check(fixed)), fix.label_en


def test_budget_minimum_uses_the_account_currency_and_names_the_platform_short() -> None:
    request = seed_request(budget=Budget(amount=Decimal("700"), currency="SAR"))
    issue = only(check(request, accounts=accounts_for(["meta", "tiktok"])), "budget_below_minimum")
    assert issue.platform == "tiktok"
    assert "TikTok needs 75 SAR a day over 7 days = 525 SAR" in issue.message_en
    assert "an equal share gives it 350 SAR" in issue.message_en


def test_unknown_currency_minimum_is_a_warning_not_a_guess() -> None:
    request = seed_request(platforms=["tiktok"], budget=Budget(amount=Decimal("10"), currency="EGP"))
    issues = check(request)
    assert "budget_below_minimum" not in codes(issues)
    assert only(issues, "minimum_unknown").severity == "warning"


# ------------------------------------------------------------------------------------------- dates

DATE_CASES = [
    # schedule, expected code, field
    (Schedule(start_date=date(2027, 1, 5), duration_days=7), "date_in_past", "schedule.start_date"),
    (
        Schedule(start_date=date(2027, 1, 5), end_date=date(2027, 1, 20)),
        "date_in_past",
        "schedule.start_date",
    ),
    (
        Schedule(start_date=date(2026, 12, 1), end_date=date(2026, 12, 9)),
        "date_in_past",
        "schedule.start_date",
    ),
    (Schedule(end_date=date(2027, 1, 8)), "date_in_past", "schedule.end_date"),
    (
        Schedule(start_date=date(2027, 2, 10), end_date=date(2027, 2, 1)),
        "end_before_start",
        "schedule.end_date",
    ),
]


@pytest.mark.parametrize(("schedule", "code", "field"), DATE_CASES)
def test_bad_dates_block_and_every_fix_repairs_them(schedule: Schedule, code: str, field: str) -> None:
    request = seed_request(schedule=schedule, budget=Budget(amount=Decimal("5000"), currency="SAR"))
    issues = check(request)
    issue = only(issues, code)
    assert issue.severity == "error" and issue.field == field
    assert "budget_below_minimum" not in codes(issues)  # no budget verdict on a broken schedule
    assert issue.fixes
    for fix in issue.fixes:
        assert blocking(check(apply_fix(request, fix))) == [], fix.label_en


def test_start_in_past_fix_keeps_the_end_date_when_it_is_still_ahead() -> None:
    request = seed_request(schedule=Schedule(start_date=date(2027, 1, 5), end_date=date(2027, 1, 20)))
    issue = only(check(request), "date_in_past")
    assert "2027-01-05" in issue.message_en and "2027-01-10" in issue.message_en
    assert issue.fixes[0].patch == {
        "schedule": {"start_date": "2027-01-10", "end_date": "2027-01-20", "duration_days": 11}
    }


@pytest.mark.parametrize(
    ("schedule", "start", "end", "key_words"),
    [
        (Schedule(), "2027-01-11", "2027-01-17", "starts tomorrow"),
        (Schedule(start_date=date(2027, 2, 1)), "2027-02-01", "2027-02-07", "No end date"),
        (Schedule(duration_days=14), "2027-01-11", "2027-01-24", "No start date"),
    ],
)
def test_schedule_defaults_are_explained(schedule: Schedule, start: str, end: str, key_words: str) -> None:
    request = seed_request(schedule=schedule, budget=Budget(amount=Decimal("5000"), currency="SAR"))
    info = only(check(request), "schedule_default")
    assert info.severity == "info"
    assert start in info.message_en and end in info.message_en and key_words in info.message_en


# ------------------------------------------------------------------------------------------- audience

AGE_CASES = [
    # platform, asked, expected warning text (None: expressible as asked)
    ("tiktok", (25, 40), "25-40 becomes 25-44"),
    ("tiktok", (18, 24), None),
    ("tiktok", (20, 30), "20-30 becomes 18-34"),
    ("tiktok", (30, 65), "30+ becomes 25+"),
    ("tiktok", (25, None), None),
    ("snapchat", (25, 40), None),
    ("snapchat", (45, 60), "45-60 becomes 45+"),
    ("meta", (23, 37), None),
]


@pytest.mark.parametrize(("platform", "ages", "expected"), AGE_CASES)
def test_age_ranges_the_platform_cannot_express_are_warned(
    platform: str, ages: tuple[int, int | None], expected: str | None
) -> None:
    request = seed_request(platforms=[platform], budget=Budget(amount=Decimal("5000"), currency="SAR"))
    request.audience.age_min, request.audience.age_max = ages
    warnings = [i for i in check(request) if i.code == "age_range_rounded"]
    if expected is None:
        assert warnings == []
    else:
        assert len(warnings) == 1 and expected in warnings[0].message_en
        assert warnings[0].severity == "warning" and warnings[0].platform == platform


def test_inverted_age_range_is_an_error_with_a_swap() -> None:
    request = seed_request()
    request.audience.age_min, request.audience.age_max = 40, 25
    issue = only(check(request), "age_range_invalid")
    assert issue.severity == "error"
    fixed = apply_fix(request, issue.fixes[0])
    assert (fixed.audience.age_min, fixed.audience.age_max) == (25, 40)


def test_snapchat_city_widens_to_its_region() -> None:
    request = seed_request(platforms=["snapchat"], budget=Budget(amount=Decimal("5000"), currency="SAR"))
    issue = only(check(request), "location_not_targetable")
    assert issue.severity == "warning" and issue.platform == "snapchat"
    assert "Riyadh Province" in issue.message_en


def test_sanctioned_country_is_not_targetable() -> None:
    request = seed_request()
    request.audience.locations.append(Location(name="Syria", kind="country", country_code="SY"))
    issue = only(check(request), "location_not_targetable")
    assert issue.severity == "error" and "Syria" in issue.message_en
    fixed = apply_fix(request, issue.fixes[0])
    assert [loc.name for loc in fixed.audience.locations] == ["Riyadh"]
    assert blocking(check(fixed)) == []


# ---------------------------------------------------------------------------------------- special categories

SPECIAL_CASES = [
    # where the words are, text, expected categories
    ("product", "Luxury villas for rent in Riyadh", ["housing"]),
    ("product", "شقق للإيجار في جدة", ["housing"]),
    ("instruction", "We're hiring! Sales jobs in Dubai", ["employment"]),
    ("instruction", "وظائف شاغرة في الرياض", ["employment"]),
    ("product", "Personal loans at 2%", ["credit"]),
    ("instruction", "حملة لبطاقة ائتمان جديدة", ["credit"]),
    ("theme", "ramadan", []),
    ("product", "Ramadan abaya collection", []),
    ("instruction", "عروض رمضان على العبايات", []),
]


@pytest.mark.parametrize(("where", "text", "expected"), SPECIAL_CASES)
def test_special_ad_categories_are_detected_in_english_and_arabic(
    where: str, text: str, expected: list[str]
) -> None:
    if where == "instruction":
        issues = check(seed_request(), instruction=text)
    else:
        issues = check(seed_request(**{where: text}))
    found = [i for i in issues if i.code == "special_ad_category"]
    if not expected:
        assert found == []
        return
    assert len(found) == 1 and found[0].severity == "error"
    assert found[0].fixes[0].patch == {"special_ad_categories": expected}
    assert found[0].fixes[1].patch == {"special_ad_categories": []}


def test_declaring_a_category_unblocks_and_warns_about_meta_targeting() -> None:
    request = seed_request(product="Apartments for sale")
    issue = only(check(request), "special_ad_category")
    declared = apply_fix(request, issue.fixes[0])
    issues = check(declared)
    assert blocking(issues) == []
    warning = only(issues, "special_ad_category")
    assert warning.severity == "warning" and warning.platform == "meta"
    cleared = apply_fix(declared, warning.fixes[0])
    assert cleared.audience.genders == [] and cleared.audience.age_min is None
    assert "special_ad_category" not in codes(check(cleared))
    not_housing = apply_fix(request, issue.fixes[1])
    assert "special_ad_category" not in codes(check(not_housing))


# ------------------------------------------------------------------------------------------- accounts


def test_account_currency_must_match_and_fix_converts_at_the_peg() -> None:
    request = seed_request()
    accounts = accounts_for(["meta", "tiktok"])
    accounts["meta"] = accounts["meta"].model_copy(update={"currency": "AED"})
    issue = only(check(request, accounts=accounts), "account_currency_mismatch")
    assert issue.severity == "error" and issue.platform == "meta"
    assert "AED" in issue.message_en and "979.33 AED" in issue.message_en  # 1000 / 3.75 * 3.6725
    assert issue.fixes[0].patch == {"budget": {"amount": "979.33", "currency": "AED"}}
    fixed = apply_fix(request, issue.fixes[0])
    assert fixed.budget is not None and fixed.budget.currency == "AED"
    assert "account_currency_mismatch" not in codes(
        check(fixed, accounts=accounts_for(["meta", "tiktok"], "AED"))
    )


def test_account_that_cannot_create_ads_blocks() -> None:
    issues = check(seed_request(), accounts=accounts_for(["meta", "tiktok"], can_create_ads=False))
    blocked = [i for i in issues if i.code == "account_cannot_create_ads"]
    assert {i.platform for i in blocked} == {"meta", "tiktok"}
    assert all(i.severity == "error" and "ext-" in i.message_en for i in blocked)


# ---------------------------------------------------------------------------------------- landing page, misc


def test_landing_url_missing_without_default_blocks_sales() -> None:
    issues = validate_request(seed_request(), today=TODAY)
    assert any(i.code == "missing" and i.field == "landing_url" and i.severity == "error" for i in issues)
    given = validate_request(seed_request(landing_url="https://brand.sa/ramadan"), today=TODAY)
    assert not [i for i in given if i.field == "landing_url"]


def test_landing_url_without_scheme_gets_https_fix() -> None:
    issue = only(check(seed_request(landing_url="brand.sa/ramadan")), "landing_url_invalid")
    assert issue.fixes[0].patch == {"landing_url": "https://brand.sa/ramadan"}


def test_tiktok_without_video_is_warned() -> None:
    issue = only(check(seed_request(creative_types=["image"])), "tiktok_needs_video")
    assert apply_fix(seed_request(creative_types=["image"]), issue.fixes[0]).creative_types == [
        "image",
        "video",
    ]


def test_apply_fix_merges_nested_and_drops_stale_sources() -> None:
    request = seed_request(sources={"budget": [], "audience": []})
    fixed = apply_fix(request, Fix(label_en="x", label_ar="س", patch={"budget": {"amount": "1200"}}))
    assert fixed.budget == Budget(amount=Decimal("1200"), currency="SAR", period="lifetime")
    assert set(fixed.sources) == {"audience"}
    assert fixed.audience == request.audience


# ------------------------------------------------------------------------------------------- clarification


def test_missing_fields_are_errors_and_one_question_lists_them_all() -> None:
    request = CampaignRequest(missing=["budget", "platforms", "schedule", "audience.locations"])
    issues = validate_request(request, today=TODAY)
    assert [i.field for i in issues if i.code == "missing"][:4] == [
        "budget",
        "platforms",
        "schedule",
        "audience.locations",
    ]
    en = clarification_question(request, "en")
    ar = clarification_question(request, "ar")
    assert en is not None and ar is not None
    assert en.count("\n") == 5  # intro, four numbered items, the closing example
    for words in ("budget", "platforms", "when it runs", "where to show", "1500 SAR", "Instagram and TikTok"):
        assert words in en
    for words in (
        "الميزانية",
        "المنصات",
        "موعد الحملة",
        "مكان عرض الإعلانات",
        "1500 ريال",
        "إنستغرام وتيك توك",
    ):
        assert words in ar
    for n in range(1, 5):
        assert f"{n})" in en and f"{n})" in ar


def test_clarification_merges_age_fields_and_is_none_when_complete() -> None:
    request = seed_request(missing=["audience.age_min", "audience.age_max"])
    question = clarification_question(request, "en")
    assert question is not None and question.count("the age range") == 1
    assert clarification_question(seed_request(), "en") is None
    assert clarification_question(seed_request(), "ar") is None


def test_issues_come_errors_first() -> None:
    request = seed_request(schedule=Schedule(start_date=date(2027, 1, 1)))
    severities = [i.severity for i in check(request)]
    assert severities == sorted(severities, key=["error", "warning", "info"].index)
    assert severities[0] == "error"


def test_plan_copy_lengths_are_checked_per_platform() -> None:
    from rules_helpers import accounts_for as accounts
    from rules_helpers import creative_set

    from agent.planning import build_plan
    from agent.validation import validate_plan

    creatives = creative_set()
    creatives.copy_["ar"].primary_text = "ن" * 101  # TikTok ad_text: 100 at most (hard); Meta: 125 advised
    creatives.copy_["en"].headline = "h" * 41  # Meta headline: 40 advised
    plan = build_plan(
        seed_request(),
        campaign_id="c",
        accounts=accounts(["meta", "tiktok"]),
        creatives=creatives,
        today=TODAY,
        default_landing_url=DEFAULT_URL,
    )
    issues = validate_plan(plan)
    tiktok = [i for i in issues if i.platform == "tiktok"]
    meta = [i for i in issues if i.platform == "meta"]
    assert {i.field for i in tiktok} == {"ads.tiktok/adgroup-1/ad-ar.primary_text"}
    assert all(i.severity == "error" for i in tiktok)
    assert {i.field for i in meta} == {"ads.meta/adset-1/ad-en.headline", "ads.meta/adset-2/ad-en.headline"}
    assert all(i.severity == "warning" and "cut off" in i.message_en for i in meta)
