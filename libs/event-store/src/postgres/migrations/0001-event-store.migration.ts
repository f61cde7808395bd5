/**
 * The PostgreSQL event store: streams with their current revision, the append-only event
 * log, the append function and idempotency records.
 *
 * Gap-free reading rests on one rule: an appending transaction takes its transaction id
 * and its positions together, under a short advisory lock, before any other write. So
 * among writers, position order equals transaction id order, and a reader that returns
 * only events whose transaction id lies below the oldest running transaction
 * (pg_snapshot_xmin) can never return a position while a smaller one is still in flight.
 */
export const up = /* sql */ `
create schema if not exists event_store;

create table event_store.streams (
  stream   text primary key,
  revision bigint not null
);

create sequence event_store.events_position_seq as bigint minvalue 1 cache 1;

create table event_store.events (
  position       bigint primary key,
  stream         text not null,
  revision       bigint not null,
  id             uuid not null,
  type           text not null,
  schema_version integer not null,
  data           jsonb not null,
  metadata       jsonb not null,
  recorded_at    timestamptz not null default now(),
  transaction_id xid8 not null default pg_current_xact_id(),
  constraint events_stream_revision_key unique (stream, revision),
  constraint events_id_key unique (id)
);

create function event_store.take_positions(p_count integer) returns bigint
language plpgsql as $fn$
declare
  v_last bigint;
begin
  if pg_current_xact_id_if_assigned() is not null then
    raise exception 'an append must be the first write of its transaction' using errcode = 'ES001';
  end if;
  perform pg_advisory_lock(7308611573);
  begin
    perform pg_current_xact_id();
    select max(nextval('event_store.events_position_seq')) into v_last from generate_series(1, p_count);
  exception
    when query_canceled or others then
      perform pg_advisory_unlock(7308611573);
      raise;
  end;
  perform pg_advisory_unlock(7308611573);
  return v_last - p_count + 1;
end
$fn$;

create function event_store.append_events(p_appends jsonb)
returns table (stream text, revision bigint, "position" bigint, id uuid, recorded_at timestamptz)
language plpgsql as $fn$
declare
  v_append jsonb;
  v_stream text;
  v_expected text;
  v_count integer;
  v_current bigint;
  v_total integer;
  v_next_position bigint;
begin
  select coalesce(sum(jsonb_array_length(a->'events')), 0)::integer into v_total
    from jsonb_array_elements(p_appends) as a;
  if v_total = 0 then
    raise exception 'nothing to append' using errcode = 'ES002';
  end if;
  v_next_position := event_store.take_positions(v_total);

  for v_append in select value from jsonb_array_elements(p_appends) loop
    v_stream := v_append->>'stream';
    v_expected := v_append->>'expectedRevision';
    v_count := jsonb_array_length(v_append->'events');

    select s.revision into v_current from event_store.streams s where s.stream = v_stream for update;
    if not found then
      v_current := -1;
    end if;
    if (v_expected = 'no_stream' and v_current <> -1)
       or (v_expected not in ('no_stream', 'any') and v_expected::bigint <> v_current) then
      raise exception 'wrong expected revision' using errcode = 'ES409',
        detail = json_build_object('stream', v_stream, 'actual', v_current)::text;
    end if;

    if v_current = -1 then
      insert into event_store.streams (stream, revision) values (v_stream, v_count - 1);
    else
      update event_store.streams s set revision = v_current + v_count where s.stream = v_stream;
    end if;

    return query
      insert into event_store.events as e (position, stream, revision, id, type, schema_version, data, metadata)
      select v_next_position + n.ord - 1, v_stream, v_current + n.ord, (n.ev->>'id')::uuid,
             n.ev->>'type', (n.ev->>'schemaVersion')::integer, n.ev->'data', n.ev->'metadata'
        from jsonb_array_elements(v_append->'events') with ordinality as n(ev, ord)
      returning e.stream, e.revision, e.position, e.id, e.recorded_at;
    v_next_position := v_next_position + v_count;
  end loop;

  perform pg_notify('event_store_appended', (v_next_position - 1)::text);
end
$fn$;

create table event_store.idempotency_keys (
  scope           text not null,
  key             text not null,
  request_hash    text not null,
  token           uuid not null,
  status          text not null check (status in ('in_progress', 'completed')),
  response_status integer,
  response_body   jsonb,
  locked_until    timestamptz,
  created_at      timestamptz not null default now(),
  expires_at      timestamptz not null,
  primary key (scope, key)
);

create index idempotency_keys_expires_at_idx on event_store.idempotency_keys (expires_at);
`;
