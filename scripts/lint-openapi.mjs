// Validates an OpenAPI document file with swagger-parser and lints it with Redocly's
// recommended rules; prints one JSON summary and exits non-zero on any error.
// Plain ES module because @redocly/openapi-core ships only ES modules.
import SwaggerParser from '@apidevtools/swagger-parser';
import { createConfig, lint } from '@redocly/openapi-core';

const file = process.argv[2];
if (!file) {
  console.error('usage: node scripts/lint-openapi.mjs <openapi.json>');
  process.exit(2);
}

const swaggerParserErrors = [];
try {
  await SwaggerParser.validate(file);
} catch (error) {
  swaggerParserErrors.push(...(error.details ?? [{ message: error.message }]).map((d) => d.message ?? String(d)));
}

const config = await createConfig({ extends: ['recommended'] });
const problems = await lint({ ref: file, config });
const describe = (p) => `${p.ruleId}: ${p.message} at ${p.location?.[0]?.pointer ?? '?'}`;
const redoclyErrors = problems.filter((p) => p.severity === 'error').map(describe);
const redoclyWarnings = problems.filter((p) => p.severity === 'warn').map(describe);

console.log(JSON.stringify({ swaggerParserErrors, redoclyErrors, redoclyWarnings }, null, 2));
process.exit(swaggerParserErrors.length + redoclyErrors.length > 0 ? 1 : 0);
