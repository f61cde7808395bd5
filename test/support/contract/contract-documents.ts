import SwaggerParser from '@apidevtools/swagger-parser';
import { openApiDocumentOffline } from '../openapi-document';
import { type DereferencedDocument, OpenApiContract, contractAjv } from './openapi-contract';

/**
 * The document a running test app serves depends on its configuration (METRICS_PUBLIC and
 * DOCS_PUBLIC decide which routes need a key), so each app's answers are checked against the
 * document built with that app's own environment. test-app.ts records it at every start; an
 * origin it never recorded is checked against the document of the default configuration.
 */
const environments = new Map<string, Readonly<Record<string, string>>>();

export function recordAppEnvironment(baseUrl: string, env: Readonly<Record<string, string>>): void {
  environments.set(new URL(baseUrl).origin, env);
}

/**
 * Built once per environment, and dereferenced and compiled once per distinct document, for
 * the test file: Jest gives every test file a module registry and globals of its own, so
 * these caches cannot outlive it without reaching into another file's realm (whose globals
 * Jest tears down). Building, dereferencing and compiling what a file uses costs it about
 * 0.3 s; validating an answer after that costs well under a millisecond.
 */
const ajv = contractAjv();
const byEnvironment = new Map<string, Promise<OpenApiContract>>();
const byDocument = new Map<string, Promise<OpenApiContract>>();

/** The contract the app at `baseUrl` answers by: its OpenAPI document as the service builds it. */
export function contractFor(baseUrl: string): Promise<OpenApiContract> {
  return contractForEnvironment(environments.get(new URL(baseUrl).origin) ?? {});
}

/** The contract of a service started with `env`. */
export function contractForEnvironment(env: Readonly<Record<string, string>>): Promise<OpenApiContract> {
  const key = JSON.stringify(Object.entries(env).sort(([a], [b]) => a.localeCompare(b)));
  let contract = byEnvironment.get(key);
  if (!contract) {
    contract = openApiDocumentOffline({ ...env }).then((document) => contractOf(JSON.stringify(document)));
    byEnvironment.set(key, contract);
  }
  return contract;
}

function contractOf(documentText: string): Promise<OpenApiContract> {
  let contract = byDocument.get(documentText);
  if (!contract) {
    contract = SwaggerParser.dereference(JSON.parse(documentText)).then((document) => new OpenApiContract(document as unknown as DereferencedDocument, ajv));
    byDocument.set(documentText, contract);
  }
  return contract;
}
