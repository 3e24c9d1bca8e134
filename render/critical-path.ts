/**
 * The deploy's modelled critical path: the longest chain of waits in the recorded resource graph, with
 * typical creation times. It shows in summary.md, and a test holds it to the chain no ordering can avoid
 * (cluster, then the CNI add-on, a node group, a controller release, a load balancer).
 */

import { AWS, KUBERNETES, PULUMI_EKS } from "../components/resource-types";
import type { ProgramRun, RecordedResource } from "./harness";

/**
 * Typical seconds from create request to ready, for what takes long enough to matter; everything else
 * (IAM, subnets, Kubernetes objects without an await) counts as 0. The deploy's model (EKS control plane ~10 min, managed node group ~4 min, add-on ~1 min, Helm release that
 * waits for its pods ~1.5 min, Deployment rollout ~45 s, load balancer ~30 s), which match AWS's own
 * guidance ("cluster provisioning takes several minutes", EKS user guide create-cluster); NAT gateway and
 * ACM validation from AWS's docs ("a few minutes"), modelled at 2 and 5 minutes.
 */
export const TYPICAL_SECONDS: Readonly<Record<string, number>> = {
  [PULUMI_EKS.cluster]: 600,
  [PULUMI_EKS.managedNodeGroup]: 240,
  [AWS.eksAddon]: 60,
  [KUBERNETES.helmRelease]: 90,
  [KUBERNETES.deployment]: 45,
  [KUBERNETES.statefulSet]: 45,
  [KUBERNETES.daemonSet]: 45,
  [KUBERNETES.ingress]: 30,
  [AWS.natGateway]: 120,
  [AWS.acmCertificateValidation]: 300,
};

/** A LoadBalancer Service waits for its load balancer (Pulumi's Service await); a ClusterIP one does not. */
function typicalSeconds(r: RecordedResource): number {
  if (r.type === KUBERNETES.service) {
    return (r.inputs.spec as { type?: string } | undefined)?.type === "LoadBalancer" ? 30 : 0;
  }
  return TYPICAL_SECONDS[r.type] ?? 0;
}

/** The chain no ordering can avoid, in typical seconds. */
export const UNAVOIDABLE_CHAIN: ReadonlyArray<{ readonly step: string; readonly seconds: number }> = [
  { step: "EKS control plane", seconds: TYPICAL_SECONDS[PULUMI_EKS.cluster] },
  { step: "vpc-cni add-on (configured before nodes)", seconds: TYPICAL_SECONDS[AWS.eksAddon] },
  { step: "managed node group", seconds: TYPICAL_SECONDS[PULUMI_EKS.managedNodeGroup] },
  { step: "load balancer controller release", seconds: TYPICAL_SECONDS[KUBERNETES.helmRelease] },
  { step: "load balancer", seconds: 30 },
];

export interface PathStep {
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  readonly seconds: number;
  /** When it is ready, from the start of the deploy. */
  readonly readyAt: number;
}

/**
 * The longest chain of waits: a resource starts once everything it depends on is ready (a dependency on
 * a component is one on everything inside it, as the engine expands it; a resource also waits for its
 * provider), and is ready its typical time later.
 */
export function criticalPath(run: ProgramRun): PathStep[] {
  const byUrn = new Map(run.resources.map((r) => [r.urn, r]));
  const children = new Map<string, string[]>();
  for (const r of run.resources) if (r.parent) children.set(r.parent, [...(children.get(r.parent) ?? []), r.urn]);
  // Remote components (eks.Cluster, eks.ManagedNodeGroup) register as components whose children run in
  // their provider: they count as one step each.
  const isStep = (r: RecordedResource) => r.custom || TYPICAL_SECONDS[r.type] !== undefined;
  const expand = (urn: string): string[] => {
    const r = byUrn.get(urn);
    if (!r) return [];
    return isStep(r) ? [urn] : (children.get(urn) ?? []).flatMap(expand);
  };
  const memo = new Map<string, { readyAt: number; via?: string }>();
  const visit = (urn: string): { readyAt: number; via?: string } => {
    const known = memo.get(urn);
    if (known) return known;
    memo.set(urn, { readyAt: 0 });
    const r = byUrn.get(urn);
    if (!r) return { readyAt: 0 };
    const waits = [...r.dependencies, ...(r.provider ? [r.provider] : [])].flatMap(expand);
    let start = 0;
    let via: string | undefined;
    for (const dep of waits) {
      const ready = visit(dep).readyAt;
      if (ready > start) {
        start = ready;
        via = dep;
      }
    }
    const result = { readyAt: start + typicalSeconds(r), via };
    memo.set(urn, result);
    return result;
  };
  let last: string | undefined;
  for (const r of run.resources) {
    if (!isStep(r)) continue;
    if (last === undefined || visit(r.urn).readyAt > visit(last).readyAt) last = r.urn;
  }
  const steps: PathStep[] = [];
  for (let urn = last; urn !== undefined; urn = memo.get(urn)?.via) {
    const r = byUrn.get(urn) as RecordedResource;
    steps.unshift({ urn, type: r.type, name: r.name, seconds: typicalSeconds(r), readyAt: visit(urn).readyAt });
  }
  return steps.filter((s) => s.seconds > 0);
}

/** summary.md's section body: each step that takes time, its typical time, and the total against the unavoidable chain. */
export function criticalPathText(run: ProgramRun): string {
  const steps = criticalPath(run);
  const total = steps.length > 0 ? steps[steps.length - 1].readyAt : 0;
  const unavoidable = UNAVOIDABLE_CHAIN.reduce((sum, s) => sum + s.seconds, 0);
  const rows = steps.map((s) => `| \`${s.type}\` ${s.name} | ${s.seconds} s | ${s.readyAt} s |`);
  const typical = Object.entries(TYPICAL_SECONDS).map(([type, seconds]) => `\`${type}\` ${seconds} s`);
  return [
    `The longest chain of waits in the graph, with typical creation times: ${total} s (${(total / 60).toFixed(1)} min), against ${unavoidable} s for the chain no ordering can avoid (${UNAVOIDABLE_CHAIN.map((s) => s.step).join(" → ")}).`,
    "",
    "| step | typical | ready at |",
    "| --- | --- | --- |",
    ...rows,
    "",
    `Typical times (render/critical-path.ts, with their sources): ${typical.join(", ")}; a LoadBalancer Service 30 s; everything else 0.`,
  ].join("\n");
}
