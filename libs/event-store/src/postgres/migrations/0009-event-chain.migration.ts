/**
 * Tamper evidence: every event appended from now on is stored with a hash that chains it to
 * the event before it in its stream, so that an edit, a deletion inside a stream or a
 * reordering made directly in the table shows up when the chain is checked
 * (verifyEventChain, `verify --chain`; docs/tamper-evidence.md).
 *
 *   hash = sha256(previous || content || int8send(revision) || int8send(position) || int8send(recorded_at in µs since 1970))
 *
 * `content` is the SHA-256 of the event's canonical JSON, computed by the writer and sent as
 * hex in each event of the batch (`h`); `previous` is the stored hash of the stream's event at
 * revision - 1, or 32 zero bytes for revision 0 and after an event written before this
 * migration. The hashes of one append are computed in order by a running aggregate over its
 * events (chain_hashes): a stream appears at most once in a batch, so no append depends on
 * another's hashes.
 *
 * Events written before this migration have no hash. chain_start keeps the last position
 * taken before it (read after the column is added, so under the table's exclusive lock): a
 * missing hash is accepted at or below it, refused above it by events_hash_check (NOT VALID:
 * the rows already there are old by definition) and reported by the verifier.
 *
 * append_batch is otherwise unchanged (migration 0007), except that recorded_at is written
 * explicitly, with the value the hash covers (it was the column default, now(): the same).
 *
 * p_batch events: [{ a, n, k, id, type, schema_version, data, metadata, h }]  h: the content hash, 64 hex digits
 */
export const up = /* sql */ `
alter table event_store.events add column hash bytea;

create table event_store.chain_start (
  only_row                boolean primary key default true check (only_row),
  last_unchained_position bigint not null,
  started_at              timestamptz not null default now()
);

do $do$
declare
  v_last bigint;
begin
  select case when s.is_called then s.last_value else 0 end into v_last from event_store.events_position_seq s;
  insert into event_store.chain_start (last_unchained_position) values (v_last);
  -- A missing hash makes octet_length null, and then only an old position passes.
  execute format(
    'alter table event_store.events add constraint events_hash_check check (coalesce(octet_length(hash) = 32, position <= %s)) not valid',
    v_last);
end
$do$;

create function event_store.chain_step(p_state bytea, p_previous bytea, p_link bytea) returns bytea
language sql immutable parallel safe
return sha256(coalesce(p_state, p_previous) || p_link);

-- chain_hashes(previous, link) over (partition by append order by k): each event's hash.
-- The first event of an append starts from previous, each next one from the hash before it.
create aggregate event_store.chain_hashes(bytea, bytea) (sfunc = event_store.chain_step, stype = bytea);

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
