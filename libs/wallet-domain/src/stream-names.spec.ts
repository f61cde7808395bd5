import { groupReferenceStream, groupStream, isGroupStream, isWalletStream, walletIdOfStream, walletStream } from './stream-names';

describe('stream names', () => {
  it('names a wallet stream and a group stream after their ids', () => {
    expect(walletStream('0b7c')).toBe('wallet-0b7c');
    expect(groupStream('0b7c')).toBe('group-0b7c');
  });

  it('tells the two kinds apart, and neither from a stream of someone else', () => {
    expect([isWalletStream(walletStream('a')), isGroupStream(walletStream('a'))]).toEqual([true, false]);
    expect([isWalletStream(groupStream('a')), isGroupStream(groupStream('a'))]).toEqual([false, true]);
    expect([isWalletStream('$et-FundsCredited'), isGroupStream('$et-FundsCredited')]).toEqual([false, false]);
  });

  it('gives back the wallet id of a wallet stream, and refuses any other stream', () => {
    expect(walletIdOfStream(walletStream('0b7c-1'))).toBe('0b7c-1');
    expect(() => walletIdOfStream(groupStream('0b7c'))).toThrow('group-0b7c is not a wallet stream.');
  });

  it('names a group reference stream apart from wallets and groups, so the projector passes it by', () => {
    const stream = groupReferenceStream('payout-7');
    expect(stream).toBe('reference-group-payout-7');
    expect([isWalletStream(stream), isGroupStream(stream)]).toEqual([false, false]);
  });
});
