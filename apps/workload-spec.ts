/**
 * Pure builders for the shared workload: pod spec, topology routing, drain timing, security profiles.
 * Types are the Kubernetes types that ship with @pulumi/kubernetes.
 */
import type * as k8s from "@pulumi/kubernetes";
import type { NodeArchitecture } from "./images";

type PodSpec = k8s.types.input.core.v1.PodSpec;
type Container = k8s.types.input.core.v1.Container;
type SecurityContext = k8s.types.input.core.v1.SecurityContext;
type PodSecurityContext = k8s.types.input.core.v1.PodSecurityContext;

/** Pod Security Standards level a namespace enforces. https://kubernetes.io/docs/concepts/security/pod-security-standards/ */
export type PodSecurityLevel = "restricted" | "baseline";

/**
 * What an image needs to run, written down per image: the tightest settings it allows.
 * `restricted` images run as a fixed non-root user with every capability dropped; `baseline` images
 * start as root (nginx or Tomcat masters that switch users or chown their caches) and keep only the
 * capabilities listed.
 */
export interface ImageSecurityProfile {
  readonly level: PodSecurityLevel;
  /** Fixed non-root user and group, for `restricted`. */
  readonly runAsUser?: number;
  /** Capabilities added back after dropping ALL (baseline allows only the runtime's defaults). */
  readonly addCapabilities?: readonly string[];
  /** Paths the image writes to: emptyDir volumes, so the root filesystem can be read-only. */
  readonly writablePaths?: readonly string[];
  /** Binds a port below 1024 as non-root: allowed through the namespaced, PSS-safe sysctl. */
  readonly bindsLowPortAsNonRoot?: boolean;
  /** Why, for the reader. */
  readonly why: string;
  /**
   * Review rules this image cannot meet, each with its reason: written on the Deployment as the scanners'
   * own skip annotations (checkov `checkov.io/skipN: <id>=<reason>`, kube-score `kube-score/ignore`), read by
   * the policy pack, and listed in summary.md.
   */
  readonly waivers?: readonly ReviewWaiver[];
}

/** One review rule an image is excused from, and why. */
export interface ReviewWaiver {
  /** The checkov check ID (CKV_K8S_...). */
  readonly checkov: string;
  /** The kube-score check, where one corresponds. */
  readonly kubeScore?: string;
  readonly reason: string;
}

/**
 * The scanners' skip annotations for an image's waivers: checkov reads `checkov.io/skip<N>: <check>=<comment>`
 * on a Kubernetes object's metadata (checkov docs, "Suppressing and Skipping Policies", Kubernetes), and
 * kube-score `kube-score/ignore: <check>,<check>` (kube-score README, "Ignoring a test").
 */
export function waiverAnnotations(waivers: readonly ReviewWaiver[]): Record<string, string> {
  // checkov splits the value on "=" into exactly two parts (checkov/kubernetes/kubernetes_utils.py L100-102 @ 03d5fdad).
  const unreadable = waivers.find((w) => w.reason.includes("=") || w.reason.trim() === "");
  if (unreadable)
    throw new Error(
      `waiver ${unreadable.checkov}: a reason must be given, without "=" (checkov cannot read it otherwise)`,
    );
  const kubeScore = waivers.flatMap((w) => (w.kubeScore ? [w.kubeScore] : []));
  return {
    ...Object.fromEntries(waivers.map((w, i) => [`checkov.io/skip${i + 1}`, `${w.checkov}=${w.reason}`])),
    ...(kubeScore.length > 0 ? { "kube-score/ignore": kubeScore.join(",") } : {}),
  };
}

export const TOPOLOGY_ZONE_KEY = "topology.kubernetes.io/zone";
/** The node label of a node's CPU architecture, set by the kubelet (https://kubernetes.io/docs/reference/labels-annotations-taints/#kubernetes-io-arch). */
export const ARCHITECTURE_LABEL = "kubernetes.io/arch";

/**
 * Pods only on nodes of the architectures their image runs on: required, so the scheduler never places one
 * where it would crash-loop with `exec format error`, and Karpenter, which launches only types meeting a
 * pending pod's required node affinity, never launches a node of another architecture for it.
 */
export function architectureAffinity(architectures: readonly NodeArchitecture[]): k8s.types.input.core.v1.Affinity {
  if (architectures.length === 0) throw new Error("an image runs on at least one architecture");
  return {
    nodeAffinity: {
      requiredDuringSchedulingIgnoredDuringExecution: {
        nodeSelectorTerms: [
          { matchExpressions: [{ key: ARCHITECTURE_LABEL, operator: "In", values: [...architectures] }] },
        ],
      },
    },
  };
}
export const TOPOLOGY_HOST_KEY = "kubernetes.io/hostname";

/** Label the AWS Load Balancer Controller reads to add its readiness gate to new pods. */
export const READINESS_GATE_LABEL = "elbv2.k8s.aws/pod-readiness-gate-inject";

/** Pod Security labels, plus the controller's readiness gate so pods count as ready only once the target group says so. */
export function namespaceLabels(level: PodSecurityLevel): Record<string, string> {
  return {
    "pod-security.kubernetes.io/enforce": level,
    "pod-security.kubernetes.io/enforce-version": "latest",
    // Warn and audit at restricted, so whatever keeps an image at baseline stays visible.
    "pod-security.kubernetes.io/warn": "restricted",
    "pod-security.kubernetes.io/audit": "restricted",
    [READINESS_GATE_LABEL]: "enabled",
  };
}

/** Minor version number of "1.NN". */
function minor(kubernetesVersion: string): number {
  return Number(kubernetesVersion.split(".")[1]);
}

/**
 * How a ClusterIP Service keeps in-cluster traffic in the caller's zone, for a Kubernetes version:
 * `trafficDistribution: PreferSameZone` from 1.34 (the clearer name), `PreferClose` from 1.31 (same
 * behaviour), and the older `topology-mode: Auto` annotation only where the field does not exist.
 * https://kubernetes.io/docs/concepts/services-networking/service/#traffic-distribution
 */
export function zoneLocalRouting(kubernetesVersion: string): {
  trafficDistribution?: "PreferSameZone" | "PreferClose";
  annotations: Record<string, string>;
} {
  if (minor(kubernetesVersion) >= 34) return { trafficDistribution: "PreferSameZone", annotations: {} };
  if (minor(kubernetesVersion) >= 31) return { trafficDistribution: "PreferClose", annotations: {} };
  return { annotations: { "service.kubernetes.io/topology-mode": "Auto" } };
}

/** Seconds a pod keeps serving after it is told to stop, and the grace period around that. */
export interface DrainTiming {
  readonly preStopSleepSeconds: number;
  readonly terminationGracePeriodSeconds: number;
}

/**
 * A rolling update must not drop requests: a terminating pod keeps serving while its target drains,
 * so the preStop pause outlasts the target group's deregistration delay (plus the controller's reaction
 * time), and the grace period outlasts the pause plus the server's own shutdown.
 */
export function drainTiming(deregistrationDelaySeconds: number): DrainTiming {
  const preStopSleepSeconds = deregistrationDelaySeconds + 10;
  return { preStopSleepSeconds, terminationGracePeriodSeconds: preStopSleepSeconds + 20 };
}

/** How an app scales horizontally: its HorizontalPodAutoscaler's range and CPU target. */
export interface AutoscalingSettings {
  /** The floor: the configured replicas (a multiple of 3), which the managed nodes must hold. */
  readonly minReplicas: number;
  /** The ceiling (config appMaxReplicas): pods beyond the managed nodes' room go to nodes Karpenter adds. */
  readonly maxReplicas: number;
  /** Average CPU use, in percent of the pods' CPU request, the autoscaler keeps them at (config appTargetCpuUtilization). */
  readonly targetCpuUtilization: number;
}

/** The input paths of a Deployment its HorizontalPodAutoscaler owns: the program leaves them alone after the first deploy. */
export const AUTOSCALED_DEPLOYMENT_FIELDS: readonly string[] = ["spec.replicas"];

/**
 * How long the autoscaler looks back before it scales down, so a burst outlasts a quiet moment. Declared: the
 * API leaves it unset, and then EKS's controller flags decide (docs/autoscaling.md, with the sources).
 */
export const SCALE_DOWN_STABILIZATION_SECONDS = 300;

/**
 * The HorizontalPodAutoscaler (autoscaling/v2) of an app's Deployment: between the floor and the ceiling, on
 * the pods' average CPU use against their request, read from the metrics API (the EKS metrics-server add-on).
 * Below the floor it scales up without reading metrics (kubernetes v1.28 pkg/controller/podautoscaler/
 * horizontal.go L845, "Current number of replicas below Spec.MinReplicas", in the copy cited above), so a
 * first deploy's single pod becomes the floor at once. Scaling up keeps the API's default (the larger of 4 pods
 * or 100 % per 15 s, defaults.go L28-49); scaling down waits SCALE_DOWN_STABILIZATION_SECONDS.
 */
export function horizontalPodAutoscalerSpec(
  deploymentName: string,
  settings: AutoscalingSettings,
): k8s.types.input.autoscaling.v2.HorizontalPodAutoscalerSpec {
  return {
    scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: deploymentName },
    minReplicas: settings.minReplicas,
    maxReplicas: settings.maxReplicas,
    metrics: [
      {
        type: "Resource",
        resource: { name: "cpu", target: { type: "Utilization", averageUtilization: settings.targetCpuUtilization } },
      },
    ],
    behavior: { scaleDown: { stabilizationWindowSeconds: SCALE_DOWN_STABILIZATION_SECONDS } },
  };
}

export interface PodSpecArgs {
  /** App name: also its namespace, Deployment and Service name. */
  readonly app: string;
  /** Container image reference (validated in config/schema.ts). */
  readonly image: string;
  /** The architectures the image runs on: the pods go to nodes of those only. */
  readonly architectures: readonly NodeArchitecture[];
  /** Container port, named `http`. */
  readonly port: number;
  /** Path answering 200 once the app serves. */
  readonly probePath: string;
  /** The container's requests and limits (what the capacity check counts). */
  readonly resources: { readonly requests: Record<string, string>; readonly limits: Record<string, string> };
  /** How the image runs restricted: user, writable paths, capabilities (its profile beside the app). */
  readonly security: ImageSecurityProfile;
  /** How long a pod takes to leave the load balancers before it stops. */
  readonly drain: DrainTiming;
}

/** The selector labels of an app's pods. */
export function selectorLabels(app: string): Record<string, string> {
  return { "app.kubernetes.io/name": app };
}

export function podSpec(args: PodSpecArgs): PodSpec {
  const volumes = (args.security.writablePaths ?? []).map((p, i) => ({ name: `writable-${i}`, mountPath: p }));
  const containerSecurity: SecurityContext = {
    allowPrivilegeEscalation: false,
    privileged: false,
    readOnlyRootFilesystem: args.security.writablePaths !== undefined,
    capabilities: {
      drop: ["ALL"],
      ...(args.security.addCapabilities?.length ? { add: [...args.security.addCapabilities] } : {}),
    },
    ...(args.security.level === "restricted"
      ? { runAsNonRoot: true, runAsUser: args.security.runAsUser, runAsGroup: args.security.runAsUser }
      : {}),
  };
  const podSecurity: PodSecurityContext = {
    seccompProfile: { type: "RuntimeDefault" },
    ...(args.security.level === "restricted" ? { runAsNonRoot: true, fsGroup: args.security.runAsUser } : {}),
    ...(args.security.bindsLowPortAsNonRoot
      ? { sysctls: [{ name: "net.ipv4.ip_unprivileged_port_start", value: "0" }] }
      : {}),
  };
  const probe = { httpGet: { path: args.probePath, port: "http" } };
  const container: Container = {
    name: args.app,
    image: args.image,
    ports: [{ name: "http", containerPort: args.port, protocol: "TCP" }],
    // A slow starter (a JVM) gets time here instead of a liveness probe that kills it mid-boot.
    startupProbe: { ...probe, periodSeconds: 2, failureThreshold: 60 },
    readinessProbe: { ...probe, periodSeconds: 5, failureThreshold: 2 },
    livenessProbe: { ...probe, periodSeconds: 10, failureThreshold: 3, timeoutSeconds: 2 },
    resources: { requests: { ...args.resources.requests }, limits: { ...args.resources.limits } },
    securityContext: containerSecurity,
    // Keep serving while the load balancer drains this target; the sleep action needs no shell in the image.
    lifecycle: { preStop: { sleep: { seconds: args.drain.preStopSleepSeconds } } },
    volumeMounts: volumes.map((v) => ({ name: v.name, mountPath: v.mountPath })),
  };
  const selector = { matchLabels: selectorLabels(args.app) };
  return {
    automountServiceAccountToken: false,
    enableServiceLinks: false,
    terminationGracePeriodSeconds: args.drain.terminationGracePeriodSeconds,
    securityContext: podSecurity,
    affinity: architectureAffinity(args.architectures),
    containers: [container],
    volumes: volumes.map((v) => ({ name: v.name, emptyDir: {} })),
    topologySpreadConstraints: [
      // The same number of pods in every zone; a zone outage takes a third, never all.
      {
        maxSkew: 1,
        topologyKey: TOPOLOGY_ZONE_KEY,
        whenUnsatisfiable: "DoNotSchedule",
        labelSelector: selector,
        matchLabelKeys: ["pod-template-hash"],
      },
      {
        maxSkew: 1,
        topologyKey: TOPOLOGY_HOST_KEY,
        whenUnsatisfiable: "ScheduleAnyway",
        labelSelector: selector,
        matchLabelKeys: ["pod-template-hash"],
      },
    ],
  };
}
