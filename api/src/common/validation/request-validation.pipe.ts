import { type ArgumentMetadata, Injectable, type PipeTransform } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { UnprocessableError } from '../errors/domain-errors';
import { MalformedJsonBody } from '../http/body-parsing';
import { toValidationIssues } from './validation-issues';

const PRIMITIVES: unknown[] = [String, Boolean, Number, Array, Object];

/**
 * Validates DTO-typed parameters at the boundary and answers FastAPI's 422 list
 * (`{"detail": [{type, loc, msg, input}]}`, contract §2.4). Unknown body keys are dropped
 * (whitelist), as KernelCI ignores them.
 */
@Injectable()
export class RequestValidationPipe implements PipeTransform {
  async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const { metatype, type } = metadata;
    if (type === 'body' && value instanceof MalformedJsonBody) {
      throw new UnprocessableError([{ type: 'json_invalid', loc: ['body'], msg: `JSON decode error: ${value.message}`, input: {} }]);
    }
    if (type === 'custom' || !metatype || PRIMITIVES.includes(metatype)) return value;
    const root = type === 'param' ? 'path' : type;
    if (type === 'body' && (value === null || typeof value !== 'object' || Array.isArray(value))) {
      throw new UnprocessableError([
        value === undefined
          ? { type: 'missing', loc: ['body'], msg: 'Field required', input: null }
          : { type: 'model_attributes_type', loc: ['body'], msg: 'Input should be a valid dictionary or object', input: value },
      ]);
    }
    const instance = plainToInstance(metatype as new () => object, value ?? {});
    const errors = await validate(instance, { whitelist: true, forbidUnknownValues: false });
    if (errors.length > 0) throw new UnprocessableError(toValidationIssues(errors, root));
    return instance;
  }
}
