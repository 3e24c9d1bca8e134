/**
 * kube-proxy's mode: as configured in the ConfigMap the EKS kube-proxy add-on writes, and, where the lab
 * can ask, as each node's kube-proxy reports it running.
 */
import type { V1ConfigMap } from "@kubernetes/client-node";
import { parse } from "yaml";
import type { KubeProxyMode } from "../outputs";
import { type CheckId, type CheckResult, fail, fromLines, line } from "./result";

export const KUBE_PROXY_MODE: CheckId = { id: "kube-proxy-mode", title: "kube-proxy runs in the configured mode" };

/**
 * The EKS kube-proxy add-on keeps its KubeProxyConfiguration in ConfigMap kube-system/kube-proxy-config
 * (key `config`), the file its DaemonSet passes to `--config`.
 * https://repost.aws/knowledge-center/eks-configure-ipvs-kube-proxy
 */
export const KUBE_PROXY_CONFIG = { namespace: "kube-system", name: "kube-proxy-config", key: "config" } as const;

/**
 * kube-proxy serves the mode it runs in at `/proxyMode` on its metrics address
 * (kubernetes/kubernetes cmd/kube-proxy/app/server.go, serveMetrics). AWS's EKS best-practices guide
 * (networking, IPVS) shows the add-on's configuration with `metricsBindAddress: 0.0.0.0:10249`, but older
 * add-on builds bound it to 127.0.0.1, where a pod cannot ask: the check reads the address from the
 * ConfigMap and does not count an unreachable loopback-bound endpoint as a failure.
 */
export const KUBE_PROXY_METRICS_PORT = 10249;

/**
 * An empty `mode` means the platform default, iptables on Linux.
 * https://kubernetes.io/docs/reference/config-api/kube-proxy-config.v1alpha1/#kubeproxy-config-k8s-io-v1alpha1-ProxyMode
 */
const DEFAULT_MODE = "iptables";

/** The mode a KubeProxyConfiguration document sets (and where it serves metrics), or why it cannot be read. */
export function configuredMode(document: string): { mode?: string; metricsBindAddress?: string; problem?: string } {
  let config: unknown;
  try {
    config = parse(document);
  } catch (e) {
    return { problem: `not YAML: ${(e as Error).message.split("\n")[0]}` };
  }
  if (
    typeof config !== "object" ||
    config === null ||
    (config as { kind?: unknown }).kind !== "KubeProxyConfiguration"
  ) {
    return { problem: "not a KubeProxyConfiguration" };
  }
  const { mode, metricsBindAddress } = config as { mode?: unknown; metricsBindAddress?: unknown };
  const bind = typeof metricsBindAddress === "string" ? { metricsBindAddress } : {};
  if (mode === undefined || mode === null || mode === "") return { mode: DEFAULT_MODE, ...bind };
  return typeof mode === "string" ? { mode, ...bind } : { problem: `mode is ${JSON.stringify(mode)}` };
}

/** What one node's kube-proxy answered at /proxyMode. */
export interface ProxyModeAnswer {
  readonly node: string;
  readonly address: string;
  readonly mode?: string;
  readonly error?: string;
}

export function checkKubeProxyMode(
  configMap: V1ConfigMap | undefined,
  expected: KubeProxyMode,
  running?: readonly ProxyModeAnswer[],
): CheckResult {
  const where = `ConfigMap ${KUBE_PROXY_CONFIG.namespace}/${KUBE_PROXY_CONFIG.name}`;
  if (!configMap) return fail(KUBE_PROXY_MODE, `${where} not found`);
  const document = configMap.data?.[KUBE_PROXY_CONFIG.key];
  if (document === undefined)
    return fail(
      KUBE_PROXY_MODE,
      `${where} has no key ${KUBE_PROXY_CONFIG.key} (keys: ${Object.keys(configMap.data ?? {}).join(", ") || "none"})`,
    );
  const { mode, metricsBindAddress, problem } = configuredMode(document);
  // Bound to loopback: no pod can ask, so an unanswered probe says nothing about the mode.
  const loopbackOnly = metricsBindAddress !== undefined && /^(127\.|localhost|\[::1\])/.test(metricsBindAddress);
  const lines = [
    line(mode === expected, `${where}: ${problem ?? `mode ${mode}`}, stack output kubeProxyMode=${expected}`),
    ...(running ?? []).map((r) =>
      r.error !== undefined
        ? line(
            loopbackOnly,
            `node ${r.node} (${r.address}:${KUBE_PROXY_METRICS_PORT}/proxyMode): ${r.error}${loopbackOnly ? ` (not counted: the ConfigMap binds metrics to ${metricsBindAddress}, out of a pod's reach)` : ""}`,
          )
        : line(
            r.mode === expected,
            `node ${r.node} (${r.address}:${KUBE_PROXY_METRICS_PORT}/proxyMode): running ${r.mode || "(empty answer)"}`,
          ),
    ),
  ];
  const summary =
    running === undefined
      ? "configured mode (running mode not asked: needs the network lab)"
      : `configured mode and ${running.length} node(s) running`;
  return fromLines(KUBE_PROXY_MODE, summary, lines);
}
