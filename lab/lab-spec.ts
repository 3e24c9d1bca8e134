/**
 * The service-networking lab's objects as pure data: images pinned by digest, ports, names, and the pod
 * specs (restricted Pod Security: non-root, no capabilities, read-only root, RuntimeDefault seccomp).
 * Names here are the contract `npm run verify` and the lab's walkthrough (docs/lab.md) rely on.
 */
import type * as k8s from "@pulumi/kubernetes";
import type { NodeArchitecture } from "../apps/images";
import { architectureAffinity, TOPOLOGY_ZONE_KEY } from "../apps/workload-spec";

type PodSpec = k8s.types.input.core.v1.PodSpec;

export const LAB_NAMESPACE = "lab";

/**
 * netshoot: curl, dig, tcpdump, ipvsadm and friends (https://github.com/nicolaka/netshoot), v0.15 pinned by the
 * digest of its multi-architecture index, as two unrelated projects pin it
 * (https://github.com/infinitydon/dra-linux-networks/blob/673ab09f5964be30bdb7e1573f2c85060953c727/tests/e2e/repeated_network_claims_test.go#L14,
 * soer3n/kube-ovn-dra-driver @ 3ed3f19c Makefile L156).
 */
export const NETSHOOT_IMAGE =
  "nicolaka/netshoot:v0.15@sha256:47b907d662d139d1e2f22bfe14f4efca1e3f1feed283572f47c970c780c03b61";
export const NETSHOOT_NAME = "netshoot";
/** netshoot's releases are built for both (.github/workflows/release-buildx.yml @ 02fd9a0f: `--platform linux/amd64,linux/arm64`). */
export const NETSHOOT_ARCHITECTURES: readonly NodeArchitecture[] = ["amd64", "arm64"];

/**
 * agnhost, Kubernetes' own test server (registry.k8s.io/e2e-test-images): `netexec` answers /hostname with the
 * pod's name, so each per-pod DNS name shows who answered. 2.53 pinned by the digest Kubernetes' registry
 * promotion records for it (https://github.com/kubernetes/k8s.io/blob/e10ab5f95c9786e66745737e865fd6f593358eae/registry.k8s.io/images/k8s-staging-e2e-test-images/images.yaml#L32).
 */
export const PEERS_IMAGE =
  "registry.k8s.io/e2e-test-images/agnhost:2.53@sha256:99c6b4bb4a1e1df3f0b3752168c89358794d02258ebebc26bf21c29399011a85";
export const PEERS_NAME = "peers";
/**
 * agnhost is built for every platform its BASEIMAGE lists, amd64 and arm64 among them
 * (https://github.com/kubernetes/kubernetes/blob/00238edfdd255c385481fea0a4dd081d44b0622d/test/images/agnhost/BASEIMAGE).
 */
export const PEERS_ARCHITECTURES: readonly NodeArchitecture[] = ["amd64", "arm64"];
export const PEERS_PORT = 8080;

/** The lab's NodePort in front of echo: fixed, so the walkthrough can name it (range 30000-32767). */
export const ECHO_NODE_PORT = 30080;
export const ECHO_NODE_PORT_SERVICE = "echo-nodeport";

/** The ExternalName Service, and what it aliases when there is no domain: a name IANA documents as public (RFC 2606). */
export const EXTERNAL_NAME_SERVICE = "games-external";
export const DOCUMENTED_PUBLIC_NAME = "example.com";

/** One client per zone, one peer per zone. */
export const LAB_REPLICAS = 3;

/** What each netshoot client asks for (and may use). */
export const NETSHOOT_RESOURCES = {
  requests: { cpu: "10m", memory: "32Mi" },
  limits: { cpu: "500m", memory: "128Mi" },
} as const;
/** What each peer asks for (and may use). */
export const PEER_RESOURCES = {
  requests: { cpu: "10m", memory: "16Mi" },
  limits: { cpu: "200m", memory: "64Mi" },
} as const;

/** An unprivileged user both images run as (nobody). */
const NOBODY = 65534;

export function labSelector(name: string): Record<string, string> {
  return { "app.kubernetes.io/name": name, "app.kubernetes.io/part-of": "eks-platform-lab" };
}

/** Pod Security for the lab namespace: both images run restricted. */
export function labNamespaceLabels(): Record<string, string> {
  return {
    "pod-security.kubernetes.io/enforce": "restricted",
    "pod-security.kubernetes.io/enforce-version": "latest",
    "pod-security.kubernetes.io/warn": "restricted",
    "pod-security.kubernetes.io/audit": "restricted",
  };
}

/** The pod hygiene every lab pod shares: restricted, limits, one pod per zone. */
function restrictedPod(
  name: string,
  architectures: readonly NodeArchitecture[],
  container: k8s.types.input.core.v1.Container,
): PodSpec {
  return {
    affinity: architectureAffinity(architectures),
    automountServiceAccountToken: false,
    enableServiceLinks: false,
    securityContext: {
      runAsNonRoot: true,
      runAsUser: NOBODY,
      runAsGroup: NOBODY,
      seccompProfile: { type: "RuntimeDefault" },
    },
    containers: [
      {
        ...container,
        securityContext: {
          allowPrivilegeEscalation: false,
          privileged: false,
          readOnlyRootFilesystem: true,
          capabilities: { drop: ["ALL"] },
        },
        volumeMounts: [{ name: "tmp", mountPath: "/tmp" }],
      },
    ],
    volumes: [{ name: "tmp", emptyDir: {} }],
    topologySpreadConstraints: [
      {
        maxSkew: 1,
        topologyKey: TOPOLOGY_ZONE_KEY,
        whenUnsatisfiable: "DoNotSchedule",
        labelSelector: { matchLabels: labSelector(name) },
      },
    ],
  };
}

/**
 * A netshoot client: it only waits to be `kubectl exec`ed into. As nobody it has curl, dig and nslookup;
 * ping and tcpdump need capabilities restricted pods do not get (use `kubectl debug` on a node for those).
 */
export function netshootPodSpec(): PodSpec {
  return restrictedPod(NETSHOOT_NAME, NETSHOOT_ARCHITECTURES, {
    name: NETSHOOT_NAME,
    image: NETSHOOT_IMAGE,
    command: ["sleep", "infinity"],
    resources: { ...NETSHOOT_RESOURCES },
    // Ready once cluster DNS answers from inside the pod: what every lab exercise needs first.
    readinessProbe: {
      exec: { command: ["sh", "-c", '[ -n "$(dig +short +time=2 +tries=1 kubernetes.default.svc.cluster.local)" ]'] },
      periodSeconds: 30,
      timeoutSeconds: 5,
    },
  });
}

/** A peer: agnhost netexec on 8080, answering /hostname. */
export function peerPodSpec(): PodSpec {
  const probe = { httpGet: { path: "/hostname", port: "http" } };
  return restrictedPod(PEERS_NAME, PEERS_ARCHITECTURES, {
    name: PEERS_NAME,
    image: PEERS_IMAGE,
    args: ["netexec", `--http-port=${PEERS_PORT}`],
    ports: [{ name: "http", containerPort: PEERS_PORT, protocol: "TCP" }],
    resources: { ...PEER_RESOURCES },
    readinessProbe: { ...probe, periodSeconds: 5 },
    livenessProbe: { ...probe, periodSeconds: 10, failureThreshold: 3 },
  });
}

/** What the ExternalName Service points at: the games' public name with a domain, a documented public name without. */
export function externalNameTarget(gamesHostname: string | undefined): string {
  return gamesHostname ?? DOCUMENTED_PUBLIC_NAME;
}
