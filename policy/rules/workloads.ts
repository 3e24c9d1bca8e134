/**
 * Workloads: requests and limits on every pod-bearing object (pods.ts); probes, zone spread and a
 * PodDisruptionBudget on the replicated ones (Deployments and StatefulSets), as kube-score checks them.
 *
 * `pulumi preview --policy-pack` sees the program's resources only: the objects a Helm release
 * (kubernetes:helm.sh/v3:Release) installs are made inside the release. The offline render runs the same
 * rules over the objects the charts expand to (render/summary/review.ts), and the tests hold them to it.
 */

import { podContainers, podLabels, podOf } from "./pods";
import {
  asRecord,
  get,
  list,
  notApplicable,
  type PolicyInput,
  present,
  type StackInput,
  type StackViolation,
  str,
  stringMap,
  type Verdict,
} from "./props";
import { KUBERNETES } from "./resource-types";

export const WORKLOAD_TYPES: readonly string[] = [KUBERNETES.deployment, KUBERNETES.statefulSet];
export const PDB_TYPE = KUBERNETES.podDisruptionBudget;
export const ZONE_TOPOLOGY_KEY = "topology.kubernetes.io/zone";

/** The namespace a namespaced object lands in: the provider's default when none is named. */
function namespaceOf(resource: PolicyInput): string {
  return str(resource.props, "metadata", "namespace") ?? "default";
}

function describe(resource: PolicyInput): string {
  return `${resource.type.split(":").pop() ?? resource.type} ${namespaceOf(resource)}/${str(resource.props, "metadata", "name") ?? "?"}`;
}

function containers(resource: PolicyInput, field: "containers" | "initContainers"): readonly unknown[] {
  return list(podOf(resource)?.spec, field);
}

const containerName = (container: unknown): string => str(container, "name") ?? "?";

/**
 * Whether a label selector selects pods with these labels (matchLabels and matchExpressions, as
 * metav1.LabelSelector defines them). A missing selector selects nothing; an empty one, everything.
 */
export function selects(selector: unknown, labels: Readonly<Record<string, string>>): boolean {
  const spec = asRecord(selector);
  if (spec === undefined) return false;
  const matchLabels = stringMap(spec, "matchLabels");
  if (Object.keys(matchLabels).some((key) => labels[key] !== matchLabels[key])) return false;
  return list(spec, "matchExpressions").every((expression) => {
    const key = str(expression, "key") ?? "";
    const values = list(expression, "values").filter((v): v is string => typeof v === "string");
    const has = Object.prototype.hasOwnProperty.call(labels, key);
    switch (str(expression, "operator")) {
      case "In":
        return has && values.includes(labels[key]);
      case "NotIn":
        return !has || !values.includes(labels[key]);
      case "Exists":
        return has;
      case "DoesNotExist":
        return !has;
      default:
        return false;
    }
  });
}

function workloadOnly(resource: PolicyInput): Verdict | undefined {
  return WORKLOAD_TYPES.includes(resource.type) ? undefined : notApplicable("not a Deployment or StatefulSet");
}

/**
 * Every container has a readiness probe (the load balancer and the Service send traffic only to
 * ready pods); every container that serves a port also has a liveness probe (a wedged server is
 * restarted). A container with no port serves nothing a liveness probe could check.
 */
export function workloadProbes(resource: PolicyInput): Verdict {
  const skip = workloadOnly(resource);
  if (skip) return skip;
  const found: string[] = [];
  for (const container of containers(resource, "containers")) {
    if (!present(container, "readinessProbe"))
      found.push(`${describe(resource)}: container ${containerName(container)} has no readinessProbe`);
    if (list(container, "ports").length > 0 && !present(container, "livenessProbe")) {
      found.push(`${describe(resource)}: container ${containerName(container)} serves a port but has no livenessProbe`);
    }
  }
  return found;
}

/**
 * Every container of every pod-bearing object (init containers too: they are scheduled the same way) requests
 * CPU and memory, and has a memory limit: the scheduler places pods by their requests, and a pod without a
 * memory limit can starve its node. No CPU limit is asked for: a CPU limit throttles a pod even on an idle
 * node, which the EKS Best Practices guide advises against for most workloads ("Reliability: Applications",
 * https://docs.aws.amazon.com/eks/latest/best-practices/application.html); kube-score's container-resources
 * wants one, and summary.md's Review says why it is not followed.
 */
export function workloadResources(resource: PolicyInput): Verdict {
  if (!podOf(resource)) return notApplicable("not a pod-bearing kind");
  const found: string[] = [];
  for (const container of podContainers(resource)) {
    const missing = [
      ["requests", "cpu"],
      ["requests", "memory"],
      ["limits", "memory"],
    ]
      .filter(([kind, name]) => !present(container, "resources", kind, name))
      .map(([kind, name]) => `${kind}.${name}`);
    if (missing.length > 0)
      found.push(`${describe(resource)}: container ${containerName(container)} has no ${missing.join(", ")}`);
  }
  return found;
}

/**
 * A workload that declares fewer than two replicas has nothing to spread or keep available: kube-score skips
 * its PodDisruptionBudget and anti-affinity checks then (zegl/kube-score @ 06dedc9c
 * score/disruptionbudget/disruptionbudget.go L77-80, score/apps/apps.go L58-63); one that leaves replicas out
 * (an autoscaler's) is checked.
 */
export function singleton(resource: PolicyInput): boolean {
  const replicas = get(resource.props, "spec", "replicas");
  return typeof replicas === "number" && replicas < 2;
}

/** Pods spread over zones: a topology spread constraint on the zone key that counts this workload's own pods. */
export function workloadZoneSpread(resource: PolicyInput): Verdict {
  const skip = workloadOnly(resource);
  if (skip) return skip;
  if (singleton(resource)) return notApplicable("fewer than two replicas");
  const labels = podLabels(resource);
  const constraints = list(resource.props, "spec", "template", "spec", "topologySpreadConstraints");
  const onZone = constraints.filter((c) => get(c, "topologyKey") === ZONE_TOPOLOGY_KEY);
  if (onZone.length === 0) return [`${describe(resource)} has no topologySpreadConstraint on ${ZONE_TOPOLOGY_KEY}`];
  return onZone.some((c) => selects(get(c, "labelSelector"), labels))
    ? []
    : [
        `${describe(resource)}: its ${ZONE_TOPOLOGY_KEY} spread constraint's labelSelector does not select its own pods`,
      ];
}

/** Every workload has a PodDisruptionBudget in its namespace whose selector selects its pods (a cross-resource rule). */
export function workloadDisruptionBudgets(resources: readonly StackInput[]): StackViolation[] {
  const budgets = resources.filter((r) => r.type === PDB_TYPE);
  return resources
    .filter((r) => WORKLOAD_TYPES.includes(r.type) && !singleton(r))
    .filter((workload) => {
      const labels = podLabels(workload);
      return !budgets.some(
        (pdb) => namespaceOf(pdb) === namespaceOf(workload) && selects(get(pdb.props, "spec", "selector"), labels),
      );
    })
    .map((workload) => ({
      urn: workload.urn,
      message: `${describe(workload)} has no PodDisruptionBudget selecting its pods`,
    }));
}

export const HPA_TYPE = KUBERNETES.horizontalPodAutoscaler;
/** kube-score's default for `horizontalpodautoscaler-replicas` (`--min-replicas-hpa`, zegl/kube-score @ 06dedc9c README_CHECKS.md). */
export const HPA_MIN_REPLICAS = 2;

/**
 * Every HorizontalPodAutoscaler scales a workload declared in its namespace, from at least two replicas, and a
 * workload it scales declares no count of its own (which would fight it on every apply). zegl/kube-score
 * @ 06dedc9c score/hpa/hpa.go L16-50 (horizontalpodautoscaler-has-target, horizontalpodautoscaler-replicas),
 * score/apps/apps.go L28-54 (deployment-targeted-by-hpa-does-not-have-replicas-configured: any set count fails).
 */
export function workloadAutoscalers(resources: readonly StackInput[]): StackViolation[] {
  const workloads = resources.filter((r) => WORKLOAD_TYPES.includes(r.type));
  return resources
    .filter((r) => r.type === HPA_TYPE)
    .flatMap((hpa) => {
      const name = `HorizontalPodAutoscaler ${namespaceOf(hpa)}/${str(hpa.props, "metadata", "name") ?? "?"}`;
      const apiVersion = str(hpa.props, "spec", "scaleTargetRef", "apiVersion") ?? "?";
      const kind = str(hpa.props, "spec", "scaleTargetRef", "kind") ?? "?";
      const targetName = str(hpa.props, "spec", "scaleTargetRef", "name") ?? "?";
      // As kube-score matches a target: apiVersion, kind and name, in the HPA's namespace (a type token
      // `kubernetes:apps/v1:Deployment` names apiVersion apps/v1 and kind Deployment).
      const target = workloads.find((w) => {
        const [, group, typeKind] = w.type.split(":");
        return (
          namespaceOf(w) === namespaceOf(hpa) &&
          group === apiVersion &&
          typeKind === kind &&
          str(w.props, "metadata", "name") === targetName
        );
      });
      const minReplicas = get(hpa.props, "spec", "minReplicas") ?? 1;
      return [
        ...(target
          ? []
          : [
              {
                urn: hpa.urn,
                message: `${name} scales ${apiVersion} ${kind} ${targetName}, which the stack does not declare in ${namespaceOf(hpa)}`,
              },
            ]),
        ...(typeof minReplicas === "number" && minReplicas < HPA_MIN_REPLICAS
          ? [
              {
                urn: hpa.urn,
                message: `${name} may scale down to ${minReplicas} replica: one pod is no redundancy (at least ${HPA_MIN_REPLICAS})`,
              },
            ]
          : []),
        ...(target && present(target.props, "spec", "replicas")
          ? [
              {
                urn: target.urn,
                message: `${describe(target)} declares replicas ${String(get(target.props, "spec", "replicas"))} while ${name} scales it: every apply would reset the autoscaler's count`,
              },
            ]
          : []),
      ];
    });
}
