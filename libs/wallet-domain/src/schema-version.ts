/**
 * Checks that a stored event is of a type and schema version this build can decode, and
 * returns its type. Every type is at version 1 today, so nothing is upcast yet; a version
 * this code does not know is a broken invariant, not a domain outcome.
 */
export function knownVersion<Type extends string>(
  versions: Readonly<Record<Type, number>>,
  encoded: { readonly type: string; readonly schemaVersion: number },
): Type {
  const expected = Object.hasOwn(versions, encoded.type) ? versions[encoded.type as Type] : undefined;
  if (expected === undefined || encoded.schemaVersion !== expected) {
    throw new Error(`Cannot decode ${encoded.type} v${encoded.schemaVersion}: this build knows v${expected ?? 'none'}.`);
  }
  return encoded.type as Type;
}
