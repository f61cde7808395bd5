import { configSchema, type AppConfig } from './config.schema';

/** Variables whose values may hold secrets (keys, passwords in connection strings): never echoed. */
const SECRET_VARIABLE = /KEY|SECRET|PASSWORD|_URL$/;

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/**
 * Validates the environment once and returns a frozen, typed configuration.
 * Throws a ConfigError whose message names every bad variable and why.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const result = configSchema.safeParse(env);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => {
      const variable = issue.path.join('.');
      const got = env[variable] === undefined || SECRET_VARIABLE.test(variable) ? '' : ` (got ${JSON.stringify(env[variable])})`;
      return `  ${variable}: ${issue.message}${got}`;
    });
    throw new ConfigError(`Invalid configuration:\n${problems.join('\n')}`);
  }
  return Object.freeze(result.data);
}
