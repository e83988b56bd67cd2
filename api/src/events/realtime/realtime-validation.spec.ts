import { Logger } from '@nestjs/common';
import { NotFoundError } from '../../common/errors/domain-errors';
import { RequestValidationPipe } from '../../common/validation/request-validation.pipe';
import { RealtimeAckDto, RealtimeSubscribeDto, RealtimeUnsubscribeDto } from '../dto/realtime.dto';
import { realtimeFailure } from './realtime-exception.filter';
import { RealtimeRequestError } from './realtime.errors';

const pipe = new RequestValidationPipe();
const logger = new Logger('test');

/** What the gateway acknowledges for a payload of `event`: the DTO instance, or the failure. */
async function acknowledge(event: string, metatype: new () => object, payload: unknown): Promise<unknown> {
  try {
    return await pipe.transform(payload, { type: 'body', metatype });
  } catch (error) {
    return realtimeFailure(error, event, logger);
  }
}

describe('socket.io payload validation (message DTOs through the application validation pipe)', () => {
  it('accepts a full subscribe request and keeps its fields', async () => {
    const request = { channel: 'node', filter: { kind: 'kbuild', state: ['done', 'available'] }, promisc: true, subscriber_id: 'lab:node', from_sequence: 0 };
    expect(await acknowledge('subscribe', RealtimeSubscribeDto, request)).toEqual(Object.assign(new RealtimeSubscribeDto(), request));
  });

  it.each([
    ['a missing channel', { filter: {} }, 'subscribe: channel: Field required'],
    ['an empty channel', { channel: '' }, 'subscribe: channel: channel should not be empty'],
    ['an unknown filter key', { channel: 'node', filter: { colour: 'red' } }, 'subscribe: filter: unknown filter key: colour'],
    ['a non-string filter value', { channel: 'node', filter: { kind: [1] } }, 'subscribe: filter: filter.kind must be a string or a list of strings'],
    ['a negative from_sequence', { channel: 'node', from_sequence: -1 }, 'subscribe: from_sequence: from_sequence must not be less than 0'],
    ['a null promisc', { channel: 'node', promisc: null }, 'subscribe: promisc: promisc must be a boolean value'],
  ])('refuses %s with 422 in the acknowledgement shape', async (_case, payload, detail) => {
    expect(await acknowledge('subscribe', RealtimeSubscribeDto, payload)).toEqual({ ok: false, status: 422, detail });
  });

  it('refuses a payload that is not an object', async () => {
    expect(await acknowledge('unsubscribe', RealtimeUnsubscribeDto, 'x')).toMatchObject({ ok: false, status: 422 });
  });

  it('refuses non-integer subscription and sequence ids', async () => {
    expect(await acknowledge('ack', RealtimeAckDto, { subscription: 1, sequence_id: '2' })).toEqual({
      ok: false,
      status: 422,
      detail: 'ack: sequence_id: sequence_id must be an integer',
    });
    expect(await acknowledge('unsubscribe', RealtimeUnsubscribeDto, { subscription: 1.5 })).toMatchObject({ ok: false, status: 422 });
  });

  it('answers request errors and domain errors with their status and text, anything else with 500', () => {
    expect(realtimeFailure(new RealtimeRequestError(404, 'gone'), 'ack', logger)).toEqual({ ok: false, status: 404, detail: 'gone' });
    expect(realtimeFailure(new NotFoundError('nope'), 'ack', logger)).toEqual({ ok: false, status: 404, detail: 'nope' });
    jest.spyOn(logger, 'error').mockImplementation(() => undefined);
    expect(realtimeFailure(new Error('boom'), 'ack', logger)).toEqual({ ok: false, status: 500, detail: 'Internal server error, check container logs' });
  });
});
