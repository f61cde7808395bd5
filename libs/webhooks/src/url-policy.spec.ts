import { WebhookUrlRefusedError, checkUrlShape, isPublicAddress } from './url-policy';

describe('isPublicAddress', () => {
  it.each(['8.8.8.8', '1.1.1.1', '93.184.216.34', '2606:4700:4700::1111', '2001:4860:4860::8888'])('lets the public address %s through', (address) => {
    expect(isPublicAddress(address)).toBe(true);
  });

  it.each([
    ['loopback', '127.0.0.1'],
    ['loopback (not .1)', '127.10.20.30'],
    ['IPv6 loopback', '::1'],
    ['private 10/8', '10.1.2.3'],
    ['private 172.16/12', '172.16.0.1'],
    ['private 172.16/12 (top)', '172.31.255.254'],
    ['private 192.168/16', '192.168.1.1'],
    ['link-local (cloud metadata)', '169.254.169.254'],
    ['IPv6 link-local', 'fe80::1'],
    ['unique-local fc00::/7 (fc)', 'fc00::1'],
    ['unique-local fc00::/7 (fd)', 'fd12:3456:789a::1'],
    ['carrier-grade NAT 100.64/10', '100.64.0.1'],
    ['multicast', '224.0.0.1'],
    ['IPv6 multicast', 'ff02::1'],
    ['IPv4-mapped loopback', '::ffff:127.0.0.1'],
    ['IPv4-mapped private', '::ffff:10.0.0.1'],
    ['IPv4-compatible loopback (deprecated form)', '::7f00:1'],
    ['IPv4-compatible private (deprecated form)', '::10.0.0.1'],
    ['NAT64 of loopback', '64:ff9b::7f00:1'],
    ['6to4 of loopback', '2002:7f00:1::1'],
    ['IPv6 site-local (deprecated)', 'fec0::1'],
    ['IPv6 discard prefix', '100::1'],
    ['IPv6 documentation', '2001:db8::1'],
    ['reserved 240/4', '240.0.0.1'],
    ['TEST-NET-1', '192.0.2.1'],
    ['this network 0/8', '0.1.2.3'],
    ['unspecified', '0.0.0.0'],
    ['IPv6 unspecified', '::'],
    ['broadcast', '255.255.255.255'],
    ['not an address', 'example.com'],
  ])('refuses %s (%s)', (_, address) => {
    expect(isPublicAddress(address)).toBe(false);
  });

  it('judges an IPv4-mapped public address as the IPv4 address it carries', () => {
    expect(isPublicAddress('::ffff:8.8.8.8')).toBe(true);
  });

  it('keeps 172.15 and 172.32, just outside 172.16/12, public', () => {
    expect(isPublicAddress('172.15.255.255')).toBe(true);
    expect(isPublicAddress('172.32.0.1')).toBe(true);
  });
});

describe('checkUrlShape', () => {
  const refusal = (url: string, allowPrivate = false): string => {
    try {
      checkUrlShape(url, allowPrivate);
    } catch (error) {
      expect(error).toBeInstanceOf(WebhookUrlRefusedError);
      return (error as WebhookUrlRefusedError).reason;
    }
    throw new Error(`${url} was not refused`);
  };

  it('refuses what does not parse', () => {
    expect(refusal('not a url')).toBe('the URL does not parse');
    expect(refusal('')).toBe('the URL does not parse');
  });

  it('refuses other schemes than https', () => {
    expect(refusal('ftp://example.com/hooks')).toBe('the URL must use https');
    expect(refusal('ftp://example.com/hooks', true)).toBe('the URL must use http or https');
    expect(refusal('file:///etc/passwd', true)).toBe('the URL must use http or https');
  });

  it('refuses http unless private URLs are allowed', () => {
    expect(refusal('http://example.com/hooks')).toBe('the URL must use https');
  });

  it('refuses credentials in the URL', () => {
    expect(refusal('https://user:pass@example.com/hooks')).toBe('the URL may not carry credentials');
    expect(refusal('https://user@example.com/hooks')).toBe('the URL may not carry credentials');
    expect(refusal('http://user:pass@127.0.0.1/hooks', true)).toBe('the URL may not carry credentials');
  });

  it.each([
    ['https://127.0.0.1/hooks', '127.0.0.1'],
    ['https://10.0.0.5:8443/hooks', '10.0.0.5'],
    ['https://169.254.169.254/latest', '169.254.169.254'],
    ['https://[::1]/hooks', '::1'],
    ['https://[fd00::1]/hooks', 'fd00::1'],
    ['https://[::7f00:1]/hooks', '::7f00:1'],
    // The URL parser writes these forms as the dotted address they stand for.
    ['https://0x7f000001/hooks', '127.0.0.1'],
    ['https://2130706433/hooks', '127.0.0.1'],
  ])('refuses the literal private address of %s', (url, host) => {
    expect(refusal(url)).toBe(`${host} is not a public address`);
  });

  it('refuses an IPv4-mapped loopback written as IPv6', () => {
    expect(refusal('https://[::ffff:127.0.0.1]/hooks')).toMatch(/is not a public address$/);
  });

  it('lets https to a name or a public address through, unchanged', () => {
    expect(checkUrlShape('https://hooks.example.com/in?x=1', false).href).toBe('https://hooks.example.com/in?x=1');
    expect(checkUrlShape('https://8.8.8.8/hooks', false).hostname).toBe('8.8.8.8');
  });

  it('lets http and 127.0.0.1 through when private URLs are allowed', () => {
    expect(checkUrlShape('http://127.0.0.1:8080/hooks', true).href).toBe('http://127.0.0.1:8080/hooks');
    expect(checkUrlShape('https://10.0.0.5/hooks', true).hostname).toBe('10.0.0.5');
    expect(checkUrlShape('http://[::1]:9000/hooks', true).hostname).toBe('[::1]');
  });
});
