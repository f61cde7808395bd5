import { useState } from 'react';
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { Wallet } from '../api/client';
import { ErrorNote } from '../components/error-note';
import { Time } from '../components/time';
import { useLoad } from '../components/use-load';
import { formatMoney, plotValue } from '../money/money';
import { useSession } from '../session/session';
import { type BalancePoint, RANGES, type RangeId, balancePoints } from './balance-points';
import { TableWrap } from '../components/table-wrap';

interface Props {
  readonly wallet: Wallet;
  /** The position of the last change the console made: the points are read at or after it. */
  readonly minPosition: string | undefined;
}

const shortTime = (t: number) => new Date(t).toISOString().slice(5, 19).replace('T', ' ');

/** Up to five distinct x ticks over the points' span: a span of seconds must not repeat a tick. */
function timeTicks(points: ReadonlyArray<{ readonly t: number }>): number[] {
  if (points.length === 0) return [];
  const first = points[0]!.t;
  const last = points[points.length - 1]!.t;
  return [...new Set(Array.from({ length: 5 }, (_, index) => Math.round(first + ((last - first) * index) / 4)))];
}

/**
 * Ledger and available over time. Lines step from point to point (a balance changes at events,
 * it does not slide), the two lines differ by dash as well as colour, and the points are also
 * listed as a table, exactly, for whoever cannot see the chart.
 */
export function BalanceChart({ wallet, minPosition }: Props) {
  const { client } = useSession();
  const [range, setRange] = useState<RangeId>('24h');
  const points = useLoad(() => balancePoints(client, wallet, range, minPosition), [client, wallet.id, range, minPosition]);
  const data = (points.data ?? []).map((point) => ({ ...point, ledgerY: plotValue(point.ledger), availableY: plotValue(point.available) }));
  const money = (minor: string) => formatMoney(minor, wallet.currency);

  return (
    <section className="card" aria-labelledby="chart-title">
      <h2 id="chart-title">Balance over time</h2>
      <fieldset className="range">
        <legend>Range</legend>
        {RANGES.map((option) => (
          <label key={option.id}>
            <input type="radio" name="range" value={option.id} checked={range === option.id} onChange={() => setRange(option.id)} />
            {option.label}
          </label>
        ))}
      </fieldset>
      <ErrorNote error={points.error} />
      <div className="chart" role="img" aria-label={`Ledger and available balance, ${RANGES.find((option) => option.id === range)!.label.toLowerCase()}; the points are listed below.`}>
        <ResponsiveContainer width="100%" height="100%">
          <LineChart data={data} margin={{ top: 8, right: 16, bottom: 8, left: 8 }}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis dataKey="t" type="number" domain={['dataMin', 'dataMax']} ticks={timeTicks(data)} tickFormatter={shortTime} minTickGap={24} />
            <YAxis width={80} tickFormatter={(value: number) => formatMoney(String(Math.trunc(value)), wallet.currency).replace(` ${wallet.currency}`, '')} label={{ value: wallet.currency, angle: -90, position: 'insideLeft' }} />
            <Tooltip
              labelFormatter={(t) => new Date(Number(t)).toISOString()}
              formatter={(_value, name, item) => {
                const point = item.payload as BalancePoint;
                return [money(name === 'Ledger' ? point.ledger : point.available), name];
              }}
            />
            <Legend />
            <Line type="stepAfter" dataKey="ledgerY" name="Ledger" stroke="#0b57d0" strokeWidth={2} dot isAnimationActive={false} />
            <Line type="stepAfter" dataKey="availableY" name="Available" stroke="#0f6b35" strokeWidth={2} strokeDasharray="6 4" dot isAnimationActive={false} />
          </LineChart>
        </ResponsiveContainer>
      </div>
      <details>
        <summary>Chart points ({data.length})</summary>
        <TableWrap label="Balance points table">
          <table>
            <caption>Balance points</caption>
            <thead>
              <tr>
                <th scope="col">At</th>
                <th scope="col">From</th>
                <th scope="col" className="num">
                  Ledger
                </th>
                <th scope="col" className="num">
                  Available
                </th>
              </tr>
            </thead>
            <tbody>
              {data.map((point) => (
                <tr key={`${point.source}-${point.t}`}>
                  <td>
                    <Time at={point.at} />
                  </td>
                  <td>{point.source === 'balance' ? 'balance at' : 'snapshot'}</td>
                  <td className="num">{money(point.ledger)}</td>
                  <td className="num">{money(point.available)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      </details>
    </section>
  );
}
