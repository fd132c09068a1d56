// Advice, not a check: consumer queues in the code and the KEDA queue lists drift apart as
// services add consumers, and the code may be ahead of or behind the chart at any commit.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { root, SERVICES } from '../lib/paths.mjs';
import { chartDefaults } from '../chart/scenarios.mjs';

export function kedaAdvice() {
  {
    const declared = new Set();
    for (const name of Object.keys(SERVICES)) {
      const dir = path.join(root, 'services', name, 'src');
      if (!existsSync(dir)) continue;
      const walk = (d) =>
        readdirSync(d, { withFileTypes: true }).forEach((e) => {
          const p = path.join(d, e.name);
          if (e.isDirectory()) walk(p);
          else if (e.name.endsWith('.ts'))
            for (const m of readFileSync(p, 'utf8').matchAll(
              /\.consume\(\{[^}]*?purpose:\s*'([a-z0-9_-]+)'/gs,
            ))
              declared.add(`${name}.${m[1]}`);
        });
      walk(dir);
    }
    const listed = new Set(Object.values(chartDefaults.services).flatMap((s) => s.keda?.queues ?? []));
    for (const q of declared)
      if (!listed.has(q))
        console.log(`note: the code consumes ${q}, which no services.<name>.keda.queues lists`);
    for (const q of listed)
      if (!declared.has(q))
        console.log(`note: keda.queues lists ${q}, which no service consumes in this tree`);
  }
}
