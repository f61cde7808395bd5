export { configSchema, type AppConfig } from './config.schema';
export { loadConfig, ConfigError } from './load-config';
export { APP_CONFIG, DATABASE_URL } from './config.tokens';
export { CoreModule, type CoreOptions } from './core.module';
export { CLOCK, type Clock, systemClock } from './clock';
export { applyHeapPolicy } from './heap-policy';
export { logDestination } from './log-destination';
