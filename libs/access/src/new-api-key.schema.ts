import { z } from 'zod';
import { ownerSchema } from './owner.schema';
import { SCOPES } from './scopes';

/** What a new key is made of; shared by the HTTP route and `keys create`. */
export const newApiKeySchema = z
  .strictObject({
    name: z.string().regex(/^[\x20-\x7e]{1,100}$/, 'must be 1 to 100 printable ASCII characters'),
    scopes: z
      .array(z.enum(SCOPES))
      .min(1)
      .max(SCOPES.length)
      .refine((scopes) => new Set(scopes).size === scopes.length, 'must not repeat a scope'),
    owner: ownerSchema
      .optional()
      .describe('Binds the key to one owner: it sees and acts on that owner\'s wallets only'),
    expiresAt: z.iso.datetime({ offset: true }).optional().describe('After this moment the key is refused'),
    rateLimitPerSecond: z.number().int().min(1).max(1_000_000).optional().describe('Overrides the service default'),
  })
  .refine((key) => !(key.owner && key.scopes.includes('admin')), { message: 'an owner-scoped key cannot have the admin scope', path: ['scopes'] });

export type NewApiKey = z.infer<typeof newApiKeySchema>;
