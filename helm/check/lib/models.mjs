// Schema validation against kubernetes-models, and unknown fields through TypeScript's excess-property check.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { here } from './paths.mjs';

const MODELS = {
  v1: 'kubernetes-models/v1',
  'apps/v1': 'kubernetes-models/apps/v1',
  'batch/v1': 'kubernetes-models/batch/v1',
  'policy/v1': 'kubernetes-models/policy/v1',
  'autoscaling/v2': 'kubernetes-models/autoscaling/v2',
  'networking.k8s.io/v1': 'kubernetes-models/networking.k8s.io/v1',
  'keda.sh/v1alpha1': '@kubernetes-models/keda/keda.sh/v1alpha1',
  'monitoring.coreos.com/v1': '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1',
};
async function modelClass(apiVersion, kind) {
  const mod = MODELS[apiVersion];
  if (!mod) throw new Error(`no schema known for ${apiVersion}`);
  const exported = await import(`${mod}/${kind}`);
  const cls = exported[kind];
  if (!cls) throw new Error(`no model for ${apiVersion} ${kind}`);
  return { cls, module: `${mod}/${kind}`, iface: `I${kind}` };
}
export async function schemaErrors(obj) {
  const { cls } = await modelClass(obj.apiVersion, obj.kind);
  try {
    new cls(obj).validate();
    return undefined;
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
}

/** TypeScript excess-property checks catch unknown or misplaced fields the JSON schemas allow. */
export async function unknownFieldErrors(objects) {
  const dir = mkdtempSync(path.join(here, '.typecheck-'));
  try {
    const imports = new Map();
    const lines = [];
    for (const [i, { label, obj }] of objects.entries()) {
      const { module, iface } = await modelClass(obj.apiVersion, obj.kind);
      const alias = `${iface}_${imports.size}`;
      if (!imports.has(module)) imports.set(module, alias);
      lines.push(
        `// ${label}\nexport const o${i}: ${imports.get(module)} = ${JSON.stringify(obj, null, 2)};`,
      );
    }
    const header = [...imports].map(
      ([module, alias]) => `import type { ${alias.replace(/_\d+$/, '')} as ${alias} } from '${module}';`,
    );
    const file = path.join(dir, 'manifests.ts');
    writeFileSync(file, `${header.join('\n')}\n${lines.join('\n')}\n`);
    const program = ts.createProgram([file], {
      strict: true,
      noEmit: true,
      skipLibCheck: true,
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      target: ts.ScriptTarget.ES2022,
      types: [],
    });
    const fileLines = readFileSync(file, 'utf8').split('\n');
    // Names the object (the "// label" line above it) and the field path the error is at.
    const locate = (line) => {
      let i = line;
      while (i > 0 && !fileLines[i].startsWith('// ')) i -= 1;
      return `${fileLines[i].slice(3)} (line ${line - i} of its JSON: ${fileLines[line].trim()})`;
    };
    return ts
      .getPreEmitDiagnostics(program)
      .slice(0, 10)
      .map((d) => {
        const text = ts.flattenDiagnosticMessageText(d.messageText, '\n').split('\n').slice(-1)[0];
        if (!d.file || d.start === undefined) return text;
        return `${locate(d.file.getLineAndCharacterOfPosition(d.start).line)}: ${text}`;
      });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
