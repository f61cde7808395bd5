/** Keys may carry the `webhooks:manage` scope (admin includes it). */
export const up = /* sql */ `
alter table access.api_keys drop constraint api_keys_scopes_check;
alter table access.api_keys add constraint api_keys_scopes_check check (
  cardinality(scopes) > 0 and scopes <@ array['wallets:read', 'wallets:write', 'events:read', 'webhooks:manage', 'admin']
);
`;
