import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { readModelParams } from '../../http/query-params.schema';

/** The query string of a route that takes nothing but minPosition. */
export class MinPositionQueryDto extends createZodDto(z.strictObject(readModelParams)) {}
