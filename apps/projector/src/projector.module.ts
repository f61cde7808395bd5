import { Module } from '@nestjs/common';

/** The projection worker. Projections join it with the read side; until then it only runs. */
@Module({})
export class ProjectorModule {}
