/**
 * The API key lives in sessionStorage only: it is gone when the tab closes, other tabs and
 * origins cannot read it, and it is never put in localStorage, a URL or a log.
 */
const SLOT = 'wallet-console.api-key';

export const keyStore = {
  read: (): string | null => sessionStorage.getItem(SLOT),
  write: (key: string): void => sessionStorage.setItem(SLOT, key),
  clear: (): void => sessionStorage.removeItem(SLOT),
};
