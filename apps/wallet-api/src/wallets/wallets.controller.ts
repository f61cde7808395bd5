import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { CommandAnswer } from '../http/api-answers.decorator';
import { RequestContext } from '../http/request-context.decorator';
import type { CommandContext } from '../write-path/command-context';
import { WalletIdPipe } from '../http/id.pipe';
import { AddOwnerDto, CreateWalletDto, SetOverdraftLimitDto } from './dto/wallet.dto';
import { type WalletView, walletSchema } from '../http/wallet.presenter';
import { toAddWalletOwnerCommand, toOpenWalletCommand, toSetOverdraftLimitCommand } from './wallet.mapper';
import { RequiresScope } from '../auth/route-access.decorator';

@ApiTags('wallets')
@Controller('v1/wallets')
export class WalletsController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post()
  @RequiresScope('wallets:write')
  @HttpCode(201)
  @CommandAnswer(201, walletSchema, { 403: ['FORBIDDEN'] })
  @ApiOperation({ summary: 'Open a wallet in one currency, with an overdraft limit or none ("unlimited": a system wallet)' })
  open(@Body() body: CreateWalletDto, @RequestContext() context: CommandContext): Promise<WalletView> {
    return this.commandBus.execute(toOpenWalletCommand(body, context));
  }

  @Post(':walletId/owners')
  @RequiresScope('wallets:write')
  @HttpCode(201)
  @CommandAnswer(201, walletSchema, { 404: ['WALLET_NOT_FOUND'], 422: ['OWNER_LIMIT_REACHED'] })
  @ApiOperation({ summary: 'Add an owner to a wallet (adding an existing owner changes nothing)' })
  addOwner(@Param(WalletIdPipe.parameter, WalletIdPipe) walletId: string, @Body() body: AddOwnerDto, @RequestContext() context: CommandContext): Promise<WalletView> {
    return this.commandBus.execute(toAddWalletOwnerCommand(walletId, body, context));
  }

  @Post(':walletId/overdraft-limit')
  @RequiresScope('wallets:write')
  @HttpCode(200)
  @CommandAnswer(200, walletSchema, { 403: ['FORBIDDEN'], 404: ['WALLET_NOT_FOUND'], 422: ['OVERDRAFT_LIMIT_BELOW_USAGE'] })
  @ApiOperation({ summary: 'Set how far available may drop below 0 ("unlimited": a system wallet); never below what is already used' })
  setOverdraftLimit(
    @Param(WalletIdPipe.parameter, WalletIdPipe) walletId: string,
    @Body() body: SetOverdraftLimitDto,
    @RequestContext() context: CommandContext,
  ): Promise<WalletView> {
    return this.commandBus.execute(toSetOverdraftLimitCommand(walletId, body, context));
  }
}
