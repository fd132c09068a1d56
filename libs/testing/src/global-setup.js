// Fails the integration run at once, with one line each, when a service the tests need is down.
const net = require('node:net');

function reachable(host, port) {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port, timeout: 2000 });
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => (socket.destroy(), resolve(false)));
  });
}

module.exports = async () => {
  const needs = [
    ['PostgreSQL', process.env.DATABASE_URL ?? 'postgres://127.0.0.1:5432', 5432],
    ['Redis', process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', 6379],
    ['RabbitMQ', process.env.AMQP_URL ?? 'amqp://127.0.0.1:5672', 5672],
  ];
  const missing = [];
  for (const [name, url, defaultPort] of needs) {
    const u = new URL(url);
    if (!(await reachable(u.hostname || '127.0.0.1', Number(u.port) || defaultPort)))
      missing.push(`${name} is not reachable at ${u.host}`);
  }
  if (missing.length) throw new Error(`Integration tests need real services:\n${missing.join('\n')}`);
};
