import { type FormEvent, useEffect, useRef, useState } from 'react';
import type { FeedItem } from '../api/client';
import { errorText } from '../api/problem';
import { readReadiness } from '../api/readiness';
import { ErrorNote } from '../components/error-note';
import { Time } from '../components/time';
import { openEventStream, type StreamState } from '../feed/event-stream';
import { href } from '../router';
import { useSession } from '../session/session';

/** The newest events kept on screen; older ones drop off the end. */
const KEPT = 200;

interface Filters {
  readonly walletId: string;
  readonly types: string;
}

const STATE_TEXT: Record<StreamState, string> = { connecting: 'Connecting…', live: 'Live', reconnecting: 'Reconnecting…', closed: 'Closed' };

/**
 * Events as they are recorded, over SSE, from the log's head at opening. Pausing closes the
 * stream and keeps the last position; resuming reads on from it, so nothing is missed.
 * The head comes from /health/ready, also from its 503 (the problem carries the checks
 * whenever the database answered). Without a head the feed does not start from 0, which would
 * replay the whole log: it shows why and lets the operator type the position to start after.
 */
export function LiveFeedPage() {
  const { client, key } = useSession();
  const [items, setItems] = useState<FeedItem[]>([]);
  const [paused, setPaused] = useState(false);
  const [state, setState] = useState<StreamState>('connecting');
  const [error, setError] = useState<string | null>(null);
  const [draft, setDraft] = useState<Filters>({ walletId: '', types: '' });
  const [filters, setFilters] = useState<Filters>({ walletId: '', types: '' });
  const after = useRef<string | null>(null);
  // Why the head is unknown: the feed waits for a start position typed by the operator.
  const [noHead, setNoHead] = useState<string | null>(null);
  const [startDraft, setStartDraft] = useState('');
  const [startCount, setStartCount] = useState(0);

  useEffect(() => {
    if (paused) {
      setState('closed');
      return;
    }
    let close: (() => void) | undefined;
    let stopped = false;
    const start = async () => {
      // The first time, from the head of the log (readiness reports it): what happens from now on.
      if (after.current === null) {
        const known = await readReadiness(client).then(
          (ready) => ({ head: ready.checks?.projector.headPosition, problem: ready.detail ?? 'The service did not report the head of the log.' }),
          (failure: unknown) => ({ head: undefined, problem: errorText(failure) }),
        );
        if (stopped) return;
        if (known.head === undefined) {
          setNoHead(known.problem);
          setState('closed');
          return;
        }
        after.current = known.head;
      }
      if (stopped) return;
      close = openEventStream(
        key,
        { after: after.current, walletId: filters.walletId || undefined, types: filters.types.replace(/\s+/g, '') || undefined },
        {
          onItem: (item) => {
            after.current = item.position;
            setItems((shown) => [item, ...shown].slice(0, KEPT));
          },
          onState: (next, detail) => {
            setState(next);
            setError(next === 'live' ? null : (detail ?? null));
          },
        },
      );
    };
    void start();
    return () => {
      stopped = true;
      close?.();
    };
  }, [client, key, paused, filters, startCount]);

  const startAfter = (event: FormEvent) => {
    event.preventDefault();
    after.current = startDraft;
    setNoHead(null);
    setStartCount((count) => count + 1);
  };

  const apply = (event: FormEvent) => {
    event.preventDefault();
    setItems([]);
    setFilters(draft);
  };

  return (
    <>
      <h1>Live feed</h1>
      <div className="status-line">
        <span role="status">
          Stream: <strong>{paused ? 'Paused' : STATE_TEXT[state]}</strong>
          {after.current ? ` · after position ${after.current}` : ''}
        </span>
        <button type="button" onClick={() => setPaused(!paused)}>
          {paused ? 'Resume' : 'Pause'}
        </button>
        <button type="button" className="secondary" onClick={() => setItems([])}>
          Clear
        </button>
      </div>
      <form className="card filters" onSubmit={apply} aria-label="Filter events">
        <div className="field">
          <label htmlFor="feed-wallet">Wallet id</label>
          <input id="feed-wallet" value={draft.walletId} onChange={(event) => setDraft({ ...draft, walletId: event.target.value.trim() })} />
        </div>
        <div className="field">
          <label htmlFor="feed-types">Event types (comma-separated)</label>
          <input id="feed-types" value={draft.types} onChange={(event) => setDraft({ ...draft, types: event.target.value })} placeholder="FundsCredited,FundsDebited" />
        </div>
        <button type="submit">Apply filters</button>
      </form>
      <ErrorNote error={error} />
      {noHead !== null && (
        <form className="card filters" onSubmit={startAfter} aria-label="Start position">
          <ErrorNote error={noHead} />
          <p>The head of the event log is unknown, so the feed has not started (from 0 it would replay the whole log).</p>
          <div className="field">
            <label htmlFor="feed-start">Start after position</label>
            <input id="feed-start" inputMode="numeric" pattern="[0-9]+" required value={startDraft} onChange={(event) => setStartDraft(event.target.value.trim())} />
          </div>
          <button type="submit">Start</button>
        </form>
      )}
      <ol className="feed-list" aria-label="Events, newest first" aria-live="polite">
        {items.map((item) => (
          <li key={item.position} data-event-type={item.type}>
            <strong>{item.type}</strong> · position {item.position} · <Time at={item.recordedAt} /> · {streamLink(item.streamId)}
            <details>
              <summary>Data</summary>
              <pre className="mono">{JSON.stringify(item.data, null, 2)}</pre>
            </details>
          </li>
        ))}
      </ol>
      {items.length === 0 && <p className="notice">No events yet{paused ? ' (paused)' : ''}.</p>}
    </>
  );
}

function streamLink(streamId: string) {
  if (streamId.startsWith('wallet-')) return <a href={href.wallet(streamId.slice(7))}>{streamId}</a>;
  if (streamId.startsWith('group-')) return <a href={href.group(streamId.slice(6))}>{streamId}</a>;
  return <span className="mono">{streamId}</span>;
}
