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
}
