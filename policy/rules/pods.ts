/**
 * Where each pod-bearing kind keeps its pod: the template of a Deployment, StatefulSet, DaemonSet, ReplicaSet
 * or Job (`spec.template`), a CronJob's job's (`spec.jobTemplate.spec.template`), a Pod itself; and their
 * server-side-apply `*Patch` forms, which set the same fields. The kinds checkov's pod checks support
 * (bridgecrewio/checkov @ 03d5fdad checkov/kubernetes/checks/resource/k8s/Seccomp.py `supported_kind`).
 */
import { asRecord, get, list, type PolicyInput, str, stringMap } from "./props";

const TEMPLATE = ["spec", "template"] as const;

/** Pod-bearing kinds by type token (group/version:Kind, as pulumi-kubernetes names them), and their pod's path. */
const POD_PATHS: Readonly<Record<string, readonly string[]>> = Object.fromEntries(
  (
    [
      ["apps/v1:Deployment", TEMPLATE],
      ["apps/v1:StatefulSet", TEMPLATE],
      ["apps/v1:DaemonSet", TEMPLATE],
      ["apps/v1:ReplicaSet", TEMPLATE],
      ["batch/v1:Job", TEMPLATE],
      ["batch/v1:CronJob", ["spec", "jobTemplate", "spec", "template"]],
      ["core/v1:Pod", []],
      ["core/v1:ReplicationController", TEMPLATE],
    ] as const
  ).flatMap(([kind, at]) => [
    [`kubernetes:${kind}`, at],
    [`kubernetes:${kind}Patch`, at],
  ]),
);

/** Every pod-bearing type token. */
export const POD_BEARING_TYPES: readonly string[] = Object.keys(POD_PATHS);

/** A resource's pod (metadata and spec), or undefined for a kind that has none. */
export function podOf(resource: PolicyInput): { readonly metadata: unknown; readonly spec: unknown } | undefined {
  const at = POD_PATHS[resource.type];
  if (at === undefined) return undefined;
  const pod = at.length === 0 ? resource.props : get(resource.props, ...at);
  return { metadata: get(pod, "metadata"), spec: get(pod, "spec") };
}

/** A pod's containers and init containers (ephemeral containers are added at run time, not declared). */
export function podContainers(resource: PolicyInput): readonly unknown[] {
  const spec = podOf(resource)?.spec;
  return [...list(spec, "initContainers"), ...list(spec, "containers")];
}

/** The labels of a resource's pods. */
export function podLabels(resource: PolicyInput): Readonly<Record<string, string>> {
  return stringMap(podOf(resource)?.metadata, "labels");
}

/** "Deployment ns/name", for messages. */
export function describeObject(resource: PolicyInput): string {
  return `${resource.type.split(":").pop() ?? resource.type} ${str(resource.props, "metadata", "namespace") ?? "default"}/${str(resource.props, "metadata", "name") ?? "?"}`;
}

/** A pod spec's field, as a record (for the pod-level security context). */
export function podSpecRecord(resource: PolicyInput, field: string): Readonly<Record<string, unknown>> | undefined {
  return asRecord(get(podOf(resource)?.spec, field));
}
