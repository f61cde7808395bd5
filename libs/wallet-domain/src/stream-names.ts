/**
 * The event store streams of the domain: one per wallet, one per group and one per group
 * reference. The prefixes are
 * written here alone, because every reader of the log (the feed, the projector, the tests)
 * tells a wallet's events from a group's by the name of their stream.
 */
const WALLET_STREAM_PREFIX = 'wallet-';
const GROUP_STREAM_PREFIX = 'group-';
const GROUP_REFERENCE_STREAM_PREFIX = 'reference-group-';

export const walletStream = (walletId: string): string => `${WALLET_STREAM_PREFIX}${walletId}`;

export const groupStream = (groupId: string): string => `${GROUP_STREAM_PREFIX}${groupId}`;

/**
 * The stream that reserves a group reference: appended with the group, expected not to
 * exist, so that two groups can never commit with one reference, on either event store.
 */
export const groupReferenceStream = (reference: string): string => `${GROUP_REFERENCE_STREAM_PREFIX}${reference}`;

export const isWalletStream = (stream: string): boolean => stream.startsWith(WALLET_STREAM_PREFIX);

export const isGroupStream = (stream: string): boolean => stream.startsWith(GROUP_STREAM_PREFIX);

export const isGroupReferenceStream = (stream: string): boolean => stream.startsWith(GROUP_REFERENCE_STREAM_PREFIX);

/** The wallet a wallet stream belongs to; any other stream is a caller's mistake. */
export function walletIdOfStream(stream: string): string {
  if (!isWalletStream(stream)) throw new Error(`${stream} is not a wallet stream.`);
  return stream.slice(WALLET_STREAM_PREFIX.length);
}
