/** Injection token under which the validated AppConfig is provided. */
export const APP_CONFIG = Symbol('APP_CONFIG');

/** Injection token of the PostgreSQL connection string in use (given, or the embedded server's). */
export const DATABASE_URL = Symbol('DATABASE_URL');
