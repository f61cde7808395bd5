/**
 * Group commit: append_batch writes many independent appends ("members") in one transaction
 * and one round trip. Each member is all-or-nothing and checked against its own expected
 * revisions (and, when it completes idempotency keys, against their leases); a member that
 * fails is reported in the result and writes nothing, the others still commit.
 *
 * The work is set-based, a few statements per batch whatever its size: positions are taken
 * once for the whole batch, first, as take_positions requires (those of failed members stay
 * unused: gaps are allowed, reordering is not); new streams are claimed with placeholder rows
 * (revision -1), then every stream of the batch is locked in name order, so two batches never
 * wait on each other in a cycle; one statement then checks every append, writes the events of
 * the members that passed and advances their streams. A stream appears at most once in a
 * batch (the caller defers a second append to the next batch), so no member's check depends
 * on another's writes. No subtransactions: many per transaction would slow every reader.
 *
 * The batch does not NOTIFY: a NOTIFY makes its transaction's commit take a database-wide
 * lock, so appending transactions would commit (and flush) one after the other. The store
 * announces appends once they have committed (AppendNotifier.announce). append_events, which
 * did notify, is replaced by append_batch.
 *
 * p_batch:
 *   appends: [{ a, member, stream, expected, count }]  a: 1.. in the batch; expected: 'no_stream', 'any' or a revision; count: its events
 *   events:  [{ a, n, k, id, type, schema_version, data, metadata }]  n: 1.. in the batch; k: 1.. in its append
 *   keys:    [{ member, scope, key, token }]  idempotency keys the members complete
 */
export const up = /* sql */ `
drop function event_store.append_events(jsonb);

create function event_store.append_batch(p_batch jsonb)
returns table (member integer, stream text, revision bigint, "position" bigint, id uuid, recorded_at timestamptz, error text, detail text)
language plpgsql
-- Generic plans: the statements' shapes never change, and planning them anew on every call
-- would cost more than running them.
set plan_cache_mode = force_generic_plan
as $fn$
declare
  v_first bigint;
  v_streams text[];
  v_placeholders text[] := '{}';
  v_repeated boolean;
  v_creates boolean;
  v_lost integer[] := '{}';
  v_lost_keys text[] := '{}';
  v_key record;
begin
  if jsonb_array_length(p_batch->'events') = 0 then
    raise exception 'nothing to append' using errcode = 'ES002';
  end if;
  v_first := event_store.take_positions(jsonb_array_length(p_batch->'events'));

  select array_agg(a.stream order by a.stream collate "C"), count(distinct a.stream) <> count(*), bool_or(a.expected in ('no_stream', 'any'))
    into v_streams, v_repeated, v_creates
    from jsonb_to_recordset(p_batch->'appends') as a(stream text, expected text);
  if v_repeated then
    raise exception 'a stream appears twice in one batch' using errcode = 'ES003';
  end if;

  if v_creates then
    with claimed as (
      insert into event_store.streams as s (stream, revision)
      select a.stream, -1 from jsonb_to_recordset(p_batch->'appends') as a(stream text, expected text)
       where a.expected in ('no_stream', 'any')
       order by a.stream collate "C"
      on conflict on constraint streams_pkey do nothing
      returning s.stream
    )
    select coalesce(array_agg(c.stream), '{}') into v_placeholders from claimed as c;
  end if;

  perform 1 from event_store.streams s where s.stream = any(v_streams) order by s.stream collate "C" for update;

  for v_key in select r.member, r.scope, r.key, r.token
                 from jsonb_to_recordset(p_batch->'keys') as r(member integer, scope text, key text, token uuid)
                order by r.scope, r.key loop
    perform 1 from event_store.idempotency_keys k
     where k.scope = v_key.scope and k.key = v_key.key and k.token = v_key.token and k.status = 'in_progress'
       for update;
    if not found then
      v_lost := v_lost || v_key.member;
      v_lost_keys := v_lost_keys || v_key.key;
    end if;
  end loop;

  -- Lookups go through scalar subqueries and = any(array), never joins: the planner guesses
  -- 100 rows for jsonb_to_recordset and could pick a scan of a whole table for a join.
  return query
  with checked as (
    select a.a, a.member, a.stream, a.expected, a.count,
           coalesce((select s.revision from event_store.streams s where s.stream = a.stream), -1) as current
      from jsonb_to_recordset(p_batch->'appends') as a(a integer, member integer, stream text, expected text, count integer)
  ), failed as (
    (select distinct on (c.member) c.member, 'ES409'::text as error, json_build_object('stream', c.stream, 'actual', c.current)::text as detail
       from checked c
      where c.member <> all(v_lost)
        and not (c.expected = 'any'
                 or (c.expected = 'no_stream' and c.current = -1)
                 or (c.expected not in ('any', 'no_stream') and c.expected::bigint = c.current))
      order by c.member, c.stream collate "C")
    union all
    select l.member, 'ES410', l.key from unnest(v_lost, v_lost_keys) as l(member, key)
  ), passing as (
    select c.a, c.member, c.stream, c.current, c.count
      from checked c
     where not exists (select 1 from failed f where f.member = c.member)
  ), written as (
    insert into event_store.events as e (position, stream, revision, id, type, schema_version, data, metadata)
    select v_first + ev.n - 1, p.stream, p.current + ev.k, ev.id, ev.type, ev.schema_version, ev.data, ev.metadata
      from jsonb_to_recordset(p_batch->'events') as ev(a integer, n integer, k integer, id uuid, type text, schema_version integer, data jsonb, metadata jsonb)
      join passing p on p.a = ev.a
     order by ev.n
    returning e.stream, e.revision, e.position, e.id, e.recorded_at
  ), advanced as (
    update event_store.streams s set revision = (select p.current + p.count from passing p where p.stream = s.stream)
     where s.stream = any(array(select p.stream from passing p))
  )
  select r.member, r.stream, r.revision, r.position, r.id, r.recorded_at, r.error, r.detail from (
    select p.member, w.stream, w.revision, w.position, w.id, w.recorded_at, null::text as error, null::text as detail
      from written w join passing p on p.stream = w.stream
    union all
    select f.member, null, null, null, null, null, f.error, f.detail from failed f
  ) as r
  order by r.member, r.position;

  if cardinality(v_placeholders) > 0 then
    delete from event_store.streams s where s.stream = any(v_placeholders) and s.revision = -1;
  end if;
end
$fn$;
`;
