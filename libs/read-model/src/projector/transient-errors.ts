/** SQLSTATE classes and codes that say the database was unavailable, not that the events are bad. */
const TRANSIENT_SQLSTATE = /^(08|40|53|57P0|57014|55P03)/;
/** The same for the KurrentDB client's command errors. */
const TRANSIENT_KURRENTDB = /^(unavailable|deadline-exceeded|timeout|not-leader|cancelled)$/;

/** An error that says nothing about the events: trying again later may well succeed. */
export function isTransient(error: unknown): boolean {
  const { code, message, type } = (error ?? {}) as { code?: unknown; message?: unknown; type?: unknown };
  if (typeof code === 'string' && TRANSIENT_SQLSTATE.test(code)) return true;
  if (typeof type === 'string' && TRANSIENT_KURRENTDB.test(type)) return true;
  if (typeof code === 'string' && /^E(CONNRESET|CONNREFUSED|PIPE|TIMEDOUT)$/.test(code)) return true;
  // pg's own words for a connection lost under a client, including one reused after its error.
  return typeof message === 'string' && /Connection terminated|timeout exceeded when trying to connect|is not queryable/i.test(message);
}
