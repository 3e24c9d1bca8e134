/**
 * summary.md's "App autoscaling" section: each app's HorizontalPodAutoscaler as declared (floor, ceiling, CPU
 * target), what every app at its ceiling asks above its floor, and where those pods go: the managed group's room
 * first (the nodeCapacity output), then Karpenter's nodes within the NodePools' limits. Read from the run, so it
 * shows what `pulumi up` would apply; a test holds its totals to config/capacity.ts's model (autoscalingBurst).
 */
import { cpuMillis, memoryMiB, type PodRequests } from "../../components/cluster/capacity";
import { KUBERNETES } from "../../components/resource-types";
import { ofType, type ProgramRun } from "../harness";
import type { SummarySectionBuilder } from "./context";
import { karpenterPools } from "./karpenter";
import { table } from "./markdown";

/** One autoscaled workload: its range and target, and its pods' requests. */
export interface AutoscaledWorkload {
  /** `<namespace>/<name>` of the Deployment. */
  readonly workload: string;
  readonly minReplicas: number;
  readonly maxReplicas: number;
  readonly targetCpuUtilization: number | undefined;
  /** One pod's requests (all its containers). */
  readonly perPod: PodRequests;
}

interface HpaSpec {
  scaleTargetRef: { kind: string; name: string };
  minReplicas?: number;
  maxReplicas: number;
  metrics?: Array<{ type: string; resource?: { name: string; target: { averageUtilization?: number } } }>;
}
interface DeploymentInputs {
  metadata: { namespace: string; name: string };
  spec: { template: { spec: { containers: Array<{ resources?: { requests?: { cpu?: string; memory?: string } } }> } } };
}

export function autoscaledWorkloads(run: ProgramRun): AutoscaledWorkload[] {
  const deployments = new Map<string, DeploymentInputs>(
    ofType(run, KUBERNETES.deployment).map((d) => {
      const inputs = d.inputs as unknown as DeploymentInputs;
      return [`${inputs.metadata.namespace}/${inputs.metadata.name}`, inputs] as const;
    }),
  );
  return ofType(run, KUBERNETES.horizontalPodAutoscaler).flatMap((h) => {
    const spec = h.inputs.spec as HpaSpec;
    const workload = `${(h.inputs.metadata as { namespace: string }).namespace}/${spec.scaleTargetRef.name}`;
    const target = spec.scaleTargetRef.kind === "Deployment" ? deployments.get(workload) : undefined;
    if (!target) return [];
    const containers = target.spec.template.spec.containers;
    const perPod = {
      cpuMillis: containers.reduce((n, c) => n + cpuMillis(c.resources?.requests?.cpu ?? "0"), 0),
      memoryMiB: containers.reduce((n, c) => n + memoryMiB(c.resources?.requests?.memory ?? "0"), 0),
    };
    const cpu = spec.metrics?.find((m) => m.type === "Resource" && m.resource?.name === "cpu");
    // minReplicas defaults to 1 (autoscaling/v2 HorizontalPodAutoscalerSpec).
    return [
      {
        workload,
        minReplicas: spec.minReplicas ?? 1,
        maxReplicas: spec.maxReplicas,
        targetCpuUtilization: cpu?.resource?.target.averageUtilization,
        perPod,
      },
    ];
  });
}

/** What every autoscaled workload at its ceiling asks above its floor. */
export function burstAboveFloors(workloads: readonly AutoscaledWorkload[]): PodRequests {
  return workloads.reduce(
    (sum, w) => ({
      cpuMillis: sum.cpuMillis + (w.maxReplicas - w.minReplicas) * w.perPod.cpuMillis,
      memoryMiB: sum.memoryMiB + (w.maxReplicas - w.minReplicas) * w.perPod.memoryMiB,
    }),
    { cpuMillis: 0, memoryMiB: 0 },
  );
}

export const autoscalingSection: SummarySectionBuilder = ({ run }) => {
  const workloads = autoscaledWorkloads(run);
  if (workloads.length === 0) return undefined;
  const burst = burstAboveFloors(workloads);
  const free = (run.outputs.nodeCapacity as { free?: PodRequests } | undefined)?.free;
  const pools = karpenterPools(run);
  const limits = pools.reduce(
    (sum, p) => ({ cpu: sum.cpu + p.limits.cpu, memoryMiB: sum.memoryMiB + p.limits.memoryMiB }),
    { cpu: 0, memoryMiB: 0 },
  );
  const where =
    pools.length > 0
      ? `Pods the managed node group has no room for${free ? ` (${free.cpuMillis}m CPU and ${free.memoryMiB} MiB left)` : ""} go to nodes Karpenter launches, within its NodePools' limits (${limits.cpu} vCPUs and ${limits.memoryMiB / 1024} GiB); they go again when the load does.`
      : `Without Karpenter nothing adds nodes: the managed node group holds every app at its ceiling${free ? ` (${free.cpuMillis}m CPU and ${free.memoryMiB} MiB left at the floors)` : ""}.`;
  return {
    title: "App autoscaling",
    body: [
      "Each app's HorizontalPodAutoscaler keeps its pods' average CPU at the target share of their request, between the floor and the ceiling, on metrics from the EKS metrics-server add-on. The Deployments declare no count: the autoscaler owns it (see docs/autoscaling.md).",
      table(
        ["workload", "floor", "ceiling", "CPU target", "requests per pod", "above the floor at the ceiling"],
        workloads.map((w) => [
          w.workload,
          String(w.minReplicas),
          String(w.maxReplicas),
          w.targetCpuUtilization === undefined ? "(not on CPU)" : `${w.targetCpuUtilization} %`,
          `${w.perPod.cpuMillis}m, ${w.perPod.memoryMiB} MiB`,
          `${w.maxReplicas - w.minReplicas} pods: ${(w.maxReplicas - w.minReplicas) * w.perPod.cpuMillis}m, ${(w.maxReplicas - w.minReplicas) * w.perPod.memoryMiB} MiB`,
        ]),
      ),
      `All at their ceiling, the apps ask ${burst.cpuMillis}m CPU and ${burst.memoryMiB} MiB above their floors. ${where}`,
    ].join("\n\n"),
  };
};
