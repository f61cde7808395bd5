import { randomUUID } from 'node:crypto';
import * as grpc from '@grpc/grpc-js';
import { Empty } from '@kurrent/kurrentdb-client/generated/kurrentdb/protocols/v1/shared_pb';
import { AppendReq, AppendResp, ReadReq, ReadResp } from '@kurrent/kurrentdb-client/generated/kurrentdb/protocols/v1/streams_pb';
import { AllSubscription } from './all-subscription';
import { streamName, uuidText, type UuidFormat } from './conversions';
import { filterFrom } from './event-filter';
import type { EventLog } from './event-log';
import type { ExpectedRevision, ProposedEvent, WriteOutcome } from './log-records';
import { positionFrom, readAll, readStream } from './reads';
import { subscribeToStream } from './stream-subscription';

/** Open subscriptions, each with the function that ends it (used when the double stops). */
export type OpenSubscriptions = Set<() => void>;

/** A request the double refuses, answered with a gRPC status. */
export class RequestError extends Error {
  constructor(
    readonly code: grpc.status,
    message: string,
  ) {
    super(message);
  }
}

/** The v1 `event_store.client.streams.Streams` service: `Read` (reads and subscriptions) and `Append`. */
export function streamsService(log: EventLog, subscriptions: OpenSubscriptions): grpc.UntypedServiceImplementation {
  return {
    read: (call: grpc.ServerWritableStream<ReadReq, ReadResp>) => read(log, subscriptions, call),
    append: (call: grpc.ServerReadableStream<AppendReq, AppendResp>, callback: grpc.sendUnaryData<AppendResp>) =>
      append(log, call, callback),
  };
}

function read(log: EventLog, subscriptions: OpenSubscriptions, call: grpc.ServerWritableStream<ReadReq, ReadResp>): void {
  const options = call.request.getOptions();
  if (!options?.hasUuidOption()) {
    call.emit('error', { code: grpc.status.INVALID_ARGUMENT, details: 'uuid_option is required' });
    return;
  }
  const uuidFormat: UuidFormat = options.getUuidOption()!.hasStructured() ? 'structured' : 'string';
  if (options.hasSubscription()) return subscribe(log, subscriptions, call, options, uuidFormat);
  const responses = options.hasAll()
    ? readAll(log, options, uuidFormat, filterFrom(options)?.matches)
    : readStream(log, options, uuidFormat);
  for (const response of responses) call.write(response);
  call.end();
}

function subscribe(
  log: EventLog,
  subscriptions: OpenSubscriptions,
  call: grpc.ServerWritableStream<ReadReq, ReadResp>,
  options: ReadReq.Options,
  uuidFormat: UuidFormat,
): void {
  const send = (response: ReadResp) => call.write(response);
  const id = randomUUID();
  let unfollow: () => void;
  if (options.hasAll()) {
    const all = options.getAll()!;
    const start = all.hasPosition() ? positionFrom(all.getPosition()!) : all.hasEnd() ? 'end' : 'start';
    unfollow = new AllSubscription(log, send, start, uuidFormat, filterFrom(options)).run(id);
  } else {
    const stream = options.getStream()!;
    const start = stream.hasRevision() ? BigInt(stream.getRevision()) : stream.hasEnd() ? 'end' : 'start';
    unfollow = subscribeToStream(log, send, streamName(stream.getStreamIdentifier()), start, uuidFormat, id);
  }
  const close = () => {
    unfollow();
    subscriptions.delete(end);
  };
  const end = () => {
    close();
    call.end();
  };
  subscriptions.add(end);
  call.on('cancelled', close);
}

function append(
  log: EventLog,
  call: grpc.ServerReadableStream<AppendReq, AppendResp>,
  callback: grpc.sendUnaryData<AppendResp>,
): void {
  let options: AppendReq.Options | undefined;
  const messages: AppendReq.ProposedMessage[] = [];
  call.on('data', (request: AppendReq) => {
    if (request.hasOptions()) options = request.getOptions();
    else if (request.hasProposedMessage()) messages.push(request.getProposedMessage()!);
  });
  call.on('end', () => {
    try {
      if (!options) throw new RequestError(grpc.status.INVALID_ARGUMENT, 'The first message must carry the options');
      const expected = expectedRevision(options);
      const events = messages.map(proposedEvent);
      const outcome = log.write([{ stream: streamName(options.getStreamIdentifier()), expected, events }]);
      callback(null, appendResponse(outcome, expected));
    } catch (error) {
      callback(toServiceError(error));
    }
  });
}

function proposedEvent(message: AppendReq.ProposedMessage): ProposedEvent {
  const metadata = message.getMetadataMap();
  const type = metadata.get('type');
  const contentType = metadata.get('content-type');
  if (type === undefined || contentType === undefined) {
    throw new RequestError(grpc.status.INVALID_ARGUMENT, 'Required metadata property is missing: type, content-type');
  }
  return {
    eventId: uuidText(message.getId()) ?? randomUUID(),
    type,
    isJson: contentType === 'application/json',
    data: message.getData_asU8(),
    metadata: message.getCustomMetadata_asU8(),
  };
}

function expectedRevision(options: AppendReq.Options): ExpectedRevision {
  if (options.hasRevision()) return BigInt(options.getRevision());
  if (options.hasNoStream()) return 'no_stream';
  if (options.hasStreamExists()) return 'stream_exists';
  return 'any';
}

function appendResponse(outcome: WriteOutcome, expected: ExpectedRevision): AppendResp {
  if (outcome.kind === 'written') {
    const success = new AppendResp.Success();
    const [{ lastRevision }] = outcome.streams;
    if (lastRevision >= 0n) success.setCurrentRevision(lastRevision.toString());
    else success.setNoStream(new Empty());
    if (outcome.position === undefined) success.setNoPosition(new Empty());
    else {
      const position = outcome.position.toString();
      success.setPosition(new AppendResp.Position().setCommitPosition(position).setPreparePosition(position));
    }
    return new AppendResp().setSuccess(success);
  }
  const wrong = new AppendResp.WrongExpectedVersion();
  if (expected === 'any') wrong.setExpectedAny(new Empty()).setAny2060(new Empty());
  else if (expected === 'stream_exists') wrong.setExpectedStreamExists(new Empty()).setStreamExists2060(new Empty());
  else if (expected === 'no_stream') wrong.setExpectedNoStream(new Empty());
  else wrong.setExpectedRevision(expected.toString()).setExpectedRevision2060(Number(expected));
  if (outcome.actual < 0n) wrong.setCurrentNoStream(new Empty()).setNoStream2060(new Empty());
  else wrong.setCurrentRevision(outcome.actual.toString()).setCurrentRevision2060(Number(outcome.actual));
  return new AppendResp().setWrongExpectedVersion(wrong);
}

/** A gRPC error for a refused request; anything unexpected becomes INTERNAL. */
export function toServiceError(error: unknown): Partial<grpc.ServiceError> {
  if (error instanceof RequestError) return { code: error.code, details: error.message };
  return { code: grpc.status.INTERNAL, details: error instanceof Error ? error.message : String(error) };
}
