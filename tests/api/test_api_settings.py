"""Workspace settings over HTTP: anyone with a key reads them; approvers change them; ceilings are admins' only."""

from __future__ import annotations

from api_harness import Api, make_key


async def test_read_and_change_the_settings_with_the_rules_of_every_door(api: Api) -> None:
    seen = await api.http.get(api.url("/settings"), headers=api.headers("reader"))
    assert seen.status_code == 200, seen.text
    assert seen.json()["max_campaign_budget"] == "50000" and seen.json()["landing_url"] is None

    # A read-only key cannot change anything; an approver can change the landing page and the approvers...
    refused = await api.http.patch(api.url("/settings"), headers=api.headers("reader"),
                                   json={"landing_url": "https://shop.example.sa/"})
    assert refused.status_code == 403 and refused.json()["code"] == "missing_scope"
    changed = await api.http.patch(api.url("/settings"), headers=api.headers("boss"),
                                   json={"landing_url": "https://shop.example.sa/", "digest_hour": 7})
    assert changed.status_code == 200, changed.text
    assert changed.json()["landing_url"] == "https://shop.example.sa/" and changed.json()["digest_hour"] == 7

    # ...but not the ceilings that oversee them, and the whole change is refused, nothing half-applied.
    ceiling = await api.http.patch(api.url("/settings"), headers=api.headers("boss"),
                                   json={"max_campaign_budget": "900000", "digest_hour": 8})
    assert ceiling.status_code == 403 and ceiling.json()["code"] == "not_admin", ceiling.text
    assert ceiling.json()["field"] == "max_campaign_budget"
    after = (await api.http.get(api.url("/settings"), headers=api.headers("reader"))).json()
    assert after["max_campaign_budget"] == "50000" and after["digest_hour"] == 7

    api.key_ids["admin"], api.keys["admin"] = await make_key(api.services, api.workspace_id, "UADMIN",
                                                             ["read", "admin"])
    raised = await api.http.patch(api.url("/settings"), headers=api.headers("admin"),
                                  json={"max_campaign_budget": "80000", "max_daily_budget": "12000"})
    assert raised.status_code == 200, raised.text
    assert raised.json()["max_campaign_budget"] == "80000" and raised.json()["max_daily_budget"] == "12000"
    back = await api.http.patch(api.url("/settings"), headers=api.headers("admin"), json={"max_daily_budget": None})
    assert back.json()["max_daily_budget"] == "10000"  # cleared: the setting's default again

    # Another workspace's key sees nothing here.
    other = await api.http.get(api.url("/settings"), headers=api.headers("other"))
    assert other.status_code == 404


async def test_a_bad_setting_names_the_field_and_how_to_fix_it(api: Api) -> None:
    for body, field in (
        ({"landing_url": "https://127.0.0.1/admin"}, "landing_url"),
        ({"landing_url": "https://example.com"}, "landing_url"),
        ({"landing_url": "shop dot com"}, "landing_url"),
        ({"approvers": ["U1 U2"]}, "approvers"),
        ({"default_currency": None}, "default_currency"),
    ):
        answer = await api.http.patch(api.url("/settings"), headers=api.headers("boss"), json=body)
        assert answer.status_code == 422, (body, answer.text)
        assert answer.json()["field"] == field and answer.json()["detail"], answer.json()
    typo = await api.http.patch(api.url("/settings"), headers=api.headers("boss"), json={"landing_page": "x"})
    assert typo.status_code == 422 and "landing_page" in typo.text
    negative = await api.http.patch(api.url("/settings"), headers=api.headers("boss"),
                                    json={"self_approval_limit": "-1"})
    assert negative.status_code == 422 and "self_approval_limit" in negative.text
    unchanged = (await api.http.get(api.url("/settings"), headers=api.headers("boss"))).json()
    assert unchanged["landing_url"] is None and unchanged["approvers"] == ["UBOSS", "UMARKETER"]


async def test_a_marketer_who_is_no_approver_cannot_change_settings(api: Api) -> None:
    api.key_ids["outsider"], api.keys["outsider"] = await make_key(api.services, api.workspace_id, "UOUTSIDER",
                                                                   ["read", "approve"])
    answer = await api.http.patch(api.url("/settings"), headers=api.headers("outsider"),
                                  json={"approvers": ["UOUTSIDER"]})
    assert answer.status_code == 403 and answer.json()["code"] == "not_allowed_to_change_settings"


async def test_the_brand_and_its_arabic_name_are_the_workspaces_own_and_fall_back_to_the_settings(api: Api) -> None:
    default = (await api.http.get(api.url("/settings"), headers=api.headers("reader"))).json()
    assert (default["brand_name"], default["brand_name_ar"]) == ("ADLY Store", None)  # Arabic: transliterated

    named = await api.http.patch(api.url("/settings"), headers=api.headers("boss"),
                                 json={"brand_name": "  Jarir Bookstore ", "brand_name_ar": "مكتبة جرير"})
    assert named.status_code == 200, named.text
    assert (named.json()["brand_name"], named.json()["brand_name_ar"]) == ("Jarir Bookstore", "مكتبة جرير")

    # An Arabic name in Latin letters is refused (the field says so), and nothing changes.
    latin = await api.http.patch(api.url("/settings"), headers=api.headers("boss"), json={"brand_name_ar": "Jarir"})
    assert latin.status_code == 422 and latin.json()["field"] == "brand_name_ar", latin.text
    assert (await api.http.get(api.url("/settings"), headers=api.headers("reader"))).json()["brand_name_ar"] == "مكتبة جرير"

    # Cleared, the Latin name alone: Arabic creative transliterates it (the settings' Arabic name is another brand's).
    cleared = await api.http.patch(api.url("/settings"), headers=api.headers("boss"), json={"brand_name_ar": None})
    assert (cleared.json()["brand_name"], cleared.json()["brand_name_ar"]) == ("Jarir Bookstore", None)
    back = await api.http.patch(api.url("/settings"), headers=api.headers("boss"), json={"brand_name": None})
    assert back.json()["brand_name"] == "ADLY Store"
