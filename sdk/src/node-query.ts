/**
 * `NodeQuery` (sdk/README.md#nodes): an async iterable over every node matching a filter, walked page by page.
 * It is backed by an async generator, whose `next()` calls queue behind each other, so concurrent
 * callers never skip a page.
 */
import { ValidationError } from './errors.js';

/** The result of `nodes.find`: iterate it, or use `pages()`, `first()`, `toArray({ max })`. */
export class NodeQuery<N> implements AsyncIterable<N> {
  readonly #pages: () => AsyncGenerator<N[]>;

  /** Internal: `pages` yields each page of matches once. */
  constructor(pages: () => AsyncGenerator<N[]>) {
    this.#pages = pages;
  }

  /** Each page, as the server returned it (after de-duplication in KernelCI mode). */
  pages(): AsyncGenerator<N[]> {
    return this.#pages();
  }

  /** Every match, one at a time. */
  async *[Symbol.asyncIterator](): AsyncGenerator<N> {
    for await (const page of this.#pages()) yield* page;
  }

  /** The first match, or null. Reads one page. */
  async first(): Promise<N | null> {
    for await (const node of this) return node;
    return null;
  }

  /**
   * Every match in an array. `max` is required: the call throws {@link ValidationError} when more
   * than `max` nodes match, instead of silently truncating or loading an unbounded set.
   */
  async toArray({ max }: { max: number }): Promise<N[]> {
    const out: N[] = [];
    for await (const node of this) {
      if (out.length >= max) {
        throw new ValidationError({ detail: `more than ${max} nodes match; raise max or narrow the filter`, issues: [{ loc: ['max'], msg: 'too many matches' }] });
      }
      out.push(node);
    }
    return out;
  }
}
