/**
 * Karpenter at exactly the density AWS's max-pods calculator gives (components/cluster/max-pods.ts).
 *
 * Karpenter takes a node's max pods from its EC2NodeClass (`spec.kubelet.maxPods`, one value for every type
 * the class launches) or, without one, from the type's ENIs: it knows nothing of prefix delegation's /28
 * slots or of the calculator's 110/250 cap. So exact density takes one node class per max-pods value, and a
 * NodePool per class whose requirements admit exactly the instance types with that value: the types are
 * named (`node.kubernetes.io/instance-type In [...]`), because a label-only requirement would also admit
 * types newer than the instance table, whose limits nobody here has computed. kube-reserved memory follows
 * max pods (11 × maxPods + 255 MiB, the formula nodeadm applies).
 *
 * Karpenter's well-known labels for a type, as karpenter-provider-aws derives them from its name and EC2's
 * answer (pkg/providers/instancetype/types.go, `instanceTypeScheme` `(^[a-z]+)(\-[0-9]+tb)?([0-9]+).*\.`:
 * category, generation; family and size split at the dot), are computed here too, so the NodePools'
 * requirements can be evaluated against every type of the table, as Karpenter would.
 *
 * Pure: the instance table comes in as an argument. The program gives it the offline table
 * (data/instance-types/, components/karpenter/pool-choice.ts karpenterInstanceTypes) on every run, `pulumi up` included, so the pools
 * change only when the table does.
 */
import { type InstanceNetworkLimits, kubeReservedMemoryMiB, type MaxPodsOptions, maxPods } from "../cluster/max-pods";

/** What density needs of one instance type: its network limits, and what its Karpenter labels are made of. */
export interface KarpenterInstanceType {
  readonly name: string;
  readonly limits: InstanceNetworkLimits;
  /** "amd64" or "arm64", as kubernetes.io/arch says. */
  readonly arch: "amd64" | "arm64";
  readonly hypervisor: "nitro" | "xen" | "";
  readonly memoryMib: number;
  readonly gpus: number;
}

export const LABEL_INSTANCE_TYPE = "node.kubernetes.io/instance-type";
export const LABEL_ARCH = "kubernetes.io/arch";
export const LABEL_CAPACITY_TYPE = "karpenter.sh/capacity-type";
const AWS = "karpenter.k8s.aws/";

/** Karpenter's labels for an instance type (karpenter-provider-aws pkg/providers/instancetype/types.go). */
export function karpenterLabels(type: KarpenterInstanceType): Record<string, string> {
  const [family, size] = type.name.split(".");
  const parts = /(^[a-z]+)(-[0-9]+tb)?([0-9]+).*\./.exec(type.name);
  return {
    [LABEL_INSTANCE_TYPE]: type.name,
    [LABEL_ARCH]: type.arch,
    [`${AWS}instance-family`]: family,
    [`${AWS}instance-size`]: size ?? "",
    ...(parts ? { [`${AWS}instance-category`]: parts[1], [`${AWS}instance-generation`]: parts[3] } : {}),
    [`${AWS}instance-cpu`]: String(type.limits.vcpus),
    [`${AWS}instance-memory`]: String(type.memoryMib),
    [`${AWS}instance-hypervisor`]: type.hypervisor,
    // Only a type with GPUs carries the GPU count: for every other type the label does not exist
    // (types.go @ bde00654 L211 `LabelInstanceGPUCount` DoesNotExist, L269-276 set from GpuInfo only), so
    // "no GPUs" is `DoesNotExist`, never `In ["0"]`, which would match no type at all.
    ...(type.gpus > 0 ? { [`${AWS}instance-gpu-count`]: String(type.gpus) } : {}),
  };
}

/** A NodePool requirement (Karpenter v1 `spec.template.spec.requirements`, the NodeSelectorRequirement operators). */
export interface Requirement {
  readonly key: string;
  readonly operator: "In" | "NotIn" | "Exists" | "DoesNotExist" | "Gt" | "Lt";
  readonly values?: readonly string[];
}

/** Whether a type with these labels meets every requirement (Kubernetes node selector semantics; Gt/Lt compare integers). */
export function meetsRequirements(
  requirements: readonly Requirement[],
  labels: Readonly<Record<string, string>>,
): boolean {
  return requirements.every((r) => {
    const value = labels[r.key];
    const values = r.values ?? [];
    switch (r.operator) {
      case "In":
        return value !== undefined && values.includes(value);
      case "NotIn":
        return value === undefined || !values.includes(value);
      case "Exists":
        return value !== undefined;
      case "DoesNotExist":
        return value === undefined;
      case "Gt":
        return value !== undefined && Number(value) > Number(values[0]);
      case "Lt":
        return value !== undefined && Number(value) < Number(values[0]);
      default:
        return false;
    }
  });
}

export interface DensityPoolOptions {
  readonly maxPods: MaxPodsOptions;
  /** Architectures the pools may launch. */
  readonly architectures: readonly ("amd64" | "arm64")[];
  /** Instance categories (the letters before the generation: c, m, r, ...). */
  readonly categories: readonly string[];
  /** Oldest generation admitted (Gt generation - 1). */
  readonly minGeneration: number;
  /** Largest vCPU count admitted. */
  readonly maxVcpus: number;
  /** Smallest vCPU count admitted: smaller nodes leave too little for pods to be worth a launch. */
  readonly minVcpus: number;
  /** The fewest pods a node must hold to be worth launching (the daemonsets and some work). */
  readonly minPods: number;
  /** The most vCPUs and memory (MiB) Karpenter's nodes may have in all, shared equally by the pools. */
  readonly limits: { readonly cpu: number; readonly memoryMiB: number };
}

/** One node class and its NodePool: a max-pods value and the types that run at it. */
export interface DensityPool {
  readonly name: string;
  readonly maxPods: number;
  readonly kubeReservedMemory: string;
  readonly instanceTypes: readonly string[];
  readonly requirements: readonly Requirement[];
  /** The pool's share of the limits, as its NodePool's `spec.limits` says them. */
  readonly limits: { readonly cpu: string; readonly memory: string };
  /** Its NodePool's `spec.weight` (poolWeights): the pool of the smallest types is tried first. */
  readonly weight: number;
}

/** Why a type of the table is in no pool. */
export interface ExcludedType {
  readonly name: string;
  readonly reason: string;
}

/**
 * The pools: the table's types that meet the options (Nitro, no GPU: the node class runs the standard image),
 * grouped by their exact max pods, one pool per value, named by it. What is left out is listed with why.
 */
export function densityPools(
  types: readonly KarpenterInstanceType[],
  options: DensityPoolOptions,
): { pools: DensityPool[]; excluded: ExcludedType[] } {
  const base: Requirement[] = [
    { key: LABEL_ARCH, operator: "In", values: [...options.architectures] },
    { key: `${AWS}instance-category`, operator: "In", values: [...options.categories] },
    { key: `${AWS}instance-generation`, operator: "Gt", values: [String(options.minGeneration - 1)] },
    { key: `${AWS}instance-cpu`, operator: "Lt", values: [String(options.maxVcpus + 1)] },
    { key: `${AWS}instance-hypervisor`, operator: "In", values: ["nitro"] },
    { key: `${AWS}instance-gpu-count`, operator: "DoesNotExist" },
  ];
  const byMaxPods = new Map<number, string[]>();
  const excluded: ExcludedType[] = [];
  for (const type of [...types].sort((a, b) => (a.name < b.name ? -1 : 1))) {
    if (!meetsRequirements(base, karpenterLabels(type))) {
      excluded.push({
        name: type.name,
        reason: "outside the configured architectures, categories, generations or size, not Nitro, or with GPUs",
      });
      continue;
    }
    if (type.limits.vcpus < options.minVcpus) {
      excluded.push({
        name: type.name,
        reason: `fewer than ${options.minVcpus} vCPUs: too little left for pods after what the node reserves`,
      });
      continue;
    }
    const pods = maxPods(type.limits, options.maxPods);
    if (pods < options.minPods) {
      excluded.push({ name: type.name, reason: `holds ${pods} pods, fewer than ${options.minPods}` });
      continue;
    }
    byMaxPods.set(pods, [...(byMaxPods.get(pods) ?? []), type.name]);
  }
  // A NodePool's limits are its own: Karpenter never launches a type whose capacity is more than what is left of
  // its pool's limits (sigs.k8s.io/karpenter @ 6e7eab7a, the core v1.14.1 pins, pkg/controllers/provisioning/
  // scheduling/scheduler.go L709-716 `filterByRemainingResources`). So each pool keeps only the types that fit
  // its share of the total (physical vCPUs and memory: a node's capacity is at most that). A pool left with none
  // is dropped, and the others' shares grow; the candidates only shrink, so this ends.
  const byName = new Map(types.map((t) => [t.name, t]));
  let candidates = [...byMaxPods.entries()].sort(([a], [b]) => a - b);
  for (;;) {
    const share = poolShare(options.limits, candidates.length);
    const fitting = candidates.map(
      ([pods, names]) => [pods, names.filter((n) => fits(byName.get(n) as KarpenterInstanceType, share))] as const,
    );
    const kept = fitting.filter(([, names]) => names.length > 0);
    if (kept.length < candidates.length) {
      candidates = candidates.filter(([pods]) => kept.some(([keptPods]) => keptPods === pods));
      continue;
    }
    for (const [pods, names] of candidates) {
      for (const name of names.filter((n) => !fits(byName.get(n) as KarpenterInstanceType, share))) {
        excluded.push({
          name,
          reason: `larger than a pool's share of the limits (${share.cpu} vCPUs, ${share.memoryMiB} MiB; pods-${pods})`,
        });
      }
    }
    const limits = { cpu: String(share.cpu), memory: `${share.memoryMiB}Mi` };
    const unweighted = fitting.map(([pods, names]) => ({
      name: `pods-${pods}`,
      maxPods: pods,
      kubeReservedMemory: `${kubeReservedMemoryMiB(pods)}Mi`,
      instanceTypes: names,
      requirements: [...base, { key: LABEL_INSTANCE_TYPE, operator: "In" as const, values: names }],
      limits,
    }));
    const weights = poolWeights(
      unweighted.map((p) => ({
        name: p.name,
        types: p.instanceTypes.map((n) => byName.get(n) as KarpenterInstanceType),
      })),
    );
    const pools = unweighted.map((p) => ({ ...p, weight: weights[p.name] }));
    for (const [pods, names] of byMaxPods) {
      if (!candidates.some(([kept]) => kept === pods)) {
        for (const name of names) excluded.push({ name, reason: "larger than any pool's share of the limits" });
      }
    }
    return { pools, excluded };
  }
}

/**
 * Each pool's NodePool weight: the pool whose smallest type is smallest (vCPUs, then memory, then name) gets
 * the highest, the next one less, down to 1. Karpenter tries pools by weight, and at equal weights by name
 * from the end of the alphabet, so without weights `pods-98` (1 vCPU) came before `pods-110`, and `pods-250`
 * (32 vCPUs and more) before `pods-110`. A pod goes to the first pool with a type it fits, and within that pool
 * to its cheapest fitting offering; so trying the pools of smaller types first is the cheapest fit, and a pod
 * too big for them falls through to the next (sigs.k8s.io/karpenter @ 6e7eab7a pkg/utils/nodepool/nodepool.go
 * L157-172 `OrderByWeight`; pkg/controllers/provisioning/scheduling/scheduler.go L695-780 `addToNewNodeClaim`
 * keeps the earliest pool that can take the pod).
 */
export function poolWeights(
  pools: ReadonlyArray<{ readonly name: string; readonly types: readonly KarpenterInstanceType[] }>,
): Record<string, number> {
  const smallest = (types: readonly KarpenterInstanceType[]) =>
    types.reduce(
      (min, t) =>
        t.limits.vcpus < min.vcpus || (t.limits.vcpus === min.vcpus && t.memoryMib < min.memoryMib)
          ? { vcpus: t.limits.vcpus, memoryMib: t.memoryMib }
          : min,
      { vcpus: Number.POSITIVE_INFINITY, memoryMib: Number.POSITIVE_INFINITY },
    );
  const ordered = pools
    .map((p) => ({ name: p.name, ...smallest(p.types) }))
    .sort((a, b) => a.vcpus - b.vcpus || a.memoryMib - b.memoryMib || (a.name < b.name ? -1 : 1));
  // The CRD allows weights 1 to 100: there are never that many distinct max-pods values among sizes.
  if (ordered.length > 100) throw new Error(`${ordered.length} pools: NodePool weights go up to 100`);
  return Object.fromEntries(ordered.map((p, rank) => [p.name, ordered.length - rank]));
}

/** Each pool's equal share of the total limits (whole vCPUs and MiB: the pools together never exceed them). */
export function poolShare(limits: DensityPoolOptions["limits"], pools: number): { cpu: number; memoryMiB: number } {
  const n = Math.max(pools, 1);
  return { cpu: Math.floor(limits.cpu / n), memoryMiB: Math.floor(limits.memoryMiB / n) };
}

function fits(type: KarpenterInstanceType, share: { cpu: number; memoryMiB: number }): boolean {
  return type.limits.vcpus <= share.cpu && type.memoryMib <= share.memoryMiB;
}

/** Excluded types grouped by why, each group's names in order (the stack output and summary.md's list). */
export function excludedByReason(excluded: readonly ExcludedType[]): Record<string, string[]> {
  const groups: Record<string, string[]> = {};
  for (const { name, reason } of excluded) (groups[reason] ??= []).push(name);
  for (const names of Object.values(groups)) names.sort();
  return groups;
}
