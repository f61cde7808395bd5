import { z } from 'zod';
import { apiSchemas, countOut, minorOut, positionOut } from '../../http/api-schemas';

/** The sums over every wallet of a currency: the check that money is conserved. */
export const totalsSchema = z
  .strictObject({
    currency: z.string(),
    position: positionOut.describe('The log position the totals are exact at'),
    wallets: countOut.describe('How many wallets of the currency had been opened by then'),
    ledger: minorOut.describe('The sum of their ledgers: the money that entered minus the money that left; 0 when every external movement is booked against a system wallet'),
    pendingDebits: minorOut.describe('The sum of their pending debits'),
    pendingCredits: minorOut.describe('The sum of their pending credits'),
  })
  .register(apiSchemas, { id: 'Totals' });

export type TotalsView = z.infer<typeof totalsSchema>;
