import { ApiProperty } from '@nestjs/swagger';
import { PageEnvelopeDto } from '../../common/pagination/page.dto';
import { NodeDto } from './node.dto';

/** A page of nodes (docs/api-conventions.md#pagination-envelope). */
export class NodeListDto extends PageEnvelopeDto {
  /** The nodes of this page. */
  @ApiProperty({ type: () => [NodeDto] })
  items!: NodeDto[];

  /**
   * Present only when the request used `sort` or `cursor`: pass it as `cursor` to get the next
   * page, or null on the last page (docs/nodes.md#endpoints).
   */
  @ApiProperty({ type: 'string', nullable: true, required: false, example: 'eyJzIjoiaWQiLCJmIjoi…' })
  next_cursor?: string | null;
}
