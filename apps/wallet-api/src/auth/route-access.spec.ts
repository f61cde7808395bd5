import { PUBLIC, routeNeeds } from './route-access.decorator';

describe('routeNeeds (what the authentication hook enforces and the OpenAPI document shows)', () => {
  const flagsOff = { METRICS_PUBLIC: false, DOCS_PUBLIC: false };
  const flagsOn = { METRICS_PUBLIC: true, DOCS_PUBLIC: true };

  it('a route that declares no access needs an admin key', () => {
    expect(routeNeeds({}, flagsOn)).toBe('admin');
  });

  it('a route that names a scope needs it', () => {
    expect(routeNeeds({ requiredScope: 'wallets:read' }, flagsOff)).toBe('wallets:read');
  });

  it('a public route needs no key; one open by a flag needs admin while the flag is off', () => {
    expect(routeNeeds({ public: true }, flagsOff)).toBe(PUBLIC);
    expect(routeNeeds({ public: 'METRICS_PUBLIC' }, flagsOn)).toBe(PUBLIC);
    expect(routeNeeds({ public: 'METRICS_PUBLIC' }, flagsOff)).toBe('admin');
  });
});
