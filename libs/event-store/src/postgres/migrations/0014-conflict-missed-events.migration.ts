/**
 * A conflict tells the writer what it missed. When a member of a batch finds a stream past the
 * revision it expected, append_batch answers its error with, for every such stream of the
 * member, the events after that revision (at most 100 a stream): the writer folds them into
 * the states it decided on and decides again at once, without reading the streams first.
 * Two processes writing to one busy stream then retry as fast as they append, instead of the
 * one that lost a race losing the next as well while it reads.
 *
 * append_batch is otherwise that of migration 0009. The error row's detail was
 * { stream, actual }; it is now { stream, actual, missed: [{ stream, events }] }, each event as
 * the readers' rows (position and revision as text).
 */
export const up = /* sql */ `
create or replace function event_store.append_batch(p_batch jsonb)
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
  v_recorded_at timestamptz := now();
  v_recorded_us bytea;
  v_no_hash constant bytea := decode(repeat('00', 32), 'hex');
begin
  if jsonb_array_length(p_batch->'events') = 0 then
    raise exception 'nothing to append' using errcode = 'ES002';
  end if;
  v_first := event_store.take_positions(jsonb_array_length(p_batch->'events'));
  v_recorded_us := int8send((extract(epoch from v_recorded_at) * 1000000)::bigint);

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
  ), mismatched as (
    select c.member, c.stream, c.current,
           case when c.expected in ('no_stream', 'any') then -1 else c.expected::bigint end as seen
      from checked c
     where c.member <> all(v_lost)
       and not (c.expected = 'any'
                or (c.expected = 'no_stream' and c.current = -1)
                or (c.expected not in ('any', 'no_stream') and c.expected::bigint = c.current))
  ), firsts as (
    select distinct on (m.member) m.member, m.stream, m.current
      from mismatched m
     order by m.member, m.stream collate "C"
  ), failed as (
    -- Once per failing member: its first stream that moved on, and every stream of it that
    -- did, each with the events after the revision the member expected (at most 100): what
    -- its writer missed.
    (select f.member, 'ES409'::text as error,
            json_build_object('stream', f.stream, 'actual', f.current, 'missed', (
              select json_agg(json_build_object('stream', b.stream, 'events', (
                       select coalesce(json_agg(row_to_json(e) order by e.revision::bigint), '[]'::json) from (
                         select x.position::text as position, x.stream, x.revision::text as revision, x.id, x.type,
                                x.schema_version, x.data, x.metadata, x.recorded_at
                           from event_store.events x
                          where x.stream = b.stream and x.revision > b.seen
                          order by x.revision limit 100) e)))
                from mismatched b where b.member = f.member))::text as detail
       from firsts f)
    union all
    select l.member, 'ES410', l.key from unnest(v_lost, v_lost_keys) as l(member, key)
  ), passing as (
    select c.a, c.member, c.stream, c.current, c.count,
           coalesce((select e.hash from event_store.events e where e.stream = c.stream and e.revision = c.current), v_no_hash) as previous
      from checked c
     where not exists (select 1 from failed f where f.member = c.member)
  ), chained as (
    select v_first + ev.n - 1 as position, p.stream, p.current + ev.k as revision, ev.id, ev.type, ev.schema_version, ev.data, ev.metadata,
           event_store.chain_hashes(p.previous, decode(ev.h, 'hex') || int8send(p.current + ev.k) || int8send(v_first + ev.n - 1) || v_recorded_us)
             over (partition by ev.a order by ev.k rows between unbounded preceding and current row) as hash
      from jsonb_to_recordset(p_batch->'events') as ev(a integer, n integer, k integer, id uuid, type text, schema_version integer, data jsonb, metadata jsonb, h text)
      join passing p on p.a = ev.a
  ), written as (
    insert into event_store.events as e (position, stream, revision, id, type, schema_version, data, metadata, recorded_at, hash)
    select c.position, c.stream, c.revision, c.id, c.type, c.schema_version, c.data, c.metadata, v_recorded_at, c.hash
      from chained c
     order by c.position
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
