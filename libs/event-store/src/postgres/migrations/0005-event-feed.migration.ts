/** The event feed filtered by wallet reads one stream in position order. */
export const up = /* sql */ `
create index events_stream_position_idx on event_store.events (stream, position);
`;
