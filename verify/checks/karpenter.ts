/**
 * Karpenter's NodePools and node classes are Ready: every pool the program declares (the karpenterNodePools
 * output) exists in the cluster with its `Ready` condition True, and so does its EC2NodeClass (the program
 * names each class after its pool, components/karpenter/node-pools.ts). `Ready` is the top-level condition
 * Karpenter derives from the others, on both kinds (karpenter-provider-aws @ bde00654, v1.14.1:
 * pkg/apis/v1/ec2nodeclass_status.go L169-181, `status.NewReadyConditions` over AMIsReady, SubnetsReady,
 * SecurityGroupsReady, InstanceProfileReady, ValidationSucceeded, PlacementGroupReady; NodePools:
 * website/content/en/docs/concepts/nodepools.md L474-480, Ready over NodeClassReady and ValidationSucceeded,
 * "if a NodePool is not ready, it will not be considered for scheduling").
 */
import type { KarpenterPoolOutput } from "../outputs";
import { type CheckId, type CheckResult, fail } from "./result";

export const KARPENTER_POOLS: CheckId = {
  id: "karpenter-pools",
  title: "every Karpenter NodePool and its node class is Ready",
};

export const NODE_POOLS = { group: "karpenter.sh", version: "v1", plural: "nodepools" } as const;
export const EC2_NODE_CLASSES = { group: "karpenter.k8s.aws", version: "v1", plural: "ec2nodeclasses" } as const;

/** A Karpenter object as the API returns it: the parts read here. */
export interface KarpenterObject {
  readonly metadata?: { readonly name?: string };
  readonly status?: {
    readonly conditions?: ReadonlyArray<{
      readonly type?: string;
      readonly status?: string;
      readonly message?: string;
    }>;
  };
}

function readiness(kind: string, name: string, objects: readonly KarpenterObject[]): { ok: boolean; text: string } {
  const found = objects.find((o) => o.metadata?.name === name);
  if (!found) return { ok: false, text: `${kind} ${name} not found` };
  const ready = found.status?.conditions?.find((c) => c.type === "Ready");
  if (ready?.status === "True") return { ok: true, text: `${kind} ${name} Ready` };
  return {
    ok: false,
    text: `${kind} ${name} not Ready${ready ? ` (${ready.status}${ready.message ? `: ${ready.message}` : ""})` : " (no Ready condition yet)"}`,
  };
}

export function checkKarpenterPools(
  pools: Readonly<Record<string, KarpenterPoolOutput>>,
  nodePools: readonly KarpenterObject[],
  nodeClasses: readonly KarpenterObject[],
): CheckResult {
  const names = Object.keys(pools).sort();
  if (names.length === 0) return fail(KARPENTER_POOLS, "the karpenterNodePools output names no pool");
  const results = names.flatMap((name) => [
    readiness("NodePool", name, nodePools),
    readiness("EC2NodeClass", name, nodeClasses),
  ]);
  const failed = results.filter((r) => !r.ok);
  return {
    ...KARPENTER_POOLS,
    status: failed.length === 0 ? "pass" : "fail",
    evidence: (failed.length === 0 ? results : failed).map((r) => r.text).join("; "),
  };
}
