import { formatWireDatetime } from '../common/datetime';
import type { EventRecord, SubscriptionRecord } from '../storage/ports';
import { orderedPayload } from './cloud-event';
import type { EventDto, SubscriptionDto, SubscriptionStatsDto } from './dto/events.dto';

/** `/events` item: exactly `timestamp, sequence_id, channel, owner, data, id` (docs/events.md#event-history-get-events). */
export function toEventResponse(event: EventRecord): EventDto {
  return {
    timestamp: formatWireDatetime(event.timestamp),
    sequence_id: event.sequenceId,
    channel: event.channel,
    owner: event.owner,
    data: orderedPayload(event.data),
    id: event.id,
  };
}

export function toSubscriptionResponse(subscription: SubscriptionRecord): SubscriptionDto {
  return { id: subscription.id, channel: subscription.channel, user: subscription.user, promiscuous: subscription.promiscuous };
}

export function toSubscriptionStats(subscription: SubscriptionRecord): SubscriptionStatsDto {
  return {
    id: subscription.id,
    channel: subscription.channel,
    user: subscription.user,
    promiscuous: subscription.promiscuous,
    created: formatWireDatetime(subscription.created),
    last_poll: subscription.lastPoll ? formatWireDatetime(subscription.lastPoll) : null,
    subscriber_id: subscription.subscriberId,
    transport: subscription.transport,
  };
}
