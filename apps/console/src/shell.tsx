import { href, type Route, useRoute } from './router';
import { useSession } from './session/session';
import { WalletsPage } from './pages/wallets-page';
import { WalletPage } from './pages/wallet-page';
import { GroupPage } from './pages/group-page';
import { LiveFeedPage } from './pages/live-feed-page';
import { OperationsPage } from './pages/operations-page';

const NAV: ReadonlyArray<{ readonly label: string; readonly href: string; readonly pages: ReadonlyArray<Route['page']> }> = [
  { label: 'Wallets', href: href.wallets, pages: ['wallets', 'wallet', 'group'] },
  { label: 'Live feed', href: href.live, pages: ['live'] },
  { label: 'Operations', href: href.operations, pages: ['operations'] },
];

export function Shell() {
  const route = useRoute();
  const { signOut, can } = useSession();
  return (
    <>
      <header className="top">
        <span className="brand">Wallet console</span>
        <nav aria-label="Pages">
          <ul>
            {NAV.filter((item) => item.label !== 'Live feed' || can.readEvents).map((item) => (
              <li key={item.href}>
                <a href={item.href} aria-current={item.pages.includes(route.page) ? 'page' : undefined}>
                  {item.label}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <button type="button" className="secondary" onClick={signOut}>
          Sign out
        </button>
      </header>
      <main className="page">{page(route)}</main>
    </>
  );
}

function page(route: Route) {
  switch (route.page) {
    case 'wallet':
      return <WalletPage key={route.walletId} walletId={route.walletId} />;
    case 'group':
      return <GroupPage key={route.groupId} groupId={route.groupId} />;
    case 'live':
      return <LiveFeedPage />;
    case 'operations':
      return <OperationsPage />;
    default:
      return <WalletsPage />;
  }
}
