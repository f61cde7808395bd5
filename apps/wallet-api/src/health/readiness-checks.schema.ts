import { z } from 'zod';
import { countOut, positionOut } from '../http/api-schemas';

/** How far the projector is behind the end of the event log (positions as strings). */
export const projectorCheckSchema = z.strictObject({
  checkpoint: positionOut.describe('The position the read model has reached'),
  headPosition: positionOut.describe('The last position of the event log'),
  lagEvents: countOut.describe('An upper bound of the events not yet projected'),
  lagSeconds: z.number().min(0).describe('Age in seconds of the oldest event not yet projected; 0 when caught up'),
});

/**
 * What an unready instance still knows: the 503 of /health/ready carries it whenever the
 * database answered, so an operator (and the console) sees the lag and the log's head even then.
 */
export const unreadyChecksSchema = z.strictObject({
  database: z.enum(['up', 'read-only']),
  projector: projectorCheckSchema,
});
