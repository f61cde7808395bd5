import type { ProjectorHalt } from '@wallet/read-model';

/** What the readiness check saw: the projector's own state, and the read model against the log. */
export interface ReadinessInput {
  /** The halt of the projector in this process, if it runs here and stopped. */
  readonly halt: ProjectorHalt | null;
  /** From the database; undefined when it did not answer in time. */
  readonly status?: {
    readonly checkpoint: bigint;
    readonly head: bigint;
    readonly lagEvents: bigint;
    readonly lagSeconds: number;
    readonly failedPosition: bigint | null;
    /** The database takes no writes (a standby, default_transaction_read_only): no command can succeed. */
    readonly readOnly: boolean;
  };
}

export interface ReadinessLimits {
  readonly maxLagEvents: number;
  readonly maxLagSeconds: number;
}

export type Readiness = { readonly ready: true } | { readonly ready: false; readonly code: 'PROJECTOR_HALTED' | 'READ_MODEL_BEHIND' | 'SERVICE_UNAVAILABLE'; readonly detail: string };

/**
 * Ready only when commands can be written and queries answer from a read model that is
 * neither stopped nor far behind: a halted projector (known in memory, or recorded in the
 * database), a database that does not answer or takes no writes, or a lag past either limit
 * makes the instance unready.
 */
export function readiness({ halt, status }: ReadinessInput, limits: ReadinessLimits): Readiness {
  if (halt) {
    const where = halt.position === null ? '' : ` at position ${halt.position}`;
    return { ready: false, code: 'PROJECTOR_HALTED', detail: `The projector of this process halted${where}: ${halt.reason}` };
  }
  if (!status) return { ready: false, code: 'SERVICE_UNAVAILABLE', detail: 'The database does not answer.' };
  if (status.readOnly) return { ready: false, code: 'SERVICE_UNAVAILABLE', detail: 'The database is read-only: it takes no writes.' };
  if (status.failedPosition !== null) {
    return { ready: false, code: 'PROJECTOR_HALTED', detail: `The projector halted at position ${status.failedPosition}; the read model stays at ${status.checkpoint}.` };
  }
  if (status.lagEvents > BigInt(limits.maxLagEvents)) {
    return { ready: false, code: 'READ_MODEL_BEHIND', detail: `The read model is ${status.lagEvents} positions behind the log (at ${status.checkpoint} of ${status.head}; more than ${limits.maxLagEvents}).` };
  }
  if (status.lagSeconds > limits.maxLagSeconds) {
    return {
      ready: false,
      code: 'READ_MODEL_BEHIND',
      detail: `The oldest event not yet projected is ${status.lagSeconds.toFixed(1)} s old (more than ${limits.maxLagSeconds} s; read model at ${status.checkpoint} of ${status.head}).`,
    };
  }
  return { ready: true };
}
