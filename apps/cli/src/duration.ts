import { InvalidArgumentError } from 'commander';

const UNIT_MS: Readonly<Record<string, number>> = { d: 86_400_000, h: 3_600_000, m: 60_000, s: 1_000 };

/** Parses `30d`, `12h`, `90m` or `45s` into milliseconds (a commander option parser). */
export function parseDuration(text: string): number {
  const match = /^(\d{1,7})([dhms])$/.exec(text.trim());
  if (!match) throw new InvalidArgumentError('Expected a whole number and a unit: 30d, 12h, 90m or 45s.');
  return Number(match[1]) * UNIT_MS[match[2]!]!;
}
