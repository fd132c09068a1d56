/**
 * The ceiling the webhook figures are compared with: a bare express app that reads the raw body,
 * checks the Stripe signature with the official client and answers, in its own process like the
 * services. BARE_PORT=... STRIPE_WEBHOOK_SECRET=... node --import tsx bench/payments/bare-webhook-server.ts
 */
import express from 'express';
import Stripe from 'stripe';

const stripe = new Stripe('sk_test_bare');
const secret = process.env.STRIPE_WEBHOOK_SECRET!;
const app = express();
app.post('/webhook', express.raw({ type: () => true }), (req, res) => {
  try {
    const event = stripe.webhooks.constructEvent(
      req.body as Buffer,
      req.get('stripe-signature') ?? '',
      secret,
    );
    res.json({ received: true, id: event.id });
  } catch {
    res.status(400).json({ received: false });
  }
});
const server = app.listen(Number(process.env.BARE_PORT ?? 0), '127.0.0.1');
process.on('SIGTERM', () => server.close(() => process.exit(0)));
