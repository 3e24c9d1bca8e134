/**
 * What the program places on the managed node group, and whether it can hold it: at the apps' floors, and
 * with their autoscalers at the ceiling, beside Karpenter's limits.
 */

import { ECHO_RESOURCES } from "../apps/echo";
import { GAME_2048_RESOURCES } from "../apps/game-2048";
import { MARIO_RESOURCES } from "../apps/mario";
import { TETRIS_RESOURCES } from "../apps/tetris";
import { ADDON_PODS } from "../components/cluster/addon-pods";
import {
  type GroupCapacity,
  groupCapacity,
  type NodeShape,
  nodeTooSmall,
  type PlannedPods,
  type PodRequests,
  requestsOf,
} from "../components/cluster/capacity";
import { kubeReservedMemoryMiB, nodeGroupMaxPods } from "../components/cluster/max-pods";
import { EXTERNAL_DNS_RESOURCES } from "../components/external-dns/values";
import { KARPENTER_REPLICAS, KARPENTER_RESOURCES } from "../components/karpenter/values";
import {
  LOAD_BALANCER_CONTROLLER_REPLICAS,
  LOAD_BALANCER_CONTROLLER_RESOURCES,
} from "../components/load-balancer-controller/values";
import {
  LAB_NAMESPACE,
  LAB_REPLICAS,
  NETSHOOT_NAME,
  NETSHOOT_RESOURCES,
  PEER_RESOURCES,
  PEERS_NAME,
} from "../lab/lab-spec";
import type { AwsFacts } from "./aws-facts";
import { CONFIG_DEFAULTS, keyName, MAX_NODES_PER_MANAGED_NODE_GROUP } from "./keys";
import type { ConfigValues } from "./schema";

/**
 * Every pod the program places on the managed nodes, by its requests: the add-ons' DaemonSets and Deployments
 * (addon-pods.ts, from their manifests), the controllers, the apps and the lab (their own constants, which
 * the components use: a test holds this list to the pods the program declares). The apps count at their
 * autoscalers' floor (their replicas keys), or at the ceiling (appMaxReplicas) for `at: "ceiling"`.
 */
export function plannedPods(values: ConfigValues, at: "floor" | "ceiling" = "floor"): PlannedPods[] {
  const apps = appPods(values).map((app) => ({
    workload: app.workload,
    replicas: at === "floor" ? app.floor : values.appMaxReplicas,
    requests: app.requests,
  }));
  return [
    ...ADDON_PODS,
    {
      workload: "kube-system/aws-load-balancer-controller",
      replicas: LOAD_BALANCER_CONTROLLER_REPLICAS,
      requests: requestsOf(LOAD_BALANCER_CONTROLLER_RESOURCES),
    },
    ...(values.domain !== ""
      ? [{ workload: "kube-system/external-dns", replicas: 1, requests: requestsOf(EXTERNAL_DNS_RESOURCES) }]
      : []),
    // Karpenter's controller runs on the managed group, never on the nodes it launches (its chart's affinity).
    ...(values.karpenter
      ? [{ workload: "kube-system/karpenter", replicas: KARPENTER_REPLICAS, requests: requestsOf(KARPENTER_RESOURCES) }]
      : []),
    ...apps,
    ...(values.networkLab
      ? [
          { workload: `${LAB_NAMESPACE}/${PEERS_NAME}`, replicas: LAB_REPLICAS, requests: requestsOf(PEER_RESOURCES) },
          {
            workload: `${LAB_NAMESPACE}/${NETSHOOT_NAME}`,
            replicas: LAB_REPLICAS,
            requests: requestsOf(NETSHOOT_RESOURCES),
          },
        ]
      : []),
  ];
}

/** Each app: its Deployment, its autoscaler's floor (its replicas key) and one pod's requests. */
function appPods(values: ConfigValues): Array<{ workload: string; floor: number; requests: PodRequests }> {
  return [
    { workload: "echo/echo", floor: values.echoReplicas, requests: requestsOf(ECHO_RESOURCES) },
    { workload: "game-2048/game-2048", floor: values.game2048Replicas, requests: requestsOf(GAME_2048_RESOURCES) },
    { workload: "tetris/tetris", floor: values.tetrisReplicas, requests: requestsOf(TETRIS_RESOURCES) },
    { workload: "mario/mario", floor: values.marioReplicas, requests: requestsOf(MARIO_RESOURCES) },
  ];
}

/**
 * What the apps' autoscalers may add above their floors, all at their ceiling at once: the requests of the
 * pods that go to the managed group's room left at the floors, then to nodes Karpenter launches.
 */
export function autoscalingBurst(values: ConfigValues): PodRequests {
  return appPods(values).reduce(
    (burst, app) => {
      const extra = values.appMaxReplicas - app.floor;
      return {
        cpuMillis: burst.cpuMillis + extra * app.requests.cpuMillis,
        memoryMiB: burst.memoryMiB + extra * app.requests.memoryMiB,
      };
    },
    { cpuMillis: 0, memoryMiB: 0 },
  );
}

/**
 * Where the apps' autoscalers put pods above their floors, and whether it can hold them. With Karpenter: the
 * managed group's room left at the floors, then Karpenter's nodes, which never exceed its limits (the sum of
 * its pools' shares; sigs.k8s.io/karpenter @ 6e7eab7a scheduler.go L709-716). A burst beyond both together can
 * never be placed and is refused. One within them may still leave a few pods pending, since every node keeps
 * part of itself (kube-reserved, the add-ons' DaemonSets): this is the check that is certain, not a packing.
 * Without Karpenter nothing adds nodes, so the managed group must hold every app at its ceiling. Each problem
 * names the key that would fix it.
 */
export function autoscalingProblems(values: ConfigValues, facts: AwsFacts, atFloors: GroupCapacity): string[] {
  if (!values.karpenter) {
    const atCeiling = nodeGroupCapacity(values, facts, "ceiling");
    return atCeiling.problems.length === 0
      ? []
      : [
          `${keyName("appMaxReplicas")}: expected a ceiling the managed node group can hold, since with karpenter=false nothing adds nodes when the apps scale, but with every app at ${values.appMaxReplicas} replicas ${atCeiling.reasons.join("; ")} (lower appMaxReplicas, or turn karpenter on)`,
        ];
  }
  const burst = autoscalingBurst(values);
  const room = {
    cpuMillis: atFloors.free.cpuMillis + values.karpenterCpuLimit * 1000,
    memoryMiB: atFloors.free.memoryMiB + values.karpenterMemoryLimitGiB * 1024,
  };
  const over = [
    ...(burst.cpuMillis > room.cpuMillis
      ? [
          `${burst.cpuMillis}m CPU, more than the managed group's ${atFloors.free.cpuMillis}m left and karpenterCpuLimit ${values.karpenterCpuLimit} vCPUs together`,
        ]
      : []),
    ...(burst.memoryMiB > room.memoryMiB
      ? [
          `${burst.memoryMiB} MiB, more than the managed group's ${atFloors.free.memoryMiB} MiB left and karpenterMemoryLimitGiB ${values.karpenterMemoryLimitGiB} GiB together`,
        ]
      : []),
  ];
  return over.length === 0
    ? []
    : [
        `${keyName("appMaxReplicas")}: expected room for the pods the apps' autoscalers may add above their floors, but at ${values.appMaxReplicas} replicas each they request ${over.join(", and ")} (lower appMaxReplicas, or raise the limits)`,
      ];
}

/**
 * The node group at its configured size against what it must run, for its smallest instance type (a node of
 * any of its types may launch): the problems, each naming the key that would fix it, or the room left.
 * `reasons` are the bare sentences, for a caller that names its own key.
 */
export function nodeGroupCapacity(
  values: ConfigValues,
  facts: AwsFacts,
  at: "floor" | "ceiling" = "floor",
): { problems: string[]; reasons: string[]; capacity?: GroupCapacity } {
  const limits = values.nodeInstanceTypes.map((t) => facts.instanceTypes[t].limits);
  const pods = nodeGroupMaxPods(
    limits,
    { prefixDelegation: values.prefixDelegation },
    values.maxPodsOverride > 0 ? values.maxPodsOverride : undefined,
  );
  const shapes: NodeShape[] = values.nodeInstanceTypes.map((t) => ({
    instanceType: t,
    vcpus: facts.instanceTypes[t].limits.vcpus,
    memoryMiB: facts.instanceTypes[t].memoryMiB,
    maxPods: pods,
    kubeReservedMemoryMiB: kubeReservedMemoryMiB(pods),
  }));
  const planned = plannedPods(values, at);
  const results = shapes.map((shape) => groupCapacity(shape, values.nodeDesiredSize, planned));
  const tightest = [...results].sort((a, b) => a.free.memoryMiB - b.free.memoryMiB)[0];
  const failing = results.find((r) => r.problems.length > 0);
  if (!failing) return { problems: [], reasons: [], capacity: tightest };
  // A node too small for a pod (or for the DaemonSets) is the instance type's fault, or the max-pods
  // override's when that leaves no slot; a group too small in total is the size's, unless the user chose the
  // type and left the size at its default: then the type is what they changed, and the line says both fixes.
  const isSet = (key: "nodeInstanceTypes" | "nodeDesiredSize") =>
    JSON.stringify(values[key]) !== JSON.stringify(CONFIG_DEFAULTS[key]);
  const tooSmall = nodeTooSmall(failing, planned);
  const key = tooSmall
    ? values.maxPodsOverride > 0 && failing.perNode.pods <= failing.daemonsPerNode.pods
      ? "maxPodsOverride"
      : "nodeInstanceTypes"
    : isSet("nodeInstanceTypes") && !isSet("nodeDesiredSize")
      ? "nodeInstanceTypes"
      : "nodeDesiredSize";
  const needed = tooSmall ? undefined : nodesNeeded(shapes, planned, values.nodeDesiredSize);
  const fix =
    needed === undefined
      ? ""
      : key === "nodeInstanceTypes"
        ? ` (a larger type, or nodeDesiredSize ${needed}${needed > values.nodeMaxSize ? ` and nodeMaxSize ${needed}` : ""})`
        : ` (${needed} nodes would hold them${needed > values.nodeMaxSize ? `, with nodeMaxSize ${needed}` : ""})`;
  return {
    problems: failing.problems.map(
      (p) => `${keyName(key)}: expected a node group that can run what the program places on it, but ${p}${fix}`,
    ),
    reasons: [...failing.problems],
  };
}

/** The fewest nodes of every shape that hold the planned pods, up to EKS's quota; undefined beyond it. */
function nodesNeeded(shapes: readonly NodeShape[], planned: readonly PlannedPods[], from: number): number | undefined {
  for (let nodes = from + 1; nodes <= MAX_NODES_PER_MANAGED_NODE_GROUP; nodes++) {
    if (shapes.every((shape) => groupCapacity(shape, nodes, planned).problems.length === 0)) return nodes;
  }
  return undefined;
}
