/** An API refusal, shown with its problem detail; announced to screen readers. */
export function ErrorNote({ error }: { readonly error: string | null | undefined }) {
  if (!error) return null;
  return (
    <p role="alert" className="error">
      <strong>Error: </strong>
      {error}
    </p>
  );
}
