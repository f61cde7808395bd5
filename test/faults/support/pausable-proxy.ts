import { type Server, type Socket, connect, createServer } from 'node:net';

/** A TCP proxy on loopback that can stop forwarding: a frozen server, as SIGSTOP makes one, for one client only. */
export interface PausableProxy {
  readonly port: number;
  /** Stops forwarding both ways; new connections are accepted and left unanswered. */
  pause(): void;
  resume(): void;
  close(): Promise<void>;
}

/**
 * Forwards 127.0.0.1:<port> to `host:port`. Paused, it reads nothing from either side: what
 * the client sends sits in socket buffers and no answer comes, while the connection stays
 * open, which is what a client of a frozen PostgreSQL sees. Other users of the real server are
 * not affected.
 */
export async function startPausableProxy(host: string, port: number): Promise<PausableProxy> {
  let paused = false;
  const sockets = new Set<Socket>();
  const held: Array<() => void> = [];
  const track = (socket: Socket): Socket => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
    if (paused) socket.pause();
    return socket;
  };
  const server: Server = createServer((client) => {
    track(client);
    client.pause();
    const forward = (): void => {
      const upstream = track(connect(port, host));
      client.on('data', (chunk) => upstream.write(chunk));
      upstream.on('data', (chunk) => client.write(chunk));
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
      if (!paused) client.resume();
    };
    if (paused) held.push(forward);
    else forward();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as { port: number }).port,
    pause: () => {
      paused = true;
      for (const socket of sockets) socket.pause();
    },
    resume: () => {
      paused = false;
      for (const socket of sockets) socket.resume();
      for (const forward of held.splice(0)) forward();
    },
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
