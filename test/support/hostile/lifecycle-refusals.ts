import fc from 'fast-check';
import type { Limits } from './domain-refusals';
import { CREDIT_LEFT_MINOR, type Fixture, HOLD_MINOR } from './fixture';
import type { HostileRequest } from './hostile-request';
import { MAX_MINOR, validReference } from './refused-values';

const amountFrom = (min: bigint) => fc.bigInt({ min, max: MAX_MINOR }).map(String);
const anyAmount = amountFrom(1n);
const reason = fc.constantFrom('refund', 'chargeback', 'expired', 'r'.repeat(500));
const metadata = fc.constantFrom({ k: 'v' }, { n: 1, flag: true, none: null });

/** Bodies each route takes, or none: valid as bodies, so only the target can be refused. */
const captureBody = fc.option(fc.record({ amount: anyAmount, final: fc.boolean() }, { requiredKeys: [] }), { nil: undefined });
const reverseBody = fc.option(fc.record({ amount: anyAmount, reason, metadata, reference: validReference }, { requiredKeys: [] }), { nil: undefined });
const groupReverseBody = fc.option(fc.record({ reason, reference: validReference }, { requiredKeys: [] }), { nil: undefined });

const request = (label: string, path: string, body: unknown, expect: readonly number[]): HostileRequest => ({
  label,
  method: 'POST',
  path,
  body: body === undefined ? undefined : JSON.stringify(body),
  expect,
});

/**
 * Well-formed captures, increases and reversals the domain refuses, for what they aim at:
 * more than a hold holds or is left to reverse, a transaction or group past the point where
 * the action applies, a group's leg addressed directly, an unknown or misplaced id.
 */
export function refusedInTheLifecycle(fixture: Fixture, limits: Limits): fc.Arbitrary<HostileRequest> {
  const { usdA, usdB, hold, credit, reversal, rejectedHold, pendingLeg, completedLeg } = fixture;
  const on = (id: string, action: string, walletId = usdA) => `/v1/wallets/${walletId}/transactions/${id}/${action}`;
  const groupReverse = (id: string) => `/v1/transaction-groups/${id}/reverse`;
  const settled = fc.constantFrom(credit, reversal, rejectedHold);
  return fc.oneof(
    fc.tuple(amountFrom(HOLD_MINOR + 1n), fc.option(fc.boolean(), { nil: undefined })).map(([amount, final]) =>
      request('capture more than the hold holds', on(hold, 'confirm'), { amount, final }, [422]),
    ),
    fc.tuple(settled, captureBody).map(([id, body]) => request('capture a transaction that is not pending', on(id, 'confirm'), body, [409])),
    fc.tuple(settled, anyAmount).map(([id, amount]) => request('increase a transaction that is not pending', on(id, 'increase'), { amount }, [409])),
    amountFrom(limits.beyondEveryBalance).map((amount) => request('increase the hold beyond the balance', on(hold, 'increase'), { amount }, [422])),
    fc.tuple(fc.constantFrom(hold, rejectedHold, reversal), reverseBody).map(([id, body]) => request('reverse a pending, rejected or reversal transaction', on(id, 'reverse'), body, [409])),
    fc.tuple(amountFrom(CREDIT_LEFT_MINOR + 1n), reverseBody).map(([amount, body]) => request('reverse more than is left', on(credit, 'reverse'), { ...body, amount }, [422])),
    fc.tuple(fc.constantFrom(fixture.group, fixture.reversedGroup, fixture.reversalGroup), groupReverseBody).map(([id, body]) =>
      request('reverse a pending, reversed or reversal group', groupReverse(id), body, [409]),
    ),
    fc.tuple(fc.constantFrom('confirm', 'increase', 'reject', 'reverse'), anyAmount).map(([action, amount]) =>
      request(`${action} a pending group's leg directly`, on(pendingLeg, action), action === 'increase' ? { amount } : undefined, [409]),
    ),
    reverseBody.map((body) => request("reverse a completed group's leg directly", on(completedLeg, 'reverse'), body, [409])),
    fc.tuple(fc.uuid(), fc.constantFrom('increase', 'reverse')).map(([unknown, action]) =>
      request(`${action} an unknown transaction`, on(unknown, action), action === 'increase' ? { amount: '1' } : undefined, [404]),
    ),
    fc.constantFrom(on(hold, 'confirm', usdB), on(hold, 'increase', usdB), on(credit, 'reverse', usdB)).map((path) =>
      request('capture, increase or reverse through another wallet', path, path.endsWith('increase') ? { amount: '1' } : undefined, [404]),
    ),
    fc.uuid().map((unknown) => request('reverse an unknown group', groupReverse(unknown), undefined, [404])),
  );
}
