/**
 * Which instance types Karpenter may launch, and in which exact-density pools (density.ts): every type of the
 * offline instance table, less the generations and sizes not worth a node.
 */

import { offlineInstanceType, offlineInstanceTypeNames } from "../../data/instance-types";
import { limitsFromEc2 } from "../cluster/max-pods";
import { type DensityPool, densityPools, type ExcludedType, type KarpenterInstanceType } from "./density";

/** Karpenter's minimum generation and pods per node: older types and nodes too small to be worth a launch are left out. */
export const KARPENTER_MIN_GENERATION = 5;
export const KARPENTER_MIN_PODS = 20;
/**
 * The fewest vCPUs a Karpenter node has: a 1-vCPU `medium` with 2 GiB keeps about 400 MiB for pods once the
 * kubelet's reservations (11 MiB per pod + 255 MiB), the eviction threshold and the daemonsets are taken.
 */
export const KARPENTER_MIN_VCPUS = 2;

/**
 * The instance types Karpenter may choose from, with their network limits: the offline instance table
 * (data/instance-types/, the VPC CNI's generated limits), the same data the max-pods calculator's numbers
 * come from. Types whose vCPUs, memory or architecture the table lacks are left out: their density cannot be
 * computed.
 */
export function karpenterInstanceTypes(): KarpenterInstanceType[] {
  instanceTypesOnce ??= offlineInstanceTypeNames().flatMap((name) => {
    const t = offlineInstanceType(name);
    const arch = t?.supportedArchitectures?.[0];
    if (
      !t ||
      t.defaultVcpus === null ||
      t.memorySize === null ||
      t.gpuses === null ||
      (arch !== "x86_64" && arch !== "arm64")
    )
      return [];
    return [
      {
        name,
        limits: limitsFromEc2({ ...t, defaultVcpus: t.defaultVcpus }),
        arch: arch === "x86_64" ? ("amd64" as const) : ("arm64" as const),
        hypervisor: t.hypervisor,
        memoryMib: t.memorySize,
        gpus: t.gpuses.reduce((n, g) => n + g.count, 0),
      },
    ];
  });
  return instanceTypesOnce;
}
/** The table does not change while the program runs (nor between the runs of a test process). */
let instanceTypesOnce: KarpenterInstanceType[] | undefined;
/** Pools by their options: a pure function of a constant table, so computed once per distinct choice. */
const poolsByOptions = new Map<string, { pools: DensityPool[]; excluded: ExcludedType[] }>();

/** What the stack's configuration chooses of Karpenter's pools. */
export interface PoolChoice {
  readonly prefixDelegation: boolean;
  readonly architectures: readonly ("amd64" | "arm64")[];
  readonly categories: readonly string[];
  readonly maxVcpus: number;
  readonly cpuLimit: number;
  readonly memoryLimitGiB: number;
}

/** Karpenter's pools for this choice, and every type of the table no pool admits, with why. */
export function karpenterPools(choice: PoolChoice): { pools: DensityPool[]; excluded: ExcludedType[] } {
  const options = {
    maxPods: { prefixDelegation: choice.prefixDelegation },
    architectures: choice.architectures,
    categories: choice.categories,
    minGeneration: KARPENTER_MIN_GENERATION,
    maxVcpus: choice.maxVcpus,
    minVcpus: KARPENTER_MIN_VCPUS,
    minPods: KARPENTER_MIN_PODS,
    limits: { cpu: choice.cpuLimit, memoryMiB: choice.memoryLimitGiB * 1024 },
  };
  const key = JSON.stringify(options);
  let found = poolsByOptions.get(key);
  if (!found) {
    const usable = karpenterInstanceTypes();
    const known = new Set(usable.map((t) => t.name));
    const { pools, excluded } = densityPools(usable, options);
    // A type whose max pods cannot be computed can be exact in no pool: named, never admitted.
    const unknown = offlineInstanceTypeNames()
      .filter((name) => !known.has(name))
      .map((name) => ({
        name,
        reason: "without vCPUs, memory, GPU count or architecture in the offline table, so max pods cannot be computed",
      }));
    found = { pools, excluded: [...excluded, ...unknown] };
    poolsByOptions.set(key, found);
  }
  return found;
}
