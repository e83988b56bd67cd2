import { ApiProperty } from '@nestjs/swagger';

/** KernelCI's explicit error body. */
export class ErrorDto {
  /** What went wrong, e.g. `Node not found with id: 65a1…`. */
  @ApiProperty({ example: 'Unauthorized' })
  detail!: string;
}

/** One request-validation problem, as FastAPI reports it. */
export class ValidationIssueDto {
  /** Machine-readable kind of problem, e.g. `missing`. */
  type!: string;
  /** Where: `body`, `query`, `path` or `header`, then the field path. */
  @ApiProperty({ type: 'array', items: { oneOf: [{ type: 'string' }, { type: 'integer' }] }, example: ['body', 'name'] })
  loc!: (string | number)[];
  /** Human-readable message. */
  msg!: string;
  /** The offending value. */
  @ApiProperty({
    required: false,
    nullable: true,
    description: 'The offending value',
    anyOf: [{ type: 'string' }, { type: 'number' }, { type: 'boolean' }, { type: 'object' }, { type: 'array', items: {} }],
  })
  input?: unknown;
}

/** Request validation failure (422). */
export class ValidationErrorDto {
  /** One entry per problem. */
  detail!: ValidationIssueDto[];
}

/** Body of an unexpected failure (500). */
export class InternalErrorDto {
  /** Always `Internal server error, check container logs`. */
  message!: string;
}
