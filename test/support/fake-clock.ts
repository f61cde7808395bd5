import type { Clock } from '@wallet/config';

/** A clock the test moves by hand, so expiry can be tested without sleeping. */
export class FakeClock implements Clock {
  constructor(private current: number) {}

  now(): Date {
    return new Date(this.current);
  }

  advance(ms: number): void {
    this.current += ms;
  }
}
