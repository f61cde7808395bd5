import { randomUUID } from 'node:crypto';
import * as grpc from '@grpc/grpc-js';
import { StreamAlreadyInAppendSessionErrorDetails, StreamRevisionConflictErrorDetails } from '@kurrent/kurrentdb-client/generated/kurrentdb/protocols/v2/streams/errors_pb';
import {
  AppendRecord,
  AppendRequest,
  AppendResponse,
  AppendSessionResponse,
  SchemaFormat,
} from '@kurrent/kurrentdb-client/generated/kurrentdb/protocols/v2/streams/streams_pb';
import type { EventLog } from './event-log';
import type { ExpectedRevision, ProposedEvent, StreamWrite } from './log-records';
import { richError } from './rich-error';
import { RequestError, toServiceError } from './streams-service';

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The v2 `kurrentdb.protocol.v2.streams.StreamsService`: `AppendSession`, one `AppendRequest` per
 * stream, written atomically. A revision conflict fails the call with FAILED_PRECONDITION and
 * `StreamRevisionConflictErrorDetails`; the same stream twice in one session is refused with ABORTED
 * and `StreamAlreadyInAppendSessionErrorDetails`, as KurrentDB 25.1 does.
 */
export function appendSessionService(log: EventLog): grpc.UntypedServiceImplementation {
  return {
    appendSession: (call: grpc.ServerReadableStream<AppendRequest, AppendSessionResponse>, callback: grpc.sendUnaryData<AppendSessionResponse>) => {
      const requests: AppendRequest[] = [];
      call.on('data', (request: AppendRequest) => requests.push(request));
      call.on('end', () => {
        try {
          callback(null, appendSession(log, requests));
        } catch (error) {
          callback(error instanceof Error && 'metadata' in error ? (error as grpc.ServiceError) : toServiceError(error));
        }
      });
    },
  };
}

function appendSession(log: EventLog, requests: readonly AppendRequest[]): AppendSessionResponse {
  if (requests.length === 0) throw new RequestError(grpc.status.INVALID_ARGUMENT, 'Append session started, but no append requests were sent');
  const seen = new Set<string>();
  const writes: StreamWrite[] = requests.map((request) => {
    const stream = request.getStream();
    if (seen.has(stream)) throw alreadyInSession(stream);
    seen.add(stream);
    if (request.getRecordsList().length === 0) throw new RequestError(grpc.status.INVALID_ARGUMENT, `Write to stream "${stream}" does not have any records`);
    return { stream, expected: expectedRevision(request), events: request.getRecordsList().map(proposedEvent) };
  });

  const outcome = log.write(writes);
  if (outcome.kind === 'conflict') throw revisionConflict(outcome.stream, outcome.expected, outcome.actual);
  const position = (outcome.position ?? 0n).toString();
  const response = new AppendSessionResponse().setPosition(position);
  for (const written of outcome.streams) {
    response.addOutput(new AppendResponse().setStream(written.stream).setStreamRevision(written.lastRevision.toString()).setPosition(position));
  }
  return response;
}

function expectedRevision(request: AppendRequest): ExpectedRevision {
  const value = request.hasExpectedRevision() ? BigInt(request.getExpectedRevision()!) : -2n;
  if (value === -1n) return 'no_stream';
  if (value === -2n) return 'any';
  if (value === -4n) return 'stream_exists';
  if (value < 0n) throw new RequestError(grpc.status.INVALID_ARGUMENT, `Invalid expected revision ${value}`);
  return value;
}

/** A record as an event: its properties become the event's custom metadata, a JSON object. */
function proposedEvent(record: AppendRecord): ProposedEvent {
  const recordId = record.hasRecordId() ? record.getRecordId()! : randomUUID();
  if (!UUID_PATTERN.test(recordId)) throw new RequestError(grpc.status.INVALID_ARGUMENT, `Could not parse RecordId "${recordId}" to GUID`);
  const schema = record.getSchema();
  if (!schema?.getName()) throw new RequestError(grpc.status.INVALID_ARGUMENT, 'The record schema name is required');
  const properties: Record<string, unknown> = {};
  record.getPropertiesMap().forEach((value, key) => {
    properties[key] = value.hasStringValue() ? value.getStringValue() : value.toJavaScript();
  });
  return {
    eventId: recordId.toLowerCase(),
    type: schema.getName(),
    isJson: schema.getFormat() === SchemaFormat.SCHEMA_FORMAT_JSON,
    data: record.getData_asU8(),
    metadata: Buffer.from(JSON.stringify(properties), 'utf8'),
  };
}

function toWire(revision: ExpectedRevision): string {
  if (revision === 'no_stream') return '-1';
  if (revision === 'any') return '-2';
  if (revision === 'stream_exists') return '-4';
  return revision.toString();
}

function revisionConflict(stream: string, expected: ExpectedRevision, actual: bigint): grpc.ServiceError {
  const details = new StreamRevisionConflictErrorDetails().setStream(stream).setExpectedRevision(toWire(expected)).setActualRevision(actual.toString());
  const message = `Append failed due to a revision conflict on stream '${stream}'. Expected revision: ${toWire(expected)}. Actual revision: ${actual}.`;
  return richError(grpc.status.FAILED_PRECONDITION, message, 'STREAM_REVISION_CONFLICT', 'StreamRevisionConflictErrorDetails', details.serializeBinary());
}

function alreadyInSession(stream: string): grpc.ServiceError {
  const details = new StreamAlreadyInAppendSessionErrorDetails().setStream(stream);
  const message = `Stream '${stream}' already has a different group of messages in this session.`;
  return richError(grpc.status.ABORTED, message, 'STREAM_ALREADY_IN_APPEND_SESSION', 'StreamAlreadyInAppendSessionErrorDetails', details.serializeBinary());
}
