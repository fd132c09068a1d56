// One jest run for the whole monorepo: TypeScript through swc, workspace libs from source.
const libs = [
  'config',
  'http',
  'observability',
  'db',
  'messaging',
  'jobs',
  'contracts',
  'testing',
  'runtime',
];
const moduleNameMapper = Object.fromEntries(
  libs.map((name) => [`^@midas/${name}$`, `<rootDir>/libs/${name}/src`]),
);
const transform = { '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022' } }] };
const common = { rootDir: __dirname, transform, moduleNameMapper, testEnvironment: 'node' };

/** @type {import('jest').Config} */
module.exports = {
  testTimeout: 60000,
  projects: [
    {
      ...common,
      displayName: 'unit',
      testMatch: [
        '<rootDir>/{libs,services,tools}/*/test/**/domain/**/*.test.ts',
        '<rootDir>/{libs,services,tools}/*/test/unit/**/*.test.ts',
      ],
    },
    {
      ...common,
      displayName: 'integration',
      testMatch: ['<rootDir>/{libs,services,tools}/*/test/**/*.test.ts'],
      testPathIgnorePatterns: ['/domain/', '/test/unit/', '<rootDir>/tools/attack/'],
      globalSetup: '<rootDir>/libs/testing/src/global-setup.js',
    },
    {
      ...common,
      // The attack suite: the whole stack started as `npm start` runs it, attacked through the gateway.
      displayName: 'attack',
      testMatch: ['<rootDir>/tools/attack/test/**/*.test.ts'],
      globalSetup: '<rootDir>/libs/testing/src/global-setup.js',
    },
    {
      ...common,
      // The chaos soak for a minute: its own PostgreSQL, Redis and RabbitMQ, the stack under faults, the invariants.
      displayName: 'chaos',
      testMatch: ['<rootDir>/bench/chaos/test/**/*.test.ts'],
    },
  ],
};
