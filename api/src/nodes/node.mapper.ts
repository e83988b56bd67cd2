import { createHash } from 'node:crypto';
import { formatWireDatetime } from '../common/datetime';
import type { NodeRecord } from '../storage/ports';
import type { NodeDto } from './dto/node.dto';

/** The 23 keys of docs/nodes.md#model, in order, with wire datetimes. */
export function toNodeResponse(node: NodeRecord): NodeDto {
  return {
    id: node.id,
    kind: node.kind,
    name: node.name,
    path: node.path,
    group: node.group,
    parent: node.parent,
    state: node.state,
    result: node.result,
    artifacts: node.artifacts,
    data: node.data,
    debug: node.debug,
    jobfilter: node.jobfilter,
    platform_filter: node.platform_filter,
    created: formatWireDatetime(node.created),
    updated: formatWireDatetime(node.updated),
    timeout: formatWireDatetime(node.timeout),
    holdoff: node.holdoff ? formatWireDatetime(node.holdoff) : null,
    owner: node.owner,
    submitter: node.submitter,
    treeid: node.treeid,
    user_groups: node.user_groups,
    processed_by_kcidb_bridge: node.processed_by_kcidb_bridge,
    retry_counter: node.retry_counter,
  } as NodeDto;
}

/**
 * A strong validator derived from the node's content (docs/nodes.md#etag-and-if-match): it changes whenever any of
 * the 23 fields changes, including writes by other software sharing the database, and needs no
 * extra stored field.
 */
export function nodeEtag(node: NodeRecord): string {
  return etagOfResponse(toNodeResponse(node));
}

/** The ETag of a node already in its response form (a replayed `POST /node` answer, docs/nodes.md#idempotency-key). */
export function etagOfResponse(response: NodeDto): string {
  const digest = createHash('sha256').update(JSON.stringify(response)).digest('base64url');
  return `"${digest.slice(0, 27)}"`;
}
