import { type BalanceTotals, balanceOf } from '@wallet/domain';
import { z } from 'zod';
import { apiSchemas, positionOut, timestampOut } from '../../http/api-schemas';
import { balanceSchema, toBalanceView } from '../../http/wallet.presenter';

/** A balance as of a moment: `position` of the last event it includes, `at` the moment's time. */
export const balanceAtSchema = balanceSchema
  .extend({ position: positionOut.describe('The last event of the wallet the balance includes'), at: timestampOut.describe('The moment asked for (now if none)') })
  .register(apiSchemas, { id: 'BalanceAt' });

export type BalanceAtView = z.infer<typeof balanceAtSchema>;

export function presentBalanceAt(totals: BalanceTotals, position: bigint, at: string): BalanceAtView {
  return { ...toBalanceView(balanceOf(totals)), position: position.toString(), at };
}
