import { Body } from '@nestjs/common';
import { ZodValidationPipe } from 'nestjs-zod';
import { z } from 'zod';

/** No body, or `{}`: anything else is a 400, never silently ignored. */
const emptyBodySchema = z.strictObject({}).optional();

/**
 * For POSTs that take no body (a group's confirm, a key's revoke). A client sending fields there
 * expects them to mean something (an amount to capture, say); refusing them beats acting without them.
 */
export const EmptyBody = (): ParameterDecorator => Body(new ZodValidationPipe(emptyBodySchema));
