import { z } from 'zod';
import { unreadyChecksSchema } from '../health/readiness-checks.schema';
import { apiSchemas, idOut, minorOut, portionOut } from './api-schemas';

/**
 * The RFC 9457 problem document every error answer carries, with the extensions the service
 * adds: `errors` on validation failures, `legIndex` on a group's refused leg, the details
 * some domain outcomes give, and the readiness checks of an unready instance.
 */
export const problemSchema = z
  .strictObject({
    type: z.string().describe('A URI reference naming the kind of problem'),
    title: z.string(),
    status: z.int().min(400).max(599),
    detail: z.string(),
    code: z.string().describe('Stable machine-readable code'),
    instance: z.string().optional().describe('The request path'),
    errors: z.array(z.strictObject({ path: z.string(), message: z.string() })).optional().describe('VALIDATION_FAILED: one entry per invalid field'),
    legIndex: z.int().min(0).optional().describe("A group's refused leg, counted from 0"),
    groupId: idOut.optional().describe('TRANSACTION_PART_OF_GROUP: the group to settle or reverse instead'),
    availableMinor: minorOut.optional().describe('INSUFFICIENT_FUNDS, OVERDRAFT_LIMIT_BELOW_USAGE: the available balance'),
    heldMinor: portionOut.optional().describe('AMOUNT_EXCEEDS_HOLD: what the hold still holds'),
    reversibleMinor: portionOut.optional().describe('REVERSAL_EXCEEDS_ORIGINAL: what is left to reverse'),
    checks: unreadyChecksSchema.optional().describe('GET /health/ready, 503 READ_MODEL_BEHIND or PROJECTOR_HALTED (or a read-only database): what the checks found, when the database answered'),
    existingId: idOut.optional().describe('REFERENCE_ALREADY_USED: the transaction (in the wallet) or the group that holds the reference'),
  })
  .register(apiSchemas, { id: 'Problem' });
