/**
 * A configuration whose node group cannot run what the program places on it is refused before anything is
 * created, naming the key and the numbers; one that can says in summary.md how much room is left. The model's
 * list of pods is held to the pods the program really declares, both ways, so the two cannot drift.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import { ECHO_RESOURCES } from "../apps/echo";
import { ADDON_PODS } from "../components/cluster/addon-pods";
import {
  cpuMillis,
  groupCapacity,
  kubeReservedCpuMillis,
  memoryMiB,
  type PlannedPods,
} from "../components/cluster/capacity";
import { KUBERNETES } from "../components/resource-types";
import { autoscalingBurst, CONFIG_DEFAULTS, ConfigError, parseConfigValues, plannedPods } from "../config";
import { offlineInstanceType } from "../data/instance-types";
import {
  DEFAULT_RUN_DATE,
  ofType,
  ProgramError,
  type ProgramRun,
  type RecordedResource,
  runProgram,
  stackConfig,
} from "../render/harness";
import { parseRenderArgs } from "../render/options";
import { summary } from "../render/summary/summary";
import { IMAGES_ON_EVERY_ARCHITECTURE } from "./shared-configs";

async function refusal(config: Record<string, string>): Promise<string[]> {
  const error = await runProgram({ config }).then(
    () => undefined,
    (e: unknown) => e,
  );
  assert.ok(
    error instanceof ProgramError && error.error instanceof ConfigError,
    `${JSON.stringify(config)} was accepted`,
  );
  assert.deepEqual(error.resources, [], "nothing registered");
  return [...error.error.problems];
}

describe("capacity: a node group that cannot run the program is refused, with the numbers", () => {
  it("t3.nano: kube-reserved alone is more than the node's memory", async () => {
    assert.deepEqual(await refusal({ nodeInstanceTypes: '["t3.nano"]' }), [
      "eks-platform:nodeInstanceTypes: expected a node group that can run what the program places on it, but a t3.nano (512 MiB, 2 vCPUs, 34 pods) node has no memory for pods: kube-reserved 629 MiB and the 100 MiB eviction threshold take all of it",
    ]);
  });

  it("t3.small: 1465 MiB of 2 GiB reserved before any pod, so its largest (Karpenter's controller) fits on no node: one line, blaming the type, which no node count fixes", async () => {
    assert.deepEqual(await refusal({ nodeInstanceTypes: '["t3.small"]' }), [
      "eks-platform:nodeInstanceTypes: expected a node group that can run what the program places on it, but one kube-system/karpenter pod asks 1024 MiB, more than a t3.small (2048 MiB, 2 vCPUs, 110 pods) node has left after its DaemonSets (483 MiB)",
    ]);
  });

  it("m7g.medium: memory enough, but one vCPU, less than Karpenter's controller asks: the type again, by CPU", async () => {
    assert.deepEqual(await refusal({ nodeInstanceTypes: '["m7g.medium"]', ...IMAGES_ON_EVERY_ARCHITECTURE }), [
      "eks-platform:nodeInstanceTypes: expected a node group that can run what the program places on it, but one kube-system/karpenter pod asks 1000m CPU, more than a m7g.medium (4096 MiB, 1 vCPUs, 98 pods) node has left after its DaemonSets (790m)",
    ]);
  });

  it("a type each pod fits but three nodes of which are too few: the type the user chose is blamed, not the size left at its default, and the line gives the size that would do", async () => {
    const fewNodes = { nodeInstanceTypes: '["t3.medium"]', echoReplicas: "48", appMaxReplicas: "48" };
    assert.deepEqual(await refusal(fewNodes), [
      "eks-platform:nodeInstanceTypes: expected a node group that can run what the program places on it, but 3 t3.medium (4096 MiB, 2 vCPUs, 110 pods) nodes cannot hold the program's pods: memory: 7788 MiB requested of 7593 MiB allocatable; CPU: 5960m requested of 5340m allocatable (the most: echo/echo, 48 pods of 64 MiB and 50m CPU) (a larger type, or nodeDesiredSize 4)",
    ]);
    // The size the line offers holds them: the program runs.
    await runProgram({ config: { ...fewNodes, nodeDesiredSize: "4" } });
  });

  it("a max-pods override below the pods every node runs", async () => {
    const [line] = await refusal({ maxPodsOverride: "1" });
    assert.match(line, /^eks-platform:maxPodsOverride: .*cannot run the 3 pods every node runs .* and 1 pods$/);
  });

  it("more replicas than the group holds, naming the pods, memory and CPU short, and which workload asks most", async () => {
    const [line] = await refusal({ echoReplicas: "3000", appMaxReplicas: "3000" });
    assert.match(
      line,
      /^eks-platform:nodeDesiredSize: .*pod slots: 3023 pods for 321 free slots; memory: .*; CPU: .* \(the most: echo\/echo, 3000 pods of 64 MiB and 50m CPU\) \(\d+ nodes would hold them, with nodeMaxSize \d+\)$/,
    );
  });

  it("the apps' autoscalers: a floor above the ceiling, a burst beyond the group's room and Karpenter's limits together, a ceiling the managed group cannot hold without Karpenter", async () => {
    assert.deepEqual(await refusal({ marioReplicas: "15" }), [
      'eks-platform:marioReplicas: expected at most appMaxReplicas (12), the ceiling of the app\'s autoscaler, whose floor this is (raise appMaxReplicas too) (got "15")',
    ]);
    // Above their floors (3) to a ceiling of 90, 87 more pods of each app: echo 87 × 50m / 64 MiB, 2048 and
    // tetris 87 × 25m / 32 MiB each, mario 87 × 250m / 512 MiB: 30450m and 55680 MiB, beyond the managed
    // group's room at the floors (1630m, 14973 MiB) and 2 vCPUs and 4 GiB of Karpenter together.
    assert.deepEqual(await refusal({ appMaxReplicas: "90", karpenterCpuLimit: "2", karpenterMemoryLimitGiB: "4" }), [
      "eks-platform:appMaxReplicas: expected room for the pods the apps' autoscalers may add above their floors, but at 90 replicas each they request 30450m CPU, more than the managed group's 1630m left and karpenterCpuLimit 2 vCPUs together, and 55680 MiB, more than the managed group's 14973 MiB left and karpenterMemoryLimitGiB 4 GiB together (lower appMaxReplicas, or raise the limits)",
    ]);
    // The default ceiling's burst (3150m) fits the managed group's room and 2 vCPUs of Karpenter.
    await runProgram({ config: { karpenterCpuLimit: "2", karpenterMemoryLimitGiB: "4" } });
    // The burst is what the refusal says, and shrinks with the ceiling: at 6, 3 more pods of each app.
    const burst = (more: Record<string, string>) => {
      const values = parseConfigValues(more);
      assert.ok(!Array.isArray(values));
      return autoscalingBurst(values);
    };
    assert.deepEqual(burst({}), { cpuMillis: 3150, memoryMiB: 5760 });
    assert.deepEqual(burst({ appMaxReplicas: "6" }), { cpuMillis: 1050, memoryMiB: 1920 });
    assert.deepEqual(burst({ appMaxReplicas: "6", marioReplicas: "6" }), { cpuMillis: 300, memoryMiB: 384 });
    // Without Karpenter nothing adds nodes: the three m7i.large must hold every app at its ceiling. They hold
    // 12 each (the dev stack runs so), not 30 (mario alone would ask 7500m of their 5790m).
    await runProgram({ config: { karpenter: "false" } });
    const [withoutKarpenter] = await refusal({ karpenter: "false", appMaxReplicas: "30" });
    assert.match(
      withoutKarpenter,
      /^eks-platform:appMaxReplicas: expected a ceiling the managed node group can hold, since with karpenter=false nothing adds nodes when the apps scale, but with every app at 30 replicas 3 m7i\.large .*CPU: .* \(lower appMaxReplicas, or turn karpenter on\)$/,
    );
  });

  it("docs/autoscaling.md's scaling example holds: echo alone at its ceiling outgrows the managed group, all apps at it fit the group's room and Karpenter's limits", async () => {
    const doc = fs.readFileSync(path.join(__dirname, "..", "docs", "autoscaling.md"), "utf8");
    const example =
      /appMaxReplicas (\d+) && pulumi up +# (\d+) more echo pods ask (\d+)m CPU, beyond the managed group's (\d+)m left/.exec(
        doc,
      );
    assert.ok(example, "docs/autoscaling.md's example is where the test reads it");
    const [ceiling, more, echoCpu, left] = example.slice(1).map(Number);
    // Scaled by hand to the ceiling, within the autoscaler's range (above it the autoscaler takes it back at once).
    assert.ok(doc.includes(`kubectl scale deployment echo -n echo --replicas ${ceiling} `));
    const dev = await runProgram();
    assert.equal(left, (dev.outputs.nodeCapacity as ReturnType<typeof groupCapacity>).free.cpuMillis);
    assert.equal(more, ceiling - CONFIG_DEFAULTS.echoReplicas);
    assert.equal(echoCpu, more * cpuMillis(ECHO_RESOURCES.requests.cpu));
    assert.ok(echoCpu > left);
    const values = parseConfigValues({ appMaxReplicas: String(ceiling) });
    assert.ok(!Array.isArray(values));
    const burst = autoscalingBurst(values);
    assert.ok(
      doc.includes(
        `At ${ceiling}, all four apps at their ceiling ask for ${burst.cpuMillis / 1000} vCPUs and ${(burst.memoryMiB / 1024).toFixed(1)} GiB above their floors`,
      ),
    );
    const free = (dev.outputs.nodeCapacity as ReturnType<typeof groupCapacity>).free;
    assert.ok(burst.cpuMillis > free.cpuMillis, "more than the managed group holds: Karpenter launches nodes");
    assert.ok(
      burst.cpuMillis <= free.cpuMillis + CONFIG_DEFAULTS.karpenterCpuLimit * 1000 &&
        burst.memoryMiB <= free.memoryMiB + CONFIG_DEFAULTS.karpenterMemoryLimitGiB * 1024,
    );
  });

  it("a node group beyond EKS's quota, and an instance type listed twice", async () => {
    assert.match(
      (await refusal({ nodeMaxSize: "100000" }))[0],
      /^eks-platform:nodeMaxSize: expected at most 450 \(EKS's quota of nodes per managed node group\)/,
    );
    assert.match(
      (await refusal({ nodeInstanceTypes: '["m5.large","m5.large"]' }))[0],
      /^eks-platform:nodeInstanceTypes: expected each instance type once/,
    );
  });

  it("the dev stack fits, and summary.md's numbers are the model's", async () => {
    const run = await runProgram();
    const capacity = run.outputs.nodeCapacity as ReturnType<typeof groupCapacity>;
    assert.deepEqual(capacity.problems, []);
    assert.ok(capacity.free.memoryMiB > 0 && capacity.free.cpuMillis > 0 && capacity.free.pods > 0);
    assert.equal(capacity.nodes, CONFIG_DEFAULTS.nodeDesiredSize);
    // m7i.large: 8192 MiB less 1465 MiB kube-reserved (110 pods) less 100 MiB; 2000m less 70m.
    assert.deepEqual(capacity.perNode, { memoryMiB: 6627, cpuMillis: 1930, pods: 110 });
    // summary.md's Capacity section states the same numbers, row by row.
    const text = summary({
      run,
      options: parseRenderArgs(["--date", DEFAULT_RUN_DATE]),
      charts: { notExpanded: "not needed" },
      config: stackConfig("dev"),
    });
    const section = text.split("\n## Capacity\n")[1]?.split("\n## ")[0] ?? "";
    assert.match(section, /^3 × m7i\.large \(8192 MiB, 2 vCPUs\) at the desired size/m);
    const row = (label: string) =>
      section
        .split("\n")
        .find((l) => l.startsWith(`| ${label} |`))
        ?.split("|")
        .slice(2, 5)
        .map((c) => c.trim());
    assert.deepEqual(row("allocatable, per node"), ["110", "6627 MiB", "1930m"]);
    const left = capacity.free;
    assert.deepEqual(row("left in the group"), [
      String(left.pods),
      `${Math.round(left.memoryMiB)} MiB`,
      `${left.cpuMillis}m`,
    ]);
    // Left = 3 nodes' allocatable less the add-on DaemonSets on each and every other pod's requests.
    const daemons = row("add-on DaemonSets, per node")?.map((c) => Number.parseInt(c, 10)) ?? [];
    const requested = row("every other pod, requested in all")?.map((c) => Number.parseInt(c, 10)) ?? [];
    assert.deepEqual(
      [left.pods, Math.round(left.memoryMiB), left.cpuMillis],
      [
        3 * (110 - daemons[0]) - requested[0],
        Math.round(3 * (6627 - daemons[1]) - requested[1]),
        3 * (1930 - daemons[2]) - requested[2],
      ],
    );
  });
});

describe("capacity: the model's rules, from their sources", () => {
  it("kube-reserved CPU is nodeadm's: 6 % of core 1, 1 % of core 2, 0.5 % of cores 3-4, 0.25 % beyond", () => {
    // amazon-eks-ami @ 81fec2e8 nodeadm/test/e2e/cases/kubelet-config-new-instance-type/expected-kubelet-config.json
    // L60-64: 2 vCPUs reserve 70m; the others by the same ranges (config.go L410-440).
    assert.deepEqual([1, 2, 4, 8, 16, 96].map(kubeReservedCpuMillis), [60, 70, 80, 90, 110, 310]);
  });

  it("reads Kubernetes quantities as the API does", () => {
    assert.deepEqual(["50m", "1", "0.5", "250m"].map(cpuMillis), [50, 1000, 500, 250]);
    assert.deepEqual(["64Mi", "1Gi", "512Ki"].map(memoryMiB), [64, 1024, 0.5]);
    assert.throws(() => cpuMillis("fast"), /not a CPU quantity/);
  });

  it("the offline table's memory matches EC2's published sizes", () => {
    // EC2 instance types, general purpose / compute / memory optimized specifications (GiB).
    const published: Record<string, number> = {
      "t3.nano": 0.5,
      "t3.small": 2,
      "m5.large": 8,
      "m7i.large": 8,
      "c7a.2xlarge": 16,
      "r7g.xlarge": 32,
    };
    for (const [type, gib] of Object.entries(published))
      assert.equal(offlineInstanceType(type)?.memorySize, gib * 1024, type);
  });
});

// ------------------------------------------------------------- the model's pods are the program's

interface PodTemplate {
  spec: { containers: Array<{ resources?: { requests?: { cpu?: string; memory?: string } } }> };
}

/**
 * `<namespace>/<name>` → replicas and the first container's requests, of every Deployment and StatefulSet the
 * program declares; an autoscaled Deployment declares no count, so its replicas are its autoscaler's floor.
 */
function declaredWorkloads(run: ProgramRun): Map<string, { replicas: number; cpuMillis: number; memoryMiB: number }> {
  const workloads = [...ofType(run, KUBERNETES.deployment), ...ofType(run, KUBERNETES.statefulSet)];
  const key = (r: RecordedResource) =>
    `${(r.inputs.metadata as { namespace: string }).namespace}/${(r.inputs.spec as { scaleTargetRef: { name: string } }).scaleTargetRef.name}`;
  const floors = new Map(
    ofType(run, KUBERNETES.horizontalPodAutoscaler).map((h) => [
      key(h),
      (h.inputs.spec as { minReplicas: number }).minReplicas,
    ]),
  );
  return new Map(
    workloads.map((w: RecordedResource) => {
      const meta = w.inputs.metadata as { namespace: string; name: string };
      const spec = w.inputs.spec as { replicas?: number; template: PodTemplate };
      const requests = spec.template.spec.containers[0].resources?.requests ?? {};
      const workload = `${meta.namespace}/${meta.name}`;
      // Declaring both would fight the autoscaler; declaring neither leaves one pod.
      assert.ok(
        (spec.replicas === undefined) !== (floors.get(workload) === undefined),
        `${workload}: replicas ${spec.replicas}, autoscaler floor ${floors.get(workload)}`,
      );
      return [
        workload,
        {
          replicas: spec.replicas ?? floors.get(workload) ?? 0,
          cpuMillis: cpuMillis(requests.cpu ?? "0"),
          memoryMiB: memoryMiB(requests.memory ?? "0"),
        },
      ];
    }),
  );
}

/** The controllers' Deployments, from the values each Helm release gives its chart. */
function releasedWorkloads(run: ProgramRun): Map<string, { replicas: number; cpuMillis: number; memoryMiB: number }> {
  return new Map(
    ofType(run, KUBERNETES.helmRelease).map((r) => {
      type Requests = { requests?: { cpu?: string; memory?: string } };
      const values = r.inputs.values as {
        replicaCount?: number;
        replicas?: number;
        resources?: Requests;
        controller?: { resources?: Requests };
      };
      // The controller's and ExternalDNS's charts name them replicaCount and resources; Karpenter's replicas and controller.resources.
      const requests = (values.resources ?? values.controller?.resources)?.requests ?? {};
      // The first two charts default to one replica (values.yaml `replicaCount: 1`).
      return [
        `${String(r.inputs.namespace)}/${String(r.inputs.name)}`,
        {
          replicas: values.replicaCount ?? values.replicas ?? 1,
          cpuMillis: cpuMillis(requests.cpu ?? "0"),
          memoryMiB: memoryMiB(requests.memory ?? "0"),
        },
      ];
    }),
  );
}

describe("capacity: the pods it counts are the pods the program declares", () => {
  for (const config of [{}, { domain: "example.com" }, { networkLab: "false" }] as Array<Record<string, string>>) {
    it(`${JSON.stringify(config)}: every workload, its replicas and requests, both ways`, async () => {
      const run = await runProgram({ config });
      // The configuration as the program sees it: Pulumi.yaml's defaults, the dev stack's file, the overrides.
      const raw = Object.entries(stackConfig("dev", config)).filter(([k]) => k.startsWith("eks-platform:"));
      const values = parseConfigValues(Object.fromEntries(raw.map(([k, v]) => [k.slice("eks-platform:".length), v])));
      assert.ok(!Array.isArray(values));
      const modelled = plannedPods(values).filter((p) => !ADDON_PODS.includes(p));
      const declared = new Map([...declaredWorkloads(run), ...releasedWorkloads(run)]);
      assert.ok(declared.size >= 5, `only ${declared.size} workloads declared`);
      const asDeclared = (p: PlannedPods) => ({
        replicas: p.replicas,
        cpuMillis: p.requests.cpuMillis,
        memoryMiB: p.requests.memoryMiB,
      });
      assert.deepEqual(new Map(modelled.map((p) => [p.workload, asDeclared(p)])), declared);
    });
  }
});
