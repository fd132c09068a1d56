// Small readers of rendered objects, and the pod-level promises every workload keeps.
import { assert } from '../lib/report.mjs';

export function byKind(objects, kind) {
  return objects.filter((o) => o.kind === kind);
}
export function component(o) {
  return o.metadata?.labels?.['app.kubernetes.io/component'];
}
export function hasHook(o) {
  return Boolean(o.metadata?.annotations?.['helm.sh/hook']);
}

export function assertPodSecurity(podSpec, label) {
  const pod = podSpec.securityContext ?? {};
  assert(pod.runAsNonRoot === true && pod.runAsUser === 1000, `${label}: pod must run as non-root user 1000`);
  assert(
    pod.seccompProfile?.type === 'RuntimeDefault',
    `${label}: pod seccompProfile must be RuntimeDefault`,
  );
  for (const c of podSpec.containers) {
    const sc = c.securityContext ?? {};
    assert(sc.readOnlyRootFilesystem === true, `${label}/${c.name}: readOnlyRootFilesystem must be true`);
    assert(
      sc.allowPrivilegeEscalation === false,
      `${label}/${c.name}: allowPrivilegeEscalation must be false`,
    );
    assert(
      sc.runAsNonRoot === true && sc.runAsUser === 1000,
      `${label}/${c.name}: must run as non-root user 1000`,
    );
    assert(sc.capabilities?.drop?.includes('ALL'), `${label}/${c.name}: capabilities must drop ALL`);
    assert(
      sc.seccompProfile?.type === 'RuntimeDefault',
      `${label}/${c.name}: seccompProfile must be RuntimeDefault`,
    );
  }
}
export function assertTmp(podSpec, label) {
  const vol = podSpec.volumes?.find((v) => v.name === 'tmp');
  assert(vol?.emptyDir, `${label}: needs an emptyDir volume "tmp"`);
  for (const c of podSpec.containers)
    assert(
      c.volumeMounts?.some((m) => m.name === 'tmp' && m.mountPath === '/tmp'),
      `${label}/${c.name}: must mount the emptyDir at /tmp`,
    );
}
export function env(container, name) {
  return container.env?.find((e) => e.name === name);
}
