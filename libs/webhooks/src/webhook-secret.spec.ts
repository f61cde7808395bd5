import { Webhook } from 'standardwebhooks';
import { newWebhookSecret, signWebhook } from './webhook-secret';

const body = JSON.stringify({ endpointId: 'e1', items: [{ position: '7', type: 'TransactionRecorded' }] });
const webhookId = 'msg_0192f0c2-0000-7000-8000-000000000000';

const headersFor = (signature: string, timestamp: number): Record<string, string> => ({
  'webhook-id': webhookId,
  'webhook-timestamp': String(timestamp),
  'webhook-signature': signature,
});

describe('newWebhookSecret', () => {
  it('is whsec_ and 32 random bytes in base64, different every time', () => {
    const secrets = Array.from({ length: 20 }, () => newWebhookSecret());
    for (const secret of secrets) {
      expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
      expect(Buffer.from(secret.slice('whsec_'.length), 'base64')).toHaveLength(32);
    }
    expect(new Set(secrets).size).toBe(secrets.length);
  });
});

describe('signWebhook', () => {
  const now = (): number => Math.floor(Date.now() / 1000);

  it('signs as the standardwebhooks package verifies', () => {
    const secret = newWebhookSecret();
    const timestamp = now();
    const signature = signWebhook([secret], webhookId, timestamp, body);
    expect(signature).toMatch(/^v1,[A-Za-z0-9+/]{43}=$/);
    expect(new Webhook(secret).verify(body, headersFor(signature, timestamp))).toEqual(JSON.parse(body));
  });

  it('with two secrets (a rotation), writes one signature per secret that each verifies', () => {
    const [current, previous] = [newWebhookSecret(), newWebhookSecret()];
    const timestamp = now();
    const signature = signWebhook([current, previous], webhookId, timestamp, body);
    expect(signature.split(' ')).toHaveLength(2);
    for (const secret of [current, previous]) expect(() => new Webhook(secret).verify(body, headersFor(signature, timestamp))).not.toThrow();
  });

  it('fails verification with a wrong secret, a changed body, id or timestamp', () => {
    const secret = newWebhookSecret();
    const timestamp = now();
    const signature = signWebhook([secret], webhookId, timestamp, body);
    expect(() => new Webhook(newWebhookSecret()).verify(body, headersFor(signature, timestamp))).toThrow();
    expect(() => new Webhook(secret).verify(body.replace('7', '8'), headersFor(signature, timestamp))).toThrow();
    expect(() => new Webhook(secret).verify(body, { ...headersFor(signature, timestamp), 'webhook-id': 'msg_other' })).toThrow();
    expect(() => new Webhook(secret).verify(body, headersFor(signature, timestamp - 1))).toThrow();
  });

  it('accepts a secret without its whsec_ prefix as the same key', () => {
    const secret = newWebhookSecret();
    const timestamp = now();
    expect(signWebhook([secret.slice('whsec_'.length)], webhookId, timestamp, body)).toBe(signWebhook([secret], webhookId, timestamp, body));
  });
});
