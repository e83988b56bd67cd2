/**
 * Strict fakes of ports for service unit tests: every member the test does not provide throws
 * when called, naming the port and the member (`unexpected call: storage.groups.findByName()`),
 * so an unexpected side effect fails the test instead of passing silently (as immich's strict
 * automocks do).
 */
const ABSENT = new Set<string | symbol>(['then', 'toJSON', 'asymmetricMatch', 'nodeType', '$$typeof']);

function missing(path: string): unknown {
  const fail = (): never => {
    throw new Error(`unexpected call: ${path}()`);
  };
  return new Proxy(fail, {
    get: (_target, prop) => (typeof prop === 'symbol' || ABSENT.has(prop) ? undefined : missing(`${path}.${prop}`)),
  });
}

export function strictFake<T extends object>(name: string, members: Partial<T> = {}): T {
  return new Proxy(members as T, {
    get(target, prop, receiver) {
      if (Reflect.has(target, prop)) return Reflect.get(target, prop, receiver);
      // Promise probes and inspection must see "absent", not a throwing function.
      if (typeof prop === 'symbol' || ABSENT.has(prop)) return undefined;
      return missing(`${name}.${prop}`);
    },
  });
}
