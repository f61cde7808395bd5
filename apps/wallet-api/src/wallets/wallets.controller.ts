import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import { v7 as uuidv7 } from 'uuid';
import { RequestContext } from '../http/request-context.decorator';
import type { CommandContext } from '../commands/command-context';
import { WalletIdPipe } from './wallet-id.pipe';
import { AddWalletOwnerCommand, OpenWalletCommand } from './commands';
import { AddOwnerDto, CreateWalletDto } from './dto/wallet.dto';
import type { WalletView } from './wallet.presenter';
import { RequiresScope } from '../auth/route-access.decorator';

export const IDEMPOTENCY_HEADER = { name: 'Idempotency-Key', required: false, description: '1..255 printable ASCII; repeats answer with the first response' };

@ApiTags('wallets')
@ApiHeader(IDEMPOTENCY_HEADER)
@Controller('v1/wallets')
export class WalletsController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post()
  @RequiresScope('wallets:write')
  @HttpCode(201)
  @ApiOperation({ summary: 'Open a wallet in one currency' })
  open(@Body() body: CreateWalletDto, @RequestContext() context: CommandContext): Promise<WalletView> {
    return this.commandBus.execute(new OpenWalletCommand(uuidv7(), body, context));
  }

  @Post(':walletId/owners')
  @RequiresScope('wallets:write')
  @HttpCode(201)
  @ApiOperation({ summary: 'Add an owner to a wallet (adding an existing owner changes nothing)' })
  addOwner(@Param('walletId', WalletIdPipe) walletId: string, @Body() body: AddOwnerDto, @RequestContext() context: CommandContext): Promise<WalletView> {
    return this.commandBus.execute(new AddWalletOwnerCommand(walletId, body, context));
  }
}
