import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { createFirstAdminKey, hasActiveAdminKey, seedAdminKey } from '@wallet/access';
import { APP_CONFIG, type AppConfig } from '@wallet/config';
import { PG_POOL } from '@wallet/postgres';
import type { Pool } from 'pg';

/**
 * The first key: ADMIN_API_KEY's secret is stored as an admin key (once; revoking it sticks).
 * Without it, the embedded default makes an admin key on its first start and prints it once;
 * against an external database the service asks the operator to make one with the CLI.
 */
@Injectable()
export class AdminKeyBootstrap implements OnModuleInit {
  private readonly log = new Logger('ApiKeys');

  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onModuleInit(): Promise<void> {
    if (this.config.ADMIN_API_KEY !== undefined) return seedAdminKey(this.pool, this.config.ADMIN_API_KEY);
    if (this.config.DATABASE_URL === undefined) {
      const secret = await createFirstAdminKey(this.pool);
      if (secret !== undefined) printOnce(secret, `http://${this.config.HOST}:${this.config.PORT}`);
      return;
    }
    if (!(await hasActiveAdminKey(this.pool))) {
      this.log.warn('No active admin API key: no one can make keys over HTTP. Set ADMIN_API_KEY or run `npm run cli -- keys create --name admin --scopes admin`.');
    }
  }
}

/** Straight to stdout, not the log: the secret is shown this once and never logged. */
function printOnce(secret: string, baseUrl: string): void {
  process.stdout.write(
    [
      '',
      '  First start: an admin API key was created. It is shown only this once; store it now.',
      '',
      `      ${secret}`,
      '',
      `  Send it as "Authorization: Bearer <key>" (for example: curl -H "Authorization: Bearer <key>" ${baseUrl}/v1/wallets).`,
      `  Or paste it into the operator console: ${baseUrl}/console`,
      '  Make narrower keys with: npm run cli -- keys create --help',
      '',
      '',
    ].join('\n'),
  );
}
