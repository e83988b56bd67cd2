/**
 * Translates the neutral node filter (docs/nodes.md#query-language) to a MongoDB filter document for KernelCI's
 * `node` collection (docs/deployment.md#running-on-mongodb): `parent` values become ObjectIds, datetimes stay `Date`s (BSON dates).
 * Operator keys come only from the fixed map below; field names are the parser's dotted paths,
 * and any path with a `$` segment (which the parser already rejects) matches nothing.
 */
import { ObjectId } from 'bson';
import type { FieldCondition, FilterOperator, FilterValue, NodeFilter } from '../../common/query/filter-model';

const MONGO_OPERATORS: Record<FilterOperator, string> = {
  eq: '$eq',
  ne: '$ne',
  lt: '$lt',
  lte: '$lte',
  gt: '$gt',
  gte: '$gte',
  in: '$in',
  nin: '$nin',
  re: '$regex',
};

/** `_id` always exists, so this matches no document and uses the `_id` index. */
const MATCH_NOTHING = { _id: { $exists: false } };

export function toMongoNodeFilter(filter: NodeFilter): Record<string, unknown> {
  if (filter.matchesNothing || filter.conditions.some(hasOperatorSegment)) return MATCH_NOTHING;
  if (filter.conditions.length === 0) return {};
  // `$and` keeps several conditions on one field (a range, or `x=…&x__ne=…`) apart.
  return { $and: filter.conditions.map(toMongoCondition) };
}

function hasOperatorSegment(condition: FieldCondition): boolean {
  return condition.path.some((segment) => segment.startsWith('$'));
}

function toMongoCondition({ path, op, value }: FieldCondition): Record<string, unknown> {
  const field = path.join('.');
  if (op === 're') return { [field]: { $regex: value } };
  const convert = (item: FilterValue) => (field === 'parent' && typeof item === 'string' ? new ObjectId(item) : item);
  const operand = Array.isArray(value) ? value.map(convert) : convert(value);
  // Written as `$eq: null` rather than `$lte`/`$gte: null`, which MongoDB matches identically, so
  // that every evaluator (mingo in the tests) agrees that missing fields match too.
  const mongoOp = operand === null && (op === 'lte' || op === 'gte') ? '$eq' : MONGO_OPERATORS[op];
  return { [field]: { [mongoOp]: operand } };
}
