import { readiness } from './readiness';

const limits = { maxLagEvents: 100, maxLagSeconds: 10 };
const caughtUp = { checkpoint: 50n, head: 50n, lagEvents: 0n, lagSeconds: 0, failedPosition: null, readOnly: false };

describe('readiness', () => {
  it('is ready when the read model is caught up', () => {
    expect(readiness({ halt: null, status: caughtUp }, limits)).toEqual({ ready: true });
  });

  it('is ready within both lag limits', () => {
    expect(readiness({ halt: null, status: { ...caughtUp, head: 150n, lagEvents: 100n, lagSeconds: 10 } }, limits)).toEqual({ ready: true });
  });

  it('is not ready when the projector of this process halted, whatever the database says or not', () => {
    const halt = { position: 7n, reason: 'bad event', at: new Date() };
    expect(readiness({ halt }, limits)).toMatchObject({ ready: false, code: 'PROJECTOR_HALTED' });
    expect(readiness({ halt, status: caughtUp }, limits)).toMatchObject({ ready: false, code: 'PROJECTOR_HALTED', detail: expect.stringContaining('position 7') });
  });

  it('is not ready when the database did not answer', () => {
    expect(readiness({ halt: null }, limits)).toMatchObject({ ready: false, code: 'SERVICE_UNAVAILABLE' });
  });

  it('is not ready when the database is read-only', () => {
    expect(readiness({ halt: null, status: { ...caughtUp, readOnly: true } }, limits)).toMatchObject({ ready: false, code: 'SERVICE_UNAVAILABLE', detail: expect.stringContaining('read-only') });
  });

  it('is not ready when a halt is recorded in the database', () => {
    expect(readiness({ halt: null, status: { ...caughtUp, failedPosition: 51n } }, limits)).toMatchObject({ ready: false, code: 'PROJECTOR_HALTED' });
  });

  it('is not ready past the lag in events, or in seconds', () => {
    expect(readiness({ halt: null, status: { ...caughtUp, head: 151n, lagEvents: 101n } }, limits)).toMatchObject({ ready: false, code: 'READ_MODEL_BEHIND' });
    expect(readiness({ halt: null, status: { ...caughtUp, head: 51n, lagEvents: 1n, lagSeconds: 10.5 } }, limits)).toMatchObject({ ready: false, code: 'READ_MODEL_BEHIND' });
  });
});
