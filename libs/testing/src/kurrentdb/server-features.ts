import type * as grpc from '@grpc/grpc-js';
import { SupportedMethod, SupportedMethods } from '@kurrent/kurrentdb-client/generated/kurrentdb/protocols/v1/serverfeatures_pb';

/** The server version the double claims to be. */
export const SERVER_VERSION = '25.1.0';

/**
 * What the double implements, as `ServerFeatures.GetSupportedMethods` advertises it. `BatchAppend` is
 * deliberately absent, so that `appendToStream` uses the plain `Append` call; `AppendSession` is present,
 * so that `multiStreamAppend` is allowed.
 */
const METHODS: ReadonlyArray<{ service: string; method: string; features?: string[] }> = [
  { service: 'event_store.client.streams.Streams', method: 'Read', features: ['position', 'events'] },
  { service: 'event_store.client.streams.Streams', method: 'Append' },
  { service: 'kurrentdb.protocol.v2.streams.StreamsService', method: 'AppendSession' },
  { service: 'event_store.client.server_features.ServerFeatures', method: 'GetSupportedMethods' },
];

/** The `event_store.client.server_features.ServerFeatures` service. */
export function serverFeaturesService(): grpc.UntypedServiceImplementation {
  return {
    getSupportedMethods: (_call: unknown, callback: grpc.sendUnaryData<SupportedMethods>) => {
      const response = new SupportedMethods().setEventStoreServerVersion(SERVER_VERSION);
      for (const { service, method, features = [] } of METHODS) {
        response.addMethods(new SupportedMethod().setServiceName(service.toLowerCase()).setMethodName(method.toLowerCase()).setFeaturesList(features));
      }
      callback(null, response);
    },
  };
}
