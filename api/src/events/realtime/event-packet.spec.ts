import { EventEmitter } from 'node:events';
import { Server } from 'socket.io';
import type { EventRecord } from '../../storage/ports';
import { cloudEventOnce } from '../fanout/serialised';
import { EventPacketWriter, textFrame } from './event-packet';
import type { PubSubSocket } from './realtime.protocol';

const event = (sequenceId: number, data: unknown): EventRecord => ({
  id: String(sequenceId).padStart(24, '0'),
  timestamp: new Date('2026-12-03T12:00:00.000Z'),
  sequenceId,
  channel: 'node',
  owner: 'alice',
  data,
  ce: null,
});

/** A socket whose engine.io connection records what it is given. */
function recordingSocket(readyState = 'open') {
  const written: { data: string; frame: Buffer[] | undefined }[] = [];
  const conn = Object.assign(new EventEmitter(), {
    readyState,
    write: (data: string, options: { wsPreEncodedFrame?: Buffer[] }) => written.push({ data, frame: options.wsPreEncodedFrame }),
  });
  return { socket: { connected: true, nsp: { name: '/pubsub' }, conn } as unknown as PubSubSocket, written };
}

/** The payload of one unmasked final text frame, checked against its header. */
function framePayload(frame: Buffer): string {
  expect(frame[0]).toBe(0x81);
  let length = frame[1];
  let offset = 2;
  if (length === 126) {
    length = frame.readUInt16BE(2);
    offset = 4;
  } else if (length === 127) {
    length = frame.readUInt32BE(2) * 2 ** 32 + frame.readUInt32BE(6);
    offset = 10;
  }
  expect(frame.length - offset).toBe(length);
  return frame.subarray(offset).toString();
}

describe('EventPacketWriter (the event message encoded once per event)', () => {
  // Not attached to an HTTP server: only its encoder is used.
  const io = new Server();

  it.each([
    ['a small event', 'x'],
    ['an event of a 126..65535-byte frame', 'é'.repeat(300)],
    ['an event of a frame past 65535 bytes', 'ü'.repeat(40_000)],
  ])('writes the bytes socket.io would encode for the emit, as text and as a WebSocket frame: %s', (_case, name) => {
    const { socket, written } = recordingSocket();
    const record = event(42, { op: 'created', id: 'n1', name, path: ['a', 'b'] });
    new EventPacketWriter(socket, 7, 'maestro').write(record);
    const message = { subscription: 7, channel: 'node', sequence_id: 42, event: cloudEventOnce(record, 'maestro') };
    const expected = io.encoder.encode({ type: 2, nsp: '/pubsub', data: ['event', message] });
    expect([written[0].data]).toEqual(expected);
    expect(framePayload(Buffer.concat(written[0].frame!))).toBe(`4${expected[0]}`);
  });

  it('shares the serialised tail between subscriptions and keeps each subscription id', () => {
    const { socket, written } = recordingSocket();
    const record = event(5, { op: 'updated' });
    new EventPacketWriter(socket, 1, 'maestro').write(record);
    new EventPacketWriter(socket, 2, 'maestro').write(record);
    expect(written[0].frame![1]).toBe(written[1].frame![1]);
    expect(written.map(({ data }) => (JSON.parse(data.slice(data.indexOf('['))) as [string, { subscription: number }])[1].subscription)).toEqual([1, 2]);
  });

  it('drops the message when the connection is no longer open, as emit does', () => {
    const { socket, written } = recordingSocket('closing');
    expect(new EventPacketWriter(socket, 1, 'maestro').write(event(1, {}))).toBe(false);
    expect(written).toEqual([]);
  });

  it('frames every length class as ws would', () => {
    for (const length of [2, 125, 126, 65_535, 65_536, 70_000]) {
      const [first, tail] = textFrame(Buffer.from('ab'), Buffer.alloc(length - 2, 'z'));
      expect(framePayload(Buffer.concat([first, tail]))).toBe(`ab${'z'.repeat(length - 2)}`);
    }
  });
});
