import Module from 'node:module';

type ResolveFilename = (request: string, ...rest: unknown[]) => string;

/**
 * Jest loads global setup with Node's own module resolution, outside the module map its
 * `moduleNameMapper` applies to, so `@wallet/*` would not resolve there. This applies the
 * same mapping (Jest's project config, `<rootDir>` already replaced) to Node's resolution
 * until the returned function undoes it: the setup imports libraries as every spec does.
 */
export function mapModuleNames(moduleNameMapper: ReadonlyArray<readonly [string, string]>): () => void {
  const rules = moduleNameMapper.map(([pattern, target]) => [new RegExp(pattern), target] as const);
  const node = Module as unknown as { _resolveFilename: ResolveFilename };
  const resolve = node._resolveFilename;
  node._resolveFilename = function (this: unknown, request: string, ...rest: unknown[]): string {
    const rule = rules.find(([pattern]) => pattern.test(request));
    return resolve.call(this, rule ? request.replace(rule[0], rule[1]) : request, ...rest);
  };
  return () => {
    node._resolveFilename = resolve;
  };
}
