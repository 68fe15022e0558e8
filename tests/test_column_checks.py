"""The column's rules (services, events, participants, liaison offices): a good fixture and a bad one for each."""

from __future__ import annotations

from datetime import date

import pytest

from packages import AS_OF, add_row, make_good_package, set_cell, view_of
from zjtx.validate import validate_package

E1, E2, E3 = "911201163000000101", "91120111300000010Q", "911201013000000109"
# Lines of the good fixture (header = line 1).
SVC_BANK, SVC_FUND, SVC_POLICY, SVC_TEDA = range(2, 6)
EV_APEC, EV_CISMEF, EV_TRAINING = range(2, 5)
PART_CISMEF_E3, PART_CISMEF_E1, PART_TRAINING_E2 = range(2, 5)


def found(package, as_of=AS_OF):
    """The problems of the package; rows these tests append out of key order are not the point here."""
    return [(p.file, p.row, p.field, p.code, p.severity) for p in validate_package(package, as_of)
            if p.code != "not-sorted"]


@pytest.fixture
def package(tmp_path):
    return make_good_package(tmp_path / "p")


def test_good_column_has_no_problem_even_with_a_service_that_has_ended(package):
    # teda-digital ended on 2024-12-31: that is history, not an error.
    assert view_of(package, AS_OF).services["teda-digital"].valid_until < AS_OF
    assert found(package) == []


@pytest.mark.parametrize("resource, line, field, value, code", [
    ("services", SVC_BANK, "eligible_tiers", "sme;giant", "unknown-list-item"),
    ("services", SVC_FUND, "districts", "120116;129999", "unknown-list-item"),
    ("events", EV_APEC, "eligible_tiers", "little_giant;unicorn", "unknown-list-item"),
    ("services", SVC_BANK, "eligible_tiers", "sme;;little_giant", "bad-format"),
    ("services", SVC_FUND, "districts", "120116,120111", "bad-format"),
])
def test_every_list_item_must_exist(package, resource, line, field, value, code):
    set_cell(package, resource, line, field, value)
    assert found(package) == [(f"data/{resource}.csv", line, field, code, "error")]


def test_unknown_list_item_message_names_the_item_and_the_table(package):
    set_cell(package, "services", SVC_FUND, "districts", "120116;129999")
    [problem] = validate_package(package, AS_OF)
    assert "'129999'" in problem.message_en and "data/districts.csv" in problem.message_en
    assert "data/districts.csv" in problem.message_zh


def test_an_event_ends_on_or_after_it_starts(package):
    set_cell(package, "events", EV_TRAINING, "ends_on", "2022-03-15")  # a one-day event is fine
    assert found(package) == []
    set_cell(package, "events", EV_TRAINING, "ends_on", "2022-03-14")
    assert found(package) == [("data/events.csv", EV_TRAINING, "ends_on", "period-ends-before-start", "error")]


def test_a_service_ends_on_or_after_it_starts(package):
    set_cell(package, "services", SVC_TEDA, "valid_until", "2023-12-31")
    assert found(package) == [("data/services.csv", SVC_TEDA, "valid_until", "period-ends-before-start", "error")]


def test_a_participant_outside_the_eligible_tiers_is_a_warning(package):
    # E2's sme certification was revoked on 2022-10-10: on 2023-06-27 it held no tier the fair was for.
    line = add_row(package, "event_participants", {"event_id": "cismef-2023", "uscc": E2})
    assert found(package) == [("data/event_participants.csv", line, "uscc", "participant-not-eligible", "warning")]


def test_participant_eligibility_is_judged_on_the_first_day(package):
    # E3's sme term ran until 2024-07-20 (the last day still counts); it expired, so the next day it is out.
    add_row(package, "events", {"event_id": "day-of-expiry", "title": "对接会", "kind": "matchmaking",
                                "starts_on": "2024-07-20", "ends_on": "2024-07-21", "city": "天津",
                                "organiser": "示例中小企业服务中心", "eligible_tiers": "sme"})
    add_row(package, "events", {"event_id": "day-after", "title": "对接会", "kind": "matchmaking",
                                "starts_on": "2024-07-21", "ends_on": "2024-07-21", "city": "天津",
                                "organiser": "示例中小企业服务中心", "eligible_tiers": "sme"})
    add_row(package, "event_participants", {"event_id": "day-of-expiry", "uscc": E3})
    late = add_row(package, "event_participants", {"event_id": "day-after", "uscc": E3})
    assert found(package) == [("data/event_participants.csv", late, "uscc", "participant-not-eligible", "warning")]


def test_unknown_participant_or_event_is_a_foreign_key_error(package):
    line = add_row(package, "event_participants", {"event_id": "no-such-event", "uscc": E1})
    assert found(package) == [("data/event_participants.csv", line, "event_id", "foreign-key", "error")]


@pytest.mark.parametrize("line, kind, channel, code", [
    (SVC_POLICY, "policy", "credit", "channel-without-financing"),
    (SVC_BANK, "financing", "", "financing-without-channel"),
])
def test_channel_only_and_always_for_financing(package, line, kind, channel, code):
    set_cell(package, "services", line, "kind", kind)
    set_cell(package, "services", line, "channel", channel)
    assert found(package) == [("data/services.csv", line, "channel", code, "error")]


@pytest.mark.parametrize("value", ["022-23456789", "022-87654321-801", "400-123-4567", "https://bank.example/"])
def test_institutional_contacts_are_accepted(package, value):
    set_cell(package, "services", SVC_BANK, "contact", value)
    assert found(package) == []


@pytest.mark.parametrize("resource, line, value, codes", [
    ("services", SVC_BANK, "13812345678", {"bad-format", "personal-data"}),
    ("services", SVC_BANK, "王经理", {"bad-format"}),
    ("services", SVC_BANK, "javascript:alert(1)", {"bad-format"}),
    ("services", SVC_BANK, 'https://x.example/"onmouseover="alert(5)', {"bad-format"}),
    ("district_liaisons", 2, "138 1234 5678", {"bad-format", "personal-data"}),
])
def test_contacts_refuse_personal_data_and_anything_but_a_phone_or_website(package, resource, line, value, codes):
    set_cell(package, resource, line, "contact", value)
    problems = found(package)
    assert {p[3] for p in problems} == codes
    assert all(p[:3] == (f"data/{resource}.csv", line, "contact") for p in problems)


@pytest.mark.parametrize("resource, line, field, value, code", [
    ("services", SVC_BANK, "description", "详询客户经理 13912345678", "personal-data"),
    ("services", SVC_BANK, "title", "=HYPERLINK(\"http://x\")", "formula-prefix"),
    ("events", EV_TRAINING, "venue", "@SUM(1)", "formula-prefix"),
    ("district_liaisons", 2, "office", "+办公室", "formula-prefix"),
])
def test_text_rules_apply_to_the_column(package, resource, line, field, value, code):
    set_cell(package, resource, line, field, value)
    assert found(package) == [(f"data/{resource}.csv", line, field, code, "error")]


def test_a_service_source_link_must_be_a_web_address(package):
    set_cell(package, "services", SVC_BANK, "source_url", "javascript:alert(1)")
    assert found(package) == [("data/services.csv", SVC_BANK, "source_url", "bad-format", "error")]


def test_services_for_follow_the_tiers_held_on_the_day(package):
    register = view_of(package, AS_OF)
    # E1 holds seed, sme and little_giant in 滨海新区 (recommended by TEDA): the city's credit and Binhai's fund;
    # TEDA's digital service has ended and the policy briefing is for 和平区 and 西青区 only.
    assert [s.service_id for s in register.services_for(E1)] == ["bank-credit", "binhai-fund"]
    # Its little giant term ends on 2025-08-01: from the next day the fund (little giants only) is out of reach.
    assert [s.service_id for s in register.services_for(E1, date(2025, 8, 2))] == ["bank-credit"]
    # TEDA's service reached E1 while it was offered, through the zone that recommended E1.
    assert "teda-digital" in [s.service_id for s in register.services_for(E1, date(2024, 6, 1))]
    # E3's term is over and E2 holds nothing: no services.
    assert register.services_for(E3) == [] and register.services_for(E2) == []
