import { startApp, post } from './app';
async function main() {
  const { app, base, db } = await startApp();
  let nested = '1'; for (let i = 0; i < 20000; i++) nested = '[' + nested + ']';
  const body = `{"type":"main","currency":"USD","metadata":{"a":${nested}}}`;
  console.log('deep body, no key:', (await post(base, '/v1/wallets', body)).status);
  const r = await post(base, '/v1/wallets', body, { 'idempotency-key': 'deep-1' });
  console.log('deep body, with key:', r.status, r.text);
  await app.close(); await db!.drop();
  const down = await startApp({}, 'postgres://postgres:postgres@127.0.0.1:1/nothing');
  const h = await fetch(down.base + '/health/ready');
  console.log('ready with db down:', h.status, await h.text());
  await down.app.close();
}
main().catch((e) => { console.error(e); process.exit(2); });
