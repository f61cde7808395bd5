import type { DomainEventType, ProjectedEvent, Projection, ProjectionBatch } from './projection';
import { BatchStatement, type EncodedStatement } from './batch-statement';
import { type BalanceRow, WalletBalances } from './wallet-balances';

/** A batch folded by every projection and encoded as its statement. */
export interface FoldedBatch {
  readonly statement: EncodedStatement;
  /** The balance rows the batch changed, as it leaves them: carried to the next batch. */
  readonly balances: readonly BalanceRow[];
}

/**
 * Folds batches through a list of projections: each event goes to every projection that
 * handles its type, in the order of the list, and then each projection adds the parts that
 * write its changes to the batch's one statement.
 */
export class BatchFolder {
  /** The indexes of the projections that handle each event type. */
  private readonly routes = new Map<DomainEventType, number[]>();

  constructor(
    private readonly projections: readonly Projection[],
    private readonly schema: string,
  ) {
    projections.forEach((projection, index) => {
      for (const type of new Set(projection.handles)) {
        const route = this.routes.get(type) ?? [];
        route.push(index);
        this.routes.set(type, route);
      }
    });
  }

  /** `balancesBefore` holds the rows of the batch's wallets before it (a wallet it lacks has none yet); it is only read. */
  fold(events: readonly ProjectedEvent[], balancesBefore: ReadonlyMap<string, BalanceRow>): FoldedBatch {
    const shared = { balances: new WalletBalances(balancesBefore) };
    const batches = this.projections.map((projection) => projection.begin(shared));
    const routes = new Map<DomainEventType, ProjectionBatch[]>();
    for (const [type, indexes] of this.routes) routes.set(type, indexes.map((index) => batches[index]!));
    for (const projected of events) {
      const targets = routes.get(projected.event.type);
      if (targets === undefined) continue;
      for (let i = 0; i < targets.length; i += 1) targets[i]!.fold(projected);
    }
    const statement = new BatchStatement(this.schema);
    for (const batch of batches) batch.write(statement);
    return { statement: statement.encode(), balances: [...shared.balances.changed.values()] };
  }
}
