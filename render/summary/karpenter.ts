/**
 * summary.md's Karpenter section and its bill row: the NodePools and node classes the program declares,
 * read from the run (what `pulumi up` would apply), the types left out (the program's output), and the most
 * nodes the pools' limits allow.
 */
import { memoryMiB } from "../../components/cluster/capacity";
import { KUBERNETES } from "../../components/resource-types";
import { offlineInstanceType } from "../../data/instance-types";
import { ofType, type ProgramRun, type ResourceGraph } from "../harness";
import type { SummarySectionBuilder } from "./context";
import { table } from "./markdown";

interface RequirementInput {
  readonly key: string;
  readonly operator: string;
  readonly values?: readonly string[];
}

/** One NodePool and its node class, as declared. */
export interface KarpenterPoolFacts {
  readonly name: string;
  /** The NodePool's weight: Karpenter tries the heaviest first. */
  readonly weight: number | undefined;
  readonly maxPods: number | undefined;
  readonly kubeReservedMemory: string | undefined;
  readonly instanceTypes: readonly string[];
  readonly capacityTypes: readonly string[];
  readonly architectures: readonly string[];
  /** The pool's limits: vCPUs and memory in MiB. */
  readonly limits: { readonly cpu: number; readonly memoryMiB: number };
  readonly consolidation: string;
  readonly budget: string;
  readonly image: string;
  /** An upper bound on the pool's nodes: as many of its smallest type as fit in both limits. */
  readonly mostNodes: number;
}

const name = (inputs: Record<string, unknown>): string =>
  String((inputs.metadata as { name?: string } | undefined)?.name ?? "");

export function karpenterPools(run: ResourceGraph): KarpenterPoolFacts[] {
  const classes = new Map(
    ofType(run, KUBERNETES.ec2NodeClass).map((c) => [name(c.inputs), c.inputs.spec as Record<string, unknown>]),
  );
  return ofType(run, KUBERNETES.nodePool).map((pool) => {
    const spec = pool.inputs.spec as {
      weight?: number;
      limits?: { cpu?: string; memory?: string };
      disruption?: { consolidationPolicy?: string; budgets?: Array<{ nodes?: string }> };
      template?: { spec?: { requirements?: RequirementInput[]; nodeClassRef?: { name?: string } } };
    };
    const requirements = spec.template?.spec?.requirements ?? [];
    const valuesOf = (key: string) => requirements.find((r) => r.key === key && r.operator === "In")?.values ?? [];
    const nodeClass = classes.get(String(spec.template?.spec?.nodeClassRef?.name ?? "")) as
      | {
          kubelet?: { maxPods?: number; kubeReserved?: { memory?: string } };
          amiSelectorTerms?: Array<{ alias?: string }>;
        }
      | undefined;
    const instanceTypes = valuesOf("node.kubernetes.io/instance-type");
    const limits = {
      cpu: Number(spec.limits?.cpu ?? Number.NaN),
      memoryMiB: spec.limits?.memory ? memoryMiB(spec.limits.memory) : Number.NaN,
    };
    const sizes = instanceTypes.map((t) => offlineInstanceType(t)).filter((t) => t !== undefined);
    const smallestCpu = Math.min(...sizes.map((t) => t.defaultVcpus ?? Number.POSITIVE_INFINITY));
    const smallestMemory = Math.min(...sizes.map((t) => t.memorySize ?? Number.POSITIVE_INFINITY));
    return {
      name: name(pool.inputs),
      weight: spec.weight,
      maxPods: nodeClass?.kubelet?.maxPods,
      kubeReservedMemory: nodeClass?.kubelet?.kubeReserved?.memory,
      instanceTypes,
      capacityTypes: valuesOf("karpenter.sh/capacity-type"),
      architectures: valuesOf("kubernetes.io/arch"),
      limits,
      consolidation: String(spec.disruption?.consolidationPolicy ?? "(Karpenter's default)"),
      budget: (spec.disruption?.budgets ?? []).map((b) => String(b.nodes)).join(", ") || "(Karpenter's default, 10%)",
      image: (nodeClass?.amiSelectorTerms ?? []).map((t) => t.alias ?? "(not by alias)").join(", ") || "(none)",
      mostNodes:
        sizes.length === 0
          ? 0
          : Math.min(Math.floor(limits.cpu / smallestCpu), Math.floor(limits.memoryMiB / smallestMemory)),
    };
  });
}

/** The bill's row for Karpenter's nodes: none while nothing is pending, at most what the limits allow. */
export function karpenterBillRow(run: ProgramRun): string[] | undefined {
  const pools = karpenterPools(run);
  if (pools.length === 0) return undefined;
  const most = pools.reduce((n, p) => n + p.mostNodes, 0);
  const cpu = pools.reduce((n, p) => n + p.limits.cpu, 0);
  const memoryGiB = pools.reduce((n, p) => n + p.limits.memoryMiB, 0) / 1024;
  const capacity = [...new Set(pools.flatMap((p) => p.capacityTypes))].join(" or ");
  return [
    `Nodes: Karpenter (${capacity})`,
    `0 to ${most}`,
    `launched for pods the node group cannot place, removed when empty or underused; at most ${cpu} vCPUs and ${memoryGiB} GiB in all (the NodePools' limits), ${most} nodes if each were its pool's smallest type`,
  ];
}

/**
 * The pools in the order Karpenter tries them: larger weight first, equal weights by name from the end of the
 * alphabet (sigs.k8s.io/karpenter @ 6e7eab7a pkg/utils/nodepool/nodepool.go L157-172).
 */
export function inTriedOrder(pools: readonly KarpenterPoolFacts[]): KarpenterPoolFacts[] {
  return [...pools].sort((a, b) => (b.weight ?? 0) - (a.weight ?? 0) || (a.name < b.name ? 1 : -1));
}

export const karpenterSection: SummarySectionBuilder = ({ run }) => {
  const pools = inTriedOrder(karpenterPools(run));
  if (pools.length === 0) return undefined;
  const excluded = (run.outputs.karpenterExcludedTypes ?? {}) as Record<string, string[]>;
  const admitted = pools.reduce((n, p) => n + p.instanceTypes.length, 0);
  const excludedCount = Object.values(excluded).reduce((n, types) => n + types.length, 0);
  return {
    title: "Karpenter node pools",
    body: [
      "Karpenter adds nodes when pods are pending that the managed node group cannot place, and removes them when they are empty or underused. " +
        "Each NodePool admits only the instance types whose max pods (AWS's calculator, with this stack's CNI options) is the pool's, and its node class sets the kubelet to exactly that and kube-reserved memory to 11 × max pods + 255 MiB; " +
        "Karpenter itself runs on the managed node group, never on its own nodes. " +
        "The pools are listed in the order Karpenter tries them (by weight): the pool of the smallest types first, so a pending pod gets the cheapest type it fits, and falls through to larger types only when it fits none. " +
        "Types of fewer than 2 vCPUs are left out: after the kubelet's reservations a 1-vCPU node keeps too little for pods. " +
        '"At most" counts nodes as if each were its pool\'s smallest type: an upper bound, not a forecast.',
      table(
        [
          "tried",
          "NodePool",
          "weight",
          "max pods",
          "kube-reserved memory",
          "instance types",
          "capacity",
          "architectures",
          "limits (vCPUs / memory)",
          "at most (nodes)",
          "consolidation",
          "disruption budget",
          "image",
        ],
        pools.map((p, i) => [
          String(i + 1),
          p.name,
          String(p.weight ?? "(not set)"),
          String(p.maxPods ?? "(not set)"),
          p.kubeReservedMemory ?? "(not set)",
          `${p.instanceTypes.length}: ${p.instanceTypes.slice(0, 6).join(", ")}${p.instanceTypes.length > 6 ? ", …" : ""}`,
          p.capacityTypes.join(", "),
          p.architectures.join(", "),
          `${p.limits.cpu} / ${p.limits.memoryMiB / 1024} GiB`,
          String(p.mostNodes),
          p.consolidation,
          p.budget,
          p.image,
        ]),
      ),
      `${admitted} instance types admitted, ${excludedCount} of the offline table left out: ${Object.entries(excluded)
        .map(([reason, types]) => `${types.length} ${reason}`)
        .join("; ")}. Every type, admitted or left out: [${KARPENTER_TYPES_FILE}](${KARPENTER_TYPES_FILE}).`,
    ].join("\n\n"),
  };
};

/** The file of the render that lists every type of the offline table, admitted by a pool or left out with why. */
export const KARPENTER_TYPES_FILE = "karpenter-instance-types.md";

/** That file's body: each pool's types, then each reason's. */
export const karpenterTypesSection: SummarySectionBuilder = ({ run }) => {
  const pools = inTriedOrder(karpenterPools(run));
  if (pools.length === 0) return undefined;
  const excluded = (run.outputs.karpenterExcludedTypes ?? {}) as Record<string, string[]>;
  return {
    title: "Karpenter's instance types",
    body: [
      "Every type of the offline instance table: the NodePool that admits it, in the order Karpenter tries the pools, or why no pool does.",
      ...pools.map(
        (p) =>
          `## ${p.name} (${p.instanceTypes.length}, max pods ${p.maxPods ?? "?"})\n\n${p.instanceTypes.join(", ")}`,
      ),
      ...Object.entries(excluded).map(
        ([reason, types]) => `## Left out: ${types.length} ${reason}\n\n${types.join(", ")}`,
      ),
    ].join("\n\n"),
  };
};
