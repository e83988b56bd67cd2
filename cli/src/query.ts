/**
 * The command line's query language: the server's own (`field=value`, `field__op=value`, see
 * docs/nodes.md) plus `!=`, `>`, `>=`, `<`, `<=` and `~` (regular expression) as shorthands.
 * Values follow the server's conversions: `null`, `true`/`false`, digits for comparisons, comma lists
 * for `in`/`nin`. The result goes through the SDK's filter builder, which refuses what the server
 * would misread.
 */
import { field, nodeFilter, type EventFilter, type NodeFilterBuilder } from '@maestro-ci/sdk';
import { CliError, EXIT } from './io';

type Op = 'eq' | 'ne' | 'lt' | 'lte' | 'gt' | 'gte' | 'in' | 'nin' | 're' | 'int';

export interface Condition {
  field: string;
  op: Op;
  value: string;
}

const SHORTHANDS: [string, Op][] = [
  ['!=', 'ne'],
  ['>=', 'gte'],
  ['<=', 'lte'],
  ['>', 'gt'],
  ['<', 'lt'],
  ['~', 're'],
  ['=', 'eq'],
];
const OPS = new Set<Op>(['eq', 'ne', 'lt', 'lte', 'gt', 'gte', 'in', 'nin', 're', 'int']);

export function parseCondition(term: string): Condition {
  let at = -1;
  let sym = '';
  let op: Op = 'eq';
  for (const [s, o] of SHORTHANDS) {
    const i = term.indexOf(s);
    if (i > 0 && (at < 0 || i < at || (i === at && s.length > sym.length))) {
      at = i;
      sym = s;
      op = o;
    }
  }
  if (at <= 0) throw new CliError(`'${term}' is not a condition: write field=value, field__op=value, field>value, field~regex`, EXIT.usage);
  let name = term.slice(0, at);
  const value = term.slice(at + sym.length);
  const parts = name.split('__');
  if (parts.length === 2 && sym === '=') {
    if (!OPS.has(parts[1] as Op)) throw new CliError(`unknown operator '__${parts[1]}' in '${term}' (known: ${[...OPS].join(', ')})`, EXIT.usage);
    name = parts[0]!;
    op = parts[1] as Op;
  }
  if (!/^[A-Za-z_][\w.-]*$/.test(name)) throw new CliError(`'${name}' is not a field name (in '${term}')`, EXIT.usage);
  return { field: name, op, value };
}

function scalar(value: string, comparison: boolean): string | number | boolean | null {
  if (value === 'null') return null;
  if (/^(true|false)$/i.test(value)) return value.toLowerCase() === 'true';
  if (comparison && /^\d+$/.test(value)) return Number(value);
  return value;
}

export function toNodeFilter(conditions: readonly Condition[]): NodeFilterBuilder {
  let f = nodeFilter();
  for (const c of conditions) {
    const name = field(c.field);
    switch (c.op) {
      case 'eq':
        f = f.eq(name, scalar(c.value, false));
        break;
      case 'int':
        if (!/^-?\d+$/.test(c.value)) throw new CliError(`${c.field}__int needs an integer, got '${c.value}'`, EXIT.usage);
        f = f.eq(name, Number(c.value));
        break;
      case 'in':
      case 'nin':
        f = f[c.op](name, c.value.split(',').map((v) => scalar(v, false)));
        break;
      case 're':
        f = f.re(name, c.value);
        break;
      default:
        f = f[c.op](name, scalar(c.value, true));
    }
  }
  return f;
}

const EVENT_KEYS = ['kind', 'state', 'result', 'op', 'name', 'group', 'owner', 'node_id', 'path'] as const;

/** `watch` filters: equality (a comma list means any of) on the keys events can be filtered by. */
export function toEventFilter(conditions: readonly Condition[]): EventFilter {
  const filter: Record<string, string | string[]> = {};
  for (const c of conditions) {
    if (!(EVENT_KEYS as readonly string[]).includes(c.field) || (c.op !== 'eq' && c.op !== 'in')) {
      throw new CliError(`watch filters on ${EVENT_KEYS.join(', ')} with '=' only (a comma list means any of); got '${c.field}' ${c.op}`, EXIT.usage);
    }
    const values = c.value.split(',');
    filter[c.field] = values.length === 1 ? values[0]! : values;
  }
  return filter as EventFilter;
}
