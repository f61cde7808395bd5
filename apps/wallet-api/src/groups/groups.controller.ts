import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CommandAnswer } from '../http/api-answers.decorator';
import { ZodValidationPipe } from 'nestjs-zod';
import type { CommandContext } from '../write-path/command-context';
import { RequestContext } from '../http/request-context.decorator';
import { RejectTransactionDto, type RejectTransactionBody, optionalRejectTransactionSchema } from '../http/reject-body.dto';
import { GroupIdPipe } from '../http/id.pipe';
import { toConfirmGroupCommand, toRecordGroupCommand, toRejectGroupCommand, toReverseGroupCommand, toTransferCommand } from './group.mapper';
import { RecordGroupDto, type ReverseGroupBody, ReverseGroupDto, TransferDto, optionalReverseGroupSchema } from './dto/group.dto';
import { type GroupResultView, groupResultSchema } from '../http/group.presenter';
import { RequiresScope } from '../auth/route-access.decorator';
import { EmptyBody } from '../http/empty-body.decorator';

/** A group's legs may be refused one by one (with legIndex) for these. */
const RECORD_PROBLEMS = { 404: ['WALLET_NOT_FOUND'], 409: ['REFERENCE_ALREADY_USED'], 422: ['INSUFFICIENT_FUNDS', 'CURRENCY_MISMATCH', 'BALANCE_LIMIT_EXCEEDED'] };
const SETTLE_PROBLEMS = { 404: ['GROUP_NOT_FOUND'], 409: ['GROUP_NOT_PENDING'], 422: ['HOLD_EXPIRED', 'BALANCE_LIMIT_EXCEEDED'] };
/** A reversal's leg may be refused (with legIndex) when its wallet lacks the funds to give back. */
const REVERSE_PROBLEMS = { 404: ['GROUP_NOT_FOUND'], 409: ['GROUP_NOT_REVERSIBLE', 'REFERENCE_ALREADY_USED'], 422: ['INSUFFICIENT_FUNDS', 'BALANCE_LIMIT_EXCEEDED'] };

@ApiTags('transaction groups')
@Controller('v1')
export class GroupsController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post('transaction-groups')
  @RequiresScope('wallets:write')
  @HttpCode(201)
  @CommandAnswer(201, groupResultSchema, RECORD_PROBLEMS)
  @ApiOperation({ summary: 'Record 2 to 100 transactions on several wallets, all or none' })
  record(@Body() body: RecordGroupDto, @RequestContext() context: CommandContext): Promise<GroupResultView> {
    return this.commandBus.execute(toRecordGroupCommand(body, context));
  }

  @Post('transfers')
  @RequiresScope('wallets:write')
  @HttpCode(201)
  @CommandAnswer(201, groupResultSchema, RECORD_PROBLEMS)
  @ApiOperation({ summary: 'Move money between two wallets: a two-leg group (debit from, credit to)' })
  transfer(@Body() body: TransferDto, @RequestContext() context: CommandContext): Promise<GroupResultView> {
    return this.commandBus.execute(toTransferCommand(body, context));
  }

  @Post('transaction-groups/:groupId/confirm')
  @RequiresScope('wallets:write')
  @HttpCode(200)
  @CommandAnswer(200, groupResultSchema, SETTLE_PROBLEMS)
  @ApiOperation({ summary: 'Confirm every leg of a pending group' })
  confirm(@Param(GroupIdPipe.parameter, GroupIdPipe) groupId: string, @EmptyBody() _body: unknown, @RequestContext() context: CommandContext): Promise<GroupResultView> {
    return this.commandBus.execute(toConfirmGroupCommand(groupId, context));
  }

  @Post('transaction-groups/:groupId/reject')
  @RequiresScope('wallets:write')
  @HttpCode(200)
  @CommandAnswer(200, groupResultSchema, SETTLE_PROBLEMS)
  @ApiOperation({ summary: 'Reject every leg of a pending group, releasing what they reserved' })
  @ApiBody({ type: RejectTransactionDto, required: false })
  reject(
    @Param(GroupIdPipe.parameter, GroupIdPipe) groupId: string,
    @Body(new ZodValidationPipe(optionalRejectTransactionSchema)) body: RejectTransactionBody,
    @RequestContext() context: CommandContext,
  ): Promise<GroupResultView> {
    return this.commandBus.execute(toRejectGroupCommand(groupId, body, context));
  }

  @Post('transaction-groups/:groupId/reverse')
  @RequiresScope('wallets:write')
  @HttpCode(201)
  @CommandAnswer(201, groupResultSchema, REVERSE_PROBLEMS)
  @ApiOperation({ summary: 'Reverse every leg of a completed group in full, as a new group, once' })
  @ApiBody({ type: ReverseGroupDto, required: false })
  reverse(
    @Param(GroupIdPipe.parameter, GroupIdPipe) groupId: string,
    @Body(new ZodValidationPipe(optionalReverseGroupSchema)) body: ReverseGroupBody,
    @RequestContext() context: CommandContext,
  ): Promise<GroupResultView> {
    return this.commandBus.execute(toReverseGroupCommand(groupId, body, context));
  }
}
