import FindMyWay from 'find-my-way';

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'] as const;

/**
 * A copy of the application's route table, filled from Fastify's onRoute hook, so that the
 * not-found handler can tell a wrong method (405) and a trailing slash (307) from an unknown
 * route (404) by matching real paths (docs/api-conventions.md#version-prefixes-and-routing).
 */
export class RouteTable {
  private readonly router = FindMyWay();

  add(method: string | string[], url: string): void {
    for (const m of Array.isArray(method) ? method : [method]) {
      try {
        this.router.on(m as (typeof METHODS)[number], url, () => undefined);
      } catch {
        // A duplicate (HEAD registered alongside GET) is already known.
      }
    }
  }

  has(method: string, path: string): boolean {
    return this.router.find(method as (typeof METHODS)[number], path) !== null;
  }

  /** True when the path is routed for some method other than `method`. */
  hasOtherMethod(method: string, path: string): boolean {
    return METHODS.some((m) => m !== method && this.has(m, path));
  }
}
