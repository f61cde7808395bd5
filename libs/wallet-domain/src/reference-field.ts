/**
 * The `reference` field of an event that records a transaction or a group: absent when there
 * is none, so events written before references existed and those without one read alike.
 */
export function referenceField(reference: string | null | undefined): { reference?: string } {
  return reference == null ? {} : { reference };
}
