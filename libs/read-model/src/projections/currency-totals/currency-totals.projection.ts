import { type WalletEvent, WALLET_EVENT_TYPES } from '@wallet/domain';
import type { BatchStatement } from '../../projector/batch-statement';
import type { BatchState, ProjectedEvent, Projection, ProjectionBatch } from '../../projector/projection';
import type { WalletBalances } from '../../projector/wallet-balances';

/** What a batch changes in one currency's totals, and the positions of its first and last events of that currency. */
interface TotalsDelta {
  readonly currency: string;
  wallets: bigint;
  ledgerMinor: bigint;
  pendingDebitsMinor: bigint;
  pendingCreditsMinor: bigint;
  fromPosition: bigint;
  position: bigint;
}

/**
 * Adds up, per currency, what the batch changed in its wallets' balances: each wallet's
 * totals as the batch leaves them minus those before it, and one more wallet for each it
 * opened. Never a scan of all wallets: only the batch's own wallets are looked at.
 */
class CurrencyTotalsBatch implements ProjectionBatch<WalletEvent> {
  /** The positions of the batch's first and last events of each currency. */
  private readonly positions = new Map<string, { readonly from: bigint; to: bigint }>();

  constructor(private readonly balances: WalletBalances) {}

  fold({ event, position }: ProjectedEvent<WalletEvent>): void {
    const row = this.balances.get(event.data.walletId);
    if (!row) throw new Error(`No balance of wallet ${event.data.walletId} to total: the balances projection must come before the totals projection.`);
    const positions = this.positions.get(row.currency);
    if (positions) positions.to = position;
    else this.positions.set(row.currency, { from: position, to: position });
  }

  write(statement: BatchStatement): void {
    const deltas = this.deltas();
    if (deltas.length === 0) return;
    const { schema, params: p } = statement;
    // Sums of many wallets' int8 amounts can leave int8: the deltas go as decimal text, added as numeric.
    const decimal = (pick: (delta: TotalsDelta) => bigint) => p.text(deltas, (delta) => pick(delta).toString());
    statement.add('new_totals', `insert into ${schema}.currency_totals as t (currency, wallets, ledger, pending_debits, pending_credits, position)
       select currency, wallets, ledger::numeric, pending_debits::numeric, pending_credits::numeric, position
         from unnest(${p.text(deltas, (d) => d.currency)}, ${p.int8(deltas, (d) => d.wallets)}, ${decimal((d) => d.ledgerMinor)},
           ${decimal((d) => d.pendingDebitsMinor)}, ${decimal((d) => d.pendingCreditsMinor)}, ${p.int8(deltas, (d) => d.position)})
           as d(currency, wallets, ledger, pending_debits, pending_credits, position)
       on conflict (currency) do update set wallets = t.wallets + excluded.wallets, ledger = t.ledger + excluded.ledger,
         pending_debits = t.pending_debits + excluded.pending_debits, pending_credits = t.pending_credits + excluded.pending_credits, position = excluded.position
       returning currency, position, wallets, ledger, pending_debits, pending_credits`);
    statement.add('new_totals_history', `insert into ${schema}.currency_totals_history (currency, position, from_position, wallets, ledger, pending_debits, pending_credits)
       select t.currency, t.position, f.from_position, t.wallets, t.ledger, t.pending_debits, t.pending_credits
         from new_totals t join unnest(${p.text(deltas, (d) => d.currency)}, ${p.int8(deltas, (d) => d.fromPosition)}) as f(currency, from_position) on f.currency = t.currency`);
  }

  /**
   * The batch's changes per currency, for every currency it has events of, even when they
   * add up to nothing: then the totals' position is always that of the currency's last event,
   * however the log was cut into batches.
   */
  private deltas(): TotalsDelta[] {
    const byCurrency = new Map<string, TotalsDelta>();
    for (const after of this.balances.changed.values()) {
      const before = this.balances.beforeBatch(after.walletId);
      const { currency } = after;
      const { from, to } = this.positions.get(currency)!;
      const delta = byCurrency.get(currency) ?? { currency, wallets: 0n, ledgerMinor: 0n, pendingDebitsMinor: 0n, pendingCreditsMinor: 0n, fromPosition: from, position: to };
      if (before === undefined) delta.wallets += 1n;
      delta.ledgerMinor += after.ledgerMinor - (before?.ledgerMinor ?? 0n);
      delta.pendingDebitsMinor += after.pendingDebitsMinor - (before?.pendingDebitsMinor ?? 0n);
      delta.pendingCreditsMinor += after.pendingCreditsMinor - (before?.pendingCreditsMinor ?? 0n);
      byCurrency.set(currency, delta);
    }
    return [...byCurrency.values()];
  }
}

/**
 * `currency_totals` and `currency_totals_history`: per currency, its wallets and the sums of
 * their totals, moved by each batch's deltas in the batch's transaction (so exactly once, with
 * the checkpoint), and one history row per currency per batch with events of it, at the
 * position of the batch's last event of that currency. The history's rows depend on how the
 * log was cut into batches; the totals they hold at their positions do not. Reads the shared balances as the
 * balances projection (before this one in the list) leaves them.
 */
export const currencyTotalsProjection: Projection<WalletEvent> = {
  name: 'currency-totals',
  handles: WALLET_EVENT_TYPES,
  begin: (shared: BatchState) => new CurrencyTotalsBatch(shared.balances),
};
