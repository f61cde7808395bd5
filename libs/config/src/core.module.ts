import { type DynamicModule, Global, Module } from '@nestjs/common';
import { APP_CONFIG, DATABASE_URL } from './config.tokens';
import type { AppConfig } from './config.schema';
import { CLOCK, type Clock, systemClock } from './clock';


export interface CoreOptions {
  readonly config: AppConfig;
  readonly databaseUrl: string;
  readonly clock?: Clock;
}

/** Configuration, database address and clock, available to every module. */
@Global()
@Module({})
export class CoreModule {
  static forRoot(options: CoreOptions): DynamicModule {
    const providers = [
      { provide: APP_CONFIG, useValue: options.config },
      { provide: DATABASE_URL, useValue: options.databaseUrl },
      { provide: CLOCK, useValue: options.clock ?? systemClock },
    ];
    return { module: CoreModule, providers, exports: providers.map((p) => p.provide) };
  }
}
