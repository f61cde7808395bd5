import { RecordGroupHandler } from './record-group.handler';
import { ReverseGroupHandler } from './reverse-group.handler';
import { SettleGroupHandler } from './settle-group.handler';

export const groupCommandHandlers = [RecordGroupHandler, SettleGroupHandler, ReverseGroupHandler];

export { RecordGroupCommand } from './record-group.command';
export { ReverseGroupCommand } from './reverse-group.command';
export { SettleGroupCommand } from './settle-group.command';
