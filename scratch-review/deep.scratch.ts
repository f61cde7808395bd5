import { startApp, post } from './app';
it('deep nesting', async () => {
  const { app, base, db } = await startApp({ LOG_LEVEL: 'error' });
  for (const depth of [100, 20000]) {
    let nested = '1'; for (let i = 0; i < depth; i++) nested = '[' + nested + ']';
    const body = `{"type":"main","currency":"USD","metadata":{"a":${nested}}}`;
    const a = await post(base, '/v1/wallets', body);
    const b = await post(base, '/v1/wallets', body, { 'idempotency-key': 'deep-' + depth });
    console.log('depth', depth, 'no key:', a.status, 'with key:', b.status, b.text.slice(0, 200));
  }
  await app.close(); await db!.drop();
  const down = await startApp({}, 'postgres://postgres:postgres@127.0.0.1:1/nothing');
  const h = await fetch(down.base + '/health/ready');
  console.log('ready with db down:', h.status, await h.text());
  await down.app.close();
});
