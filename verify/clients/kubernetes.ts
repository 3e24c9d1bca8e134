/**
 * The Kubernetes API, thinly: fetch the objects the checks read, and run a command in a pod. No
 * judgement here; parsing of what comes back is in checks/.
 *
 * @kubernetes/client-node (1.x and 2.x) is ESM-only, so it is loaded with a dynamic import from this CommonJS
 * code, once, when a check first needs the cluster.
 */

import { readFileSync } from "node:fs";
import * as path from "node:path";
import { Writable } from "node:stream";
import type {
  KubeConfig,
  V1APIService,
  V1ConfigMap,
  V1DaemonSet,
  V1Deployment,
  V1EndpointSlice,
  V1Ingress,
  V1Node,
  V1Pod,
  V1Service,
  V1Status,
  V2HorizontalPodAutoscaler,
} from "@kubernetes/client-node";
import { TARGET_GROUP_BINDING, type TargetGroupBinding } from "../checks/load-balancers";

type ClientNode = typeof import("@kubernetes/client-node");

export interface ExecResult {
  readonly stdout: string;
  readonly stderr: string;
  /** The command's exit code, when the API reported one. */
  readonly exitCode?: number;
  /** Why the command did not run to the end (connection refused, timed out, ...). */
  readonly failure?: string;
}

/** What the checks read from the cluster; `undefined` where the object does not exist. */
export interface ClusterApi {
  /** The API server's version (GET /version, which every authenticated identity may read): a reachability probe. */
  serverVersion(): Promise<string>;
  listNodes(): Promise<V1Node[]>;
  readDaemonSet(namespace: string, name: string): Promise<V1DaemonSet | undefined>;
  readDeployment(namespace: string, name: string): Promise<V1Deployment | undefined>;
  readConfigMap(namespace: string, name: string): Promise<V1ConfigMap | undefined>;
  readService(namespace: string, name: string): Promise<V1Service | undefined>;
  listServices(): Promise<V1Service[]>;
  listIngresses(): Promise<V1Ingress[]>;
  listEndpointSlices(namespace: string, labelSelector: string): Promise<V1EndpointSlice[]>;
  listPods(namespace: string, labelSelector?: string): Promise<V1Pod[]>;
  listTargetGroupBindings(namespace: string): Promise<TargetGroupBinding[]>;
  /** An aggregated API's registration (apiregistration.k8s.io/v1), or undefined when there is none. */
  readApiService(name: string): Promise<V1APIService | undefined>;
  /** Every HorizontalPodAutoscaler (autoscaling/v2) of the cluster. */
  listHorizontalPodAutoscalers(): Promise<V2HorizontalPodAutoscaler[]>;
  /** Cluster-scoped custom objects of one kind (none when its CRD is absent). */
  listClusterCustomObjects(kind: {
    readonly group: string;
    readonly version: string;
    readonly plural: string;
  }): Promise<unknown[]>;
  /** Runs `command` (no shell unless it asks for one) in a pod's container. */
  exec(
    namespace: string,
    pod: string,
    container: string,
    command: readonly string[],
    timeoutMs: number,
  ): Promise<ExecResult>;
}

/** Where the kubeconfig comes from: KUBECONFIG (the user's choice wins) or the stack's `kubeconfig` output. */
export type KubeconfigSource = { readonly kind: "env" } | { readonly kind: "text"; readonly text: string };

/**
 * Whether `version` (e.g. "v20.20.2") meets a package's `engines.node` when that is a plain minimum
 * (">=22.19.0"); any other form of range is not judged here (true).
 */
export function meetsMinimum(range: string, version: string): boolean {
  const min = /^>=\s*v?(\d+)(?:\.(\d+))?(?:\.(\d+))?$/.exec(range.trim());
  const have = /^v?(\d+)\.(\d+)\.(\d+)/.exec(version);
  if (!min || !have) return true;
  const want = [min[1], min[2] ?? "0", min[3] ?? "0"].map(Number);
  const got = [have[1], have[2], have[3]].map(Number);
  for (let i = 0; i < 3; i++) if (got[i] !== want[i]) return got[i] > want[i];
  return true;
}

/**
 * The Node versions client-node and its HTTP stack declare. Checked before the import: on a Node too old
 * for it (client-node 2.0.1 brings undici 8, `engines.node` ">=22.19.0", which reads zlib's zstd at load),
 * the import does not just reject, it also throws from a module job no caller can catch. That is why
 * 1.4.0 (node-fetch, no engines) is the pinned version; the check keeps a later bump from failing obscurely.
 */
export function clientNodeEngineProblems(version: string = process.version): string[] {
  const problems: string[] = [];
  const check = (name: string, packageJson: string, role = ""): void => {
    try {
      const { engines, version: own } = JSON.parse(readFileSync(packageJson, "utf8")) as {
        engines?: { node?: string };
        version?: string;
      };
      if (engines?.node !== undefined && !meetsMinimum(engines.node, version))
        problems.push(`${name}@${own}${role} needs Node ${engines.node}`);
    } catch {
      // Unreadable: let the import itself say what is wrong.
    }
  };
  let clientNodeJson: string;
  try {
    clientNodeJson = require.resolve("@kubernetes/client-node/package.json");
  } catch {
    return ["@kubernetes/client-node is not installed (npm ci)"];
  }
  check("@kubernetes/client-node", clientNodeJson);
  try {
    check(
      "undici",
      require.resolve("undici/package.json", { paths: [path.dirname(clientNodeJson)] }),
      " (client-node's HTTP client)",
    );
  } catch {
    // client-node 1.x has no undici.
  }
  return problems;
}

/** Loads the ESM client once this Node is one it supports. */
export async function loadClientNode(): Promise<ClientNode> {
  const problems = clientNodeEngineProblems();
  if (problems.length > 0)
    throw new Error(`cannot use the Kubernetes client on Node ${process.version}: ${problems.join("; ")}`);
  try {
    return await import("@kubernetes/client-node");
  } catch (e) {
    throw new Error(
      `cannot load @kubernetes/client-node on Node ${process.version}: ${(e as Error).message.split("\n")[0]}`,
    );
  }
}

/** A short reason from a client-node error: the HTTP status and the API's own message where there is one. */
export function describeApiError(e: unknown): string {
  const err = e as { code?: unknown; body?: unknown; message?: unknown };
  if (typeof err.code === "number") {
    let message = "";
    try {
      const body: unknown = typeof err.body === "string" ? JSON.parse(err.body) : err.body;
      const m = (body as { message?: unknown } | undefined)?.message;
      if (typeof m === "string") message = `: ${m}`;
    } catch {
      // A body that is not JSON: the status alone says enough.
    }
    return `HTTP ${err.code}${message}`;
  }
  return typeof err.message === "string" ? err.message.split("\n")[0] : String(e);
}

function isNotFound(e: unknown): boolean {
  return (e as { code?: unknown }).code === 404;
}

async function orUndefined<T>(request: Promise<T>): Promise<T | undefined> {
  try {
    return await request;
  } catch (e) {
    if (isNotFound(e)) return undefined;
    throw new Error(describeApiError(e));
  }
}

async function orThrow<T>(request: Promise<T>): Promise<T> {
  try {
    return await request;
  } catch (e) {
    throw new Error(describeApiError(e));
  }
}

/** The exit code in an exec's final status: "Success", or "Failure" with an ExitCode cause. */
export function exitCodeOf(status: V1Status): number | undefined {
  if (status.status === "Success") return 0;
  const cause = status.details?.causes?.find((c) => c.reason === "ExitCode");
  return cause?.message !== undefined && /^\d+$/.test(cause.message) ? Number(cause.message) : undefined;
}

function collector(): { stream: Writable; text: () => string } {
  const chunks: Buffer[] = [];
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, callback) {
      chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
      callback();
    },
  });
  return { stream, text: () => Buffer.concat(chunks).toString("utf8") };
}

/** The part of the exec WebSocket used here: closing it when the command overruns. */
interface Closable {
  close(): void;
}

function isClosable(value: unknown): value is Closable {
  return typeof value === "object" && value !== null && typeof (value as { close?: unknown }).close === "function";
}

export async function connectCluster(source: KubeconfigSource): Promise<ClusterApi> {
  const k8s = await loadClientNode();
  const kc: KubeConfig = new k8s.KubeConfig();
  if (source.kind === "env") kc.loadFromDefault();
  else kc.loadFromString(source.text);

  const core = kc.makeApiClient(k8s.CoreV1Api);
  const apps = kc.makeApiClient(k8s.AppsV1Api);
  const networking = kc.makeApiClient(k8s.NetworkingV1Api);
  const discovery = kc.makeApiClient(k8s.DiscoveryV1Api);
  const custom = kc.makeApiClient(k8s.CustomObjectsApi);
  const apiRegistration = kc.makeApiClient(k8s.ApiregistrationV1Api);
  const autoscaling = kc.makeApiClient(k8s.AutoscalingV2Api);
  const version = kc.makeApiClient(k8s.VersionApi);
  const exec = new k8s.Exec(kc);

  return {
    serverVersion: async () => (await orThrow(version.getCode())).gitVersion,
    listNodes: async () => (await orThrow(core.listNode())).items,
    readDaemonSet: (namespace, name) => orUndefined(apps.readNamespacedDaemonSet({ namespace, name })),
    readDeployment: (namespace, name) => orUndefined(apps.readNamespacedDeployment({ namespace, name })),
    readConfigMap: (namespace, name) => orUndefined(core.readNamespacedConfigMap({ namespace, name })),
    readService: (namespace, name) => orUndefined(core.readNamespacedService({ namespace, name })),
    listServices: async () => (await orThrow(core.listServiceForAllNamespaces())).items,
    listIngresses: async () => (await orThrow(networking.listIngressForAllNamespaces())).items,
    listEndpointSlices: async (namespace, labelSelector) =>
      (await orThrow(discovery.listNamespacedEndpointSlice({ namespace, labelSelector }))).items,
    listPods: async (namespace, labelSelector) =>
      (await orThrow(core.listNamespacedPod({ namespace, labelSelector }))).items,
    listTargetGroupBindings: async (namespace) => {
      // A missing CRD answers 404: no bindings, which the target-health check reports per Service.
      const list: unknown = await orUndefined(
        custom.listNamespacedCustomObject({ ...TARGET_GROUP_BINDING, namespace }),
      );
      const items = (list as { items?: unknown } | undefined)?.items;
      return Array.isArray(items) ? (items as TargetGroupBinding[]) : [];
    },
    readApiService: (name) => orUndefined(apiRegistration.readAPIService({ name })),
    listHorizontalPodAutoscalers: async () =>
      (await orThrow(autoscaling.listHorizontalPodAutoscalerForAllNamespaces())).items,
    listClusterCustomObjects: async (kind) => {
      // A missing CRD answers 404: nothing of that kind.
      const list: unknown = await orUndefined(custom.listClusterCustomObject({ ...kind }));
      const items = (list as { items?: unknown } | undefined)?.items;
      return Array.isArray(items) ? (items as unknown[]) : [];
    },
    exec: (namespace, pod, container, command, timeoutMs) =>
      new Promise<ExecResult>((resolve) => {
        const out = collector();
        const err = collector();
        let socket: unknown;
        let settled = false;
        const finish = (result: Omit<ExecResult, "stdout" | "stderr">): void => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          resolve({ stdout: out.text(), stderr: err.text(), ...result });
        };
        const timer = setTimeout(() => {
          if (isClosable(socket)) socket.close();
          finish({ failure: `timed out after ${Math.round(timeoutMs / 1000)} s` });
        }, timeoutMs);
        // The status frame comes last on the exec stream, after all of stdout and stderr.
        exec
          .exec(namespace, pod, container, [...command], out.stream, err.stream, null, false, (status) => {
            const exitCode = exitCodeOf(status);
            finish(
              exitCode === undefined ? { failure: status.message ?? status.reason ?? "exec failed" } : { exitCode },
            );
            if (isClosable(socket)) socket.close();
          })
          .then(
            (ws: unknown) => {
              socket = ws;
              if (settled && isClosable(ws)) ws.close();
            },
            (e: unknown) => finish({ failure: describeApiError(e) }),
          );
      }),
  };
}
