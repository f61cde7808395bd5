import { Controller, Get, Headers, Inject, Query, Res } from '@nestjs/common';
import { ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { EVENT_STORE, type EventStore } from '@wallet/event-store';
import type { FastifyReply } from 'fastify';
import { EventStreams } from './event-streams.service';
import { type FeedItem, feedFilter, toFeedItem } from './feed-item.presenter';
import { EventStreamDto, EventsPageDto } from './feed.dto';

/** Most events one page request looks at per event it may return (bounds sparse filters). */
const SCAN_FACTOR = 20;
const LAST_EVENT_ID = /^(0|[1-9][0-9]{0,18})$/;

@ApiTags('event feed')
@Controller('v1/events')
export class EventsController {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly streams: EventStreams,
  ) {}

  @Get()
  @ApiOperation({ summary: 'A page of the event log in position order; continue with ?after=nextAfter' })
  async page(@Query() query: EventsPageDto): Promise<{ items: FeedItem[]; nextAfter: string }> {
    const { after = 0n, limit, walletId, types } = query as unknown as { after?: bigint; limit: number; walletId?: string; types?: string[] };
    const page = await this.store.readFiltered({ after, maxCount: limit, filter: feedFilter(walletId, types) ?? {}, scanMax: limit * SCAN_FACTOR });
    return { items: page.events.map(toFeedItem), nextAfter: page.nextAfter.toString() };
  }

  @Get('stream')
  @ApiProduces('text/event-stream')
  @ApiOperation({ summary: 'The event log as Server-Sent Events: catch-up then live; the SSE id is the position; Last-Event-ID resumes' })
  async stream(@Query() query: EventStreamDto, @Headers('last-event-id') lastEventId: string | undefined, @Res() reply: FastifyReply): Promise<void> {
    const { after = 0n, walletId, types } = query as unknown as { after?: bigint; walletId?: string; types?: string[] };
    const resumeFrom = lastEventId !== undefined && LAST_EVENT_ID.test(lastEventId.trim()) ? BigInt(lastEventId.trim()) : after;
    const controller = this.streams.reserve();
    reply.hijack();
    await this.streams.serve(reply.raw, resumeFrom, feedFilter(walletId, types), controller);
  }
}
