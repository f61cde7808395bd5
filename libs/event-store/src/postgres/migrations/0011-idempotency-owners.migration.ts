/**
 * Which process holds an `in_progress` Idempotency-Key: the owner id of its API process
 * (see IdempotencyOwner), so that a retry can take over at once the key of a request whose
 * process is gone, instead of waiting for the lease. Null for claims made without one (then
 * only the lease frees them).
 */
export const up = /* sql */ `
alter table event_store.idempotency_keys add column owner integer;
`;
