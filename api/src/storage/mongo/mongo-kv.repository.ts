/** The key/value store in `maestro_kv` (docs/queues-kv.md). */
import type { KeyValueRepository } from '../ports';
import type { MongoContext } from './mongo-context';

/** Unambiguous whatever characters the namespace holds. */
export const keyValueId = (namespace: string, key: string): string => `${namespace.length}:${namespace}/${key}`;

export class MongoKeyValueRepository implements KeyValueRepository {
  constructor(private readonly ctx: MongoContext) {}

  async get(namespace: string, key: string): Promise<string | null> {
    const document = await this.ctx.collection('maestro_kv').findOne({ _id: keyValueId(namespace, key) }, this.ctx.session);
    return typeof document?.value === 'string' ? document.value : null;
  }

  async set(namespace: string, key: string, value: string): Promise<void> {
    const document = { _id: keyValueId(namespace, key), namespace, key, value, updated: new Date() };
    await this.ctx.validate('maestro_kv', document);
    const { _id, ...fields } = document;
    await this.ctx.modify('maestro_kv', { _id }, { $set: fields }, { upsert: true });
  }

  async delete(namespace: string, key: string): Promise<boolean> {
    return (await this.ctx.remove('maestro_kv', { _id: keyValueId(namespace, key) })) > 0;
  }
}
