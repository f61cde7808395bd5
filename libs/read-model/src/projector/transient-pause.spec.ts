import { transientPauseMs } from './projector';

describe('the pause before retrying passing database trouble', () => {
  it('doubles from 200 ms and stays at 5 s however long the trouble lasts', () => {
    expect([1, 2, 3, 4, 5, 6].map(transientPauseMs)).toEqual([200, 400, 800, 1_600, 3_200, 5_000]);
    expect(transientPauseMs(1_000)).toBe(5_000);
  });
});
