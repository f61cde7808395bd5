import { createHash } from 'node:crypto';
import { accessMigrations } from '@wallet/access';
import { eventStoreMigrations } from '@wallet/event-store';
import { readModelMigrations } from '@wallet/read-model';
import { webhookMigrations } from '@wallet/webhooks';
import { allMigrations } from './all-migrations';

/**
 * Every migration a release has applied, in its place, with the SHA-256 of its SQL: databases
 * recorded these names, so neither a name nor a byte of the SQL may change. Add a line when a
 * release ships a new migration.
 */
const APPLIED: ReadonlyArray<readonly [string, string]> = Object.entries({
  '0001-event-store': 'a23dbdf8daf66f0c54e503e6e0d098e5799b10e6d3a0a97c7c9d41068fc086b7',
  '0002-read-model': '7ad1c39ab8d521796551167ca71678863d491e2943cf25dbab6a27f7472b957d',
  '0003-append-hardening': '324d486a60424d86a4799ad3ae7562002b43fbbc332a523f48794984c77667ed',
  '0004-transaction-groups': '8f30c5e8378d96c1463947f3d2888681011bdaa3d20229ebc19673e24be22c36',
  '0005-event-feed': '891242b2dcb6d5561b2c5c63bae76fbbf65136f923762c8f261d8fdaf1106a46',
  '0006-event-copy': '1bde40e332b3d4c0f670f25d8c2fb3ed1ac8b71280dc699a8a122272e3f54d1a',
  '0007-group-commit': '6649a7d15f82614256f706449209f25fb5bc440871976205cd3f9280045ae711',
  '0008-api-keys': '3af9819322cdfb596b07c0827c6eddfac2b3d94faf7f6d74b4490763928c3af5',
  '0009-event-chain': 'b2853ae9e9839a4ac959bfe6641b849b3c2050c94ec703b09d9a1813922ca909',
  '0010-snapshot-ids': 'ab6bfba69b58073ffb9b4c8f329451a4227a4923d9278c036f94fda83c404199',
});

/** Migrations after the applied ones, pinned by name and SQL all the same: once shipped, they never change. */
const PINNED_UNSHIPPED: ReadonlyArray<readonly [string, string]> = Object.entries({
  '0012-transaction-lifecycle': '90d5faead7c581252430f4ed4ee6c73027c9518032e22b22c0ea5e72332fc155',
  '0013-limits-references-totals': '6e3b6636dd9d418ef09e8a844262a80940fa86eaf92a4b78ef038dea20b01702',
  '0014-conflict-missed-events': '477b3deca6043e2ebe4b5212545bdf8469f5b6099bbba35b148d4cdb737dd863',
  '0015-webhooks-scope': 'f92b20ab3a47807ef0411d4d648c8f9187e6d0441671bb25870709db33ec0bc8',
  '0016-webhooks': '1f4e40c229c8f86ae9d83727b09fe9694e5f5990aa224975780d3cad5404995e',
});

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

describe('allMigrations', () => {
  it('keeps every applied migration under its name, in its place, its SQL byte for byte', () => {
    expect(allMigrations.slice(0, APPLIED.length).map((migration) => [migration.name, sha256(migration.up)])).toEqual(APPLIED);
  });

  it('keeps the pinned newer migrations byte for byte', () => {
    for (const [name, hash] of PINNED_UNSHIPPED) expect([name, sha256(allMigrations.find((migration) => migration.name === name)!.up)]).toEqual([name, hash]);
  });

  it("is every owner's list, each migration once", () => {
    const owned = [...eventStoreMigrations, ...accessMigrations, ...readModelMigrations, ...webhookMigrations];
    expect(new Set(allMigrations)).toEqual(new Set(owned));
    expect(allMigrations).toHaveLength(owned.length);
  });
});
