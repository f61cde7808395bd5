/** The Nest injection token of the service's shared pg pool. */
export const PG_POOL = Symbol('PG_POOL');
