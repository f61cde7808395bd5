export function OperationsPage() {
  return <h1>OperationsPage</h1>;
}
