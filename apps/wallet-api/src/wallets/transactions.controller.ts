import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CommandAnswer } from '../http/api-answers.decorator';
import { RequestContext } from '../http/request-context.decorator';
import type { CommandContext } from '../write-path/command-context';
import { TransactionIdPipe, WalletIdPipe } from '../http/id.pipe';
import { toConfirmTransactionCommand, toIncreaseHoldCommand, toRecordTransactionCommand, toRejectTransactionCommand, toReverseTransactionCommand } from './wallet.mapper';
import { ZodValidationPipe } from 'nestjs-zod';
import {
  type ConfirmTransactionBody,
  ConfirmTransactionDto,
  IncreaseHoldDto,
  RecordTransactionDto,
  type ReverseTransactionBody,
  ReverseTransactionDto,
  optionalConfirmTransactionSchema,
  optionalReverseTransactionSchema,
} from './dto/transaction.dto';
import { RejectTransactionDto, type RejectTransactionBody, optionalRejectTransactionSchema } from '../http/reject-body.dto';
import { type TransactionResultView, transactionResultSchema } from '../http/wallet.presenter';
import { RequiresScope } from '../auth/route-access.decorator';

/** What rejecting a hold may answer besides the problems of every command. */
const SETTLE_PROBLEMS = {
  404: ['WALLET_NOT_FOUND', 'TRANSACTION_NOT_FOUND'],
  409: ['TRANSACTION_NOT_PENDING', 'TRANSACTION_PART_OF_GROUP'],
  422: ['HOLD_EXPIRED', 'BALANCE_LIMIT_EXCEEDED'],
};

/** A capture may also ask for more than is held. */
const CONFIRM_PROBLEMS = { ...SETTLE_PROBLEMS, 422: [...SETTLE_PROBLEMS[422], 'AMOUNT_EXCEEDS_HOLD'] };

/** An increase of a pending debit needs the funds. */
const INCREASE_PROBLEMS = { ...SETTLE_PROBLEMS, 422: [...SETTLE_PROBLEMS[422], 'INSUFFICIENT_FUNDS'] };

const REVERSE_PROBLEMS = {
  404: ['WALLET_NOT_FOUND', 'TRANSACTION_NOT_FOUND'],
  409: ['TRANSACTION_NOT_REVERSIBLE', 'TRANSACTION_PART_OF_GROUP', 'REFERENCE_ALREADY_USED'],
  422: ['REVERSAL_EXCEEDS_ORIGINAL', 'INSUFFICIENT_FUNDS', 'BALANCE_LIMIT_EXCEEDED'],
};

@ApiTags('transactions')
@Controller('v1/wallets/:walletId/transactions')
export class TransactionsController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post()
  @RequiresScope('wallets:write')
  @HttpCode(201)
  @CommandAnswer(201, transactionResultSchema, { 404: ['WALLET_NOT_FOUND'], 409: ['REFERENCE_ALREADY_USED'], 422: ['INSUFFICIENT_FUNDS', 'BALANCE_LIMIT_EXCEEDED'] })
  @ApiOperation({ summary: 'Record a credit or debit, confirmed at once or pending (a hold)' })
  record(@Param(WalletIdPipe.parameter, WalletIdPipe) walletId: string, @Body() body: RecordTransactionDto, @RequestContext() context: CommandContext): Promise<TransactionResultView> {
    return this.commandBus.execute(toRecordTransactionCommand(walletId, body, context));
  }

  @Post(':transactionId/confirm')
  @RequiresScope('wallets:write')
  @HttpCode(200)
  @CommandAnswer(200, transactionResultSchema, CONFIRM_PROBLEMS)
  @ApiOperation({ summary: 'Capture all or part of a pending transaction; final (the default) releases the rest' })
  @ApiBody({ type: ConfirmTransactionDto, required: false })
  confirm(
    @Param(WalletIdPipe.parameter, WalletIdPipe) walletId: string,
    @Param(TransactionIdPipe.parameter, TransactionIdPipe) transactionId: string,
    @Body(new ZodValidationPipe(optionalConfirmTransactionSchema)) body: ConfirmTransactionBody,
    @RequestContext() context: CommandContext,
  ): Promise<TransactionResultView> {
    return this.commandBus.execute(toConfirmTransactionCommand(walletId, transactionId, body, context));
  }

  @Post(':transactionId/increase')
  @RequiresScope('wallets:write')
  @HttpCode(200)
  @CommandAnswer(200, transactionResultSchema, INCREASE_PROBLEMS)
  @ApiOperation({ summary: 'Raise what a pending transaction holds (an incremental authorisation)' })
  increase(
    @Param(WalletIdPipe.parameter, WalletIdPipe) walletId: string,
    @Param(TransactionIdPipe.parameter, TransactionIdPipe) transactionId: string,
    @Body() body: IncreaseHoldDto,
    @RequestContext() context: CommandContext,
  ): Promise<TransactionResultView> {
    return this.commandBus.execute(toIncreaseHoldCommand(walletId, transactionId, body, context));
  }

  @Post(':transactionId/reverse')
  @RequiresScope('wallets:write')
  @HttpCode(201)
  @CommandAnswer(201, transactionResultSchema, REVERSE_PROBLEMS)
  @ApiOperation({ summary: 'Give back all or part of a confirmed transaction: a new transaction of the opposite type' })
  @ApiBody({ type: ReverseTransactionDto, required: false })
  reverse(
    @Param(WalletIdPipe.parameter, WalletIdPipe) walletId: string,
    @Param(TransactionIdPipe.parameter, TransactionIdPipe) transactionId: string,
    @Body(new ZodValidationPipe(optionalReverseTransactionSchema)) body: ReverseTransactionBody,
    @RequestContext() context: CommandContext,
  ): Promise<TransactionResultView> {
    return this.commandBus.execute(toReverseTransactionCommand(walletId, transactionId, body, context));
  }

  @Post(':transactionId/reject')
  @RequiresScope('wallets:write')
  @HttpCode(200)
  @CommandAnswer(200, transactionResultSchema, SETTLE_PROBLEMS)
  @ApiOperation({ summary: 'Reject a pending transaction, releasing what it reserved' })
  @ApiBody({ type: RejectTransactionDto, required: false })
  reject(
    @Param(WalletIdPipe.parameter, WalletIdPipe) walletId: string,
    @Param(TransactionIdPipe.parameter, TransactionIdPipe) transactionId: string,
    @Body(new ZodValidationPipe(optionalRejectTransactionSchema)) body: RejectTransactionBody,
    @RequestContext() context: CommandContext,
  ): Promise<TransactionResultView> {
    return this.commandBus.execute(toRejectTransactionCommand(walletId, transactionId, body, context));
  }
}
