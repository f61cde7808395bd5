/** A status in words, with a border style per status: never colour alone. */
export function StatusBadge({ status }: { readonly status: string }) {
  return <span className={`badge ${status}`}>{status}</span>;
}
