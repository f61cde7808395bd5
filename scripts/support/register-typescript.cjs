// Lets plain Node scripts require the service's TypeScript sources as Jest and Nest compile
// them: with decorator metadata (Nest's dependency injection needs it, which esbuild-based
// loaders such as tsx do not emit) and the tsconfig's @wallet/* path aliases (through tsconfig-paths, as Jest's global setup).
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

require('tsconfig-paths').register({ baseUrl: root, paths: tsconfig.options.paths ?? {} });
