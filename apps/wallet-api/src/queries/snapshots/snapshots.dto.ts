import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { pageParams, positionSchema } from '../shared/query-params.schema';

export const listSnapshotsSchema = z.strictObject(pageParams(z.strictObject({ position: positionSchema, id: positionSchema })));

export class ListSnapshotsQueryDto extends createZodDto(listSnapshotsSchema) {}
