"""The demo rows of the column: fictional providers and contacts, real fairs, participants who were eligible."""

from __future__ import annotations

from datetime import date

import pytest

from packages import view_of

from zjtx import column
from zjtx.demo import generate
from zjtx.validate import validate_package

AS_OF = date(2025, 11, 24)


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    package = tmp_path_factory.mktemp("column-demo")
    generate(package, 400, seed=3, as_of=AS_OF)
    return package, view_of(package, AS_OF)


def test_the_column_adds_no_problem_to_a_generated_package(generated):
    package, _ = generated
    codes = {p.code for p in validate_package(package, AS_OF)}
    assert not codes & {"participant-not-eligible", "unknown-list-item", "period-ends-before-start",
                        "channel-without-financing", "financing-without-channel", "personal-data", "bad-format"}


def test_providers_and_contacts_are_fictional(generated):
    _, register = generated
    for service in register.services.values():
        assert service.provider.startswith("示例"), service.provider
        assert service.contact.endswith(".example/") and service.source_url.startswith("https://")
    for liaison in register.district_liaisons.values():
        assert liaison.contact.endswith(".example/")
    assert set(register.district_liaisons) == set(register.districts)


def test_services_are_open_ended_and_upcoming_around_the_as_of_day(generated):
    _, register = generated
    states = {column.service_state(s, AS_OF) for s in register.services.values()}
    assert states == {column.OPEN, column.ENDED, column.UPCOMING}
    assert {s.kind for s in register.services.values()} >= {"policy", "legal", "financing", "hr", "training",
                                                            "market", "digital"}
    financing = [s for s in register.services.values() if s.kind == "financing"]
    assert {s.channel for s in financing} >= {"credit", "equity", "guarantee", "leasing", "supply_chain", "listing"}


def test_events_name_the_real_fairs_and_past_ones_have_eligible_participants(generated):
    _, register = generated
    titles = " ".join(e.title for e in register.events.values())
    assert "中博会" in titles and "APEC" in titles
    assert {column.event_state(e, AS_OF) for e in register.events.values()} >= {column.UPCOMING, column.PAST}
    for event_id, usccs in register.participants_by_event.items():
        event = register.events[event_id]
        assert event.starts_on <= AS_OF
        for uscc in usccs:
            assert column.held_eligible(register.certifications_by_uscc[uscc], event.tier_ids, event.starts_on)
    assert register.event_participants
