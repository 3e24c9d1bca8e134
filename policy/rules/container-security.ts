/**
 * How the containers of every pod-bearing object run (pods.ts: Deployments, StatefulSets, DaemonSets,
 * ReplicaSets, Jobs, CronJobs, Pods and their Patch forms): as a high non-root user, on a read-only root
 * filesystem, with every capability dropped and no privilege escalation, isolated from the host, under the
 * runtime's seccomp profile, from images pinned by digest.
 *
 * A workload may be excused from a rule by the scanners' own skip annotation on its metadata, with a reason:
 * checkov's `checkov.io/skip<N>: <check ID>=<reason>` (checkov docs, "Suppressing and Skipping Policies",
 * Kubernetes). The rule then reports nothing for it; summary.md lists every such waiver. A waiver without a
 * reason does not count, and nothing waives a privileged container, the host's namespaces or a hostPath.
 */
import { describeObject as describe, podContainers, podOf, podSpecRecord } from "./pods";
import { get, list, notApplicable, type PolicyInput, str, stringMap, type Verdict } from "./props";
import { KUBERNETES } from "./resource-types";
/**
 * checkov CKV_K8S_40 (`runAsUser >= 10000`) and kube-score's container-security-context-user-group-id
 * (`runAsUser` and `runAsGroup` >= 10000): the lowest user and group they accept.
 */
export const MIN_HIGH_ID = 10000;

/**
 * Checks no annotation waives: a privileged container (CKV_K8S_16), the host's PID, IPC and network namespaces
 * (CKV_K8S_17, 18, 19) and hostPath volumes (Pod Security Standards, baseline, "HostPath Volumes":
 * https://kubernetes.io/docs/concepts/security/pod-security-standards/). Each hands the node to the pod.
 */
export const UNWAIVABLE_CHECKS: readonly string[] = [
  "CKV_K8S_16",
  "CKV_K8S_17",
  "CKV_K8S_18",
  "CKV_K8S_19",
  "PSS_HOST_PATH",
];

/** The checks a workload's metadata waives, with their reasons (checkov's skip annotations; a waiver without a reason does not count, nor one of an unwaivable check). */
export function waivers(resource: PolicyInput): ReadonlyMap<string, string> {
  const found = new Map<string, string>();
  for (const [key, value] of Object.entries(stringMap(resource.props, "metadata", "annotations"))) {
    if (!/^checkov\.io\/skip\d+$/.test(key)) continue;
    const at = value.indexOf("=");
    const [check, reason] = at < 0 ? [value.trim(), ""] : [value.slice(0, at).trim(), value.slice(at + 1).trim()];
    if (check !== "" && reason !== "" && !UNWAIVABLE_CHECKS.includes(check)) found.set(check, reason);
  }
  return found;
}

/** A container's effective security setting: its own, else the pod's. */
function effective(resource: PolicyInput, container: unknown, field: string): unknown {
  return get(container, "securityContext", field) ?? podSpecRecord(resource, "securityContext")?.[field];
}

/** A finding, under the check that would report it. */
interface Finding {
  readonly check: string;
  readonly message: string;
}

/** Each container's findings, less those whose check the workload waives. */
function perContainer(resource: PolicyInput, find: (container: unknown) => Finding[]): Verdict {
  if (!podOf(resource)) return notApplicable("not a pod-bearing kind");
  const excused = waivers(resource);
  return podContainers(resource).flatMap((c) =>
    find(c)
      .filter((f) => !excused.has(f.check))
      .map((f) => `${describe(resource)}: container ${str(c, "name") ?? "?"} ${f.message} (${f.check})`),
  );
}

/** Non-root (CKV_K8S_23), with a user and group of 10000 or above, so no clash with a host's accounts (CKV_K8S_40). */
export function workloadNonRoot(resource: PolicyInput): Verdict {
  return perContainer(resource, (c) => {
    const found: Finding[] = [];
    if (effective(resource, c, "runAsNonRoot") !== true)
      found.push({ check: "CKV_K8S_23", message: "may run as root (runAsNonRoot is not true)" });
    const user = effective(resource, c, "runAsUser");
    const group = effective(resource, c, "runAsGroup");
    if (typeof user !== "number" || user < MIN_HIGH_ID)
      found.push({
        check: "CKV_K8S_40",
        message: `runs as user ${String(user ?? "of the image")}, below ${MIN_HIGH_ID}`,
      });
    if (typeof group !== "number" || group < MIN_HIGH_ID)
      found.push({
        check: "CKV_K8S_40",
        message: `runs as group ${String(group ?? "of the image")}, below ${MIN_HIGH_ID}`,
      });
    return found;
  });
}

/** A read-only root filesystem: what the process writes goes to volumes (CKV_K8S_22). */
export function workloadReadOnlyRoot(resource: PolicyInput): Verdict {
  return perContainer(resource, (c) =>
    get(c, "securityContext", "readOnlyRootFilesystem") === true
      ? []
      : [{ check: "CKV_K8S_22", message: "has a writable root filesystem" }],
  );
}

/**
 * Every capability dropped (CKV_K8S_37; NET_RAW with them, CKV_K8S_28), none added (CKV_K8S_25), no privilege
 * escalation (CKV_K8S_20), not privileged (CKV_K8S_16).
 */
export function workloadCapabilities(resource: PolicyInput): Verdict {
  return perContainer(resource, (c) => {
    const found: Finding[] = [];
    if (!list(c, "securityContext", "capabilities", "drop").includes("ALL"))
      found.push({ check: "CKV_K8S_37", message: "does not drop ALL capabilities" });
    const added = list(c, "securityContext", "capabilities", "add");
    if (added.length > 0)
      found.push({ check: "CKV_K8S_25", message: `adds capabilities ${added.map(String).join(", ")}` });
    if (get(c, "securityContext", "allowPrivilegeEscalation") !== false)
      found.push({ check: "CKV_K8S_20", message: "allows privilege escalation" });
    if (get(c, "securityContext", "privileged") === true) found.push({ check: "CKV_K8S_16", message: "is privileged" });
    return found;
  });
}

/** Advisory: an image named by tag only (or none): the registry can move a tag, a digest never changes (CKV_K8S_43). */
export function imageDigest(resource: PolicyInput): Verdict {
  return perContainer(resource, (c) => {
    const image = str(c, "image") ?? "";
    return /@sha256:[0-9a-f]{64}$/.test(image)
      ? []
      : [{ check: "CKV_K8S_43", message: `runs ${image || "no image"} by tag, not by digest` }];
  });
}

/** The pod-level findings of one pod-bearing object, less those its waivers excuse. */
function perPod(resource: PolicyInput, find: (spec: unknown) => Finding[]): Verdict {
  const pod = podOf(resource);
  if (!pod) return notApplicable("not a pod-bearing kind");
  const excused = waivers(resource);
  return find(pod.spec)
    .filter((f) => !excused.has(f.check))
    .map((f) => `${describe(resource)}: ${f.message} (${f.check})`);
}

/**
 * Isolated from its node: no host network, PID or IPC namespace (CKV_K8S_19, 17, 18), no hostPath volume (Pod
 * Security Standards, baseline), and the container runtime's default seccomp profile, at the pod or on every
 * container, as checkov CKV_K8S_31 reads it (a pod-level type decides; else each container's must be
 * RuntimeDefault: bridgecrewio/checkov @ 03d5fdad checkov/kubernetes/checks/resource/k8s/Seccomp.py).
 */
export function workloadHostIsolation(resource: PolicyInput): Verdict {
  return perPod(resource, (spec) => {
    const found: Finding[] = [];
    if (get(spec, "hostNetwork") === true)
      found.push({ check: "CKV_K8S_19", message: "shares the host's network namespace" });
    if (get(spec, "hostPID") === true) found.push({ check: "CKV_K8S_17", message: "shares the host's PID namespace" });
    if (get(spec, "hostIPC") === true) found.push({ check: "CKV_K8S_18", message: "shares the host's IPC namespace" });
    for (const volume of list(spec, "volumes"))
      if (get(volume, "hostPath") !== undefined)
        found.push({
          check: "PSS_HOST_PATH",
          message: `mounts the host path ${String(get(volume, "hostPath", "path"))}`,
        });
    const podProfile = get(spec, "securityContext", "seccompProfile", "type");
    const containers = [...list(spec, "initContainers"), ...list(spec, "containers")];
    const seccomp =
      podProfile !== undefined
        ? podProfile === "RuntimeDefault"
        : containers.length > 0 &&
          containers.every((c) => get(c, "securityContext", "seccompProfile", "type") === "RuntimeDefault");
    if (!seccomp)
      found.push({
        check: "CKV_K8S_31",
        message: `runs without the RuntimeDefault seccomp profile (${String(podProfile ?? "none set on the pod")})`,
      });
    return found;
  });
}

/** Pod Security Standards levels that keep a namespace's pods off the host (privileged allows anything). */
export const POD_SECURITY_LEVELS = ["baseline", "restricted"] as const;

/**
 * Every Namespace enforces a Pod Security Standards level, baseline or restricted
 * (`pod-security.kubernetes.io/enforce`: https://kubernetes.io/docs/concepts/security/pod-security-admission/):
 * the API server then refuses a pod that breaks it, whoever creates it, controllers included.
 */
export function namespacePodSecurity(resource: PolicyInput): Verdict {
  if (resource.type !== KUBERNETES.namespace && resource.type !== `${KUBERNETES.namespace}Patch`)
    return notApplicable("not a Namespace");
  const level = stringMap(resource.props, "metadata", "labels")["pod-security.kubernetes.io/enforce"];
  return (POD_SECURITY_LEVELS as readonly string[]).includes(level ?? "")
    ? []
    : [
        `Namespace ${str(resource.props, "metadata", "name") ?? "?"} enforces ${level ? `Pod Security level ${level}` : "no Pod Security level"} (expected ${POD_SECURITY_LEVELS.join(" or ")})`,
      ];
}
