"""Rules of the column's own rows: a financing channel only on financing services; a participant in the library."""

from __future__ import annotations

from .. import column
from ..problems import WARNING
from .base import RuleCellError, RuleCheck, RuleError


class ChannelWithoutFinancingError(RuleCellError):
    type = "channel-without-financing"
    title = "Channel of a service that is not financing"
    message_zh = "channel 只用于融资对接类服务（kind 为 financing），本行 kind 为 {kind}"
    message_en = "channel is for financing services only (kind financing); this row's kind is {kind}"
    hint_zh = "清空 channel，或把 kind 改为 financing"
    hint_en = "Empty channel, or set kind to financing"


class FinancingWithoutChannelError(RuleCellError):
    type = "financing-without-channel"
    title = "Financing service without a channel"
    message_zh = "融资对接类服务须填写 channel（信贷、股权、担保、租赁、供应链金融或挂牌上市）"
    message_en = "a financing service needs a channel (credit, equity, guarantee, leasing, supply_chain or listing)"
    hint_zh = "填写 credit、equity、guarantee、leasing、supply_chain 或 listing"
    hint_en = "Fill in credit, equity, guarantee, leasing, supply_chain or listing"


class ParticipantNotEligibleWarning(RuleError):
    type = "participant-not-eligible"
    title = "Participant not in an eligible tier"
    severity = WARNING
    field = "uscc"
    message_zh = "企业 {uscc} 在活动 {event_id} 开始当天（{starts_on}）不在面向层级（{tiers}）的企业库中"
    message_en = "enterprise {uscc} was not in the library of an eligible tier ({tiers}) on {starts_on}, the first day of {event_id}"
    hint_zh = "核对参加企业和活动的 eligible_tiers；若企业确以其他身份参加，可保留本行"
    hint_en = "Check the participant and the event's eligible_tiers; keep the row if the enterprise did take part otherwise"


class ServiceChannelCheck(RuleCheck):
    type = "service-channel"
    resource_name = "services"
    Errors = [ChannelWithoutFinancingError, FinancingWithoutChannelError]

    def validate_row(self, row):
        if row["kind"] == "financing" and not row["channel"]:
            yield FinancingWithoutChannelError.at(row, "channel")
        elif row["kind"] not in (None, "financing") and row["channel"]:
            yield ChannelWithoutFinancingError.at(row, "channel", kind=row["kind"])


class ParticipantTierCheck(RuleCheck):
    """Who took part in an event held, on its first day, a tier the event was for (library.held_on)."""

    type = "participant-tier"
    resource_name = "event_participants"
    Errors = [ParticipantNotEligibleWarning]

    def validate_row(self, row):
        event = self.context.events.get(row["event_id"] or "")
        history = self.context.participant_history.get(row["uscc"] or "")
        if event is None or event.starts_on is None or history is None:
            return  # an unknown event or enterprise is a foreign-key error already
        if not column.held_eligible(history, event.tier_ids, event.starts_on):
            yield ParticipantNotEligibleWarning.at(row, uscc=row["uscc"], event_id=row["event_id"],
                                                   starts_on=event.starts_on, tiers=";".join(event.tier_ids))
