export function GroupPage({ groupId }: { readonly groupId: string }) {
  return <h1>{groupId}</h1>;
}
