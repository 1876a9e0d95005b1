import { adopterApp } from './app.js';

const serviceUrl = process.env.SERVICE_URL ?? 'http://localhost:3000';
const webhookSecret = process.env.WEBHOOK_SECRET;
if (!webhookSecret) {
  console.error('Set WEBHOOK_SECRET to one of the service’s WEBHOOK_SECRET values (whsec_…).');
  process.exit(1);
}
const app = await adopterApp({ serviceUrl, webhookSecret });
const port = Number(process.env.PORT ?? 4000);
await app.listen({ port, host: '127.0.0.1' });
console.log(`Example app on http://localhost:${port}; point the service's WEBHOOK_URLS at http://127.0.0.1:${port}/webhooks`);
