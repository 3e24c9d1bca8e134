/**
 * Node density: every node's pod capacity is the max pods the program computed for its node group
 * (components/cluster/max-pods.ts, published as the `nodeGroups` output), and the VPC CNI has prefix
 * delegation as configured, without which that capacity could not be addressed.
 */
import type { V1DaemonSet, V1Node } from "@kubernetes/client-node";
import { NODE_GROUP_LABEL } from "../../components/cluster/node-config";
import type { KarpenterPoolOutput, NodeGroupOutput } from "../outputs";
import { type CheckId, type CheckResult, fail, fromLines, line } from "./result";

export const MAX_PODS: CheckId = {
  id: "max-pods",
  title: "every node's pod capacity is its node group's or Karpenter pool's computed max pods",
};

/** The label Karpenter puts on every node it launches: its NodePool. https://karpenter.sh/docs/reference/ (well-known labels) */
export const KARPENTER_NODEPOOL_LABEL = "karpenter.sh/nodepool";
export const PREFIX_DELEGATION: CheckId = {
  id: "prefix-delegation",
  title: "the VPC CNI (aws-node) has prefix delegation as configured",
};

/** The label the program puts on every node of a managed node group: the program's own constant. */
export { NODE_GROUP_LABEL };
/** Well-known labels the kubelet sets. https://kubernetes.io/docs/reference/labels-annotations-taints/ */
export const INSTANCE_TYPE_LABEL = "node.kubernetes.io/instance-type";
export const ZONE_LABEL = "topology.kubernetes.io/zone";

/** The aws-node container and the variable the VPC CNI reads. https://github.com/aws/amazon-vpc-cni-k8s#enable_prefix_delegation-v190 */
export const AWS_NODE_CONTAINER = "aws-node";
export const PREFIX_DELEGATION_ENV = "ENABLE_PREFIX_DELEGATION";

export function checkMaxPods(
  nodes: readonly V1Node[],
  nodeGroups: Readonly<Record<string, NodeGroupOutput>>,
  karpenterPools: Readonly<Record<string, KarpenterPoolOutput>> = {},
): CheckResult {
  const lines = nodes.map((node) => {
    const name = node.metadata?.name ?? "(unnamed node)";
    const labels = node.metadata?.labels ?? {};
    const group = labels[NODE_GROUP_LABEL];
    const instanceType = labels[INSTANCE_TYPE_LABEL] ?? "unknown type";
    const capacity = node.status?.capacity?.pods;
    // A node Karpenter launched: its pool's exact max pods (one pool per value, components/karpenter/density.ts).
    const pool = labels[KARPENTER_NODEPOOL_LABEL];
    if (pool !== undefined) {
      const expected = karpenterPools[pool];
      if (!expected)
        return line(
          false,
          `${name} (${instanceType}): Karpenter pool ${pool} is not in the karpenterNodePools output (${Object.keys(karpenterPools).join(", ") || "none"})`,
        );
      // The pool's types are the ones its max pods was computed for: another type there would run at the wrong density.
      const poolTypeNote = expected.instanceTypes.includes(instanceType)
        ? ""
        : `; ${instanceType} is not one of the pool's ${expected.instanceTypes.length} types`;
      return line(
        capacity !== undefined && Number(capacity) === expected.maxPods && poolTypeNote === "",
        `${name} (Karpenter ${pool}, ${instanceType}): status.capacity.pods=${capacity ?? "unset"}, computed ${expected.maxPods}${poolTypeNote}`,
      );
    }
    if (group === undefined)
      return line(false, `${name} (${instanceType}): no ${NODE_GROUP_LABEL} label, so no computed max pods to compare`);
    const expected = nodeGroups[group];
    if (!expected)
      return line(
        false,
        `${name} (${instanceType}): node group ${group} is not in the nodeGroups output (${Object.keys(nodeGroups).join(", ") || "none"})`,
      );
    const typeNote = expected.instanceTypes.includes(instanceType)
      ? ""
      : `; ${instanceType} is not one of the group's types (${expected.instanceTypes.join(", ")})`;
    const ok = capacity !== undefined && Number(capacity) === expected.maxPods && typeNote === "";
    return line(
      ok,
      `${name} (${group}, ${instanceType}): status.capacity.pods=${capacity ?? "unset"}, computed ${expected.maxPods}${typeNote}`,
    );
  });
  return fromLines(
    MAX_PODS,
    `${nodes.length} node(s) against the nodeGroups${Object.keys(karpenterPools).length > 0 ? " and karpenterNodePools" : ""} output`,
    lines,
  );
}

/** The literal value of an env var on the aws-node container, or why there is none. */
function awsNodeEnv(daemonSet: V1DaemonSet, name: string): { value?: string; problem?: string } {
  const container = daemonSet.spec?.template.spec?.containers.find((c) => c.name === AWS_NODE_CONTAINER);
  if (!container) return { problem: `no ${AWS_NODE_CONTAINER} container` };
  const env = container.env?.find((e) => e.name === name);
  if (!env) return { problem: `${name} is not set` };
  if (env.value === undefined) return { problem: `${name} comes from valueFrom, not a literal value` };
  return { value: env.value };
}

export function checkPrefixDelegation(daemonSet: V1DaemonSet | undefined, expected: boolean): CheckResult {
  if (!daemonSet) return fail(PREFIX_DELEGATION, "DaemonSet kube-system/aws-node not found");
  const { value, problem } = awsNodeEnv(daemonSet, PREFIX_DELEGATION_ENV);
  const status = daemonSet.status;
  const rollout = `${status?.numberReady ?? 0}/${status?.desiredNumberScheduled ?? 0} aws-node pods ready, ${status?.updatedNumberScheduled ?? 0} updated`;
  if (problem) return fail(PREFIX_DELEGATION, `kube-system/aws-node: ${problem} (expected ${expected}); ${rollout}`);
  const on = value?.toLowerCase() === "true";
  // The setting is only in force once every aws-node pod runs the updated template.
  const desired = status?.desiredNumberScheduled ?? 0;
  const rolledOut = desired > 0 && status?.numberReady === desired && status?.updatedNumberScheduled === desired;
  const evidence = `kube-system/aws-node: ${PREFIX_DELEGATION_ENV}=${value}, stack output prefixDelegation=${expected}; ${rollout}${rolledOut ? "" : " (rollout not complete)"}`;
  return { ...PREFIX_DELEGATION, status: on === expected && rolledOut ? "pass" : "fail", evidence };
}
