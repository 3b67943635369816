/**
 * A schema built on first use. zod 4 builds every schema eagerly, and building is not cheap (each
 * instance gets its methods and lazy members defined one by one): the ~40 schemas of the API
 * contract cost a one-shot CLI process more at import than the two it parses cost to use.
 * `lazySchema(() => z.object(...))` has the type of the schema and behaves as it (a Proxy that
 * builds it at the first property read and forwards everything to it), so the types, `parse`,
 * `.shape`, `.extend()` and composition into other schemas are unchanged.
 */
export function lazySchema<T extends object>(build: () => T): T {
  let built: T | undefined;
  const real = (): T => (built ??= build());
  return new Proxy(Object.create(null) as T, {
    get: (_, key) => Reflect.get(real(), key),
    set: (_, key, value) => Reflect.set(real(), key, value),
    has: (_, key) => Reflect.has(real(), key),
    ownKeys: () => Reflect.ownKeys(real()),
    // The proxy's own target is empty: a property is reported configurable, as Proxy requires.
    getOwnPropertyDescriptor: (_, key) => {
      const d = Reflect.getOwnPropertyDescriptor(real(), key);
      return d && { ...d, configurable: true };
    },
    defineProperty: (_, key, d) => Reflect.defineProperty(real(), key, d),
    deleteProperty: (_, key) => Reflect.deleteProperty(real(), key),
    getPrototypeOf: () => Reflect.getPrototypeOf(real()),
  });
}
