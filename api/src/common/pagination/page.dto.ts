import { ApiProperty } from '@nestjs/swagger';

/**
 * The pagination envelope of `GET /nodes`, `GET /users` and `GET /user-groups` (docs/api-conventions.md#pagination-envelope);
 * each list adds its own `items`.
 */
export abstract class PageEnvelopeDto {
  /** Number of items matching the filter, ignoring limit and offset. */
  @ApiProperty({ type: 'integer', example: 1 })
  total!: number;

  /** The effective page size. */
  @ApiProperty({ type: 'integer', example: 50 })
  limit!: number;

  /** The effective offset. */
  @ApiProperty({ type: 'integer', example: 0 })
  offset!: number;
}
