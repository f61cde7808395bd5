export function WalletPage({ walletId }: { readonly walletId: string }) {
  return <h1>{walletId}</h1>;
}
