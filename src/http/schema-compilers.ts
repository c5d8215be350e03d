import { createRequire } from 'node:module';
import type { FastifyServerOptions } from 'fastify';

/**
 * Fastify's schema compilers, loaded when a route first declares a schema instead of when the first
 * Fastify instance is built. serpq validates requests itself (in the vendor's envelope), so no
 * route of its own has a schema, and ajv (~35 ms and several MB at the first `Fastify()`) is
 * never loaded. A route with a schema still works: the real compilers are required at that moment.
 */
const requireFromFastify = createRequire(createRequire(import.meta.url).resolve('fastify'));

type Factory = (...args: unknown[]) => unknown;

function lazy(pkg: string): Factory {
  let real: Factory | null = null;
  return (...args: unknown[]) => {
    real ??= (requireFromFastify(pkg) as () => Factory)();
    return real(...args);
  };
}

type CompilersFactory = NonNullable<NonNullable<FastifyServerOptions['schemaController']>['compilersFactory']>;

export const lazySchemaCompilers = {
  compilersFactory: {
    buildValidator: lazy('@fastify/ajv-compiler') as NonNullable<CompilersFactory['buildValidator']>,
    buildSerializer: lazy('@fastify/fast-json-stringify-compiler') as NonNullable<CompilersFactory['buildSerializer']>,
  },
};
