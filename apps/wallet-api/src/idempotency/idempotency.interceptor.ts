import { type CallHandler, type ExecutionContext, Inject, Injectable, type NestInterceptor } from '@nestjs/common';
import { HTTP_CODE_METADATA } from '@nestjs/common/constants';
import { Reflector } from '@nestjs/core';
import { APP_CONFIG, type AppConfig } from '@wallet/config';
import { DomainError } from '@wallet/domain';
import { IDEMPOTENCY_STORE, type IdempotencyStore } from '@wallet/event-store';
import type { FastifyRequest } from 'fastify';
import { createHash } from 'node:crypto';
import { type Observable, catchError, finalize, from, switchMap } from 'rxjs';
import stringify from 'safe-stable-stringify';
import type { HeldIdempotencyKey } from '../commands/command-context';
import { toProblem } from '../http/problem';
import { IdempotencyRequestError } from './idempotency-request.error';
import { IdempotentReplay } from './idempotent-replay';

const KEY_PATTERN = /^[\x20-\x7e]{1,255}$/;

/** Deeper bodies are refused before hashing (no valid request comes close). */
const BODY_DEPTH_MAX = 32;

/** Until callers authenticate, every request shares one idempotency scope. */
const ANONYMOUS_SCOPE = 'anonymous';

/**
 * Idempotency-Key on POST: the first request with a key claims it; a repeat with the same
 * body gets the stored answer with `Idempotency-Replayed: true`; another body gets 422; a
 * repeat while the first still runs gets 409. Success is stored in the same transaction as
 * the events (see WalletCommandRunner); a domain refusal is stored here; anything else
 * releases the key so the request can be retried.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(
    @Inject(IDEMPOTENCY_STORE) private readonly store: IdempotencyStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly reflector: Reflector,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const header = request.headers['idempotency-key'];
    if (request.method !== 'POST' || header === undefined) return next.handle();
    const key = Array.isArray(header) ? undefined : header;
    if (key === undefined || !KEY_PATTERN.test(key)) {
      throw new IdempotencyRequestError('VALIDATION_FAILED', 'Idempotency-Key must be 1 to 255 printable ASCII characters.');
    }
    const successStatus = this.reflector.get<number | undefined>(HTTP_CODE_METADATA, context.getHandler()) ?? 201;
    return from(this.claim(request, key)).pipe(
      switchMap((claim) => {
        if (claim.outcome === 'replay') throw new IdempotentReplay(claim.response);
        const held = { scope: ANONYMOUS_SCOPE, key, token: claim.token, successStatus };
        request.idempotency = held;
        const renewal = this.keepLease(held);
        return next.handle().pipe(
          catchError((error: unknown) => from(this.recordFailure(held, error, request.url))),
          finalize(() => clearInterval(renewal)),
        );
      }),
    );
  }

  /** Renews the lease while the request runs, so only a dead request loses its key. */
  private keepLease(held: HeldIdempotencyKey): NodeJS.Timeout {
    const { IDEMPOTENCY_LEASE_MS: leaseMs } = this.config;
    const renew = (): void => void this.store.renew(held.scope, held.key, held.token, leaseMs).catch(() => undefined);
    return setInterval(renew, Math.max(1, Math.floor(leaseMs / 3))).unref();
  }

  private async claim(request: FastifyRequest, key: string) {
    if (nestingDepthExceeds(request.body, BODY_DEPTH_MAX)) {
      throw new IdempotencyRequestError('VALIDATION_FAILED', `The request body is nested deeper than ${BODY_DEPTH_MAX} levels.`);
    }
    const requestHash = createHash('sha256')
      .update(`${request.method} ${request.url}\n${stringify(request.body ?? null)}`)
      .digest('hex');
    const claim = await this.store.claim({
      scope: ANONYMOUS_SCOPE,
      key,
      requestHash,
      leaseMs: this.config.IDEMPOTENCY_LEASE_MS,
      ttlMs: this.config.IDEMPOTENCY_TTL_HOURS * 3_600_000,
    });
    if (claim.outcome === 'mismatch') {
      throw new IdempotencyRequestError('IDEMPOTENCY_KEY_REUSED', 'This Idempotency-Key was used with a different request.');
    }
    if (claim.outcome === 'in_progress') {
      throw new IdempotencyRequestError('IDEMPOTENCY_KEY_IN_PROGRESS', 'A request with this Idempotency-Key is still running.');
    }
    return claim;
  }

  private async recordFailure(held: HeldIdempotencyKey, error: unknown, url: string): Promise<never> {
    // Refusals are answers worth replaying; an invalid request is not: it is released so
    // the corrected request can use the key.
    if (error instanceof DomainError && error.code !== 'VALIDATION_FAILED') {
      const { status, body } = toProblem(error, url);
      await this.store.complete(held.scope, held.key, held.token, { status, body });
    } else {
      await this.store.release(held.scope, held.key, held.token);
    }
    throw error;
  }
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
