import { ReadResp } from '@kurrent/kurrentdb-client/generated/kurrentdb/protocols/v1/streams_pb';
import { comparePositions, type LogPosition, now, positionOf, toReadResponse, type UuidFormat } from './conversions';
import type { FilterSettings } from './event-filter';
import type { EventLog } from './event-log';
import type { LoggedEvent } from './log-records';

/** Where a $all subscription starts: before the first event, after the last one, or after a position. */
export type SubscriptionStart = 'start' | 'end' | LogPosition;

/** The server's "no position yet" (TFPos.HeadOfTf). */
const HEAD: LogPosition = { commit: -1n, prepare: -1n };
const FIRST_RECORD: LogPosition = { commit: 0n, prepare: 0n };
/** Matching events per catch-up page (the server's read batch size). */
const PAGE_SIZE = 32;

/**
 * A $all subscription as the server runs it: confirmation, catch-up from the start position (exclusive),
 * `caught_up`, then live events in log order. Filtered subscriptions also send checkpoints: during
 * catch-up after every checkpointIntervalMultiplier × window events scanned and once at its end, and
 * live after every checkpointIntervalMultiplier × window events appended.
 */
export class AllSubscription {
  private checkpoint: LogPosition;
  private lastCheckpointSent: LogPosition = HEAD;
  private liveCounter = 0;

  constructor(
    private readonly log: EventLog,
    private readonly send: (response: ReadResp) => void,
    start: SubscriptionStart,
    private readonly uuidFormat: UuidFormat,
    private readonly filter: FilterSettings | undefined,
  ) {
    const last = log.lastPosition();
    this.checkpoint = start === 'start' ? HEAD : start === 'end' ? (last === undefined ? HEAD : { commit: last, prepare: last }) : start;
  }

  /** Sends the confirmation and the catch-up, then follows the log; returns the function that stops following. */
  run(subscriptionId: string): () => void {
    this.send(new ReadResp().setConfirmation(new ReadResp.SubscriptionConfirmation().setSubscriptionId(subscriptionId)));
    const last = this.log.lastPosition();
    if (last !== undefined && comparePositions(this.checkpoint, { commit: last, prepare: last }) < 0) {
      if (this.filter) this.catchUpFiltered(this.filter);
      else this.catchUp();
    }
    this.sendCaughtUp();
    return this.log.onAppend((events) => events.forEach((event) => this.onLive(event)));
  }

  private catchUp(): void {
    const events = this.log.events();
    for (let i = this.log.indexAtOrAfter(this.checkpoint.commit); i < events.length; i++) {
      if (comparePositions(positionOf(events[i]), this.checkpoint) > 0) this.sendEvent(events[i]);
    }
  }

  /** The server's filtered catch-up: pages of at most 32 matches within the search window each. */
  private catchUpFiltered(filter: FilterSettings): void {
    const interval = filter.checkpointIntervalMultiplier * filter.searchWindow;
    let counter = 0;
    let pageStart = comparePositions(this.checkpoint, FIRST_RECORD) < 0 ? FIRST_RECORD : this.checkpoint;
    for (;;) {
      const page = this.readPage(pageStart, filter);
      for (const event of page.matches) {
        if (comparePositions(positionOf(event), this.checkpoint) > 0) this.sendEvent(event);
      }
      if (comparePositions(this.checkpoint, pageStart) < 0 && comparePositions(pageStart, page.next) < 0) this.checkpoint = pageStart;
      counter += page.considered;
      if (page.isEnd) {
        if (comparePositions(this.checkpoint, FIRST_RECORD) < 0 && comparePositions(FIRST_RECORD, page.next) < 0) {
          this.checkpoint = FIRST_RECORD;
        }
        this.sendCheckpoint(this.checkpoint);
        return;
      }
      if (counter >= interval) {
        counter %= interval;
        this.sendCheckpoint(this.checkpoint);
      }
      pageStart = page.next;
    }
  }

  /**
   * One filtered page as the server reads it: events from `start` (inclusive) until 32 match or the
   * window is scanned; `next` is where the following page starts (after the last event scanned).
   */
  private readPage(start: LogPosition, filter: FilterSettings) {
    const events = this.log.events();
    const matches: LoggedEvent[] = [];
    let index = this.log.indexAtOrAfter(start.commit);
    while (index < events.length && comparePositions(positionOf(events[index]), start) < 0) index++;
    let next = start;
    let considered = 0;
    let isEnd = false;
    while (matches.length < PAGE_SIZE && considered < filter.searchWindow) {
      const event = events[index++];
      if (!event) {
        isEnd = true;
        break;
      }
      considered++;
      if (filter.matches(event)) matches.push(event);
      next = { commit: event.position + BigInt(event.size), prepare: 0n };
    }
    return { matches, next, considered, isEnd };
  }

  private onLive(event: LoggedEvent): void {
    if (comparePositions(positionOf(event), this.checkpoint) <= 0) return;
    if (!this.filter) {
      this.sendEvent(event);
      return;
    }
    if (this.filter.matches(event)) this.sendEvent(event);
    this.liveCounter++;
    if (this.liveCounter >= this.filter.checkpointIntervalMultiplier * this.filter.searchWindow) {
      this.liveCounter = 0;
      this.sendCheckpoint(positionOf(event));
    }
  }

  private sendEvent(event: LoggedEvent): void {
    this.checkpoint = positionOf(event);
    this.send(toReadResponse(event, this.uuidFormat, true));
  }

  private sendCheckpoint(position: LogPosition): void {
    // The server never sends "no position", nor a checkpoint that is not after the previous one.
    if (comparePositions(position, HEAD) === 0 || comparePositions(position, this.lastCheckpointSent) <= 0) return;
    this.lastCheckpointSent = position;
    const checkpoint = new ReadResp.Checkpoint()
      .setCommitPosition(position.commit.toString())
      .setPreparePosition(position.prepare.toString())
      .setTimestamp(now());
    this.send(new ReadResp().setCheckpoint(checkpoint));
  }

  private sendCaughtUp(): void {
    const caughtUp = new ReadResp.CaughtUp().setTimestamp(now());
    if (comparePositions(this.checkpoint, HEAD) !== 0) {
      caughtUp.setPosition(
        new ReadResp.Position().setCommitPosition(this.checkpoint.commit.toString()).setPreparePosition(this.checkpoint.prepare.toString()),
      );
    }
    this.send(new ReadResp().setCaughtUp(caughtUp));
  }
}
