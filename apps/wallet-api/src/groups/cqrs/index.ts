import { RecordGroupHandler } from './record-group.handler';
import { SettleGroupHandler } from './settle-group.handler';

export const groupCommandHandlers = [RecordGroupHandler, SettleGroupHandler];

export { RecordGroupCommand, type GroupRequest } from './record-group.command';
export { SettleGroupCommand, type GroupSettlement } from './settle-group.command';
