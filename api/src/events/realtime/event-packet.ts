/**
 * The socket.io `event` message written pre-encoded (docs/adr/0017-event-fanout.md, "Encoding once").
 *
 * `socket.emit('event', message)` has socket.io's encoder walk and `JSON.stringify` the whole
 * message once per socket, because the message carries the socket's subscription id. The bytes are
 * the same as the emit's: the socket.io packet `2/pubsub,["event",{"subscription":<id>,"channel":…,
 * "sequence_id":…,"event":<CloudEvent>}]`, where everything after the subscription id is the same for
 * every subscriber of an event. That tail is serialised once per event (text and UTF-8 bytes) and
 * each socket's packet is its own short head plus the shared tail. On a WebSocket the frame is
 * handed to engine.io pre-built (`wsPreEncodedFrame`, the option socket.io's own broadcasts use) as
 * [frame header + head, shared tail], so a queued delivery holds a few dozen bytes of its own and
 * the tail's bytes once; HTTP long-polling encodes the packet's text as it does any other.
 */
import type { EventRecord } from '../../storage/ports';
import { cloudEventOnce } from '../fanout/serialised';
import type { PubSubSocket } from './realtime.protocol';

/** The part of an event's packet shared by every subscriber, serialised once per event record. */
interface SharedTail {
  text: string;
  bytes: Buffer;
}

const tails = new WeakMap<EventRecord, SharedTail>();

function tailOnce(event: EventRecord, defaultSource: string): SharedTail {
  let tail = tails.get(event);
  if (!tail) {
    const cloudEvent = JSON.stringify(cloudEventOnce(event, defaultSource));
    const text = `,"channel":${JSON.stringify(event.channel)},"sequence_id":${JSON.stringify(event.sequenceId)},"event":${cloudEvent}}]`;
    tail = { text, bytes: Buffer.from(text) };
    tails.set(event, tail);
  }
  return tail;
}

/**
 * An unmasked, uncompressed, final text frame (RFC 6455 section 5.2) of `head` followed by `tail`:
 * the header and `head` in one small buffer, `tail` shared (ws writes the two corked).
 */
export function textFrame(head: Buffer, tail: Buffer): [Buffer, Buffer] {
  const length = head.length + tail.length;
  const headerLength = length < 126 ? 2 : length < 65_536 ? 4 : 10;
  const first = Buffer.allocUnsafe(headerLength + head.length);
  first[0] = 0x81;
  if (length < 126) {
    first[1] = length;
  } else if (length < 65_536) {
    first[1] = 126;
    first.writeUInt16BE(length, 2);
  } else {
    first[1] = 127;
    first.writeUInt32BE(Math.floor(length / 2 ** 32), 2);
    first.writeUInt32BE(length >>> 0, 6);
  }
  head.copy(first, headerLength);
  return [first, tail];
}

type WriteOptions = NonNullable<Parameters<PubSubSocket['conn']['write']>[1]> & { wsPreEncodedFrame?: Buffer[] };

/** Writes one subscription's `event` messages to its socket, each message's shared part encoded once per process. */
export class EventPacketWriter {
  /** The socket.io packet up to the subscription id (namespace `/pubsub`: `2/pubsub,`). */
  private readonly head: string;
  /** The same as WebSocket payload bytes, after engine.io's message type `4`. */
  private readonly frameHead: Buffer;

  constructor(
    private readonly socket: PubSubSocket,
    subscription: number,
    private readonly defaultSource: string,
  ) {
    const namespace = socket.nsp.name === '/' ? '' : `${socket.nsp.name},`;
    this.head = `2${namespace}["event",{"subscription":${JSON.stringify(subscription)}`;
    this.frameHead = Buffer.from(`4${this.head}`);
  }

  /** Hands the event's message to engine.io; false when the connection is no longer open (as `emit` drops it). */
  write(event: EventRecord): boolean {
    const connection = this.socket.conn;
    if (!this.socket.connected || connection.readyState !== 'open') return false;
    const tail = tailOnce(event, this.defaultSource);
    const options: WriteOptions = { wsPreEncodedFrame: textFrame(this.frameHead, tail.bytes) };
    connection.write(this.head + tail.text, options);
    return true;
  }
}
