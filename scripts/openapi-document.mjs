// Writes the OpenAPI document as the service builds it (the default configuration, no
// database) to the given file, or to standard output: what `npm run openapi:lint` lints.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import offline from './support/offline-document.cjs';

const file = process.argv[2];
const text = `${JSON.stringify(await offline.openApiDocumentOffline(), null, 2)}\n`;
if (file === undefined) process.stdout.write(text);
else {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, text);
}
