import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { loadConfig } from '@wallet/config';
import { type TestDatabase, createTestDatabase } from '@wallet/testing';
import type { FastifyInstance, HTTPMethods } from 'fastify';
import { createApp } from '../apps/wallet-api/src/create-app';
import { openApiDocumentOffline } from './support/openapi-document';

/**
 * The document lists exactly the routes the server has: every method and path Fastify
 * registered is an operation of the OpenAPI document, and every operation is a route. Left
 * out, and only these: the HEAD route Fastify adds to every GET route (HEAD is the GET
 * without its body), what the OpenAPI module serves itself (the UI at /docs with its
 * assets, the document at /docs/json and /docs-yaml), and the operator console's static files
 * at /console, which the document does not describe.
 */
const OPENAPI_MODULE_ROUTES = /^\/(?:docs(?:-yaml)?|console)(?:\/|\*|$)/;

/**
 * `METHOD /path/{param}` of every route, read from Fastify's own route tree
 * (printRoutes without common prefixes: one node per line, four columns per level, the
 * methods of a node in parentheses).
 */
function registeredRoutes(fastify: FastifyInstance): string[] {
  const routes: string[] = [];
  const segments: string[] = [];
  for (const line of fastify.printRoutes({ commonPrefix: false }).split('\n')) {
    const node = /^((?:│ {3}| {4})*)[├└]── (.+?)(?: \(([A-Z, ]+)\))?$/.exec(line);
    if (!node) continue;
    const depth = node[1]!.length / 4;
    segments.length = depth;
    segments.push(node[2]!);
    const path = segments.join('').replace(/:(\w+)/g, '{$1}');
    for (const method of node[3]?.split(', ') ?? []) routes.push(`${method} ${path}`);
  }
  return routes;
}

describe('the route table and the OpenAPI document', () => {
  let database: TestDatabase;
  let app: NestFastifyApplication;
  let fastify: FastifyInstance;

  beforeAll(async () => {
    database = await createTestDatabase();
    app = await createApp({ config: loadConfig({ LOG_LEVEL: 'silent', DATABASE_URL: database.url }), databaseUrl: database.url });
    fastify = app.getHttpAdapter().getInstance();
    await fastify.ready();
  });
  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  it('has every registered route as an operation, and every operation as a route', async () => {
    const registered = registeredRoutes(fastify);
    // The tree is read right: it holds the routes this spec is about, and the ones it leaves out.
    expect(registered).toEqual(expect.arrayContaining(['POST /v1/wallets', 'POST /v1/wallets/{walletId}/overdraft-limit', 'GET /v1/wallets/{walletId}/transactions/{transactionId}', 'HEAD /v1/wallets', 'GET /docs/json']));
    const gets = new Set(registered.filter((route) => route.startsWith('GET ')).map((route) => route.slice(4)));
    const served = registered
      .filter((route) => !(route.startsWith('HEAD ') && gets.has(route.slice(5))))
      .filter((route) => !OPENAPI_MODULE_ROUTES.test(route.slice(route.indexOf(' ') + 1)))
      .sort();

    const document = await openApiDocumentOffline();
    const documented = Object.entries(document.paths)
      .flatMap(([path, item]) =>
        Object.keys(item)
          .filter((method) => method !== 'parameters')
          .map((method) => `${method.toUpperCase()} ${path}`),
      )
      .sort();
    expect(documented.length).toBeGreaterThan(20);
    expect(served).toEqual(documented);
    // And Fastify finds each operation where the document puts it.
    for (const operation of documented) {
      const [method, path] = operation.split(' ') as [HTTPMethods, string];
      expect({ operation, routed: fastify.hasRoute({ method, url: path.replace(/\{(\w+)\}/g, ':$1') }) }).toEqual({ operation, routed: true });
    }
  });

  it('serves at /docs/json the document the contract checks are made against', async () => {
    const served = await fastify.inject({ method: 'GET', url: '/docs/json' });
    expect(served.statusCode).toBe(200);
    expect(served.json()).toEqual(JSON.parse(JSON.stringify(await openApiDocumentOffline())));
  });
});
