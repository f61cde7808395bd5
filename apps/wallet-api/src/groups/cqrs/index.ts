import { RecordGroupHandler } from './record-group.handler';
import { SettleGroupHandler } from './settle-group.handler';

export const groupCommandHandlers = [RecordGroupHandler, SettleGroupHandler];

export { RecordGroupCommand } from './record-group.command';
export { SettleGroupCommand } from './settle-group.command';
