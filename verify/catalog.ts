/**
 * Every check verify runs: what it needs, what it waits for when slow, and how it gathers its inputs
 * through the clients before handing them to its pure function in checks/.
 */
import type { V1Node, V1Pod } from "@kubernetes/client-node";
import { LAB_NAMESPACE, NETSHOOT_NAME } from "../lab/lab-spec";
import { AUTOSCALING, checkAutoscaling, METRICS_API_SERVICE } from "./checks/autoscaling";
import {
  checkDeploymentReady,
  EXTERNAL_DNS,
  EXTERNAL_DNS_DEPLOYMENT,
  KARPENTER,
  KARPENTER_DEPLOYMENT,
  LB_CONTROLLER,
  LB_CONTROLLER_DEPLOYMENT,
} from "./checks/controllers";
import {
  checkDnsRecords,
  checkHeadlessDns,
  DNS_RECORDS,
  type DnsRecordProbe,
  HEADLESS_DNS,
  type HeadlessAnswer,
  PEERS,
  peerNames,
  URL_LOAD_BALANCERS,
} from "./checks/dns";
import { checkSourceIp, type EchoProbe, parseEchoHostnames, SOURCE_IP } from "./checks/echo";
import {
  checkKarpenterPools,
  EC2_NODE_CLASSES,
  KARPENTER_POOLS,
  type KarpenterObject,
  NODE_POOLS,
} from "./checks/karpenter";
import {
  checkKubeProxyMode,
  KUBE_PROXY_CONFIG,
  KUBE_PROXY_METRICS_PORT,
  KUBE_PROXY_MODE,
  type ProxyModeAnswer,
} from "./checks/kube-proxy";
import {
  APP_NAMESPACES,
  checkLoadBalancerAddresses,
  checkTargetHealth,
  EXPECTED_INGRESSES,
  EXPECTED_LB_SERVICES,
  EXPECTED_TARGET_SERVICES,
  LB_ADDRESSES,
  TARGET_HEALTH,
  type TargetGroupHealth,
} from "./checks/load-balancers";
import { checkMaxPods, checkPrefixDelegation, MAX_PODS, PREFIX_DELEGATION } from "./checks/nodes";
import type { CheckId, CheckResult } from "./checks/result";
import {
  checkGames,
  checkRedirects,
  checkTls,
  GAMES,
  type GameName,
  HTTP_REDIRECT,
  type PageProbe,
  type RedirectProbe,
  TLS,
  type TlsProbe,
} from "./checks/web";
import {
  checkZoneHints,
  checkZoneLocal,
  ECHO_CLUSTER_URL,
  ECHO_SERVICE,
  podZones,
  SERVICE_NAME_LABEL,
  ZONE_HINTS,
  ZONE_LOCAL,
  type ZoneSample,
} from "./checks/zones";
import type { TargetHealthApi } from "./clients/elbv2";
import { type ClusterApi, describeApiError, type ExecResult } from "./clients/kubernetes";
import type { StackOutputs, UrlKey } from "./outputs";

/** The network as a browser sees it (clients/network.ts in real use, fakes in the tests). */
export interface NetworkProbes {
  tls(host: string, port: number): Promise<TlsProbe>;
  redirect(httpsUrl: string): Promise<RedirectProbe>;
  page(game: GameName, url: string): Promise<PageProbe>;
  echo(url: string): Promise<EchoProbe>;
  resolve4(name: string): Promise<string[]>;
}

export interface VerifyClients {
  /** Connected on first use; rejects with the reason when the cluster cannot be reached. */
  cluster(): Promise<ClusterApi>;
  readonly targetHealth: TargetHealthApi;
  readonly network: NetworkProbes;
}

export interface RunContext {
  readonly outputs: StackOutputs;
  readonly clients: VerifyClients;
  /** Requests each netshoot pod sends to echo in the zone check. */
  readonly requests: number;
  readonly execTimeoutMs: number;
  /** Says what the check is waiting for now; the runner prints it once the check is slow. */
  waiting(what: string): void;
  /** One fetch shared by every check that reads the same thing. */
  shared<T>(key: string, load: () => Promise<T>): Promise<T>;
}

export interface CheckSpec extends CheckId {
  /** For --help: the stack outputs and APIs it reads. */
  readonly needs: string;
  /** Runs only with a domain, or only with the network lab; skipped otherwise. */
  readonly when?: "domain" | "networkLab" | "karpenter";
  /** What a slow run is waiting for, until the check says more precisely. */
  readonly waitsFor: string;
  run(ctx: RunContext): Promise<CheckResult>;
}

/** A stack output a check cannot do without. */
export function need<T>(value: T | undefined, key: string): T {
  if (value === undefined)
    throw new Error(`stack output ${key} is missing (pulumi stack output --json --show-secrets)`);
  return value;
}

const cluster = (ctx: RunContext): Promise<ClusterApi> => ctx.clients.cluster();
const nodes = (ctx: RunContext): Promise<V1Node[]> => ctx.shared("nodes", async () => (await cluster(ctx)).listNodes());
const services = (ctx: RunContext) => ctx.shared("services", async () => (await cluster(ctx)).listServices());
const ingresses = (ctx: RunContext) => ctx.shared("ingresses", async () => (await cluster(ctx)).listIngresses());

/** Running pods only: a pending or terminating pod cannot be asked anything. */
function running(pods: readonly V1Pod[]): V1Pod[] {
  return pods.filter((p) => p.status?.phase === "Running" && !p.metadata?.deletionTimestamp);
}

/** The lab's netshoot clients, one per zone: image nicolaka/netshoot (curl, dig), container `netshoot`. */
export const NETSHOOT = {
  namespace: LAB_NAMESPACE,
  selector: `app.kubernetes.io/name=${NETSHOOT_NAME}`,
  container: NETSHOOT_NAME,
} as const;

const netshootPods = (ctx: RunContext): Promise<V1Pod[]> =>
  ctx.shared("netshoot", async () =>
    running(await (await cluster(ctx)).listPods(NETSHOOT.namespace, NETSHOOT.selector)),
  );

/** N requests, each on a new connection (kube-proxy picks an endpoint per connection), one curl each. */
export function burstCommand(url: string, requests: number): string[] {
  if (!Number.isInteger(requests) || requests < 1)
    throw new Error(`requests must be a positive integer, got ${requests}`);
  return ["sh", "-c", `for i in $(seq 1 ${requests}); do curl -sS --max-time 5 ${url}; done`];
}

function execProblem(result: ExecResult): string | undefined {
  if (result.failure !== undefined) return result.failure;
  if (result.exitCode !== 0)
    return `exit code ${result.exitCode ?? "unknown"}${result.stderr.trim() ? `: ${result.stderr.trim().split("\n")[0]}` : ""}`;
  return undefined;
}

/** HTTPS URLs of the stack, one per host and path. */
/** The HTTPS app URLs of the stack (those of the URL keys `which` keeps), each once. */
function httpsUrls(outputs: StackOutputs, which: (key: UrlKey) => boolean = () => true): string[] {
  const urls = need(outputs.urls, "urls");
  return [
    ...new Set(
      (Object.keys(urls) as UrlKey[])
        .filter(which)
        .map((key) => urls[key])
        .filter((u): u is string => typeof u === "string" && u.startsWith("https://")),
    ),
  ];
}

/** The games and the URL each is served at. */
const GAME_URLS: ReadonlyArray<{ game: GameName; key: UrlKey }> = [
  { game: "game-2048", key: "game-2048" },
  { game: "tetris", key: "tetris" },
  { game: "mario", key: "mario" },
  { game: "tetris", key: "tetris-nlb" },
];

export const CHECKS: readonly CheckSpec[] = [
  {
    ...MAX_PODS,
    needs: "stack output nodeGroups; Kubernetes: list nodes",
    waitsFor: "the node list",
    run: async (ctx) => {
      const groups = need(ctx.outputs.nodeGroups, "nodeGroups");
      return checkMaxPods(await nodes(ctx), groups, ctx.outputs.karpenterNodePools);
    },
  },
  {
    ...PREFIX_DELEGATION,
    needs: "stack output prefixDelegation; Kubernetes: DaemonSet kube-system/aws-node",
    waitsFor: "DaemonSet kube-system/aws-node",
    run: async (ctx) => {
      const expected = need(ctx.outputs.prefixDelegation, "prefixDelegation");
      return checkPrefixDelegation(await (await cluster(ctx)).readDaemonSet("kube-system", "aws-node"), expected);
    },
  },
  {
    ...LB_CONTROLLER,
    needs: `Kubernetes: Deployment ${LB_CONTROLLER_DEPLOYMENT.namespace}/${LB_CONTROLLER_DEPLOYMENT.name}`,
    waitsFor: "the controller's Deployment",
    run: async (ctx) =>
      checkDeploymentReady(
        LB_CONTROLLER,
        LB_CONTROLLER_DEPLOYMENT,
        await (await cluster(ctx)).readDeployment(LB_CONTROLLER_DEPLOYMENT.namespace, LB_CONTROLLER_DEPLOYMENT.name),
      ),
  },
  {
    ...KARPENTER,
    needs: `stack output karpenterNodePools; Kubernetes: Deployment ${KARPENTER_DEPLOYMENT.namespace}/${KARPENTER_DEPLOYMENT.name}`,
    when: "karpenter",
    waitsFor: "Karpenter's Deployment",
    run: async (ctx) =>
      checkDeploymentReady(
        KARPENTER,
        KARPENTER_DEPLOYMENT,
        await (await cluster(ctx)).readDeployment(KARPENTER_DEPLOYMENT.namespace, KARPENTER_DEPLOYMENT.name),
      ),
  },
  {
    ...KARPENTER_POOLS,
    needs:
      "stack output karpenterNodePools; Kubernetes: NodePools (karpenter.sh/v1) and EC2NodeClasses (karpenter.k8s.aws/v1)",
    when: "karpenter",
    waitsFor: "the NodePools and node classes to be Ready",
    run: async (ctx) => {
      const api = await cluster(ctx);
      const [nodePools, nodeClasses] = await Promise.all([
        api.listClusterCustomObjects(NODE_POOLS),
        api.listClusterCustomObjects(EC2_NODE_CLASSES),
      ]);
      return checkKarpenterPools(
        ctx.outputs.karpenterNodePools ?? {},
        nodePools as KarpenterObject[],
        nodeClasses as KarpenterObject[],
      );
    },
  },
  {
    ...AUTOSCALING,
    needs: `Kubernetes: APIService ${METRICS_API_SERVICE}, HorizontalPodAutoscalers (autoscaling/v2) of ${APP_NAMESPACES.join(", ")}`,
    waitsFor: "the metrics API and the apps' autoscalers",
    run: async (ctx) => {
      const api = await cluster(ctx);
      const [apiService, autoscalers] = await Promise.all([
        api.readApiService(METRICS_API_SERVICE),
        api.listHorizontalPodAutoscalers(),
      ]);
      // Each app's autoscaler is named after the app, in its namespace (apps/workload.ts).
      return checkAutoscaling(
        apiService,
        autoscalers,
        APP_NAMESPACES.map((app) => ({ namespace: app, name: app })),
      );
    },
  },
  {
    ...EXTERNAL_DNS,
    needs: `stack output domain; Kubernetes: Deployment ${EXTERNAL_DNS_DEPLOYMENT.namespace}/${EXTERNAL_DNS_DEPLOYMENT.name}`,
    when: "domain",
    waitsFor: "ExternalDNS's Deployment",
    run: async (ctx) =>
      checkDeploymentReady(
        EXTERNAL_DNS,
        EXTERNAL_DNS_DEPLOYMENT,
        await (await cluster(ctx)).readDeployment(EXTERNAL_DNS_DEPLOYMENT.namespace, EXTERNAL_DNS_DEPLOYMENT.name),
      ),
  },
  {
    ...LB_ADDRESSES,
    needs: "Kubernetes: list Services and Ingresses in all namespaces",
    waitsFor: "the Service and Ingress lists",
    run: async (ctx) => {
      const [s, i] = await Promise.all([services(ctx), ingresses(ctx)]);
      return checkLoadBalancerAddresses(s, i, { ingresses: EXPECTED_INGRESSES, services: EXPECTED_LB_SERVICES });
    },
  },
  {
    ...TARGET_HEALTH,
    needs: `Kubernetes: TargetGroupBindings (elbv2.k8s.aws/v1beta1) in ${APP_NAMESPACES.join(", ")}; AWS: elasticloadbalancing:DescribeTargetHealth`,
    waitsFor: "the TargetGroupBindings",
    run: async (ctx) => {
      const api = await cluster(ctx);
      const bindings = (await Promise.all(APP_NAMESPACES.map((ns) => api.listTargetGroupBindings(ns)))).flat();
      ctx.waiting(`elbv2 DescribeTargetHealth for ${bindings.length} target group(s)`);
      const groups = await Promise.all(
        bindings.map(async (binding): Promise<TargetGroupHealth> => {
          const arn = binding.spec?.targetGroupARN;
          if (!arn) return { binding };
          try {
            return { binding, targets: await ctx.clients.targetHealth.describeTargetHealth(arn) };
          } catch (e) {
            return { binding, error: describeApiError(e) };
          }
        }),
      );
      return checkTargetHealth(groups, EXPECTED_TARGET_SERVICES);
    },
  },
  {
    ...TLS,
    needs: "stack outputs domain, urls; the network: a TLS handshake with each HTTPS host",
    when: "domain",
    waitsFor: "TLS handshakes",
    run: async (ctx) => {
      const endpoints = [
        ...new Map(
          httpsUrls(ctx.outputs)
            .map((u) => new URL(u))
            .map((u) => [u.host, u]),
        ).values(),
      ];
      ctx.waiting(`TLS handshakes with ${endpoints.map((u) => u.host).join(", ")}`);
      const probes = await Promise.all(
        endpoints.map((u) => ctx.clients.network.tls(u.hostname, Number(u.port || 443))),
      );
      return checkTls(probes);
    },
  },
  {
    ...HTTP_REDIRECT,
    needs: "stack outputs domain, urls; the network: plain HTTP to each HTTPS URL an ALB serves",
    when: "domain",
    waitsFor: "plain-HTTP answers",
    run: async (ctx) => {
      // Only ALBs redirect (their HTTP:80 listener with ssl-redirect, apps/load-balancing.ts); an NLB with
      // TLS listens on 443 alone, so plain HTTP to it gets no answer at all, on a healthy stack too.
      const urls = httpsUrls(ctx.outputs, (key) => URL_LOAD_BALANCERS[key].kind === "Ingress");
      ctx.waiting(`plain-HTTP answers from ${urls.map((u) => new URL(u).host).join(", ")}`);
      return checkRedirects(await Promise.all(urls.map((u) => ctx.clients.network.redirect(u))));
    },
  },
  {
    ...GAMES,
    needs: "stack output urls; the network: GET each game's URL",
    waitsFor: "the game pages",
    run: async (ctx) => {
      const urls = need(ctx.outputs.urls, "urls");
      ctx.waiting(`the game pages at ${GAME_URLS.map((g) => urls[g.key] ?? `(no urls.${g.key})`).join(", ")}`);
      const pages = await Promise.all(
        GAME_URLS.map(({ game, key }): Promise<PageProbe> => {
          const url = urls[key];
          return url === undefined
            ? Promise.resolve({ game, url: `urls.${key}`, error: `stack output urls.${key} is missing` })
            : ctx.clients.network.page(game, url);
        }),
      );
      return checkGames(pages);
    },
  },
  {
    ...DNS_RECORDS,
    needs:
      "stack outputs domain, urls; Kubernetes: Services and Ingresses (their load balancers' hostnames); the network: DNS",
    when: "domain",
    waitsFor: "DNS answers",
    run: async (ctx) => {
      const domain = need(ctx.outputs.domain, "domain");
      const urls = need(ctx.outputs.urls, "urls");
      const [s, i] = await Promise.all([services(ctx), ingresses(ctx)]);
      const lbHostname = (key: UrlKey): string | undefined => {
        const target = URL_LOAD_BALANCERS[key];
        const list = target.kind === "Service" ? s : i;
        const found = list.find((o) => o.metadata?.namespace === target.namespace && o.metadata?.name === target.name);
        return found?.status?.loadBalancer?.ingress?.find((x) => x.hostname)?.hostname;
      };
      // Names under the domain only: without one, or for echo, the URL already is the load balancer's hostname.
      const names = new Map<string, string | undefined>();
      for (const [key, url] of Object.entries(urls) as [UrlKey, string][]) {
        const host = new URL(url).hostname;
        if (host === domain || host.endsWith(`.${domain}`)) names.set(host, lbHostname(key));
      }
      ctx.waiting(`DNS answers for ${[...names.keys()].join(", ")}`);
      const probes = await Promise.all(
        [...names.entries()].map(async ([name, loadBalancer]): Promise<DnsRecordProbe> => {
          if (loadBalancer === undefined)
            return { name, error: "its load balancer has no hostname in the object's status" };
          try {
            const [nameAddresses, loadBalancerAddresses] = await Promise.all([
              ctx.clients.network.resolve4(name),
              ctx.clients.network.resolve4(loadBalancer),
            ]);
            return { name, loadBalancer, nameAddresses, loadBalancerAddresses };
          } catch (e) {
            return { name, loadBalancer, error: describeApiError(e) };
          }
        }),
      );
      return checkDnsRecords(probes);
    },
  },
  {
    ...SOURCE_IP,
    needs: "stack outputs urls.echo, vpcCidr; the network: GET echo through its NLB",
    waitsFor: "echo's answer through its NLB",
    run: async (ctx) => {
      const url = need(need(ctx.outputs.urls, "urls").echo, "urls.echo");
      const cidr = need(ctx.outputs.vpcCidr, "vpcCidr");
      ctx.waiting(`echo's answer from ${url}`);
      return checkSourceIp(await ctx.clients.network.echo(url), cidr);
    },
  },
  {
    ...ZONE_HINTS,
    needs: `Kubernetes: Service ${ECHO_SERVICE.namespace}/${ECHO_SERVICE.name} and its EndpointSlices`,
    waitsFor: "echo's EndpointSlices",
    run: async (ctx) => {
      const api = await cluster(ctx);
      const [service, slices] = await Promise.all([
        api.readService(ECHO_SERVICE.namespace, ECHO_SERVICE.name),
        api.listEndpointSlices(ECHO_SERVICE.namespace, `${SERVICE_NAME_LABEL}=${ECHO_SERVICE.name}`),
      ]);
      return checkZoneHints(service, slices);
    },
  },
  {
    ...ZONE_LOCAL,
    needs: `stack output networkLab; Kubernetes: nodes, pods in echo and lab, exec curl in each netshoot pod (${NETSHOOT.namespace}, ${NETSHOOT.selector})`,
    when: "networkLab",
    waitsFor: "the netshoot pods",
    run: async (ctx) => {
      const api = await cluster(ctx);
      const [callers, echoPods, nodeList] = await Promise.all([
        netshootPods(ctx),
        api.listPods(ECHO_SERVICE.namespace, ECHO_SERVICE.podSelector),
        nodes(ctx),
      ]);
      const zones = podZones([...callers, ...echoPods], nodeList);
      ctx.waiting(
        `${ctx.requests} requests to ${ECHO_CLUSTER_URL} from each of ${callers.map((p) => p.metadata?.name).join(", ") || "no netshoot pod"}`,
      );
      const command = burstCommand(ECHO_CLUSTER_URL, ctx.requests);
      const samples = await Promise.all(
        callers.map(async (pod): Promise<ZoneSample> => {
          const name = pod.metadata?.name ?? "";
          const callerZone = zones.get(name);
          const result = await api.exec(NETSHOOT.namespace, name, NETSHOOT.container, command, ctx.execTimeoutMs);
          // curl's own failures (a refused or timed-out request) show as fewer answers, with stderr as the reason.
          if (result.failure !== undefined) return { caller: name, callerZone, error: result.failure };
          return { caller: name, callerZone, hostnames: parseEchoHostnames(result.stdout), stderr: result.stderr };
        }),
      );
      return checkZoneLocal(samples, zones, ctx.requests);
    },
  },
  {
    ...HEADLESS_DNS,
    needs: `stack output networkLab; Kubernetes: pods in ${PEERS.namespace}, exec dig in a netshoot pod`,
    when: "networkLab",
    waitsFor: "the netshoot pods",
    run: async (ctx) => {
      const api = await cluster(ctx);
      const [callers, pods] = await Promise.all([netshootPods(ctx), api.listPods(PEERS.namespace)]);
      const from = callers[0]?.metadata?.name;
      if (from === undefined)
        throw new Error(`no running netshoot pod in ${NETSHOOT.namespace} (${NETSHOOT.selector})`);
      ctx.waiting(
        `dig in ${from} for ${peerNames()
          .map((p) => p.name)
          .join(", ")}`,
      );
      const answers = await Promise.all(
        peerNames().map(async ({ pod, name }): Promise<HeadlessAnswer> => {
          const result = await api.exec(
            NETSHOOT.namespace,
            from,
            NETSHOOT.container,
            ["dig", "+short", name],
            ctx.execTimeoutMs,
          );
          const problem = execProblem(result);
          return problem === undefined
            ? { name, pod, from, output: result.stdout }
            : { name, pod, from, error: problem };
        }),
      );
      return checkHeadlessDns(answers, pods);
    },
  },
  {
    ...KUBE_PROXY_MODE,
    needs: `stack output kubeProxyMode; Kubernetes: ConfigMap ${KUBE_PROXY_CONFIG.namespace}/${KUBE_PROXY_CONFIG.name}; with the network lab also each node's kube-proxy (:${KUBE_PROXY_METRICS_PORT}/proxyMode, asked from a netshoot pod)`,
    waitsFor: "kube-proxy's ConfigMap",
    run: async (ctx) => {
      const expected = need(ctx.outputs.kubeProxyMode, "kubeProxyMode");
      const api = await cluster(ctx);
      const configMap = await api.readConfigMap(KUBE_PROXY_CONFIG.namespace, KUBE_PROXY_CONFIG.name);
      if (ctx.outputs.networkLab !== true) return checkKubeProxyMode(configMap, expected);
      const [callers, nodeList] = await Promise.all([netshootPods(ctx), nodes(ctx)]);
      const from = callers[0]?.metadata?.name;
      if (from === undefined)
        throw new Error(
          `no running netshoot pod in ${NETSHOOT.namespace} (${NETSHOOT.selector}) to ask kube-proxy from`,
        );
      ctx.waiting(`kube-proxy's /proxyMode on ${nodeList.length} node(s), asked from ${from}`);
      const runningModes = await Promise.all(
        nodeList.map(async (node): Promise<ProxyModeAnswer> => {
          const name = node.metadata?.name ?? "";
          const address = node.status?.addresses?.find((a) => a.type === "InternalIP")?.address;
          if (address === undefined)
            return { node: name, address: "no InternalIP", error: "the node has no InternalIP address" };
          const result = await api.exec(
            NETSHOOT.namespace,
            from,
            NETSHOOT.container,
            ["curl", "-sS", "--max-time", "5", `http://${address}:${KUBE_PROXY_METRICS_PORT}/proxyMode`],
            ctx.execTimeoutMs,
          );
          const problem = execProblem(result);
          return problem === undefined
            ? { node: name, address, mode: result.stdout.trim() }
            : { node: name, address, error: problem };
        }),
      );
      return checkKubeProxyMode(configMap, expected, runningModes);
    },
  },
];

export const CHECK_IDS: readonly string[] = CHECKS.map((c) => c.id);
