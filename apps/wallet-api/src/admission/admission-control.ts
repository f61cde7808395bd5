import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { PROBLEM_CONTENT_TYPE, problem } from '../http/problem';

/** Routes an orchestrator or a scraper must reach however busy the process is: never counted, never shed for load. */
const UNCOUNTED_ROUTES = new Set(['/health/live', '/health/ready', '/metrics']);
/**
 * The event stream: admitted like any request, but not held as in flight once admitted, since
 * it stays open for hours. FEED_STREAMS_MAX bounds how many are open.
 */
const STREAM_ROUTES = new Set(['/v1/events/stream']);
/** What a refused client is told to wait, in seconds. */
const RETRY_AFTER_S = '1';
/** How each counted request gives its slot back (once, whichever signal comes first). */
const releasers = new WeakMap<FastifyRequest, () => void>();

export type ShedReason = 'overload' | 'shutdown';

/**
 * A bound on the requests one process works on at once, and the refusal of new ones while it
 * stops. A request is in flight from its arrival (before authentication, so a refused one
 * costs no key lookup) until its response is sent or its connection closes. Beyond
 * `maxInFlight`, a request is answered at once with 503 SERVICE_UNAVAILABLE and Retry-After,
 * nothing done: a queue of waiting requests only makes every one of them late. While
 * draining, every request (health and metrics too, so that a load balancer takes this process
 * out) is answered so, with `Connection: close`, and the answers still to come close their
 * connections too.
 */
export class AdmissionControl {
  private counted = 0;
  private highest = 0;
  private draining = false;
  private readonly idleWaiters: Array<() => void> = [];

  constructor(
    private readonly maxInFlight: number,
    private readonly onShed: (reason: ShedReason) => void = () => undefined,
  ) {}

  /** Requests in flight now (the counted ones). */
  get inFlight(): number {
    return this.counted;
  }

  /** The most requests that were in flight at once since start. */
  get peakInFlight(): number {
    return this.highest;
  }

  get isDraining(): boolean {
    return this.draining;
  }

  /** Hooks this into every request; register before authentication. */
  register(fastify: FastifyInstance): void {
    fastify.addHook('onRequest', (request, reply, done) => {
      if (this.draining) return this.shed(request, reply, 'shutdown');
      const route = request.routeOptions.url;
      if (route !== undefined && UNCOUNTED_ROUTES.has(route)) return done();
      if (this.counted >= this.maxInFlight) return this.shed(request, reply, 'overload');
      if (route !== undefined && STREAM_ROUTES.has(route)) return done();
      this.counted += 1;
      if (this.counted > this.highest) this.highest = this.counted;
      // Released once, on whichever comes first: the response sent ('finish') or closed, the
      // request's connection closed, or Fastify's onResponse. Node may not emit 'close' on a
      // response still queued behind a pipelined one when the client goes first. (Not the
      // request's own 'close': Node emits it once the body is read, while the work goes on.)
      const socket = request.raw.socket;
      let released = false;
      const releaseOnce = (): void => {
        if (released) return;
        released = true;
        reply.raw.off('close', releaseOnce);
        reply.raw.off('finish', releaseOnce);
        socket?.off('close', releaseOnce);
        this.release();
      };
      releasers.set(request, releaseOnce);
      reply.raw.once('close', releaseOnce);
      reply.raw.once('finish', releaseOnce);
      socket?.once('close', releaseOnce);
      done();
    });
    fastify.addHook('onResponse', (request, _reply, done) => {
      releasers.get(request)?.();
      done();
    });
    fastify.addHook('onSend', (_request, reply, payload, done) => {
      if (this.draining) void reply.header('connection', 'close');
      done(null, payload);
    });
    // app.close() without startDraining() first (tests, Nest's own shutdown) drains too.
    fastify.addHook('preClose', (done) => {
      this.startDraining();
      done();
    });
  }

  /** From now on, every new request gets 503 with Connection: close. */
  startDraining(): void {
    this.draining = true;
    if (this.counted === 0) this.wakeIdleWaiters();
  }

  /** Resolves once no counted request is in flight (at once if none is). */
  idle(): Promise<void> {
    if (this.counted === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private release(): void {
    this.counted -= 1;
    if (this.counted === 0) this.wakeIdleWaiters();
  }

  private wakeIdleWaiters(): void {
    for (const wake of this.idleWaiters.splice(0)) wake();
  }

  private shed(request: FastifyRequest, reply: FastifyReply, reason: ShedReason): void {
    this.onShed(reason);
    const detail =
      reason === 'shutdown'
        ? 'The server is shutting down; retry on another instance or later.'
        : 'The server is working on as many requests as it takes at once; retry later.';
    const { status, body } = problem(503, 'SERVICE_UNAVAILABLE', detail);
    if (reason === 'shutdown') void reply.header('connection', 'close');
    void reply.status(status).header('retry-after', RETRY_AFTER_S).type(PROBLEM_CONTENT_TYPE).send({ ...body, instance: request.url });
  }
}

const controls = new WeakMap<FastifyInstance, AdmissionControl>();

/** Creates the admission control of an application and registers its hooks. */
export function registerAdmissionControl(fastify: FastifyInstance, maxInFlight: number, onShed?: (reason: ShedReason) => void): AdmissionControl {
  const control = new AdmissionControl(maxInFlight, onShed);
  control.register(fastify);
  controls.set(fastify, control);
  return control;
}

/** The admission control createApp registered on this Fastify instance. */
export function admissionControlOf(fastify: FastifyInstance): AdmissionControl {
  const control = controls.get(fastify);
  if (!control) throw new Error('This application has no admission control: build it with createApp.');
  return control;
}
