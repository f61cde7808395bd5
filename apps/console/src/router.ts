import { useEffect, useState } from 'react';

/**
 * The console's pages live in the URL's fragment (#/wallets/<id>): the server serves one page
 * for /console, and a fragment never reaches a server or a Referer header.
 */
export type Route =
  | { readonly page: 'wallets' }
  | { readonly page: 'wallet'; readonly walletId: string }
  | { readonly page: 'group'; readonly groupId: string }
  | { readonly page: 'live' }
  | { readonly page: 'operations' };

export function parseRoute(hash: string): Route {
  const parts = hash.replace(/^#\/?/, '').split('/').map(decodePart);
  if (parts[0] === 'wallets' && parts[1]) return { page: 'wallet', walletId: parts[1] };
  if (parts[0] === 'groups' && parts[1]) return { page: 'group', groupId: parts[1] };
  if (parts[0] === 'live') return { page: 'live' };
  if (parts[0] === 'operations') return { page: 'operations' };
  return { page: 'wallets' };
}

/** A part as typed when it is no valid percent-encoding (#/wallets/%): the API then refuses the id, and says why. */
function decodePart(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}

export const href = {
  wallets: '#/wallets',
  wallet: (id: string) => `#/wallets/${encodeURIComponent(id)}`,
  group: (id: string) => `#/groups/${encodeURIComponent(id)}`,
  live: '#/live',
  operations: '#/operations',
};

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(window.location.hash));
  useEffect(() => {
    const onChange = () => setRoute(parseRoute(window.location.hash));
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return route;
}
