/** How far a copy of the event log from one store to another has come, so that it resumes. */
export const up = /* sql */ `
create table event_store.copy_progress (
  name       text primary key,
  position   bigint not null,
  copied     bigint not null,
  updated_at timestamptz not null default now()
);
`;
