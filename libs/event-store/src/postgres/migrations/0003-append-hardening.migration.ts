/**
 * Hardens the append path:
 * - take_positions takes and releases its advisory lock inside one protected block, so a
 *   query cancel at any instant can no longer leave the session holding the lock (which
 *   would stall every other writer);
 * - append_events locks streams in name order, so two multi-stream appends can never deadlock,
 *   and an append with expected revision "any" no longer fails when another writer creates
 *   the same stream at the same moment;
 * - idempotency responses are kept as `json`, which preserves the text as first sent (jsonb
 *   reorders keys), so a replay is the original body byte for byte.
 */
export const up = /* sql */ `
create or replace function event_store.take_positions(p_count integer) returns bigint
language plpgsql as $fn$
declare
  v_last bigint;
begin
  if pg_current_xact_id_if_assigned() is not null then
    raise exception 'an append must be the first write of its transaction' using errcode = 'ES001';
  end if;
  begin
    perform pg_advisory_lock(7308611573);
    perform pg_current_xact_id();
    select max(nextval('event_store.events_position_seq')) into v_last from generate_series(1, p_count);
    perform pg_advisory_unlock(7308611573);
  exception
    when query_canceled or others then
      perform pg_advisory_unlock(7308611573);
      raise;
  end;
  return v_last - p_count + 1;
end
$fn$;

create or replace function event_store.append_events(p_appends jsonb)
returns table (stream text, revision bigint, "position" bigint, id uuid, recorded_at timestamptz)
language plpgsql as $fn$
declare
  v_append jsonb;
  v_stream text;
  v_expected text;
  v_count integer;
  v_current bigint;
  v_created boolean;
  v_total integer;
  v_next_position bigint;
begin
  select coalesce(sum(jsonb_array_length(a->'events')), 0)::integer into v_total
    from jsonb_array_elements(p_appends) as a;
  if v_total = 0 then
    raise exception 'nothing to append' using errcode = 'ES002';
  end if;
  v_next_position := event_store.take_positions(v_total);

  for v_append in select value from jsonb_array_elements(p_appends) order by value->>'stream' collate "C" loop
    v_stream := v_append->>'stream';
    v_expected := v_append->>'expectedRevision';
    v_count := jsonb_array_length(v_append->'events');

    v_created := false;
    select s.revision into v_current from event_store.streams s where s.stream = v_stream for update;
    if not found then
      v_current := -1;
      if v_expected in ('no_stream', 'any') then
        insert into event_store.streams (stream, revision) values (v_stream, v_count - 1) on conflict on constraint streams_pkey do nothing;
        v_created := found;
        if not v_created then
          -- Another writer created the stream meanwhile: it now exists.
          select s.revision into v_current from event_store.streams s where s.stream = v_stream for update;
        end if;
      end if;
    end if;
    if (v_expected = 'no_stream' and not v_created)
       or (v_expected not in ('no_stream', 'any') and v_expected::bigint <> v_current) then
      raise exception 'wrong expected revision' using errcode = 'ES409',
        detail = json_build_object('stream', v_stream, 'actual', v_current)::text;
    end if;
    if not v_created then
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

alter table event_store.idempotency_keys alter column response_body type json using response_body::json;
`;
