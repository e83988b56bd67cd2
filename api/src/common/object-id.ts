import { ObjectId } from 'bson';
import { BadRequestError, invalidObjectIdMessage } from './errors/domain-errors';

const OBJECT_ID = /^[0-9a-fA-F]{24}$/;

/** True for a 24-character hexadecimal string, the only ObjectId form accepted on the wire. */
export function isObjectIdString(value: unknown): value is string {
  return typeof value === 'string' && OBJECT_ID.test(value);
}

/** A new id in MongoDB's ObjectId format (timestamp, random, counter), as KernelCI assigns them. */
export function newObjectId(): string {
  return new ObjectId().toHexString();
}

/** Validates a path or query ObjectId and returns it in lower case; 400 with KernelCI's text otherwise. */
export function parseObjectId(value: string): string {
  if (!isObjectIdString(value)) throw new BadRequestError(invalidObjectIdMessage(value));
  return value.toLowerCase();
}
