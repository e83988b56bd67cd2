import { ApiProperty } from '@nestjs/swagger';
import { NodeDto } from './node.dto';

/** A page of nodes (contract §2.5). */
export class NodeListDto {
  /** The nodes of this page. */
  @ApiProperty({ type: () => [NodeDto] })
  items!: NodeDto[];

  /** Number of nodes matching the filter, ignoring limit and offset. */
  @ApiProperty({ type: 'integer', example: 1 })
  total!: number;

  /** The effective page size. */
  @ApiProperty({ type: 'integer', example: 50 })
  limit!: number;

  /** The effective offset. */
  @ApiProperty({ type: 'integer', example: 0 })
  offset!: number;

  /**
   * Present only when the request used `sort` or `cursor`: pass it as `cursor` to get the next
   * page, or null on the last page (contract §7.2).
   */
  @ApiProperty({ type: 'string', nullable: true, required: false, example: 'eyJzIjoiaWQiLCJmIjoi…' })
  next_cursor?: string | null;
}
