import { Controller, Get, Headers, Inject, Query, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { PlainAnswer, StreamAnswer } from '../http/api-answers.decorator';
import type { OwnerRef } from '@wallet/access';
import { DomainError, isVisibleTo } from '@wallet/domain';
import { EVENT_STORE, type EventStore, type RecordedEvent } from '@wallet/event-store';
import type { FastifyReply } from 'fastify';
import { CallerOwner } from '../auth/caller-owner.decorator';
import { WalletStates } from '../write-path/wallet-states';
import { EventStreams, STREAM_FAILED_EVENT } from './event-streams.service';
import { OwnerFeed } from './owner-feed';
import { LAST_EVENT_ID_PATTERN } from './last-event-id';
import { type FeedPage, feedFilter, feedPageSchema, toFeedItem } from './feed-item.presenter';
import { EventStreamDto, EventsPageDto } from './feed.dto';
import { RequiresScope } from '../auth/route-access.decorator';

/** Most events one page request looks at per event it may return (bounds sparse filters). */
const SCAN_FACTOR = 20;

@ApiTags('event feed')
@Controller('v1/events')
export class EventsController {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly streams: EventStreams,
    private readonly wallets: WalletStates,
    private readonly ownerFeed: OwnerFeed,
  ) {}

  /** The wallet's own events say who holds it: no read model to wait for. */
  private async assertVisible(walletId: string, owner: OwnerRef): Promise<void> {
    const { state } = await this.wallets.load(walletId, true);
    if (!isVisibleTo(state, owner)) throw new DomainError('WALLET_NOT_FOUND', 'No wallet has this id.');
  }

  @Get()
  @RequiresScope('events:read')
  @PlainAnswer(200, feedPageSchema, { 400: ['VALIDATION_FAILED'], 404: ['WALLET_NOT_FOUND'] })
  @ApiOperation({ summary: 'A page of the event log in position order; continue with ?after=nextAfter' })
  async page(@Query() query: EventsPageDto, @CallerOwner() owner: OwnerRef | undefined): Promise<FeedPage> {
    const { after = 0n, limit, walletId, types } = query as unknown as { after?: bigint; limit: number; walletId?: string; types?: string[] };
    if (owner && walletId) await this.assertVisible(walletId, owner);
    const page = await this.store.readFiltered({ after, maxCount: limit, filter: feedFilter(walletId, types) ?? {}, scanMax: limit * SCAN_FACTOR });
    const events = owner ? await this.ownerFeed.visible(page.events, owner) : page.events;
    return { items: events.map(toFeedItem), nextAfter: page.nextAfter.toString() };
  }

  @Get('stream')
  @RequiresScope('events:read')
  @StreamAnswer(
    'Server-Sent Events: each event as the default `message` event, its `id` the position and its `data` a FeedItem as JSON (the type is in it); ' +
      `\`: heartbeat\` comments every 15 s; on a failure one \`${STREAM_FAILED_EVENT}\` event with \`{ code: "STREAM_FAILED", detail }\`, then the stream ends: reconnect with Last-Event-ID.`,
    { 400: ['VALIDATION_FAILED'], 404: ['WALLET_NOT_FOUND'], 429: ['RATE_LIMITED'] },
  )
  @ApiOperation({ summary: 'The event log as Server-Sent Events: catch-up then live; the SSE id is the position; Last-Event-ID resumes' })
  async stream(
    @Query() query: EventStreamDto,
    @Headers('last-event-id') lastEventId: string | undefined,
    @CallerOwner() owner: OwnerRef | undefined,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const { after = 0n, walletId, types } = query as unknown as { after?: bigint; walletId?: string; types?: string[] };
    if (owner && walletId) await this.assertVisible(walletId, owner);
    // HEAD would hold a stream open that never writes; it gets the headers only.
    if (reply.request.method === 'HEAD') return void reply.status(200).type('text/event-stream').send();
    const resumeFrom = lastEventId !== undefined && LAST_EVENT_ID_PATTERN.test(lastEventId.trim()) ? BigInt(lastEventId.trim()) : after;
    const controller = this.streams.reserve(reply.request.caller!.keyId);
    const select = owner ? (events: RecordedEvent[]) => this.ownerFeed.visible(events, owner, controller.signal) : undefined;
    reply.hijack();
    await this.streams.serve(reply.raw, resumeFrom, feedFilter(walletId, types), controller, select);
  }
}
