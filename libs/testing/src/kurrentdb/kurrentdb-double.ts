import * as grpc from '@grpc/grpc-js';
import { ServerFeaturesService } from '@kurrent/kurrentdb-client/generated/kurrentdb/protocols/v1/serverfeatures_grpc_pb';
import { StreamsService } from '@kurrent/kurrentdb-client/generated/kurrentdb/protocols/v1/streams_grpc_pb';
import { StreamsServiceService } from '@kurrent/kurrentdb-client/generated/kurrentdb/protocols/v2/streams/streams_grpc_pb';
import { appendSessionService } from './append-session';
import { EventLog } from './event-log';
import { serverFeaturesService } from './server-features';
import { type OpenSubscriptions, streamsService } from './streams-service';
import { writeSystemEvents } from './system-events';

/** An in-process stand-in for a single KurrentDB 25.1 node, speaking its gRPC protocol (tests only). */
export interface KurrentDbDouble {
  /** e.g. kurrentdb://127.0.0.1:PORT?tls=false */
  readonly connectionString: string;
  /** Number of user (non-system) events written. */
  readonly eventCount: () => number;
  stop(): Promise<void>;
}

/**
 * Starts the double on 127.0.0.1 (`port` 0, the default, picks a free port). It serves both the Node
 * client's grpc-js calls and the Rust bridge the client uses for `readStream` and `readAll`.
 */
export async function startKurrentDbDouble(options: { port?: number } = {}): Promise<KurrentDbDouble> {
  const log = new EventLog();
  writeSystemEvents(log);
  const subscriptions: OpenSubscriptions = new Set();

  const server = new grpc.Server();
  server.addService(StreamsService, streamsService(log, subscriptions));
  server.addService(StreamsServiceService, appendSessionService(log));
  server.addService(ServerFeaturesService, serverFeaturesService());
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync(`127.0.0.1:${options.port ?? 0}`, grpc.ServerCredentials.createInsecure(), (error, bound) =>
      error ? reject(error) : resolve(bound),
    ),
  );

  let stopped: Promise<void> | undefined;
  return {
    connectionString: `kurrentdb://127.0.0.1:${port}?tls=false`,
    eventCount: () => log.events().filter((event) => !event.stream.startsWith('$')).length,
    stop: () => (stopped ??= stop(server, subscriptions)),
  };
}

/** Ends the open subscriptions, then closes the server, forcing it after a second if calls linger. */
async function stop(server: grpc.Server, subscriptions: OpenSubscriptions): Promise<void> {
  for (const end of [...subscriptions]) end();
  await new Promise<void>((resolve) => {
    const timer = setTimeout(() => server.forceShutdown(), 1_000);
    server.tryShutdown(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}
