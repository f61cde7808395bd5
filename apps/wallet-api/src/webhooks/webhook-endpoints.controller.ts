import { Body, Controller, Get, Header, HttpCode, Inject, Param, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { OwnerRef } from '@wallet/access';
import { APP_CONFIG, type AppConfig } from '@wallet/config';
import { DomainError, isVisibleTo } from '@wallet/domain';
import { EVENT_STORE, type EventStore, IdempotencyLeaseLostError, completeIdempotencyKey, visibleHead } from '@wallet/event-store';
import { WebhookEndpointStore, WebhookUrlRefusedError, type WebhookEndpoint, type WithinChange, checkUrl } from '@wallet/webhooks';
import { CallerOwner } from '../auth/caller-owner.decorator';
import { RequiresScope } from '../auth/route-access.decorator';
import { CommandAnswer, PlainAnswer } from '../http/api-answers.decorator';
import { EmptyBody } from '../http/empty-body.decorator';
import { WebhookEndpointIdPipe } from '../http/id.pipe';
import { toPage } from '../http/page.presenter';
import { RequestContext } from '../http/request-context.decorator';
import { type CommandContext, storedSuccess } from '../write-path/command-context';
import { WalletStates } from '../write-path/wallet-states';
import { presentDelivery, presentEndpoint, presentNewEndpoint } from './webhook-endpoint.presenter';
import {
  type NewWebhookEndpointAnswer,
  type RotatedWebhookEndpointAnswer,
  type WebhookDeliveryPage,
  type WebhookEndpointAnswer,
  type WebhookEndpointPage,
  newWebhookEndpointSchema,
  rotatedWebhookEndpointSchema,
  webhookDeliveryPageSchema,
  webhookEndpointPageSchema,
  webhookEndpointSchema,
} from './webhook-endpoint.schema';
import { ListWebhookDeliveriesQueryDto, ListWebhookEndpointsQueryDto, NewWebhookEndpointDto, ReplayWebhookEndpointDto } from './webhook-endpoints.dto';

/**
 * Every route needs webhooks:manage. A POST with an Idempotency-Key stores its answer in the
 * transaction of its change (a created or rotated secret included: the endpoint keeps its
 * secret as given anyway, since signing needs it).
 */
const Manage = (): MethodDecorator => RequiresScope('webhooks:manage');

const NOT_FOUND = { 404: ['WEBHOOK_ENDPOINT_NOT_FOUND'] } as const;

/** How long the URL's host may take to resolve: a request never waits on a stuck resolver. */
const RESOLVE_TIMEOUT_MS = 5_000;

@ApiTags('webhooks')
@Controller('v1/webhook-endpoints')
export class WebhookEndpointsController {
  constructor(
    private readonly endpoints: WebhookEndpointStore,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly wallets: WalletStates,
  ) {}

  @Post()
  @Manage()
  @HttpCode(201)
  @Header('cache-control', 'no-store')
  @CommandAnswer(201, newWebhookEndpointSchema, { 404: ['WALLET_NOT_FOUND'], 422: ['WEBHOOK_URL_REFUSED'] })
  @ApiOperation({ summary: 'Register a webhook endpoint; its signing secret is in this answer only' })
  async create(@Body() body: NewWebhookEndpointDto, @CallerOwner() owner: OwnerRef | undefined, @RequestContext() context: CommandContext): Promise<NewWebhookEndpointAnswer> {
    const { url, types, walletId, description, after } = body as unknown as { url: string; types?: string[]; walletId?: string; description?: string; after?: bigint };
    await this.assertCallable(url);
    if (walletId !== undefined) await this.assertVisible(walletId, owner);
    // The newest position the feed shows: an append still committing below the head is not passed over.
    const start = after ?? (await visibleHead(this.store));
    const endpoint = { url, types: types ?? null, walletId: walletId ?? null, description: description ?? null, owner: owner ?? null, after: start };
    return this.answer(context, (within) => this.endpoints.create(endpoint, within), (created, secret) => presentNewEndpoint(created, secret!));
  }

  @Get()
  @Manage()
  @PlainAnswer(200, webhookEndpointPageSchema, { 400: ['VALIDATION_FAILED'] })
  @ApiOperation({ summary: 'Webhook endpoints in creation order (an owner-bound key sees its own only)' })
  async list(@Query() query: ListWebhookEndpointsQueryDto, @CallerOwner() owner: OwnerRef | undefined): Promise<WebhookEndpointPage> {
    const { limit, cursor } = query as unknown as { limit: number; cursor?: { id: string } };
    const [rows, head] = await Promise.all([this.endpoints.list(owner, { limit: limit + 1, cursor: cursor?.id }), this.store.headPosition()]);
    return toPage(rows, limit, (endpoint) => presentEndpoint(endpoint, head), (endpoint) => ({ id: endpoint.id }));
  }

  @Get(':endpointId')
  @Manage()
  @PlainAnswer(200, webhookEndpointSchema, NOT_FOUND)
  @ApiOperation({ summary: 'A webhook endpoint and where its delivery stands (deliveredThrough, lagEvents, lastError)' })
  async get(@Param(WebhookEndpointIdPipe.parameter, WebhookEndpointIdPipe) id: string, @CallerOwner() owner: OwnerRef | undefined): Promise<WebhookEndpointAnswer> {
    return this.present(await this.endpoints.get(id, owner));
  }

  @Post(':endpointId/disable')
  @Manage()
  @HttpCode(200)
  @CommandAnswer(200, webhookEndpointSchema, NOT_FOUND)
  @ApiOperation({ summary: 'Stop delivering to the endpoint; its cursor stays where it is' })
  async disable(
    @Param(WebhookEndpointIdPipe.parameter, WebhookEndpointIdPipe) id: string,
    @EmptyBody() _body: unknown,
    @CallerOwner() owner: OwnerRef | undefined,
    @RequestContext() context: CommandContext,
  ): Promise<WebhookEndpointAnswer> {
    return this.answerView(context, (within) => this.endpoints.disable(id, owner, undefined, within));
  }

  @Post(':endpointId/enable')
  @Manage()
  @HttpCode(200)
  @CommandAnswer(200, webhookEndpointSchema, NOT_FOUND)
  @ApiOperation({ summary: 'Resume delivery from the cursor at once, with a fresh retry schedule' })
  async enable(
    @Param(WebhookEndpointIdPipe.parameter, WebhookEndpointIdPipe) id: string,
    @EmptyBody() _body: unknown,
    @CallerOwner() owner: OwnerRef | undefined,
    @RequestContext() context: CommandContext,
  ): Promise<WebhookEndpointAnswer> {
    return this.answerView(context, (within) => this.endpoints.enable(id, owner, within));
  }

  @Post(':endpointId/replay')
  @Manage()
  @HttpCode(200)
  @CommandAnswer(200, webhookEndpointSchema, NOT_FOUND)
  @ApiOperation({ summary: 'Move the cursor to `after` (back to deliver again, forward to skip); a batch in flight is dropped' })
  async replay(
    @Param(WebhookEndpointIdPipe.parameter, WebhookEndpointIdPipe) id: string,
    @Body() body: ReplayWebhookEndpointDto,
    @CallerOwner() owner: OwnerRef | undefined,
    @RequestContext() context: CommandContext,
  ): Promise<WebhookEndpointAnswer> {
    const { after } = body as unknown as { after: bigint };
    return this.answerView(context, (within) => this.endpoints.replay(id, owner, after, within));
  }

  @Post(':endpointId/rotate-secret')
  @Manage()
  @HttpCode(200)
  @Header('cache-control', 'no-store')
  @CommandAnswer(200, rotatedWebhookEndpointSchema, NOT_FOUND)
  @ApiOperation({ summary: 'A new signing secret, in this answer only; deliveries are signed with the one before it too for 24 h' })
  async rotateSecret(
    @Param(WebhookEndpointIdPipe.parameter, WebhookEndpointIdPipe) id: string,
    @EmptyBody() _body: unknown,
    @CallerOwner() owner: OwnerRef | undefined,
    @RequestContext() context: CommandContext,
  ): Promise<RotatedWebhookEndpointAnswer> {
    const head = await this.store.headPosition();
    return this.answer(context, (within) => this.endpoints.rotateSecret(id, owner, within), (endpoint, secret) => ({ ...presentEndpoint(endpoint, head), secret: secret! }));
  }

  @Get(':endpointId/deliveries')
  @Manage()
  @PlainAnswer(200, webhookDeliveryPageSchema, { 400: ['VALIDATION_FAILED'], ...NOT_FOUND })
  @ApiOperation({ summary: "The endpoint's delivery attempts, newest first" })
  async deliveries(
    @Param(WebhookEndpointIdPipe.parameter, WebhookEndpointIdPipe) id: string,
    @Query() query: ListWebhookDeliveriesQueryDto,
    @CallerOwner() owner: OwnerRef | undefined,
  ): Promise<WebhookDeliveryPage> {
    const { limit, cursor } = query as unknown as { limit: number; cursor?: { id: string } };
    // Deliveries carry no owner: the endpoint's own lookup decides whether the caller may see them.
    this.found(await this.endpoints.get(id, owner));
    const rows = await this.endpoints.deliveries(id, { limit: limit + 1, cursor: cursor?.id });
    return toPage(rows, limit, presentDelivery, (delivery) => ({ id: delivery.id.toString() }));
  }

  /** Makes a change and answers the endpoint's view as the change left it. */
  private async answerView(context: CommandContext, change: (within: WithinChange) => Promise<unknown>): Promise<WebhookEndpointAnswer> {
    const head = await this.store.headPosition();
    return this.answer(context, change, (endpoint) => presentEndpoint(endpoint, head));
  }

  /**
   * Makes a change and answers what it left; with an Idempotency-Key, the answer is stored in
   * the change's own transaction, so a retry after a crash finds either both or neither.
   */
  private async answer<A>(context: CommandContext, change: (within: WithinChange) => Promise<unknown>, present: (endpoint: WebhookEndpoint, secret?: string) => A): Promise<A> {
    const held = context.idempotency;
    let answer: A | undefined;
    await change(async (client, endpoint, secret) => {
      answer = present(endpoint, secret);
      if (held && !(await completeIdempotencyKey(client, held, storedSuccess(held, answer)))) throw new IdempotencyLeaseLostError('The Idempotency-Key was taken over by another request.', held.key);
    });
    if (answer === undefined) this.found(undefined);
    return answer!;
  }

  private async present(endpoint: WebhookEndpoint | undefined): Promise<WebhookEndpointAnswer> {
    return presentEndpoint(this.found(endpoint), await this.store.headPosition());
  }

  /** Another owner's endpoint answers as an unknown one does: a key learns nothing of others. */
  private found(endpoint: WebhookEndpoint | undefined): WebhookEndpoint {
    if (!endpoint) throw new DomainError('WEBHOOK_ENDPOINT_NOT_FOUND', 'No webhook endpoint has this id.');
    return endpoint;
  }

  private async assertCallable(url: string): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const slow = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new WebhookUrlRefusedError(`its host did not resolve within ${RESOLVE_TIMEOUT_MS / 1000} s`)), RESOLVE_TIMEOUT_MS);
    });
    try {
      await Promise.race([checkUrl(url, this.config.WEBHOOK_ALLOW_PRIVATE_URLS), slow]);
    } catch (error) {
      if (error instanceof WebhookUrlRefusedError) throw new DomainError('WEBHOOK_URL_REFUSED', `The service will not call this URL: ${error.reason}.`);
      throw error;
    } finally {
      clearTimeout(timer);
    }
  }

  /** The wallet's own events say who holds it (as in the feed): no read model to wait for. */
  private async assertVisible(walletId: string, owner: OwnerRef | undefined): Promise<void> {
    const { state } = await this.wallets.load(walletId, true);
    if (!isVisibleTo(state, owner)) throw new DomainError('WALLET_NOT_FOUND', 'No wallet has this id.');
  }
}
