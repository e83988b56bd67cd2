/**
 * The cost bound on user regular expressions (`field__re=` on `/nodes` and `/count`, `path=` on
 * `/events`), applied before any storage adapter sees the pattern so that every adapter answers the
 * same.
 *
 * PostgreSQL compiles a pattern into an automaton whose size grows with the product of nested
 * bounded repetitions: `((a{50}){50}){50}` is 125,000 copies of `a`. A PostgreSQL server refuses
 * it ("regular expression is too complex"), but the embedded engine (PGlite) runs out of memory
 * inside the compiler and leaves its connection unusable. So the pattern is parsed (with
 * `@eslint-community/regexpp`, the parser ESLint uses) and its expanded size estimated: every
 * atom counts 1, a sequence or alternation the sum of its parts, a quantifier its element times
 * its upper bound (lower bound + 1 when unbounded). Patterns above {@link MAX_REGEX_EXPANSION} are
 * refused. See docs/security.md.
 */
import { RegExpParser } from '@eslint-community/regexpp';
import type { Alternative, Element, Node } from '@eslint-community/regexpp/ast';

/** Longest accepted pattern, in characters. */
export const MAX_REGEX_LENGTH = 1000;
/**
 * Largest accepted expanded size. PGlite failed from about 14,000 (`(a{120}){120}`) and ran
 * 10,000 (`(a{100}){100}`); the bound keeps a wide margin and is far above what a name or path
 * pattern needs.
 */
export const MAX_REGEX_EXPANSION = 2000;

const parser = new RegExpParser({ ecmaVersion: 2025 });

/**
 * Why `pattern` is refused, or null when it is safe to hand to a database. With `syntax: 'js'`
 * the pattern must also compile as a JavaScript regular expression (the node query language);
 * with `syntax: 'database'` only the cost is bounded and the database judges the syntax (the
 * `path` parameter of `/events`, which KernelCI hands to MongoDB unchanged).
 */
export function regexRefusal(pattern: string, syntax: 'js' | 'database' = 'js'): string | null {
  if (pattern.length > MAX_REGEX_LENGTH) return `longer than ${MAX_REGEX_LENGTH} characters`;
  if (pattern.includes('\0')) return 'embedded NUL character';
  if (syntax === 'js') {
    try {
      new RegExp(pattern);
    } catch (error) {
      return (error as Error).message.replace(/^Invalid regular expression: /, '');
    }
  }
  let ast: Node;
  try {
    ast = parser.parsePattern(pattern, 0, pattern.length, { unicode: false });
  } catch (error) {
    if (syntax === 'database') return null;
    return (error as Error).message;
  }
  if (expandedSize(ast) > MAX_REGEX_EXPANSION) {
    return `too complex (repetitions expand beyond ${MAX_REGEX_EXPANSION} elements)`;
  }
  return null;
}

function sumAlternatives(alternatives: Alternative[]): number {
  return alternatives.reduce((total, alternative) => total + sumElements(alternative.elements), 0);
}

function sumElements(elements: Element[]): number {
  return elements.reduce((total, element) => total + expandedSize(element), 0);
}

/** Estimated number of automaton elements `node` expands to (Infinity past any bound). */
function expandedSize(node: Node): number {
  switch (node.type) {
    case 'Pattern':
    case 'Group':
    case 'CapturingGroup':
    case 'Assertion':
      return 'alternatives' in node ? Math.max(1, sumAlternatives(node.alternatives)) : 1;
    case 'Alternative':
      return sumElements(node.elements);
    case 'Quantifier': {
      const copies = node.max === Infinity ? node.min + 1 : node.max;
      return expandedSize(node.element) * Math.max(1, copies);
    }
    default:
      return 1;
  }
}
