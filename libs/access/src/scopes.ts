/** What a key may do. `admin` includes every other scope and key management. */
export const SCOPES = ['wallets:read', 'wallets:write', 'events:read', 'webhooks:manage', 'admin'] as const;

export type Scope = (typeof SCOPES)[number];

const known: ReadonlySet<string> = new Set(SCOPES);

export const isScope = (text: string): text is Scope => known.has(text);

/** True when a key with `granted` scopes may use a route that needs `required`. */
export function allows(granted: readonly Scope[], required: Scope): boolean {
  return granted.includes('admin') || granted.includes(required);
}
