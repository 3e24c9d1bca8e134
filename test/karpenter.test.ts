/**
 * Karpenter as the program declares it: the NodePools and node classes a run registers, held to
 * exact density over the whole offline instance table by Karpenter's own requirement semantics; summary.md's
 * pools, left-out types and bill row; Karpenter kept off the critical path. The pure design is in
 * karpenter-density.test.ts, what it needs from AWS in karpenter-aws.test.ts, destroy order in deploy.test.ts.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parse as parseYaml } from "yaml";
import { openVendoredChart } from "../charts/chart-archive";
import { memoryMiB } from "../components/cluster/capacity";
import { kubeReservedMemoryMiB, maxPods } from "../components/cluster/max-pods";
import {
  karpenterLabels,
  LABEL_CAPACITY_TYPE,
  meetsRequirements,
  type Requirement,
} from "../components/karpenter/density";
import { KARPENTER_CHART } from "../components/karpenter/values";
import { AWS, KUBERNETES } from "../components/resource-types";
import { autoscalingBurst, karpenterInstanceTypes, parseConfigValues } from "../config";
import { offlineInstanceTypeNames } from "../data/instance-types";
import { criticalPath } from "../render/critical-path";
import { ofType, type ProgramRun, type RecordedResource, runProgram } from "../render/harness";
import { autoscaledWorkloads, autoscalingSection, burstAboveFloors } from "../render/summary/autoscaling";
import { billSection } from "../render/summary/bill";
import type { SummaryContext } from "../render/summary/context";
import { karpenterBillRow, karpenterPools, karpenterSection, karpenterTypesSection } from "../render/summary/karpenter";
import { SPOT_ARM_WITH_DOMAIN } from "./shared-configs";

const nameOf = (r: RecordedResource) => String((r.inputs.metadata as { name?: string }).name);

/**
 * Every way the run's NodePools miss exact density: for each type of the table and each capacity type a pool
 * allows, the pools that would launch it (their requirements against the type's Karpenter labels); more than
 * one is ambiguous; the one must set the kubelet to the calculator's max pods for the type, kube-reserved to
 * match. Returns the problems and how many types some pool admits.
 */
function densityProblems(run: ProgramRun, prefixDelegation: boolean): { problems: string[]; admitted: Set<string> } {
  const classes = new Map(
    ofType(run, KUBERNETES.ec2NodeClass).map((c) => [
      nameOf(c),
      (c.inputs.spec as { kubelet: { maxPods: number; kubeReserved: { memory: string } } }).kubelet,
    ]),
  );
  const pools = ofType(run, KUBERNETES.nodePool).map((p) => {
    const poolSpec = p.inputs.spec as {
      limits: { cpu: string; memory: string };
      template: { spec: { requirements: Requirement[]; nodeClassRef: { name: string } } };
    };
    const spec = poolSpec.template.spec;
    return {
      name: nameOf(p),
      requirements: spec.requirements,
      kubelet: classes.get(spec.nodeClassRef.name),
      limits: { cpu: Number(poolSpec.limits.cpu), memoryMiB: memoryMiB(poolSpec.limits.memory) },
    };
  });
  const problems: string[] = [];
  const admitted = new Set<string>();
  const capacityTypes = [
    ...new Set(pools.flatMap((p) => p.requirements.find((r) => r.key === LABEL_CAPACITY_TYPE)?.values ?? [])),
  ];
  for (const type of karpenterInstanceTypes()) {
    for (const capacityType of capacityTypes) {
      const labels = { ...karpenterLabels(type), [LABEL_CAPACITY_TYPE]: capacityType };
      const admitting = pools.filter((p) => meetsRequirements(p.requirements, labels));
      if (admitting.length > 1)
        problems.push(`${type.name} (${capacityType}) is admitted by ${admitting.map((p) => p.name).join(" and ")}`);
      const expected = maxPods(type.limits, { prefixDelegation });
      for (const pool of admitting) {
        admitted.add(type.name);
        if (pool.kubelet?.maxPods !== expected)
          problems.push(
            `${type.name} would run ${pool.kubelet?.maxPods} pods in ${pool.name}; the calculator gives ${expected}`,
          );
        if (pool.kubelet?.kubeReserved.memory !== `${kubeReservedMemoryMiB(expected)}Mi`)
          problems.push(`${pool.name} reserves ${pool.kubelet?.kubeReserved.memory} for ${type.name}`);
        // Karpenter never launches a type larger than what is left of its pool's limits (scheduler.go L709-716).
        if (type.limits.vcpus > pool.limits.cpu || type.memoryMib > pool.limits.memoryMiB)
          problems.push(`${type.name} can never launch in ${pool.name}: larger than its limits`);
      }
    }
  }
  return { problems, admitted };
}

/** A copy of the run with one resource's inputs changed: what a broken program would have registered. */
function edited(run: ProgramRun, type: string, edit: (inputs: Record<string, unknown>) => void): ProgramRun {
  const resources = run.resources.map((r) => {
    if (r.type !== type) return r;
    const inputs = structuredClone(r.inputs);
    edit(inputs);
    return { ...r, inputs };
  });
  return { ...run, resources };
}

describe("karpenter: the NodePools the program declares", async () => {
  const stacks = {
    dev: runProgram(),
    noPrefixDelegation: runProgram({ config: { prefixDelegation: "false" } }),
    // With a domain too: the run crd-validation.test.ts checks, so the suite makes it once.
    spotArm: runProgram({ config: SPOT_ARM_WITH_DOMAIN }),
    off: runProgram({ config: { karpenter: "false" } }),
  };
  const dev = await stacks.dev;

  it("every type of the offline table a NodePool admits runs exactly the calculator's max pods, in exactly one pool (prefix delegation on and off, spot and arm64 only)", async () => {
    for (const [label, made, prefixDelegation] of [
      ["dev", stacks.dev, true],
      ["prefixDelegation=false", stacks.noPrefixDelegation, false],
      ["spot and on-demand, arm64", stacks.spotArm, true],
    ] as const) {
      const run = await made;
      const { problems, admitted } = densityProblems(run, prefixDelegation);
      assert.deepEqual(problems, [], label);
      assert.ok(admitted.size >= 100, `${label}: ${admitted.size} types admitted`);
      const values = new Set(
        [...admitted].map((t) =>
          maxPods(
            (karpenterInstanceTypes().find((k) => k.name === t) as { limits: Parameters<typeof maxPods>[0] }).limits,
            {
              prefixDelegation,
            },
          ),
        ),
      );
      assert.equal(ofType(run, KUBERNETES.nodePool).length, values.size, `${label}: one pool per max-pods value`);
    }
    const spotArm = await stacks.spotArm;
    const admittedArm = densityProblems(spotArm, true).admitted;
    assert.ok(
      [...admittedArm].every((t) => karpenterInstanceTypes().find((k) => k.name === t)?.arch === "arm64"),
      "arm64 only",
    );
    for (const pool of ofType(spotArm, KUBERNETES.nodePool)) {
      const requirement = (
        pool.inputs.spec as { template: { spec: { requirements: Requirement[] } } }
      ).template.spec.requirements.find((r) => r.key === LABEL_CAPACITY_TYPE);
      assert.deepEqual(requirement?.values, ["spot", "on-demand"]);
    }
  });

  it("fails when a node class's max pods or kube-reserved, or a pool's requirements or limits, change", () => {
    const broken = [
      // Half the memory limit: the pool's 64 GiB types could never launch.
      edited(
        dev,
        KUBERNETES.nodePool,
        (inputs) => ((inputs.spec as { limits: { memory: string } }).limits.memory = "32768Mi"),
      ),
      edited(
        dev,
        KUBERNETES.ec2NodeClass,
        (inputs) => ((inputs.spec as { kubelet: { maxPods: number } }).kubelet.maxPods += 1),
      ),
      edited(
        dev,
        KUBERNETES.ec2NodeClass,
        (inputs) =>
          ((inputs.spec as { kubelet: { kubeReserved: { memory: string } } }).kubelet.kubeReserved.memory = "1000Mi"),
      ),
      // A pool that admits every type of its shape, whatever its max pods: types at other values get in.
      edited(dev, KUBERNETES.nodePool, (inputs) => {
        const spec = (inputs.spec as { template: { spec: { requirements: Requirement[] } } }).template.spec;
        spec.requirements = spec.requirements.filter((r) => r.key !== "node.kubernetes.io/instance-type");
      }),
    ];
    assert.equal(broken.length, 4);
    for (const run of broken) assert.notDeepEqual(densityProblems(run, true).problems, []);
  });

  it("a destroy terminates every instance or stops with an error: foreground NodePool deletes, a bounded drain, delete timeouts beyond it", () => {
    const minutes = (duration: string) => Number(/^(\d+)m$/.exec(duration)?.[1] ?? Number.NaN);
    const pools = ofType(dev, KUBERNETES.nodePool);
    const classes = ofType(dev, KUBERNETES.ec2NodeClass);
    assert.ok(pools.length >= 1 && classes.length === pools.length);
    for (const pool of pools) {
      assert.equal(
        (pool.inputs.metadata as { annotations?: Record<string, string> }).annotations?.[
          "pulumi.com/deletionPropagationPolicy"
        ],
        "foreground",
        pool.name,
      );
      const grace = minutes(
        (pool.inputs.spec as { template: { spec: { terminationGracePeriod: string } } }).template.spec
          .terminationGracePeriod,
      );
      assert.ok(grace > 0, `${pool.name}: a drain has an end`);
      for (const r of [pool, classes.find((c) => nameOf(c) === nameOf(pool)) as RecordedResource]) {
        const timeout = minutes(dev.customTimeouts.get(r.urn)?.delete ?? "");
        assert.ok(timeout > grace, `${r.type} ${r.name}: delete timeout ${timeout} min, drain ${grace} min`);
      }
    }
  });

  it("a node is consolidated no sooner than the apps' autoscalers remove pods: consolidateAfter is their scale-down window", () => {
    const windows = new Set(
      ofType(dev, KUBERNETES.horizontalPodAutoscaler).map(
        (h) =>
          (h.inputs.spec as { behavior: { scaleDown: { stabilizationWindowSeconds: number } } }).behavior.scaleDown
            .stabilizationWindowSeconds,
      ),
    );
    assert.equal(windows.size, 1, "one window for every app");
    const [window] = windows;
    assert.ok(window >= 60, `${window} s`);
    for (const pool of ofType(dev, KUBERNETES.nodePool))
      assert.equal(
        (pool.inputs.spec as { disruption: { consolidateAfter: string } }).disruption.consolidateAfter,
        `${window}s`,
        nameOf(pool),
      );
  });

  it("each node class runs the managed group's image release, IMDSv2 with one hop and an encrypted gp3 root; Karpenter runs on the managed group", () => {
    const release = String(dev.outputs.nodeImage).split("-").pop();
    for (const nodeClass of ofType(dev, KUBERNETES.ec2NodeClass)) {
      const spec = nodeClass.inputs.spec as {
        amiSelectorTerms: Array<{ alias: string }>;
        metadataOptions: Record<string, unknown>;
        blockDeviceMappings: Array<{ ebs: Record<string, unknown> }>;
      };
      assert.deepEqual(spec.amiSelectorTerms, [{ alias: `al2023@${release}` }], "pinned by release, never latest");
      assert.equal(spec.metadataOptions.httpTokens, "required");
      assert.equal(spec.metadataOptions.httpPutResponseHopLimit, 1);
      assert.equal(spec.blockDeviceMappings[0].ebs.encrypted, true);
      assert.equal(spec.blockDeviceMappings[0].ebs.volumeType, "gp3");
      // Karpenter puts the node class's tags on the instances, volumes and ENIs it makes: the stack's, as on every
      // resource of the program, beside Karpenter's own (which a node class may not set: the CRD's rules).
      assert.deepEqual((nodeClass.inputs.spec as { tags?: Record<string, string> }).tags, {
        "eks-platform/stack": "eks-platform-dev",
        "managed-by": "pulumi",
      });
    }
    // The controller stays off the nodes it launches by the chart's default affinity (values.yaml in the
    // vendored archive: karpenter.sh/nodepool DoesNotExist), which the release leaves as it is.
    const karpenterRelease = ofType(dev, KUBERNETES.helmRelease).find(
      (r) => r.inputs.name === "karpenter",
    ) as RecordedResource;
    const values = karpenterRelease.inputs.values as Record<string, unknown>;
    assert.ok(
      !("affinity" in values) && !("nodeSelector" in values) && !("tolerations" in values),
      "the release keeps the chart's placement",
    );
    const chartValues = parseYaml(
      (openVendoredChart(KARPENTER_CHART).files.get("values.yaml") as Buffer).toString("utf8"),
    ) as {
      affinity: {
        nodeAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: {
            nodeSelectorTerms: Array<{ matchExpressions: Requirement[] }>;
          };
        };
      };
    };
    assert.deepEqual(
      chartValues.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms,
      [{ matchExpressions: [{ key: "karpenter.sh/nodepool", operator: "DoesNotExist" }] }],
    );
  });

  it("the controller's merged inline policy fits IAM's 10,240 characters per role, even for a 100-character cluster name", () => {
    // IAM counts the aggregate of a role's inline policies, without whitespace, against 10,240 characters
    // (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html, "Role policy size"); PutRolePolicy
    // refuses more. The cluster's name appears in the policy's conditions and ARNs; EKS allows names of up to 100
    // characters (CreateCluster `name`), and real role and queue ARNs may be longer than the mock's by ~64 each.
    const policies = ofType(dev, AWS.iamRolePolicy).filter((p) => p.name.startsWith("karpenter-"));
    assert.equal(policies.length, 1, "one inline policy on Karpenter's role");
    const text = String(policies[0].inputs.policy);
    const clusterName = String(dev.outputs.clusterName);
    const mentions = text.split(clusterName).length - 1;
    assert.ok(mentions >= 5, `${mentions} mentions of the cluster`);
    const worst = text.replace(/\s/g, "").length + mentions * (100 - clusterName.length) + 2 * 64;
    assert.ok(worst <= 10_240, `${worst} characters at worst`);
  });

  it("summary.md lists the pools, every type of the table either admitted or left out with why, and bills Karpenter's nodes as 0 to N from the limits", () => {
    const ctx = { run: dev } as SummaryContext;
    const section = karpenterSection(ctx);
    assert.ok(section);
    const pools = karpenterPools(dev);
    assert.equal(pools.length, ofType(dev, KUBERNETES.nodePool).length);
    for (const pool of pools)
      assert.match(
        section.body,
        new RegExp(
          `\\| \\d+ \\| ${pool.name} \\| ${pool.weight} \\| ${pool.maxPods} \\| ${kubeReservedMemoryMiB(pool.maxPods ?? 0)}Mi \\| ${pool.instanceTypes.length}: `,
        ),
      );
    const admitted = pools.flatMap((p) => p.instanceTypes);
    const excluded = Object.values(dev.outputs.karpenterExcludedTypes as Record<string, string[]>).flat();
    assert.deepEqual(
      [...admitted, ...excluded].sort(),
      [...offlineInstanceTypeNames()].sort(),
      "every type once: admitted or left out",
    );
    // The render's own page lists each of them, under its pool or its reason.
    const page = karpenterTypesSection(ctx)?.body ?? "";
    const listed = page
      .split("\n\n")
      .filter((block) => !block.startsWith("#") && !block.startsWith("Every type"))
      .flatMap((block) => block.split(", "));
    assert.deepEqual(listed.sort(), [...offlineInstanceTypeNames()].sort());
    assert.match(
      section.body,
      new RegExp(`${admitted.length} instance types admitted, ${excluded.length} of the offline table left out`),
    );
    // 0 to N: per pool, as many of its smallest type as both limits allow (32 vCPUs and 128 GiB split between the pools).
    const row = karpenterBillRow(dev);
    const most = pools.reduce((n, p) => n + p.mostNodes, 0);
    assert.deepEqual(row?.slice(0, 2), ["Nodes: Karpenter (on-demand)", `0 to ${most}`]);
    assert.equal(
      pools.reduce((n, p) => n + p.limits.cpu, 0),
      32,
    );
    // Each node takes at least the pool's fewest vCPUs and least memory, so no more nodes fit than this. The
    // defaults (amd64, 2 to 16 vCPUs, prefix delegation) make one pool, pods-110, whose smallest types have
    // 2 vCPUs and 4 GiB (c5.large): 32 vCPUs / 2 = 16 before 128 GiB / 4 = 32.
    assert.deepEqual(Object.fromEntries(pools.map((p) => [p.name, [p.limits.cpu, p.limits.memoryMiB, p.mostNodes]])), {
      "pods-110": [32, 131072, 16],
    });
    assert.equal(most, 16);
    assert.match(billSection(ctx)?.body ?? "", new RegExp(`\\| Nodes: Karpenter \\(on-demand\\) \\| 0 to ${most} \\|`));
  });

  it("Karpenter costs the first deploy at most the apps' rollout after its release, which runs beside the load balancer controller's; with karpenter=false nothing of it is declared", async () => {
    const off = await stacks.off;
    // The apps wait for the NodePools (so a destroy removes them first), and the NodePools for the release:
    // the release starts with the load balancer controller's, so the path grows by at most a Deployment's rollout.
    const total = (run: ProgramRun) => criticalPath(run).at(-1)?.readyAt ?? 0;
    const added = total(dev) - total(off);
    assert.ok(
      added >= 0 && added <= 15,
      `${added} s more: ${criticalPath(dev)
        .map((s) => s.name)
        .join(" → ")}`,
    );
    assert.deepEqual(
      off.resources.filter((r) => /karpenter/i.test(r.type) || /karpenter/i.test(r.name)).map((r) => r.urn),
      [],
    );
    assert.equal(karpenterSection({ run: off } as SummaryContext), undefined);
    assert.equal(karpenterBillRow(off), undefined);
  });

  it("summary.md's app autoscaling: each app's range, target and requests as declared; the burst is config/capacity.ts's model, and goes to Karpenter's nodes (or, without it, must fit the managed group)", async () => {
    for (const [label, run, config] of [
      ["dev", dev, {}],
      ["off", await stacks.off, { karpenter: "false" }],
    ] as const) {
      const values = parseConfigValues({ ...config });
      assert.ok(!Array.isArray(values));
      const workloads = autoscaledWorkloads(run);
      assert.deepEqual(
        workloads.map((w) => w.workload).sort(),
        ["echo/echo", "game-2048/game-2048", "mario/mario", "tetris/tetris"],
        label,
      );
      // The section reads the run; the config check reads the model: the two agree.
      assert.deepEqual(burstAboveFloors(workloads), autoscalingBurst(values), label);
      const body = autoscalingSection({ run } as SummaryContext)?.body ?? "";
      assert.match(body, /^\| mario\/mario \| 3 \| 12 \| 70 % \| 250m, 512 MiB \| 9 pods: 2250m, 4608 MiB \|$/m, label);
      assert.match(body, /All at their ceiling, the apps ask 3150m CPU and 5760 MiB above their floors\./, label);
      assert.match(
        body,
        label === "dev"
          ? /go to nodes Karpenter launches, within its NodePools' limits \(32 vCPUs and 128 GiB\)/
          : /Without Karpenter nothing adds nodes/,
        label,
      );
    }
  });
});
