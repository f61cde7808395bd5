/**
 * Group commit: append_batch writes many independent appends ("members") in one transaction
 * and one round trip. Each member is all-or-nothing and checked against its own expected
 * revisions (and, when it completes an idempotency key, against its lease); a member that
 * fails is reported in the result and writes nothing, the others still commit.
 *
 * No subtransactions: every member is checked before any of its streams is written, so a
 * failing member never needs undoing. Positions are taken once for the whole batch, first,
 * as take_positions requires; those of failed members are left unused (gaps are allowed,
 * reordering is not). Existing streams are locked in name order up front, so two batches
 * never wait on each other in a cycle. A new stream is claimed with a placeholder row at
 * revision -1, removed again if its member fails.
 *
 * append_events keeps its signature and errors: it is now a batch of one.
 */
export const up = /* sql */ `
create function event_store.append_batch(p_members jsonb)
returns table (member integer, stream text, revision bigint, "position" bigint, id uuid, recorded_at timestamptz, error text, detail text)
language plpgsql as $fn$
declare
  v_member jsonb;
  v_index integer;
  v_append jsonb;
  v_key jsonb;
  v_stream text;
  v_expected text;
  v_current bigint;
  v_currents bigint[];
  v_placeholders text[] := '{}';
  v_failure text;
  v_detail text;
  v_total integer;
  v_next_position bigint;
  v_written boolean := false;
  v_count integer;
  v_i integer;
begin
  select coalesce(sum(jsonb_array_length(a.value->'events')), 0)::integer into v_total
    from jsonb_array_elements(p_members) as m, jsonb_array_elements(m.value->'appends') as a;
  if v_total = 0 then
    raise exception 'nothing to append' using errcode = 'ES002';
  end if;
  v_next_position := event_store.take_positions(v_total);

  perform 1 from event_store.streams s
    where s.stream in (select a.value->>'stream' from jsonb_array_elements(p_members) as m, jsonb_array_elements(m.value->'appends') as a)
    order by s.stream collate "C"
    for update;

  for v_member, v_index in select m.value, m.ordinality::integer from jsonb_array_elements(p_members) with ordinality as m loop
    v_failure := null;
    v_detail := null;
    v_currents := '{}';

    for v_key in select k.value from jsonb_array_elements(coalesce(v_member->'idempotency', '[]')) as k loop
      perform 1 from event_store.idempotency_keys k
        where k.scope = v_key->>'scope' and k.key = v_key->>'key' and k.token = (v_key->>'token')::uuid and k.status = 'in_progress'
        for update;
      if not found then
        v_failure := 'ES410';
        v_detail := v_key->>'key';
        exit;
      end if;
    end loop;

    if v_failure is null then
      for v_append in select a.value from jsonb_array_elements(v_member->'appends') as a order by a.value->>'stream' collate "C" loop
        v_stream := v_append->>'stream';
        v_expected := v_append->>'expectedRevision';
        select s.revision into v_current from event_store.streams s where s.stream = v_stream for update;
        if not found then
          v_current := -1;
          if v_expected in ('no_stream', 'any') then
            insert into event_store.streams as s (stream, revision) values (v_stream, -1) on conflict on constraint streams_pkey do nothing;
            if found then
              v_placeholders := v_placeholders || v_stream;
            else
              -- Another writer created the stream meanwhile: it now exists.
              select s.revision into v_current from event_store.streams s where s.stream = v_stream for update;
            end if;
          end if;
        end if;
        if (v_expected = 'no_stream' and v_current <> -1)
           or (v_expected not in ('no_stream', 'any') and v_expected::bigint <> v_current) then
          v_failure := 'ES409';
          v_detail := json_build_object('stream', v_stream, 'actual', v_current)::text;
          exit;
        end if;
        v_currents := v_currents || v_current;
      end loop;
    end if;

    if v_failure is not null then
      return query select v_index, null::text, null::bigint, null::bigint, null::uuid, null::timestamptz, v_failure, v_detail;
      continue;
    end if;

    v_i := 0;
    for v_append in select a.value from jsonb_array_elements(v_member->'appends') as a order by a.value->>'stream' collate "C" loop
      v_i := v_i + 1;
      v_stream := v_append->>'stream';
      v_count := jsonb_array_length(v_append->'events');
      update event_store.streams s set revision = v_currents[v_i] + v_count where s.stream = v_stream;
      return query
        insert into event_store.events as e (position, stream, revision, id, type, schema_version, data, metadata)
        select v_next_position + n.ord - 1, v_stream, v_currents[v_i] + n.ord, (n.ev->>'id')::uuid,
               n.ev->>'type', (n.ev->>'schemaVersion')::integer, n.ev->'data', n.ev->'metadata'
          from jsonb_array_elements(v_append->'events') with ordinality as n(ev, ord)
        returning v_index, e.stream, e.revision, e.position, e.id, e.recorded_at, null::text, null::text;
      v_next_position := v_next_position + v_count;
      v_written := true;
    end loop;
  end loop;

  delete from event_store.streams s where s.stream = any(v_placeholders) and s.revision = -1;
  if v_written then
    perform pg_notify('event_store_appended', (v_next_position - 1)::text);
  end if;
end
$fn$;

create or replace function event_store.append_events(p_appends jsonb)
returns table (stream text, revision bigint, "position" bigint, id uuid, recorded_at timestamptz)
language plpgsql as $fn$
declare
  v_row record;
begin
  for v_row in select * from event_store.append_batch(jsonb_build_array(jsonb_build_object('appends', p_appends))) loop
    if v_row.error is not null then
      raise exception 'wrong expected revision' using errcode = v_row.error, detail = v_row.detail;
    end if;
    stream := v_row.stream;
    revision := v_row.revision;
    "position" := v_row."position";
    id := v_row.id;
    recorded_at := v_row.recorded_at;
    return next;
  end loop;
end
$fn$;
`;
