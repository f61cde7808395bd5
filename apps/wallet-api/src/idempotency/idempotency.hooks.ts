import { type AppConfig } from '@wallet/config';
import { DomainError } from '@wallet/domain';
import { IdempotencyAnswerUnsavedError, type IdempotencyStore, type StoredResponse } from '@wallet/event-store';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { createHash } from 'node:crypto';
import stringify from 'safe-stable-stringify';
import { PROBLEM_CONTENT_TYPE, isStoredRefusal, toProblem } from '../http/problem';
import { sendProblem } from '../http/send-problem';
import type { RouteAccess } from '../auth/route-access.decorator';
import { IdempotencyRequestError } from './idempotency-request.error';
import { IDEMPOTENCY_KEY_PATTERN } from './idempotency-key';
import { releaseLater } from './release-later';

/** The scope of a route that needs no API key (none takes POSTs today). */
const PUBLIC_SCOPE = 'public';

/** Deeper bodies are refused before hashing (no valid request comes close). */
const BODY_DEPTH_MAX = 32;

/** The key a request claimed: proof (`token`) that it may complete it. */
export interface ClaimedIdempotencyKey {
  readonly scope: string;
  readonly key: string;
  readonly token: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Set when the request holds an Idempotency-Key. */
    idempotency?: ClaimedIdempotencyKey;
    /** What the request failed with, as the problem filter saw it. */
    failure?: unknown;
    idempotencyRenewal?: NodeJS.Timeout;
  }
}

/**
 * Idempotency-Key on POST, as Fastify hooks around the handler (Nest's interceptor chain
 * would cost every request, with or without a key). The first request with a key claims it;
 * a repeat with the same body gets the stored answer with `Idempotency-Replayed: true`;
 * another body gets 422; a repeat while the first still runs gets 409. Success is stored in
 * the same transaction as the events (see CommandExecutor); a domain refusal is stored when
 * it is sent; anything else releases the key so the request can be retried.
 */
export class IdempotencyHooks {
  constructor(
    private readonly store: IdempotencyStore,
    private readonly config: AppConfig,
  ) {}

  register(fastify: FastifyInstance): void {
    // Callback-style hooks, so that requests without a key pay no promise.
    fastify.addHook('preHandler', (request, reply, done) => {
      if (request.method !== 'POST' || request.headers['idempotency-key'] === undefined) return done();
      void this.claim(request, reply).then((replied) => (replied ? undefined : done()), done);
    });
    fastify.addHook('onSend', (request, reply, payload, done) => {
      // The handler is done: stop renewing here, as onResponse does not run for a client that left.
      clearInterval(request.idempotencyRenewal);
      if (!request.idempotency || reply.statusCode < 400) return done(null, payload);
      void this.settle(request).then(() => done(null, payload), done);
    });
    fastify.addHook('onResponse', (request, _reply, done) => {
      clearInterval(request.idempotencyRenewal);
      done();
    });
  }

  /** Claims the request's key; resolves to the reply when it already answered. */
  private async claim(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> {
    const header = request.headers['idempotency-key'];
    try {
      const key = typeof header === 'string' && IDEMPOTENCY_KEY_PATTERN.test(header) ? header : undefined;
      if (key === undefined) throw new IdempotencyRequestError('VALIDATION_FAILED', 'Idempotency-Key must be 1 to 255 printable ASCII characters.');
      if ((request.routeOptions.config as RouteAccess | undefined)?.idempotencyKey === 'refused') {
        throw new IdempotencyRequestError('VALIDATION_FAILED', 'This route does not take an Idempotency-Key: its answer is never stored.');
      }
      // Keys are per caller: two API keys using the same Idempotency-Key never meet.
      const scope = request.caller?.keyId ?? PUBLIC_SCOPE;
      const claim = await this.store.claim({
        scope,
        key,
        requestHash: requestHash(request),
        leaseMs: this.config.IDEMPOTENCY_LEASE_MS,
        ttlMs: this.config.IDEMPOTENCY_TTL_HOURS * 3_600_000,
      });
      if (claim.outcome === 'mismatch') throw new IdempotencyRequestError('IDEMPOTENCY_KEY_REUSED', 'This Idempotency-Key was used with a different request.');
      if (claim.outcome === 'in_progress') throw new IdempotencyRequestError('IDEMPOTENCY_KEY_IN_PROGRESS', 'A request with this Idempotency-Key is still running.');
      if (claim.outcome === 'replay') return replay(reply, claim.response);
      request.idempotency = { scope, key, token: claim.token };
      request.idempotencyRenewal = this.keepLease(request.idempotency);
      return undefined;
    } catch (error) {
      return sendProblem(request, reply, error);
    }
  }

  /** Renews the lease while the request runs, so only a dead request loses its key. */
  private keepLease(held: ClaimedIdempotencyKey): NodeJS.Timeout {
    const { IDEMPOTENCY_LEASE_MS: leaseMs } = this.config;
    const renew = (): void => void this.store.renew(held.scope, held.key, held.token, leaseMs).catch(() => undefined);
    return setInterval(renew, Math.max(1, Math.floor(leaseMs / 3))).unref();
  }

  /** Once the answer is known: a refusal is kept for replays, other failures free the key. */
  private async settle(request: FastifyRequest): Promise<void> {
    const held = request.idempotency!;
    const failure = request.failure;
    // Appended but not recorded (KurrentDB): releasing would let a retry apply it again.
    if (failure instanceof IdempotencyAnswerUnsavedError) return;
    try {
      // Refusals are answers worth replaying; an invalid request is not: it is released so
      // the corrected request can use the key.
      if (failure instanceof DomainError && isStoredRefusal(failure.code)) {
        const { status, body } = toProblem(failure, request.url);
        await this.store.complete(held.scope, held.key, held.token, { status, body });
      } else {
        await this.store.release(held.scope, held.key, held.token);
      }
    } catch (error) {
      request.log.warn({ err: error }, 'could not settle the Idempotency-Key; releasing it once the database is back');
      // A stored refusal that could not be stored is released as well: the retry decides again.
      releaseLater(this.store, held, this.config.IDEMPOTENCY_LEASE_MS);
    }
  }
}

function requestHash(request: FastifyRequest): string {
  if (nestingDepthExceeds(request.body, BODY_DEPTH_MAX)) {
    throw new IdempotencyRequestError('VALIDATION_FAILED', `The request body is nested deeper than ${BODY_DEPTH_MAX} levels.`);
  }
  return createHash('sha256')
    .update(`${request.method} ${request.url}\n${stringify(request.body ?? null)}`)
    .digest('hex');
}

/** Sends a stored answer exactly as it was first sent. */
function replay(reply: FastifyReply, response: StoredResponse): FastifyReply {
  void reply.status(response.status).header('idempotency-replayed', 'true');
  if (response.status >= 400) void reply.header('content-type', PROBLEM_CONTENT_TYPE);
  return reply.send(response.body);
}

/** True when a parsed JSON value nests arrays or objects deeper than `max` (checked without recursion). */
function nestingDepthExceeds(value: unknown, max: number): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [current, depth] = stack.pop()!;
    if (current === null || typeof current !== 'object') continue;
    if (depth >= max) return true;
    for (const child of Object.values(current)) stack.push([child, depth + 1]);
  }
  return false;
}
