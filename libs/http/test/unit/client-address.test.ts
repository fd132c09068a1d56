import express from 'express';
import request from 'supertest';
import { isInternalAddress, trustGatewayHop } from '../../src';

describe('services trust only the gateway hop', () => {
  it('counts loopback and private ranges as internal, public addresses not', () => {
    for (const a of [
      '127.0.0.1',
      '10.2.3.4',
      '172.20.0.9',
      '192.168.1.1',
      '::1',
      '::ffff:10.0.0.1',
      'fd12::1',
    ]) {
      expect(isInternalAddress(a)).toBe(true);
    }
    for (const a of ['203.0.113.9', '8.8.8.8', '2001:db8::1', '::ffff:8.8.8.8', 'nonsense']) {
      expect(isInternalAddress(a)).toBe(false);
    }
  });

  it('takes the one address the gateway forwarded and nothing a client put before it', async () => {
    const app = express();
    app.set('trust proxy', trustGatewayHop);
    app.get('/', (req, res) => {
      res.json({ ip: req.ip });
    });
    const res = await request(app).get('/').set('x-forwarded-for', '6.6.6.6, 10.9.9.9, 203.0.113.7');
    expect(res.body.ip).toBe('203.0.113.7');
    expect(trustGatewayHop('203.0.113.1', 0)).toBe(false);
    expect(trustGatewayHop('10.0.0.1', 1)).toBe(false);
  });
});
