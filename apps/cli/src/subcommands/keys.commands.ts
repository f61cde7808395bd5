import { Command, InvalidArgumentError } from 'commander';
import { type ApiKeyView, SCOPES, createApiKey, listApiKeys, newApiKeySchema, presentApiKey, revokeApiKey } from '@wallet/access';
import { withDatabase } from '../cli-database';
import { parseDuration } from '../duration';
import { formatTable } from '../table';

const LIST_LIMIT_MAX = 10_000;

interface CreateOptions {
  name: string;
  scopes: string[];
  ownerType?: string;
  ownerRef?: string;
  expiresIn?: number;
  rateLimit?: number;
  json?: boolean;
}

/** `keys create`, `keys list` and `keys revoke`: API keys, managed from the operator's shell. */
export function keysCommand(): Command {
  const keys = new Command('keys').description('Make, list and revoke API keys. A new key\'s secret is printed once and stored only as a hash.');
  keys
    .command('create')
    .description(`Make an API key. Scopes: ${SCOPES.join(', ')} (admin includes the others).`)
    .requiredOption('--name <name>', 'what the key is for, shown in lists')
    .requiredOption('--scopes <scopes>', 'comma-separated scopes', (text) => text.split(',').map((scope) => scope.trim()))
    .option('--owner-type <type>', 'bind the key to one owner: it sees and acts on that owner\'s wallets only')
    .option('--owner-ref <ref>', 'with --owner-type')
    .option('--expires-in <duration>', 'the key stops working after this long: 90d, 12h, 30m', parseDuration)
    .option('--rate-limit <perSecond>', 'requests per second for this key (default: RATE_LIMIT_PER_SECOND)', parseCount)
    .option('--json', 'print one JSON object')
    .action(async (options: CreateOptions) => {
      const request = newApiKeySchema.safeParse({
        name: options.name,
        scopes: options.scopes,
        ...(options.ownerType !== undefined || options.ownerRef !== undefined ? { owner: { ownerType: options.ownerType, ownerRef: options.ownerRef } } : {}),
        ...(options.expiresIn !== undefined ? { expiresAt: new Date(Date.now() + options.expiresIn).toISOString() } : {}),
        ...(options.rateLimit !== undefined ? { rateLimitPerSecond: options.rateLimit } : {}),
      });
      if (!request.success) throw new Error(request.error.issues.map((issue) => `${issue.path.join('.') || 'key'}: ${issue.message}`).join('; '));
      const { key, secret } = await withDatabase(({ pool }) => createApiKey(pool, request.data));
      const view = presentApiKey(key, new Date());
      process.stdout.write(options.json ? `${JSON.stringify({ key: view, secret })}\n` : `${formatKeys([view])}\nSecret (shown only now; store it):\n\n  ${secret}\n\n`);
    });
  keys
    .command('list')
    .description('API keys in creation order: id, name, first characters, scopes, owner, status. Secrets are never shown.')
    .option('--owner-type <type>', 'only the keys of this owner (with --owner-ref)')
    .option('--owner-ref <ref>', 'with --owner-type')
    .option('--limit <count>', `at most this many (up to ${LIST_LIMIT_MAX})`, parseCount, 1_000)
    .option('--json', 'print a JSON array')
    .action(async (options: { ownerType?: string; ownerRef?: string; limit: number; json?: boolean }) => {
      if ((options.ownerType === undefined) !== (options.ownerRef === undefined)) throw new Error('--owner-type and --owner-ref go together.');
      const owner = options.ownerType !== undefined ? { ownerType: options.ownerType, ownerRef: options.ownerRef! } : undefined;
      const records = await withDatabase(({ pool }) => listApiKeys(pool, { owner, limit: Math.min(options.limit, LIST_LIMIT_MAX) }));
      const now = new Date();
      const views = records.map((key) => presentApiKey(key, now));
      process.stdout.write(options.json ? `${JSON.stringify(views)}\n` : views.length === 0 ? 'No API keys.\n' : formatKeys(views));
    });
  keys
    .command('revoke')
    .description('Revoke an API key: it is refused from now on (by running APIs within API_KEY_CACHE_MS).')
    .argument('<keyId>', 'the id `keys list` shows')
    .action(async (keyId: string) => {
      if (!/^[0-9a-f-]{36}$/i.test(keyId)) throw new Error(`"${keyId}" is not a key id (a UUID; see keys list).`);
      const key = await withDatabase(({ pool }) => revokeApiKey(pool, keyId.toLowerCase()));
      if (!key) throw new Error(`No API key has the id ${keyId}.`);
      process.stdout.write(`Revoked ${key.id} (${key.name}) at ${key.revokedAt!.toISOString()}.\n`);
    });
  return keys;
}

function parseCount(text: string): number {
  if (!/^[1-9][0-9]{0,6}$/.test(text)) throw new InvalidArgumentError('Expected a whole number from 1 to 9999999.');
  return Number(text);
}

function formatKeys(views: readonly ApiKeyView[]): string {
  const header = ['id', 'name', 'hint', 'scopes', 'owner', 'status', 'expires'];
  const rows = views.map((key) => [
    key.id,
    key.name,
    key.hint,
    key.scopes.join(','),
    key.owner ? `${key.owner.ownerType}:${key.owner.ownerRef}` : '-',
    key.status,
    key.expiresAt ?? 'never',
  ]);
  return formatTable(header, rows);
}
