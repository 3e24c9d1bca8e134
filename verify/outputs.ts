/**
 * The stack outputs verify reads (`pulumi stack output --json --show-secrets`), parsed without trusting
 * their shape: a key of the wrong type is a problem named to the user; a missing key is left undefined,
 * and each check that needs it says so.
 */

export const KUBE_PROXY_MODES = ["iptables", "ipvs", "nftables"] as const;
export type KubeProxyMode = (typeof KUBE_PROXY_MODES)[number];

/** The app URLs the program exports, by key. */
export const URL_KEYS = ["echo", "game-2048", "tetris", "tetris-nlb", "mario"] as const;
export type UrlKey = (typeof URL_KEYS)[number];

export interface NodeGroupOutput {
  readonly instanceTypes: readonly string[];
  readonly maxPods: number;
  readonly kubeReservedMemory: string;
}

export interface StackOutputs {
  readonly clusterName?: string;
  /** A kubeconfig document (JSON or YAML text). */
  readonly kubeconfig?: string;
  readonly region?: string;
  readonly vpcCidr?: string;
  /** Absent (or empty) when the stack runs without TLS and DNS names. */
  readonly domain?: string;
  readonly kubeProxyMode?: KubeProxyMode;
  readonly prefixDelegation?: boolean;
  readonly nodeGroups?: Readonly<Record<string, NodeGroupOutput>>;
  /** Karpenter's pools by name, when Karpenter runs: each one's exact max pods. */
  readonly karpenterNodePools?: Readonly<Record<string, KarpenterPoolOutput>>;
  readonly urls?: Readonly<Partial<Record<UrlKey, string>>>;
  readonly networkLab?: boolean;
}

/** A Karpenter pool as the karpenterNodePools output publishes it. */
export interface KarpenterPoolOutput {
  readonly maxPods: number;
  readonly kubeReservedMemory: string;
  /** The types the pool admits: a node of another type would run at a max pods computed for none. */
  readonly instanceTypes: readonly string[];
}

export interface ParsedOutputs {
  readonly outputs: StackOutputs;
  /** One line per key whose value has the wrong form. */
  readonly problems: readonly string[];
}

/** What Pulumi prints for a secret when `--show-secrets` is missing. */
const SECRET_PLACEHOLDER = "[secret]";

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function parseStackOutputs(json: unknown): ParsedOutputs {
  const problems: string[] = [];
  if (!isRecord(json)) {
    return {
      outputs: {},
      problems: ["expected a JSON object of stack outputs (pulumi stack output --json --show-secrets)"],
    };
  }
  const present = (key: string): boolean => json[key] !== undefined && json[key] !== null;

  const str = (key: string): string | undefined => {
    if (!present(key)) return undefined;
    const value = json[key];
    if (typeof value !== "string") {
      problems.push(`${key}: expected a string, got ${JSON.stringify(value)}`);
      return undefined;
    }
    if (value === SECRET_PLACEHOLDER) {
      problems.push(`${key}: is a secret: run pulumi stack output --json --show-secrets`);
      return undefined;
    }
    return value;
  };
  const bool = (key: string): boolean | undefined => {
    if (!present(key)) return undefined;
    const value = json[key];
    if (typeof value !== "boolean") {
      problems.push(`${key}: expected true or false, got ${JSON.stringify(value)}`);
      return undefined;
    }
    return value;
  };

  // The kubeconfig may be exported as a JSON string or as the object itself.
  const kubeconfig = isRecord(json.kubeconfig) ? JSON.stringify(json.kubeconfig) : str("kubeconfig");

  const mode = str("kubeProxyMode");
  if (mode !== undefined && !(KUBE_PROXY_MODES as readonly string[]).includes(mode)) {
    problems.push(`kubeProxyMode: expected one of ${KUBE_PROXY_MODES.join(", ")}, got ${JSON.stringify(mode)}`);
  }

  const domain = str("domain");
  return {
    outputs: {
      clusterName: str("clusterName"),
      kubeconfig,
      region: str("region"),
      vpcCidr: str("vpcCidr"),
      domain: domain === "" ? undefined : domain,
      kubeProxyMode: (KUBE_PROXY_MODES as readonly string[]).includes(mode ?? "") ? (mode as KubeProxyMode) : undefined,
      prefixDelegation: bool("prefixDelegation"),
      nodeGroups: parseNodeGroups(json.nodeGroups, problems),
      karpenterNodePools: parseKarpenterPools(json.karpenterNodePools, problems),
      urls: parseUrls(json.urls, problems),
      networkLab: bool("networkLab"),
    },
    problems,
  };
}

function parseNodeGroups(value: unknown, problems: string[]): Record<string, NodeGroupOutput> | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isRecord(value)) {
    problems.push(`nodeGroups: expected an object of node groups, got ${JSON.stringify(value)}`);
    return undefined;
  }
  const groups: Record<string, NodeGroupOutput> = {};
  for (const [name, group] of Object.entries(value)) {
    if (
      isRecord(group) &&
      Array.isArray(group.instanceTypes) &&
      group.instanceTypes.every((t) => typeof t === "string") &&
      typeof group.maxPods === "number" &&
      Number.isInteger(group.maxPods) &&
      typeof group.kubeReservedMemory === "string"
    ) {
      groups[name] = {
        instanceTypes: group.instanceTypes as string[],
        maxPods: group.maxPods,
        kubeReservedMemory: group.kubeReservedMemory,
      };
    } else {
      problems.push(
        `nodeGroups.${name}: expected { instanceTypes: string[], maxPods: integer, kubeReservedMemory: string }, got ${JSON.stringify(group)}`,
      );
    }
  }
  return groups;
}

function parseKarpenterPools(value: unknown, problems: string[]): Record<string, KarpenterPoolOutput> | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isRecord(value)) {
    problems.push(`karpenterNodePools: expected an object of pools, got ${JSON.stringify(value)}`);
    return undefined;
  }
  const pools: Record<string, KarpenterPoolOutput> = {};
  for (const [name, pool] of Object.entries(value)) {
    if (
      isRecord(pool) &&
      Number.isInteger(pool.maxPods) &&
      typeof pool.kubeReservedMemory === "string" &&
      Array.isArray(pool.instanceTypes) &&
      pool.instanceTypes.every((t) => typeof t === "string")
    ) {
      pools[name] = {
        maxPods: pool.maxPods as number,
        kubeReservedMemory: pool.kubeReservedMemory,
        instanceTypes: pool.instanceTypes as string[],
      };
    } else {
      problems.push(
        `karpenterNodePools.${name}: expected { maxPods: integer, kubeReservedMemory: string, instanceTypes: string[] }, got ${JSON.stringify(pool)}`,
      );
    }
  }
  return pools;
}

function parseUrls(value: unknown, problems: string[]): Partial<Record<UrlKey, string>> | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isRecord(value)) {
    problems.push(`urls: expected an object of app URLs, got ${JSON.stringify(value)}`);
    return undefined;
  }
  const urls: Partial<Record<UrlKey, string>> = {};
  for (const key of URL_KEYS) {
    const url = value[key];
    if (url === undefined || url === null) continue;
    if (typeof url !== "string" || !URL.canParse(url) || !/^https?:$/.test(new URL(url).protocol)) {
      problems.push(`urls.${key}: expected an http or https URL, got ${JSON.stringify(url)}`);
      continue;
    }
    urls[key] = url;
  }
  return urls;
}
