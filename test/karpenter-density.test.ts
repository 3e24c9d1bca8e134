/**
 * Karpenter at exact density (components/karpenter/density.ts), over the whole offline instance table:
 * every type a NodePool admits, by Karpenter's own labels and requirement semantics, runs at exactly the max
 * pods AWS's calculator gives it, with kube-reserved to match; no type is admitted by two pools; what no pool
 * admits is listed with why. Pure: no program runs.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { kubeReservedMemoryMiB, maxPods } from "../components/cluster/max-pods";
import {
  type DensityPool,
  type DensityPoolOptions,
  densityPools,
  type KarpenterInstanceType,
  karpenterLabels,
  LABEL_INSTANCE_TYPE,
  meetsRequirements,
} from "../components/karpenter/density";
import { karpenterInstanceTypes } from "../config";
import { offlineInstanceTypeNames } from "../data/instance-types";

/** The offline table as Karpenter types (components/karpenter/pool-choice.ts, what the program uses), and how many types it leaves out for unknown facts. */
function offlineTypes(): { types: KarpenterInstanceType[]; unknown: string[] } {
  const types = karpenterInstanceTypes();
  const known = new Set(types.map((t) => t.name));
  return { types, unknown: offlineInstanceTypeNames().filter((name) => !known.has(name)) };
}

/** Every way the pools miss exact density over these types, as Karpenter would launch them. */
function densityProblems(
  pools: readonly DensityPool[],
  types: readonly KarpenterInstanceType[],
  options: DensityPoolOptions,
): string[] {
  const problems: string[] = [];
  for (const type of types) {
    const labels = karpenterLabels(type);
    const admitting = pools.filter((p) => meetsRequirements(p.requirements, labels));
    if (admitting.length > 1)
      problems.push(`${type.name} is admitted by ${admitting.map((p) => p.name).join(" and ")}`);
    const expected = maxPods(type.limits, options.maxPods);
    for (const pool of admitting) {
      if (pool.maxPods !== expected)
        problems.push(`${type.name} would run ${pool.maxPods} pods in ${pool.name}; the calculator gives ${expected}`);
      if (pool.kubeReservedMemory !== `${kubeReservedMemoryMiB(pool.maxPods)}Mi`)
        problems.push(`${pool.name} reserves ${pool.kubeReservedMemory} for ${pool.maxPods} pods`);
    }
  }
  return problems;
}

const OPTIONS: DensityPoolOptions = {
  maxPods: { prefixDelegation: true },
  architectures: ["amd64", "arm64"],
  categories: ["c", "m", "r"],
  minGeneration: 5,
  maxVcpus: 64,
  minVcpus: 2,
  minPods: 20,
  limits: { cpu: 100_000, memoryMiB: 100_000_000 },
};

/** Families newer than the autoscaler's merged list (2026-01-22), which a pool of c, m and r types must admit. */
const NEWEST_FAMILIES = ["c8id", "m8azn", "r8in", "c9g", "m9g", "r8id"];

describe("karpenter: exact density over the offline instance table", () => {
  const { types, unknown } = offlineTypes();

  it("reads the table: over a thousand types with known facts, labels as Karpenter derives them", () => {
    assert.ok(types.length > 1000, `${types.length} types`);
    assert.ok(unknown.length < 50, `${unknown.length} types without vCPUs or architecture`);
    // The newest families have their facts from a generated upstream list (data/instance-types/README.md).
    for (const family of NEWEST_FAMILIES) {
      assert.ok(
        types.some((t) => t.name.startsWith(`${family}.`)),
        `${family} has types with known facts`,
      );
      assert.deepEqual(
        unknown.filter((name) => name.startsWith(`${family}.`)),
        [],
        `${family} has no type without facts`,
      );
    }
    const m7i = types.find((t) => t.name === "m7i.large") as KarpenterInstanceType;
    const labels = karpenterLabels(m7i);
    assert.equal(labels["karpenter.k8s.aws/instance-category"], "m");
    assert.equal(labels["karpenter.k8s.aws/instance-generation"], "7");
    assert.equal(labels["karpenter.k8s.aws/instance-family"], "m7i");
    assert.equal(labels["karpenter.k8s.aws/instance-size"], "large");
    assert.equal(labels["karpenter.k8s.aws/instance-cpu"], "2");
    // A type without GPUs has no GPU-count label at all (types.go @ bde00654 L211, L269-276): a pool that asked
    // for `instance-gpu-count In ["0"]` would admit nothing. A GPU type carries its count.
    assert.ok(!("karpenter.k8s.aws/instance-gpu-count" in labels));
    const g5 = types.find((t) => t.name === "g5.xlarge") as KarpenterInstanceType;
    assert.equal(karpenterLabels(g5)["karpenter.k8s.aws/instance-gpu-count"], "1");
    assert.ok(
      !meetsRequirements([{ key: "karpenter.k8s.aws/instance-gpu-count", operator: "In", values: ["0"] }], labels),
    );
    // The "-<n>tb" of high-memory families is skipped by Karpenter's scheme: u-6tb1 is category u, generation 1.
    const u = karpenterLabels({ ...m7i, name: "u-6tb1.metal" });
    assert.deepEqual(
      [u["karpenter.k8s.aws/instance-category"], u["karpenter.k8s.aws/instance-generation"]],
      ["u", "1"],
    );
  });

  for (const prefixDelegation of [true, false]) {
    it(`prefix delegation ${prefixDelegation ? "on" : "off"}: every admitted type runs exactly the calculator's max pods, in exactly one pool`, () => {
      const options = { ...OPTIONS, maxPods: { prefixDelegation } };
      const { pools, excluded } = densityPools(types, options);
      assert.ok(pools.length >= 2, `${pools.length} pools`);
      assert.deepEqual(densityProblems(pools, types, options), []);
      const admitted = new Set(pools.flatMap((p) => p.instanceTypes));
      assert.ok(admitted.has("m7i.large") && admitted.has("c7g.xlarge"), "the common types are admitted");
      // The newest c/m/r families qualify by their labels, so their sizes within the vCPU bound are admitted.
      for (const family of NEWEST_FAMILIES) assert.ok(admitted.has(`${family}.large`), `${family}.large is admitted`);
      // Everything else is accounted for: excluded with a reason, or outside the table's known facts.
      assert.equal(admitted.size + excluded.length, types.length);
      for (const e of excluded) assert.ok(e.reason.length > 0 && !admitted.has(e.name), e.name);
      for (const t of types.filter((x) => !admitted.has(x.name))) {
        assert.ok(
          !pools.some((p) => meetsRequirements(p.requirements, karpenterLabels(t))),
          `${t.name} is excluded, and no pool admits it`,
        );
      }
      if (prefixDelegation)
        assert.deepEqual(
          pools.map((p) => p.maxPods).slice(-2),
          [110, 250],
          "with prefix delegation nearly every type hits the calculator's cap",
        );
    });
  }

  it("fails when a pool's max pods or its requirements change (the property is not vacuous)", () => {
    const { pools } = densityPools(types, OPTIONS);
    const wrongPods = pools.map((p, i) =>
      i === 0 ? { ...p, maxPods: p.maxPods + 1, kubeReservedMemory: `${kubeReservedMemoryMiB(p.maxPods + 1)}Mi` } : p,
    );
    assert.ok(densityProblems(wrongPods, types, OPTIONS).some((m) => m.includes("the calculator gives")));
    const wrongReserve = pools.map((p, i) => (i === 0 ? { ...p, kubeReservedMemory: "100Mi" } : p));
    assert.ok(densityProblems(wrongReserve, types, OPTIONS).some((m) => m.includes("reserves 100Mi")));
    // Label-only requirements (no named types) admit types of other densities into one pool.
    const labelOnly = pools.map((p) => ({
      ...p,
      requirements: p.requirements.filter((r) => r.key !== LABEL_INSTANCE_TYPE),
    }));
    assert.ok(densityProblems(labelOnly, types, OPTIONS).some((m) => m.includes("is admitted by")));
  });

  it("a pool keeps only the types that fit its share of the limits (Karpenter never launches a larger one); a pool left with none goes, and the others' shares grow", () => {
    const sized = (name: string, vcpus: number, memoryMib: number, enis: number): KarpenterInstanceType => ({
      name,
      limits: { maxEnis: enis, ipv4PerEni: 15, vcpus, nitro: true },
      arch: "amd64",
      hypervisor: "nitro",
      memoryMib,
      gpus: 0,
    });
    const options = { ...OPTIONS, maxPods: { prefixDelegation: false }, limits: { cpu: 16, memoryMiB: 65536 } };
    // m6i.large (3 ENIs × 14 + 2 = 44 pods) and m6i.4xlarge (8 × 14 + 2 = 114, capped 110) are two pools of 8 vCPUs and 32 GiB each: the 4xlarge
    // (16 vCPUs) fits neither share, so its pool goes; m6i.large's pool then has all 16 vCPUs and 64 GiB.
    const types = [sized("m6i.large", 2, 8192, 3), sized("m6i.4xlarge", 16, 65536, 8)];
    const { pools, excluded } = densityPools(types, options);
    assert.deepEqual(
      pools.map((p) => [p.name, p.instanceTypes, p.limits]),
      [["pods-44", ["m6i.large"], { cpu: "16", memory: "65536Mi" }]],
    );
    assert.deepEqual(
      excluded.map((e) => e.name),
      ["m6i.4xlarge"],
    );
    assert.match(excluded[0].reason, /larger than any pool's share of the limits/);
  });

  it("no pool admits a type of fewer vCPUs than the floor, and each says why it is left out", () => {
    for (const prefixDelegation of [true, false]) {
      const { pools, excluded } = densityPools(types, { ...OPTIONS, maxPods: { prefixDelegation } });
      const byName = new Map(types.map((t) => [t.name, t]));
      for (const pool of pools)
        for (const name of pool.instanceTypes)
          assert.ok((byName.get(name)?.limits.vcpus ?? 0) >= OPTIONS.minVcpus, `${name} in ${pool.name}`);
      const small = excluded.filter((e) => /fewer than 2 vCPUs/.test(e.reason)).map((e) => e.name);
      assert.ok(small.includes("m7a.medium") && small.includes("c7g.medium"), small.slice(0, 5).join(", "));
    }
  });

  it("the pools are tried smallest types first: weights from the number of pools down to 1, ordered by each pool's smallest type (prefix delegation on and off, any vCPU ceiling)", () => {
    for (const [prefixDelegation, maxVcpus] of [
      [true, 16],
      [true, 64],
      [true, 192],
      [false, 16],
      [false, 64],
    ] as const) {
      const { pools } = densityPools(types, { ...OPTIONS, maxPods: { prefixDelegation }, maxVcpus });
      const label = `prefix delegation ${prefixDelegation}, up to ${maxVcpus} vCPUs`;
      // Karpenter's order: larger weight first, equal weights by name descending (nodepool.go OrderByWeight).
      const tried = [...pools].sort((a, b) => b.weight - a.weight || (a.name < b.name ? 1 : -1));
      assert.deepEqual(
        pools.map((p) => p.weight).sort((a, b) => a - b),
        pools.map((_, i) => i + 1),
        `${label}: distinct weights 1..n`,
      );
      const byName = new Map(types.map((t) => [t.name, t]));
      const smallestOf = (p: DensityPool) =>
        Math.min(...p.instanceTypes.map((n) => (byName.get(n) as KarpenterInstanceType).limits.vcpus));
      for (let i = 1; i < tried.length; i++)
        assert.ok(
          smallestOf(tried[i - 1]) <= smallestOf(tried[i]),
          `${label}: ${tried[i - 1].name} (from ${smallestOf(tried[i - 1])} vCPUs) is tried before ${tried[i].name} (from ${smallestOf(tried[i])})`,
        );
      // The smallest type of all is in the pool tried first: a pod that fits it gets the cheapest node.
      const everySize = pools.flatMap((p) => p.instanceTypes.map((n) => byName.get(n) as KarpenterInstanceType));
      assert.equal(smallestOf(tried[0]), Math.min(...everySize.map((t) => t.limits.vcpus)), label);
      if (prefixDelegation && maxVcpus >= 64)
        assert.ok(
          tried.length >= 2 && tried[0].name === "pods-110",
          `${label}: ${tried.map((p) => p.name).join(", ")}`,
        );
    }
  });

  it("a type newer than the table is admitted by no pool: its limits were never computed", () => {
    const { pools } = densityPools(types, OPTIONS);
    const m7i = types.find((t) => t.name === "m7i.large") as KarpenterInstanceType;
    const unseen = karpenterLabels({ ...m7i, name: "m9z.large" });
    assert.ok(!pools.some((p) => meetsRequirements(p.requirements, unseen)));
  });
});
