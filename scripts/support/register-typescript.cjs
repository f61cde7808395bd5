// Lets plain Node scripts require the service's TypeScript sources as Jest and Nest compile
// them: with decorator metadata (Nest's dependency injection needs it, which esbuild-based
// loaders such as tsx do not emit) and the tsconfig's @wallet/* path aliases.
const Module = require('node:module');
const { readFileSync } = require('node:fs');
const { join } = require('node:path');
const ts = require('typescript');

const root = join(__dirname, '..', '..');
const tsconfig = ts.getParsedCommandLineOfConfigFile(join(root, 'tsconfig.json'), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined });
const compilerOptions = { ...tsconfig.options, module: ts.ModuleKind.CommonJS, sourceMap: false, inlineSourceMap: true, inlineSources: true };

require.extensions['.ts'] = (module, filename) => {
  const { outputText } = ts.transpileModule(readFileSync(filename, 'utf8'), { compilerOptions, fileName: filename });
  module._compile(outputText, filename);
};

const aliases = Object.entries(tsconfig.options.paths ?? {}).map(([pattern, [target]]) => ({ pattern, target: join(root, target) }));
const resolveFilename = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  for (const { pattern, target } of aliases) {
    if (pattern.endsWith('/*') && request.startsWith(pattern.slice(0, -1))) return resolveFilename.call(this, target.replace('*', request.slice(pattern.length - 1)), ...rest);
    if (request === pattern) return resolveFilename.call(this, target, ...rest);
  }
  return resolveFilename.call(this, request, ...rest);
};
