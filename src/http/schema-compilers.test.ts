import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { lazySchemaCompilers } from './schema-compilers.js';

describe('lazySchemaCompilers', () => {
  it('still validates and serialises a route that declares a schema (the compilers load at that moment)', async () => {
    const app = Fastify({ schemaController: lazySchemaCompilers });
    app.post(
      '/echo',
      {
        schema: {
          body: { type: 'object', required: ['n'], properties: { n: { type: 'integer' } } },
          response: { 200: { type: 'object', properties: { n: { type: 'integer' } } } },
        },
      },
      async (req) => ({ ...(req.body as object), hidden: true }),
    );
    expect((await app.inject({ method: 'POST', url: '/echo', payload: { m: 1 } })).statusCode).toBe(400);
    const ok = await app.inject({ method: 'POST', url: '/echo', payload: { n: 2 } });
    expect(ok.statusCode).toBe(200);
    // The response schema's serializer drops what it does not name.
    expect(ok.json()).toEqual({ n: 2 });
    await app.close();
  });
});
