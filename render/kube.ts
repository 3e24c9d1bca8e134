/** Kubernetes objects as the render reads them: plain JSON, with the few fields it looks at typed. */

export type KubeObject = Record<string, unknown>;

export interface ObjectMeta {
  name?: string;
  namespace?: string;
  annotations?: Record<string, string>;
}

export function metaOf(object: KubeObject): ObjectMeta {
  return (object.metadata as ObjectMeta | undefined) ?? {};
}

export interface PodSpecLike {
  containers?: Array<{ name?: string; image?: string }>;
  initContainers?: Array<{ name?: string; image?: string }>;
}

/** The pod template of a workload object, if it has one. */
export function podSpec(object: KubeObject): PodSpecLike | undefined {
  const spec = object.spec as
    | { template?: { spec?: PodSpecLike }; jobTemplate?: { spec?: { template?: { spec?: PodSpecLike } } } }
    | undefined;
  return spec?.template?.spec ?? spec?.jobTemplate?.spec?.template?.spec;
}

export const WORKLOAD_KINDS = new Set([
  "Deployment",
  "StatefulSet",
  "DaemonSet",
  "Job",
  "CronJob",
  "ReplicaSet",
  "Pod",
]);
