export function LiveFeedPage() {
  return <h1>LiveFeedPage</h1>;
}
