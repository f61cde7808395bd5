import type { Migration } from '@wallet/postgres';
import * as webhooks from './0016-webhooks.migration';

/**
 * The schema `webhooks`: endpoints, their delivery state and log. The number is a place in the
 * service's one recorded order; add new ones with the next free number, never edit an applied one.
 */
export const webhookMigrations: readonly Migration[] = [{ name: '0016-webhooks', up: webhooks.up }];
