import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { pageParams, positionSchema } from '../../http/query-params.schema';

/** Cursors made before snapshot ids became UUIDs also carry a serial `id`: still accepted, not needed. */
export const listSnapshotsSchema = z.strictObject(pageParams(z.strictObject({ position: positionSchema, id: positionSchema.optional() })));

export class ListSnapshotsQueryDto extends createZodDto(listSnapshotsSchema) {}
