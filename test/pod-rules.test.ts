/**
 * The pack's pod rules over every pod-bearing kind (policy/rules/pods.ts), host isolation with checkov's
 * seccomp semantics, waivers that cannot excuse what hands the node to a pod, and kube-score's replica
 * threshold for the PodDisruptionBudget and zone-spread rules. Pure: no program runs.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  UNWAIVABLE_CHECKS,
  waivers,
  workloadCapabilities,
  workloadHostIsolation,
} from "../policy/rules/container-security";
import { POD_BEARING_TYPES } from "../policy/rules/pods";
import type { PolicyInput, StackInput } from "../policy/rules/props";
import { workloadDisruptionBudgets, workloadResources, workloadZoneSpread } from "../policy/rules/workloads";

const HARDENED_CONTAINER = {
  name: "app",
  image: "example/app@sha256:0000000000000000000000000000000000000000000000000000000000000000",
  resources: { requests: { cpu: "10m", memory: "16Mi" }, limits: { memory: "32Mi" } },
  securityContext: { capabilities: { drop: ["ALL"] }, allowPrivilegeEscalation: false },
};
const POD_SPEC = { securityContext: { seccompProfile: { type: "RuntimeDefault" } }, containers: [HARDENED_CONTAINER] };

/** The same pod under each kind, at the path that kind keeps it. */
function objectOf(
  type: string,
  spec: Record<string, unknown> = POD_SPEC,
  extra: Record<string, unknown> = {},
): PolicyInput {
  const kind = type.split(":")[2].replace(/Patch$/, "");
  const template = { metadata: { labels: { app: "a" } }, spec };
  const body =
    kind === "Pod"
      ? { spec }
      : kind === "CronJob"
        ? { spec: { jobTemplate: { spec: { template } } } }
        : { spec: { template, ...extra } };
  return { type, props: { metadata: { name: "a", namespace: "n" }, ...body } };
}

const verdictOf = (v: ReturnType<typeof workloadCapabilities>) => ("notApplicable" in v ? "n/a" : v);

describe("pack rules: every pod-bearing kind, and the node kept from the pod", () => {
  it("covers Deployments, StatefulSets, DaemonSets, ReplicaSets, Jobs, CronJobs, Pods, ReplicationControllers and their Patch forms", () => {
    const kinds = POD_BEARING_TYPES.map((t) => t.split(":")[2]).sort();
    for (const kind of [
      "CronJob",
      "DaemonSet",
      "Deployment",
      "Job",
      "Pod",
      "ReplicaSet",
      "ReplicationController",
      "StatefulSet",
    ])
      assert.ok(kinds.includes(kind) && kinds.includes(`${kind}Patch`), kind);
    for (const type of POD_BEARING_TYPES) {
      assert.deepEqual(verdictOf(workloadCapabilities(objectOf(type))), [], `${type}: the hardened pod passes`);
      assert.deepEqual(verdictOf(workloadHostIsolation(objectOf(type))), [], type);
      assert.deepEqual(verdictOf(workloadResources(objectOf(type))), [], type);
      const bare = objectOf(type, { ...POD_SPEC, containers: [{ name: "app", image: "x" }] });
      assert.equal(
        (verdictOf(workloadCapabilities(bare)) as string[]).length,
        2,
        `${type}: no drop, escalation allowed`,
      );
      assert.equal((verdictOf(workloadResources(bare)) as string[]).length, 1, type);
    }
    assert.equal(verdictOf(workloadCapabilities({ type: "kubernetes:core/v1:Service", props: {} })), "n/a");
  });

  it("host namespaces and hostPath fire, and no waiver excuses them (nor a privileged container); seccomp's can be waived", () => {
    const type = "kubernetes:apps/v1:DaemonSet";
    const spec = {
      ...POD_SPEC,
      hostNetwork: true,
      hostPID: true,
      hostIPC: true,
      volumes: [{ name: "root", hostPath: { path: "/" } }],
    };
    const annotated = (annotations: Record<string, string>, s: Record<string, unknown> = spec): PolicyInput => {
      const o = objectOf(type, s);
      return { ...o, props: { ...o.props, metadata: { name: "a", namespace: "n", annotations } } };
    };
    const all = verdictOf(workloadHostIsolation(objectOf(type, spec))) as string[];
    assert.deepEqual(
      all.map((f) => /\((\w+)\)$/.exec(f)?.[1]),
      ["CKV_K8S_19", "CKV_K8S_17", "CKV_K8S_18", "PSS_HOST_PATH"],
    );
    const waived = Object.fromEntries(
      UNWAIVABLE_CHECKS.map((check, n) => [`checkov.io/skip${n + 1}`, `${check}=needed`]),
    );
    assert.deepEqual(verdictOf(workloadHostIsolation(annotated(waived))), all, "the waivers change nothing");
    assert.equal(waivers(annotated(waived)).size, 0);
    const privileged = {
      ...POD_SPEC,
      containers: [
        { ...HARDENED_CONTAINER, securityContext: { ...HARDENED_CONTAINER.securityContext, privileged: true } },
      ],
    };
    assert.match(
      (
        verdictOf(workloadCapabilities(annotated({ "checkov.io/skip1": "CKV_K8S_16=needed" }, privileged))) as string[]
      )[0],
      /is privileged \(CKV_K8S_16\)/,
    );
    const noSeccomp = { containers: [HARDENED_CONTAINER] };
    assert.equal((verdictOf(workloadHostIsolation(objectOf(type, noSeccomp))) as string[]).length, 1);
    assert.deepEqual(
      verdictOf(workloadHostIsolation(annotated({ "checkov.io/skip1": "CKV_K8S_31=a profile of its own" }, noSeccomp))),
      [],
    );
  });

  it("seccomp as checkov reads it: a pod-level type decides; else every container must be RuntimeDefault", () => {
    const type = "kubernetes:apps/v1:Deployment";
    const profile = (t: string) => ({ seccompProfile: { type: t } });
    const withContainers = (...types: Array<string | undefined>) => ({
      containers: types.map((t, n) => ({
        ...HARDENED_CONTAINER,
        name: `c${n}`,
        securityContext: { ...HARDENED_CONTAINER.securityContext, ...(t ? profile(t) : {}) },
      })),
    });
    const fails = (spec: Record<string, unknown>) =>
      (verdictOf(workloadHostIsolation(objectOf(type, spec))) as string[]).length;
    assert.equal(
      fails({ securityContext: profile("Localhost"), ...withContainers("RuntimeDefault") }),
      1,
      "the pod's Localhost decides",
    );
    assert.equal(fails(withContainers("RuntimeDefault", "RuntimeDefault")), 0);
    assert.equal(fails(withContainers("RuntimeDefault", undefined)), 1, "one container without");
    assert.equal(fails({ securityContext: profile("Unconfined"), containers: [HARDENED_CONTAINER] }), 1);
  });

  it("zone spread and a PodDisruptionBudget from two replicas on, as kube-score: one replica skips, two or none declared are checked", () => {
    const deployment = (replicas?: number): StackInput => ({
      ...objectOf("kubernetes:apps/v1:Deployment", POD_SPEC, replicas === undefined ? {} : { replicas }),
      urn: "d",
      name: "d",
      dependencies: [],
    });
    assert.deepEqual(verdictOf(workloadZoneSpread(deployment(1))), "n/a");
    assert.equal((verdictOf(workloadZoneSpread(deployment(2))) as string[]).length, 1);
    assert.equal((verdictOf(workloadZoneSpread(deployment())) as string[]).length, 1);
    assert.deepEqual(workloadDisruptionBudgets([deployment(1)]), []);
    assert.equal(workloadDisruptionBudgets([deployment(2)]).length, 1);
    assert.equal(workloadDisruptionBudgets([deployment()]).length, 1);
  });
});
