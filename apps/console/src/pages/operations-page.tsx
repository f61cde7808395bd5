import { useEffect, useState } from 'react';
import { expectData } from '../api/problem';
import { readReadiness } from '../api/readiness';
import { ErrorNote } from '../components/error-note';
import { Time } from '../components/time';
import { useLoad } from '../components/use-load';
import { useSession } from '../session/session';
import { TableWrap } from '../components/table-wrap';

/** How often the page reads health again while it is open. */
const REFRESH_MS = 5_000;

/** Readiness with the projector's lag and position, and the webhook endpoints when the key may manage them. */
export function OperationsPage() {
  const { client, can } = useSession();
  const [tick, setTick] = useState(0);
  useEffect(() => {
    const timer = setInterval(() => setTick((count) => count + 1), REFRESH_MS);
    return () => clearInterval(timer);
  }, []);
  const ready = useLoad(() => readReadiness(client), [client, tick]);
  const endpoints = useLoad(() => (can.manageWebhooks ? expectData(client.GET('/v1/webhook-endpoints', { params: { query: { limit: 100 } } })) : Promise.resolve(undefined)), [client, can.manageWebhooks, tick]);
  const checks = ready.data?.checks;
  const projector = checks?.projector;

  return (
    <>
      <h1>Operations</h1>
      <section className="card" aria-labelledby="ready-title">
        <h2 id="ready-title">Readiness</h2>
        <p role="status">
          Service: <strong>{ready.data?.ready ? 'ready' : ready.data || ready.error ? 'not ready' : 'checking…'}</strong>
        </p>
        <ErrorNote error={ready.error ?? ready.data?.detail} />
        {projector && (
          <dl className="cards" aria-label="Projector">
            <div className="card">
              <dt>Database</dt>
              <dd>{checks!.database}</dd>
            </div>
            <div className="card">
              <dt>Log head position</dt>
              <dd data-ops="head">{projector.headPosition}</dd>
            </div>
            <div className="card">
              <dt>Read model position</dt>
              <dd data-ops="checkpoint">{projector.checkpoint}</dd>
            </div>
            <div className="card">
              <dt>Projector lag</dt>
              <dd data-ops="lag">
                {projector.lagEvents} events · {projector.lagSeconds} s
              </dd>
            </div>
          </dl>
        )}
        <button type="button" className="secondary" onClick={() => setTick((count) => count + 1)}>
          Refresh now
        </button>
      </section>
      {can.manageWebhooks && (
        <section aria-labelledby="webhooks-title">
          <h2 id="webhooks-title">Webhook endpoints</h2>
          <ErrorNote error={endpoints.error} />
          <TableWrap label="Webhook endpoints table">
            <table className="stack">
              <caption className="hide-narrow">Webhook endpoints</caption>
              <thead>
                <tr>
                  <th scope="col">Endpoint</th>
                  <th scope="col">Status</th>
                  <th scope="col" className="num">
                    Delivered through
                  </th>
                  <th scope="col" className="num">
                    Lag (events)
                  </th>
                  <th scope="col">Last error</th>
                </tr>
              </thead>
              <tbody>
                {endpoints.data?.items.map((endpoint) => (
                  <tr key={endpoint.id}>
                    <td data-label="Endpoint">
                      <span className="mono">{endpoint.url}</span>
                      {endpoint.description ? <div>{endpoint.description}</div> : null}
                    </td>
                    <td data-label="Status">
                      <span className={`badge ${endpoint.status === 'enabled' ? 'confirmed' : 'rejected'}`}>{endpoint.status}</span>
                      {endpoint.disabledReason ? <div>{endpoint.disabledReason}</div> : null}
                    </td>
                    <td data-label="Delivered through" className="num">{endpoint.deliveredThrough}</td>
                    <td data-label="Lag (events)" className="num">{endpoint.lagEvents}</td>
                    <td data-label="Last error">
                      {endpoint.lastError ?? '—'}
                      {endpoint.failingSince ? (
                        <div>
                          failing since <Time at={endpoint.failingSince} />
                        </div>
                      ) : null}
                    </td>
                  </tr>
                ))}
                {endpoints.data?.items.length === 0 && (
                  <tr>
                    <td colSpan={5}>No webhook endpoints.</td>
                  </tr>
                )}
              </tbody>
            </table>
          </TableWrap>
        </section>
      )}
    </>
  );
}
