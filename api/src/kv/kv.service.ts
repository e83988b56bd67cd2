/**
 * The key/value store (docs/queues-kv.md): string values by namespace and key, in the database,
 * without expiry. Limits: namespace ≤ 128 characters, key ≤ 256 characters, value ≤ 1 MiB of UTF-8.
 */
import { Inject, Injectable, Logger } from '@nestjs/common';
import { BadRequestError, DomainError } from '../common/errors/domain-errors';
import { STORAGE, type Storage } from '../storage/ports';

export const KV_LIMITS = { namespace: 128, key: 256, valueBytes: 1024 * 1024 } as const;

@Injectable()
export class KeyValueService {
  private readonly logger = new Logger('KeyValue');

  constructor(@Inject(STORAGE) private readonly storage: Storage) {}

  private check(namespace: string, key: string): void {
    if (namespace.length > KV_LIMITS.namespace) throw new BadRequestError(`Namespace too long: at most ${KV_LIMITS.namespace} characters`);
    if (key.length > KV_LIMITS.key) throw new BadRequestError(`Key too long: at most ${KV_LIMITS.key} characters`);
  }

  get(namespace: string, key: string): Promise<string | null> {
    this.check(namespace, key);
    return this.storage.keyValues.get(namespace, key);
  }

  /** An empty value deletes the key, as KernelCI does. */
  async set(namespace: string, key: string, value: string): Promise<void> {
    this.check(namespace, key);
    if (Buffer.byteLength(value, 'utf8') > KV_LIMITS.valueBytes) throw new BadRequestError(`Value too large: at most ${KV_LIMITS.valueBytes} bytes`);
    try {
      if (value === '') await this.storage.keyValues.delete(namespace, key);
      else await this.storage.keyValues.set(namespace, key, value);
    } catch (error) {
      this.logger.error(`setting ${namespace}/${key} failed: ${(error as Error).message}`);
      throw new DomainError(500, 'Failed to set key-value pair');
    }
  }

  async delete(namespace: string, key: string): Promise<void> {
    this.check(namespace, key);
    await this.storage.keyValues.delete(namespace, key);
  }
}

/**
 * The value a `POST` carries: with a JSON content type, a JSON string body is that string;
 * anything else (raw text, or JSON that is not a string) is stored as the body text.
 */
export function keyValueFromBody(contentType: string | undefined, rawText: string | undefined, parsed: unknown): string {
  // text/plain reaches Fastify's own parser: the parsed body is then the text itself.
  const text = rawText ?? (typeof parsed === 'string' ? parsed : '');
  const json = /^application\/(?:[\w.-]+\+)?json\b/i.test(contentType ?? '');
  if (json && typeof parsed === 'string') return parsed;
  return text;
}
