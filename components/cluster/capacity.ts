/**
 * Whether a node group, at the size it is configured to run, can hold what the program places on it: the
 * pods of every DaemonSet on each node, and every other pod somewhere, by their requests against each node's
 * allocatable memory and CPU (after kube-reserved and the eviction threshold) and its pod slots (max pods).
 * Pure: config/ refuses a configuration that cannot run, and the render shows how much room is left.
 */

/** What a pod asks the scheduler for. */
export interface PodRequests {
  readonly cpuMillis: number;
  readonly memoryMiB: number;
}

/** A group of identical pods the program places on the nodes. */
export interface PlannedPods {
  /** `<namespace>/<name>` of the workload. */
  readonly workload: string;
  /** One pod per node (a DaemonSet), or this many replicas spread over the nodes. */
  readonly replicas: number | "every node";
  readonly requests: PodRequests;
}

/** One node of the group: its size, and the pods its kubelet admits. */
export interface NodeShape {
  readonly instanceType: string;
  readonly vcpus: number;
  readonly memoryMiB: number;
  readonly maxPods: number;
  /** The kube-reserved memory the kubelet is given for that many pods (11 × maxPods + 255 MiB). */
  readonly kubeReservedMemoryMiB: number;
}

/**
 * kube-reserved CPU the AL2023 node reserves for its vCPUs, as nodeadm computes it: 6 % of the first core,
 * 1 % of the second, 0.5 % of the third and fourth, 0.25 % of every further one.
 * awslabs/amazon-eks-ami @ 81fec2e8 nodeadm/internal/kubelet/config.go L410-440 (getCPUMillicoresToReserve).
 */
export function kubeReservedCpuMillis(vcpus: number): number {
  // Per range of millicores, start to end, in hundredths of a percent; integer arithmetic, as nodeadm's.
  const total = vcpus * 1000;
  const ranges: ReadonlyArray<[number, number, number]> = [
    [0, 1000, 600],
    [1000, 2000, 100],
    [2000, 4000, 50],
    [4000, total, 25],
  ];
  return ranges.reduce(
    (reserved, [start, end, share]) =>
      reserved + (total <= start ? 0 : Math.floor(((Math.min(total, end) - start) * share) / 10000)),
    0,
  );
}

/**
 * Memory the kubelet keeps back from pods besides kube-reserved: the hard eviction threshold
 * (`memory.available<100Mi`, nodeadm's default; it sets no systemReserved). amazon-eks-ami @ 81fec2e8
 * nodeadm/internal/kubelet/config.go L110-114.
 */
export const EVICTION_HARD_MEMORY_MIB = 100;

/** What one node offers pods: allocatable memory and CPU, and pod slots. */
export function allocatable(node: NodeShape): PodRequests & { readonly pods: number } {
  return {
    memoryMiB: node.memoryMiB - node.kubeReservedMemoryMiB - EVICTION_HARD_MEMORY_MIB,
    cpuMillis: node.vcpus * 1000 - kubeReservedCpuMillis(node.vcpus),
    pods: node.maxPods,
  };
}

/** The group's room: what its nodes offer, what the program asks, and what is left, or the problems. */
export interface GroupCapacity {
  readonly nodes: number;
  readonly node: NodeShape;
  /** Per node: allocatable, and what the DaemonSets take of it. */
  readonly perNode: PodRequests & { readonly pods: number };
  readonly daemonsPerNode: PodRequests & { readonly pods: number };
  /** Over the whole group: what the other pods ask, and what remains after them. */
  readonly requested: PodRequests & { readonly pods: number };
  readonly free: PodRequests & { readonly pods: number };
  /** Why the group cannot hold what it must, one sentence each; empty when it can. */
  readonly problems: readonly string[];
}

const sum = (pods: readonly PlannedPods[], pick: (p: PlannedPods) => number) => pods.reduce((n, p) => n + pick(p), 0);

/** The room a group of `nodes` nodes of this shape has for the planned pods. */
export function groupCapacity(node: NodeShape, nodes: number, planned: readonly PlannedPods[]): GroupCapacity {
  const offer = allocatable(node);
  const daemons = planned.filter((p) => p.replicas === "every node");
  const spread = planned.filter((p) => p.replicas !== "every node");
  const count = (p: PlannedPods) => (p.replicas === "every node" ? 1 : p.replicas);
  const daemonsPerNode = {
    pods: daemons.length,
    memoryMiB: sum(daemons, (p) => p.requests.memoryMiB),
    cpuMillis: sum(daemons, (p) => p.requests.cpuMillis),
  };
  const requested = {
    pods: sum(spread, count),
    memoryMiB: sum(spread, (p) => count(p) * p.requests.memoryMiB),
    cpuMillis: sum(spread, (p) => count(p) * p.requests.cpuMillis),
  };
  const room = {
    pods: nodes * (offer.pods - daemonsPerNode.pods),
    memoryMiB: nodes * (offer.memoryMiB - daemonsPerNode.memoryMiB),
    cpuMillis: nodes * (offer.cpuMillis - daemonsPerNode.cpuMillis),
  };
  const free = {
    pods: room.pods - requested.pods,
    memoryMiB: room.memoryMiB - requested.memoryMiB,
    cpuMillis: room.cpuMillis - requested.cpuMillis,
  };
  const problems: string[] = [];
  const where = `${node.instanceType} (${node.memoryMiB} MiB, ${node.vcpus} vCPUs, ${node.maxPods} pods)`;
  if (offer.memoryMiB <= 0) {
    problems.push(
      `a ${where} node has no memory for pods: kube-reserved ${node.kubeReservedMemoryMiB} MiB and the ${EVICTION_HARD_MEMORY_MIB} MiB eviction threshold take all of it`,
    );
  } else if (
    daemonsPerNode.memoryMiB > offer.memoryMiB ||
    daemonsPerNode.cpuMillis > offer.cpuMillis ||
    daemonsPerNode.pods > offer.pods
  ) {
    problems.push(
      `a ${where} node cannot run the ${daemons.length} pods every node runs (${daemonsPerNode.memoryMiB} MiB, ${daemonsPerNode.cpuMillis}m CPU, ${daemonsPerNode.pods} pods) in its ${offer.memoryMiB} MiB, ${offer.cpuMillis}m CPU and ${offer.pods} pods`,
    );
  } else {
    // A pod larger than what one node has left after its DaemonSets never schedules, however many nodes:
    // the node type is too small, and that is the one thing to say.
    const left = {
      memoryMiB: offer.memoryMiB - daemonsPerNode.memoryMiB,
      cpuMillis: offer.cpuMillis - daemonsPerNode.cpuMillis,
    };
    const largest = [...spread].sort((a, b) => b.requests.memoryMiB - a.requests.memoryMiB)[0];
    const widest = [...spread].sort((a, b) => b.requests.cpuMillis - a.requests.cpuMillis)[0];
    if (largest && largest.requests.memoryMiB > left.memoryMiB) {
      problems.push(
        `one ${largest.workload} pod asks ${largest.requests.memoryMiB} MiB, more than a ${where} node has left after its DaemonSets (${left.memoryMiB} MiB)`,
      );
    } else if (widest && widest.requests.cpuMillis > left.cpuMillis) {
      problems.push(
        `one ${widest.workload} pod asks ${widest.requests.cpuMillis}m CPU, more than a ${where} node has left after its DaemonSets (${left.cpuMillis}m)`,
      );
    } else {
      const shortOf: string[] = [];
      if (free.pods < 0) shortOf.push(`pod slots: ${requested.pods} pods for ${room.pods} free slots`);
      if (free.memoryMiB < 0)
        shortOf.push(`memory: ${requested.memoryMiB} MiB requested of ${room.memoryMiB} MiB allocatable`);
      if (free.cpuMillis < 0) shortOf.push(`CPU: ${requested.cpuMillis}m requested of ${room.cpuMillis}m allocatable`);
      const heaviest = [...spread].sort((a, b) => count(b) * b.requests.memoryMiB - count(a) * a.requests.memoryMiB)[0];
      const most = heaviest
        ? ` (the most: ${heaviest.workload}, ${count(heaviest)} pods of ${heaviest.requests.memoryMiB} MiB and ${heaviest.requests.cpuMillis}m CPU)`
        : "";
      if (shortOf.length > 0)
        problems.push(`${nodes} ${where} nodes cannot hold the program's pods: ${shortOf.join("; ")}${most}`);
    }
  }
  return { nodes, node, perNode: offer, daemonsPerNode, requested, free, problems };
}

/**
 * Whether a node of this shape is too small for what the program places on it, whatever the number of nodes:
 * no memory for pods, not enough for the DaemonSets, or one pod larger than what a node has left after them.
 */
export function nodeTooSmall(capacity: GroupCapacity, planned: readonly PlannedPods[]): boolean {
  const left = {
    memoryMiB: capacity.perNode.memoryMiB - capacity.daemonsPerNode.memoryMiB,
    cpuMillis: capacity.perNode.cpuMillis - capacity.daemonsPerNode.cpuMillis,
    pods: capacity.perNode.pods - capacity.daemonsPerNode.pods,
  };
  return (
    left.memoryMiB < 0 ||
    left.cpuMillis < 0 ||
    (left.pods <= 0 && planned.some((p) => p.replicas !== "every node")) ||
    capacity.perNode.memoryMiB <= 0 ||
    planned.some(
      (p) =>
        p.replicas !== "every node" && (p.requests.memoryMiB > left.memoryMiB || p.requests.cpuMillis > left.cpuMillis),
    )
  );
}

/** A Kubernetes CPU quantity ("50m", "1", "0.5") in millicores. */
export function cpuMillis(quantity: string): number {
  const match = /^(\d+(?:\.\d+)?)(m?)$/.exec(quantity.trim());
  if (!match) throw new Error(`not a CPU quantity: ${quantity}`);
  return match[2] === "m" ? Number(match[1]) : Math.round(Number(match[1]) * 1000);
}

/** A Kubernetes memory quantity ("64Mi", "1Gi", "512M", bytes) in MiB. */
export function memoryMiB(quantity: string): number {
  const match = /^(\d+(?:\.\d+)?)(Ki|Mi|Gi|Ti|k|M|G|T)?$/.exec(quantity.trim());
  if (!match) throw new Error(`not a memory quantity: ${quantity}`);
  const bytes: Record<string, number> = {
    Ki: 2 ** 10,
    Mi: 2 ** 20,
    Gi: 2 ** 30,
    Ti: 2 ** 40,
    k: 1e3,
    M: 1e6,
    G: 1e9,
    T: 1e12,
    "": 1,
  };
  return (Number(match[1]) * bytes[match[2] ?? ""]) / 2 ** 20;
}

/** Requests from a container's `resources.requests` (cpu and memory). */
export function requestsOf(resources: {
  readonly requests: { readonly cpu?: string; readonly memory?: string };
}): PodRequests {
  return {
    cpuMillis: cpuMillis(resources.requests.cpu ?? "0"),
    memoryMiB: memoryMiB(resources.requests.memory ?? "0"),
  };
}
