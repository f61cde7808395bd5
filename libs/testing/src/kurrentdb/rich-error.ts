import * as grpc from '@grpc/grpc-js';
import { BinaryWriter } from 'google-protobuf';
import { Any } from 'google-protobuf/google/protobuf/any_pb';

const ERRORS_PACKAGE = 'kurrentdb.protocol.v2.streams.errors';

/**
 * A gRPC error in the shape KurrentDB's v2 API sends: a `grpc-status-details-bin` trailer holding a
 * `google.rpc.Status` whose details are a `google.rpc.ErrorInfo` (reason, domain "streams") followed by
 * the typed error details. Clients that read a single `details` field see the last one, the typed details.
 */
export function richError(code: grpc.status, message: string, reason: string, detailsType: string, details: Uint8Array): grpc.ServiceError {
  const errorInfo = new BinaryWriter();
  errorInfo.writeString(1, reason);
  errorInfo.writeString(2, 'streams');

  const status = new BinaryWriter();
  status.writeInt32(1, code);
  status.writeString(2, message);
  status.writeBytes(3, packAny('type.googleapis.com/google.rpc.ErrorInfo', errorInfo.getResultBuffer()));
  status.writeBytes(3, packAny(`type.googleapis.com/${ERRORS_PACKAGE}.${detailsType}`, details));

  const metadata = new grpc.Metadata();
  metadata.set('grpc-status-details-bin', Buffer.from(status.getResultBuffer()));
  return Object.assign(new Error(message), { code, details: message, metadata });
}

function packAny(typeUrl: string, value: Uint8Array): Uint8Array {
  const any = new Any();
  any.setTypeUrl(typeUrl);
  any.setValue(value);
  return any.serializeBinary();
}
