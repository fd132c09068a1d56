// The pinned helm binary, --set arguments, and multi-document YAML.
import { spawnSync } from 'node:child_process';
import YAML from 'yaml';
import { helmBin } from './paths.mjs';

export function helm(args) {
  const res = spawnSync(helmBin, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (res.error) throw res.error;
  // Helm reports every followed symlink (files/grafana, files/prometheus) on stderr.
  const stderr = res.stderr
    .split('\n')
    .filter((l) => l && !/found symbolic link in path/.test(l))
    .join('\n');
  return { status: res.status, stdout: res.stdout, stderr };
}
export function setArgs(set) {
  return Object.entries(set).flatMap(([k, v]) =>
    typeof v === 'string' ? ['--set-string', `${k}=${v}`] : ['--set', `${k}=${v}`],
  );
}

export function parseDocs(text, label) {
  return YAML.parseAllDocuments(text).flatMap((doc) => {
    if (doc.errors.length) throw new Error(`${label}: ${doc.errors[0].message}`);
    const obj = doc.toJS();
    return obj ? [obj] : [];
  });
}
