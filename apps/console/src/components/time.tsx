/** A timestamp from the API, in UTC as the API writes it, readable and machine-readable. */
export function Time({ at }: { readonly at: string | null | undefined }) {
  if (!at) return <span>—</span>;
  return <time dateTime={at}>{at.replace('T', ' ').replace(/\.\d+Z$/, 'Z')}</time>;
}
