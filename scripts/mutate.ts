/**
 * `npm run mutate`: plants small, plausible bugs in the product, one at a time, and runs the whole suite
 * against each; a bug the suite does not notice (a surviving mutant) is a blind spot of the tests. Not part
 * of `npm test`: each mutant costs a full suite run.
 *
 *   npm run mutate -- [--only id,id] [--jobs 2] [--list]
 *
 * Each mutant runs in a scratch copy of the project (node_modules linked, never changed), so the checkout is
 * never touched. A mutant whose text no longer occurs exactly once is reported as stale: edit it to follow
 * the code. Exit code 0 when every mutant is killed, 1 when one survives or is stale.
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parseArgs } from "node:util";

const PROJECT_ROOT = path.resolve(__dirname, "..");

/** The ways a suite goes blind, and the mutants that show each. */
type Pattern =
  | "expected from the product"
  | "checked narrow only"
  | "one sample for every"
  | "contract on a copy"
  | "a tool's safety"
  | "update rule unexercised"
  | "program against the pure function"
  | "part of the space"
  | "evaluator blind to a dimension"
  | "reference by name only"
  | "name promises more"
  | "threshold without its edge"
  | "pin not tied to its version"
  | "rule read from memory, not from AWS's definition";

export interface Mutant {
  readonly id: string;
  readonly pattern: Pattern;
  /** What the bug would do to a real deploy. */
  readonly harm: string;
  readonly file: string;
  /** Text that occurs exactly once in the file, and what replaces it. */
  readonly find: string;
  readonly replace: string;
}

export const MUTANTS: readonly Mutant[] = [
  // --- the custom resource check (render/crd-validation/)
  {
    id: "crd-rules-not-per-item",
    pattern: "evaluator blind to a dimension",
    harm: "a rule on a list's items (a NodePool requirement on a restricted label) is never run: the API server refuses what the render passed",
    file: "render/crd-validation/cel-rules.ts",
    find: "value.forEach((item, i) => walk(item, schema.items, [...path, { index: i }], outcome));",
    replace: "void 0;",
  },
  {
    id: "crd-unknown-fields-kept",
    pattern: "checked narrow only",
    harm: "a misspelt field of a custom resource passes: the API server drops it and its value is lost",
    file: "render/crd-validation/prune.ts",
    find: "    else pruned.push([...path, { field: k }]);",
    replace: "    else kept[k] = v;",
  },
  // --- expected values taken from the product itself
  {
    id: "kms-no-decrypt",
    pattern: "expected from the product",
    harm: "the cluster role cannot decrypt: secrets become unreadable",
    file: "components/cluster/encryption.ts",
    find: '["kms:Encrypt", "kms:Decrypt", "kms:ListGrants", "kms:DescribeKey"]',
    replace: '["kms:Encrypt", "kms:ListGrants", "kms:DescribeKey"]',
  },
  {
    id: "dns-check-flag",
    pattern: "expected from the product",
    harm: "the delete-time DNS check is called with a flag its script refuses: pulumi destroy stops",
    file: "components/external-dns/dns-record-cleanup.ts",
    find: "`--owner ${args.txtOwnerId}`",
    replace: "`--owner-id ${args.txtOwnerId}`",
  },
  {
    id: "ipvs-scheduler-module",
    pattern: "expected from the product",
    harm: "nodes lack the kernel module of IPVS's round-robin scheduler: kube-proxy cannot program services",
    file: "components/cluster/addon-config.ts",
    find: '  "ip_vs_rr",\n',
    replace: "",
  },
  {
    id: "crd-last-document",
    pattern: "expected from the product",
    harm: "the program applies one CRD fewer than the chart ships",
    file: "charts/chart-archive.ts",
    find: '.filter((obj): obj is Record<string, unknown> => obj !== null && typeof obj === "object"),',
    replace: '.filter((obj): obj is Record<string, unknown> => obj !== null && typeof obj === "object").slice(0, -1),',
  },
  // --- checked narrow, never checked enough
  {
    id: "edns-no-list-records",
    pattern: "checked narrow only",
    harm: "ExternalDNS cannot read the zone's records: it publishes nothing",
    file: "components/external-dns/iam-policy.ts",
    find: 'Action: ["route53:ListResourceRecordSets", "route53:ListTagsForResources"],',
    replace: 'Action: ["route53:ListTagsForResources"],',
  },
  {
    id: "edns-no-list-zones",
    pattern: "checked narrow only",
    harm: "ExternalDNS cannot list hosted zones: it finds no zone to write to",
    file: "components/external-dns/iam-policy.ts",
    find: '      { Effect: "Allow", Action: ["route53:ListHostedZones"], Resource: ["*"] },\n',
    replace: "",
  },
  {
    id: "node-role-no-cni-policy",
    pattern: "checked narrow only",
    harm: "the VPC CNI on the nodes cannot attach ENIs or assign addresses: no pod gets an IP",
    file: "components/cluster/cluster.ts",
    find: '  "AmazonEKS_CNI_Policy",\n',
    replace: "",
  },
  // --- one sample where the name says "every"
  {
    id: "alb-sources-first-subnet",
    pattern: "one sample for every",
    harm: "only the first zone's ALB nodes and health checks reach the apps: two of three zones cut",
    file: "apps/network-policy.ts",
    find: ": args.publicSubnetCidrs.map((cidr) => ({ cidr }));",
    replace: ": args.publicSubnetCidrs.slice(0, 1).map((cidr) => ({ cidr }));",
  },
  {
    id: "elb-tag-first-subnet",
    pattern: "one sample for every",
    harm: "the controller discovers one public subnet: internet-facing load balancers in one zone (or none: ALBs need two)",
    file: "components/network/network.ts",
    find: 'tags: tags({ Name: `${name}-public-${zone}`, [PUBLIC_SUBNET_ROLE_TAG]: "1", ...clusterTag }),',
    replace:
      'tags: tags({ Name: `${name}-public-${zone}`, ...(i === 0 ? { [PUBLIC_SUBNET_ROLE_TAG]: "1" } : {}), ...clusterTag }),',
  },
  {
    id: "nodes-two-zones",
    pattern: "one sample for every",
    harm: "managed nodes in two of the three zones",
    file: "components/cluster/cluster.ts",
    find: "subnetIds: args.privateSubnetIds,",
    replace: "subnetIds: args.privateSubnetIds.slice(0, 2),",
  },
  {
    id: "egress-through-first-nat",
    pattern: "one sample for every",
    harm: "every zone's egress through the first zone's NAT gateway, though three are paid for",
    file: "components/network/network.ts",
    find: "const nat = natGateways[Math.min(i, natGateways.length - 1)];",
    replace: "const nat = natGateways[0];",
  },
  {
    id: "render-out-replaces-anything",
    pattern: "a tool's safety",
    harm: "render --out deletes a folder it did not make",
    file: "render/output-folder.ts",
    find: "  return { refuse: `is a folder with content an earlier render did not make (no ${RENDER_MARKER} in it)` };",
    replace: '  return { action: "replace" };',
  },
  {
    id: "rehearsal-instance-types-in-place",
    pattern: "a tool's safety",
    harm: "the rehearsal says a new instance type updates the node group in place, where EKS replaces it",
    file: "render/rehearsal/semantics.ts",
    find: '      "subnetIds",\n      "instanceTypes",\n',
    replace: '      "subnetIds",\n',
  },
  {
    id: "rehearsal-no-propagation",
    pattern: "a tool's safety",
    harm: "the rehearsal never plans a replaced resource's outputs as unknown: a new VPC range shows the VPC replaced and its subnets, routes and node group untouched",
    file: "render/rehearsal/rehearse.ts",
    find: '    const unknown =\n      from?.action === "replace" ||',
    replace: '    const unknown =\n      from?.action === "never" ||',
  },
  {
    id: "rehearsal-subnet-vpc-not-forcenew",
    pattern: "a tool's safety",
    harm: "the rehearsal says a subnet follows a new VPC in place, where EC2 replaces it (vpc_id is ForceNew)",
    file: "render/rehearsal/aws-semantics.ts",
    find: '      "outpostArn",\n      "vpcId",\n    ],',
    replace: '      "outpostArn",\n    ],',
  },
  {
    id: "rehearsal-no-delete-first-cascade",
    pattern: "a tool's safety",
    harm: "a cluster deleted before it is replaced leaves its add-ons planned as unchanged, pointing at a cluster that is gone",
    file: "render/rehearsal/rehearse.ts",
    find: 'const root = urns.find((urn) => decided.get(urn)?.replacement === "delete-first");',
    replace: 'const root = urns.find((urn) => decided.get(urn)?.replacement === "never");',
  },
  {
    id: "kube-proxy-mode-left-out",
    pattern: "expected from the product",
    harm: "switching kube-proxy back from IPVS changes nothing: the add-on keeps IPVS (Optional + Computed)",
    file: "components/cluster/cluster.ts",
    find: 'const kubeProxy = addon("kube-proxy", { configurationValues: kubeProxyConfiguration(args.kubeProxyMode) }, [',
    replace:
      'const kubeProxy = addon("kube-proxy", args.kubeProxyMode === "iptables" ? {} : { configurationValues: kubeProxyConfiguration(args.kubeProxyMode) }, [',
  },
  // --- the security review
  {
    id: "flow-log-rejects-only",
    pattern: "expected from the product",
    harm: "the VPC's flow logs record rejected traffic only: an investigation misses what was let through",
    file: "components/network/flow-logs.ts",
    find: 'trafficType: "ALL",',
    replace: 'trafficType: "REJECT",',
  },
  {
    id: "log-bucket-stranded",
    pattern: "expected from the product",
    harm: "pulumi destroy fails on a bucket holding access logs (BucketNotEmpty) and strands it",
    file: "components/edge/access-log-bucket.ts",
    find: "forceDestroy: true,",
    replace: "forceDestroy: false,",
  },
  {
    id: "elb-account-of-another-region",
    pattern: "expected from the product",
    harm: "ALB access logs in Seoul are refused: the bucket trusts another Region's ELB account, and the controller cannot turn logging on",
    file: "components/edge/log-delivery.ts",
    find: '"ap-northeast-2": "600734575887",',
    replace: '"ap-northeast-2": "582318560864",',
  },
  {
    id: "mario-waiver-unreadable",
    pattern: "contract on a copy",
    harm: "checkov cannot parse mario's skip annotation (a reason with '='): the scan crashes or reports mario as failing",
    file: "apps/mario.ts",
    find: 'reason: "runs as root (uid 0): see CKV_K8S_23" }',
    replace: 'reason: "runs as root (uid=0): see CKV_K8S_23" }',
  },
  // --- contracts between parts resting on hand-written copies
  {
    id: "output-vpc-cidr-dropped",
    pattern: "contract on a copy",
    harm: "verify loses the VPC range it checks source addresses against",
    file: "index.ts",
    find: "    vpcCidr: config.vpcCidr,\n",
    replace: "",
  },
  {
    id: "echo-nlb-renamed",
    pattern: "contract on a copy",
    harm: "verify looks for a Service that no longer exists: every healthy stack fails",
    file: "apps/echo.ts",
    find: '      metadata: {\n        name: "echo-nlb",',
    replace: '      metadata: {\n        name: "echo-public",',
  },
  {
    id: "output-kube-proxy-mode-dropped",
    pattern: "contract on a copy",
    harm: "verify cannot tell which kube-proxy mode the stack asked for",
    file: "index.ts",
    find: "    kubeProxyMode: config.kubeProxyMode,\n    networkLab: config.networkLab,\n",
    replace: "    networkLab: config.networkLab,\n",
  },
  // --- Karpenter: rules read from the pinned sources, each a test of its own
  {
    id: "karpenter-gpu-count-zero",
    pattern: "expected from the product",
    harm: "every NodePool asks for a GPU-count label non-GPU types never carry: Karpenter launches no node at all",
    file: "components/karpenter/density.ts",
    find: '{ key: `${AWS}instance-gpu-count`, operator: "DoesNotExist" },',
    replace: '{ key: `${AWS}instance-gpu-count`, operator: "In", values: ["0"] },',
  },
  {
    id: "karpenter-pool-over-limits",
    pattern: "checked narrow only",
    harm: "pools list types larger than their limits: Karpenter can never launch them",
    file: "components/karpenter/density.ts",
    find: "  return type.limits.vcpus <= share.cpu && type.memoryMib <= share.memoryMiB;",
    replace: "  return type.limits.vcpus <= share.cpu;",
  },
  {
    id: "karpenter-background-delete",
    pattern: "a tool's safety",
    harm: "a NodePool's delete returns before its instances are gone: pulumi destroy may remove Karpenter while they run",
    file: "components/karpenter/node-pools.ts",
    find: '"pulumi.com/deletionPropagationPolicy": "foreground"',
    replace: '"pulumi.com/deletionPropagationPolicy": "background"',
  },
  // --- the apps' autoscalers: the count belongs to the HPA, and a burst must fit somewhere
  {
    id: "hpa-count-not-ignored",
    pattern: "a tool's safety",
    harm: "a stack deployed before the autoscalers upgrades by sending Deployments without their count: the API server resets each app to 1 pod",
    file: "apps/workload.ts",
    find: "        ignoreChanges: [...AUTOSCALED_DEPLOYMENT_FIELDS],",
    replace: "",
  },
  {
    id: "hpa-deployment-declares-count",
    pattern: "expected from the product",
    harm: "every pulumi up sets each app back to its floor, undoing what its autoscaler scaled to",
    file: "apps/workload.ts",
    find: "          // No replicas: the HorizontalPodAutoscaler owns the count (see ignoreChanges below).",
    replace: "          replicas: args.autoscaling.minReplicas,",
  },
  {
    id: "hpa-scale-down-window-left-to-eks",
    pattern: "expected from the product",
    harm: "the scale-down window is whatever EKS's controller flags say: a burst's pods and nodes may go at the first quiet moment",
    file: "apps/workload-spec.ts",
    find: "    behavior: { scaleDown: { stabilizationWindowSeconds: SCALE_DOWN_STABILIZATION_SECONDS } },",
    replace: "",
  },
  {
    id: "hpa-burst-unchecked",
    pattern: "checked narrow only",
    harm: "a ceiling beyond the managed group's room and Karpenter's limits is accepted: the autoscalers' extra pods stay pending",
    file: "config/capacity.ts",
    find: "  return over.length === 0",
    replace: "  return over.length >= 0",
  },
  // --- tests, round two: one mutant of each kind of blind spot
  {
    id: "vpc-cidr-in-place",
    pattern: "update rule unexercised",
    harm: "the rehearsal says a new VPC range updates the VPC in place, where EC2 replaces it",
    file: "render/rehearsal/aws-semantics.ts",
    find: 'forceNew: ["cidrBlock", "ipv4IpamPoolId", "ipv4NetmaskLength"],',
    replace: 'forceNew: ["ipv4IpamPoolId", "ipv4NetmaskLength"],',
  },
  {
    id: "log-retention-replaces",
    pattern: "update rule unexercised",
    harm: "the rehearsal says a new log retention replaces the log group (and its logs), where it is updated in place",
    file: "render/rehearsal/aws-semantics.ts",
    find: 'forceNew: ["logGroupClass", "name", "namePrefix"],',
    replace: 'forceNew: ["logGroupClass", "name", "namePrefix", "retentionInDays"],',
  },
  {
    id: "addon-configuration-not-kept",
    pattern: "update rule unexercised",
    harm: "the rehearsal says removing an add-on's configuration resets it, where the provider keeps the cloud's value (Optional + Computed)",
    file: "render/rehearsal/aws-semantics.ts",
    find: 'optionalComputed: ["addonVersion", "configurationValues", "namespaceConfig", "namespaceConfig.namespace"],',
    replace: 'optionalComputed: ["addonVersion", "namespaceConfig", "namespaceConfig.namespace"],',
  },
  {
    id: "karpenter-passes-any-role",
    pattern: "program against the pure function",
    harm: "Karpenter's controller may pass any role to the instances it launches (iam:PassRole on *)",
    file: "components/karpenter/karpenter.ts",
    find: "                nodeRoleArn,\n                queueArn,",
    replace: '                nodeRoleArn: "*",\n                queueArn,',
  },
  {
    id: "cluster-role-rewrites-key-policy",
    pattern: "part of the space",
    harm: "the cluster role may rewrite the secrets key's policy (kms:PutKeyPolicy): whoever holds it owns the key",
    file: "components/cluster/encryption.ts",
    find: 'export const CLUSTER_KEY_USE_ACTIONS = ["kms:Encrypt", "kms:Decrypt", "kms:ListGrants", "kms:DescribeKey"] as const;',
    replace:
      'export const CLUSTER_KEY_USE_ACTIONS = ["kms:Encrypt", "kms:Decrypt", "kms:ListGrants", "kms:DescribeKey", "kms:PutKeyPolicy"] as const;',
  },
  {
    id: "load-balancer-sources-any-protocol",
    pattern: "evaluator blind to a dimension",
    harm: "the load balancers' subnets may reach the apps' port over UDP too",
    file: "apps/network-policy.ts",
    find: '        })),\n        ports: [{ protocol: "TCP", port: args.port }],',
    replace:
      '        })),\n        ports: [{ protocol: "TCP", port: args.port }, { protocol: "UDP", port: args.port }],',
  },
  {
    id: "node-class-ref-wrong-group",
    pattern: "reference by name only",
    harm: "every NodePool names its node class under Karpenter's core group: Karpenter finds no class and launches nothing",
    file: "components/karpenter/node-pools.ts",
    find: 'nodeClassRef: { group: "karpenter.k8s.aws", kind: "EC2NodeClass", name: pool.name },',
    replace: 'nodeClassRef: { group: "karpenter.sh", kind: "EC2NodeClass", name: pool.name },',
  },
  {
    id: "waf-group-misspelled",
    pattern: "expected from the product",
    harm: "the web ACL names a managed rule group AWS does not have: CreateWebACL fails",
    file: "components/edge/web-acl.ts",
    find: '  "AWSManagedRulesCommonRuleSet",',
    replace: '  "AWSManagedRulesCommonRuleset",',
  },
  {
    id: "summary-capacity-wrong-row",
    pattern: "name promises more",
    harm: "summary.md's Capacity section shows the DaemonSets' share as what a node offers pods",
    file: "render/summary/node-groups.ts",
    find: 'row("allocatable, per node", c.perNode),',
    replace: 'row("allocatable, per node", c.daemonsPerNode),',
  },
  {
    id: "hpa-min-replicas-absent-passes",
    pattern: "threshold without its edge",
    harm: "an autoscaler that leaves minReplicas out (the API then uses 1) passes the redundancy rule",
    file: "policy/rules/workloads.ts",
    find: 'const minReplicas = get(hpa.props, "spec", "minReplicas") ?? 1;',
    replace: 'const minReplicas = get(hpa.props, "spec", "minReplicas") ?? 2;',
  },
  {
    id: "kube-proxy-pin-of-another-minor",
    pattern: "pin not tied to its version",
    harm: "Kubernetes 1.34 keeps kube-proxy's 1.33 build: kube-proxy lags the control plane it serves",
    file: "data/aws/addon-versions.json",
    find: '"pinned": "v1.34.6-eksbuild.13",',
    replace: '"pinned": "v1.33.10-eksbuild.13",',
  },
  {
    id: "refresh-pins-newest",
    pattern: "rule read from memory, not from AWS's definition",
    harm: "the refresh pins each add-on's newest version instead of EKS's default for the minor",
    file: "refresh/generate.ts",
    find: "row[name] = { pinned: defaults[0] ?? latest, latest, awsDefault: defaults[0] ?? null };",
    replace: "row[name] = { pinned: latest, latest, awsDefault: defaults[0] ?? null };",
  },
  {
    id: "refresh-instance-wide-enis",
    pattern: "rule read from memory, not from AWS's definition",
    harm: "a multi-card type's ENIs are read instance-wide (EC2's MaximumNetworkInterfaces), not the default card's the VPC CNI uses",
    file: "refresh/generate.ts",
    find: "networkCards.length > 1\n",
    replace: "networkCards.length > 99\n",
  },
  {
    id: "app-architecture-unpinned",
    pattern: "checked narrow only",
    harm: "the apps' pods carry no architecture: Karpenter may launch an arm64 node for an amd64-only image, which crash-loops with exec format error",
    file: "apps/workload-spec.ts",
    find: "    affinity: architectureAffinity(args.architectures),\n",
    replace: "",
  },
  {
    id: "unknown-image-any-architecture",
    pattern: "rule read from memory, not from AWS's definition",
    harm: "an image whose platforms nobody published is let onto arm64 nodes",
    file: "apps/images.ts",
    find: 'export const UNKNOWN_IMAGE_ARCHITECTURES: readonly NodeArchitecture[] = ["amd64"];',
    replace: 'export const UNKNOWN_IMAGE_ARCHITECTURES: readonly NodeArchitecture[] = ["amd64", "arm64"];',
  },
  {
    id: "instances-check-unordered",
    pattern: "update rule unexercised",
    harm: "the NodePools no longer wait for the instance check: on destroy it may run before they are deleted, or the network may go while Karpenter's instances hold its ENIs",
    file: "index.ts",
    find: "        instancesCleanup.ready,\n",
    replace: "",
  },
  {
    id: "apps-beside-node-pools",
    pattern: "update rule unexercised",
    harm: "on destroy the apps and the NodePools go in parallel: pods keep asking for nodes while the pools drain",
    file: "index.ts",
    find: "nodes: karpenter ? [...cluster.nodeGroups, karpenter] : cluster.nodeGroups,",
    replace: "nodes: cluster.nodeGroups,",
  },
  {
    id: "pool-weights-reversed",
    pattern: "part of the space",
    harm: "Karpenter tries the pool of the largest types first: a small burst gets a 32-vCPU node",
    file: "components/karpenter/density.ts",
    find: "ordered.map((p, rank) => [p.name, ordered.length - rank])",
    replace: "ordered.map((p, rank) => [p.name, rank + 1])",
  },
];

/** Files and folders of the project a scratch copy needs (node_modules is linked, the rest not copied). */
const NOT_COPIED = new Set(["node_modules", ".git", "out", "bin", ".pulumi"]);

function scratchCopy(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "eks-platform-mutant-"));
  for (const entry of fs.readdirSync(PROJECT_ROOT)) {
    if (NOT_COPIED.has(entry)) continue;
    fs.cpSync(path.join(PROJECT_ROOT, entry), path.join(dir, entry), { recursive: true });
  }
  fs.symlinkSync(path.join(PROJECT_ROOT, "node_modules"), path.join(dir, "node_modules"), "dir");
  return dir;
}

/** Applies a mutant to a copy; the reason it cannot, when its text is not there exactly once. */
export function applyMutant(dir: string, mutant: Mutant): string | undefined {
  const file = path.join(dir, mutant.file);
  if (!fs.existsSync(file)) return `${mutant.file} does not exist`;
  const text = fs.readFileSync(file, "utf8");
  const count = text.split(mutant.find).length - 1;
  if (count !== 1) return `its text occurs ${count} times in ${mutant.file} (expected once): update the mutant`;
  fs.writeFileSync(file, text.replace(mutant.find, mutant.replace));
  return undefined;
}

interface SuiteResult {
  readonly passed: boolean;
  readonly failing: string[];
  readonly seconds: number;
}

/** The whole suite, in the copy, as `npm run test:unit` runs it. */
function runSuite(dir: string): Promise<SuiteResult> {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      ["--max-semi-space-size=64", "--import", "tsx", "--test", "--test-reporter=tap", "test/suite.ts"],
      { cwd: dir },
    );
    let out = "";
    child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on("data", () => undefined);
    child.on("close", (code) => {
      const failing = [...out.matchAll(/^\s*not ok \d+ - (.*)$/gm)]
        .map((m) => m[1])
        .filter((name) => !/^(test\/suite\.ts|.*subtests? failed)$/.test(name));
      resolve({
        passed: code === 0,
        failing: [...new Set(failing)].slice(0, 4),
        seconds: (Date.now() - started) / 1000,
      });
    });
  });
}

async function pool<T, R>(items: readonly T[], jobs: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(jobs, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        results[i] = await work(items[i]);
      }
    }),
  );
  return results;
}

/** `npm run mutate -- --help`. */
export const MUTATE_HELP = [
  "usage: npm run mutate -- [--only id,id] [--jobs 2] [--list] [--help]",
  "",
  "Plants small, plausible bugs in the product, one at a time, each in a scratch copy of the project, and runs the",
  "unit suite against each: a bug the suite does not notice (a surviving mutant) is a blind spot of the tests.",
  `Each of the ${MUTANTS.length} mutants costs one whole suite run, after one run without any: minutes, not seconds.`,
  "",
  "  --only id,id   only these mutants (--list shows their ids)",
  "  --jobs N       how many suites run side by side (default 2)",
  "  --list         the mutants: id, the kind of blind spot, what the bug would do; runs nothing",
  "  --help         this text",
  "",
  "Exit code: 0 every mutant killed, 1 one survived or is stale (its text is no longer in its file), 2 bad arguments",
  "or a suite that fails without any mutant.",
].join("\n");

/** The command line; throws naming what is wrong. */
export function parseMutateArgs(
  argv: readonly string[],
): { help: true } | { only?: string[]; jobs: number; list: boolean } {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      only: { type: "string" },
      jobs: { type: "string", default: "2" },
      list: { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) return { help: true };
  const only = values.only?.split(",").filter(Boolean);
  const unknown = (only ?? []).filter((id) => !MUTANTS.some((m) => m.id === id));
  if (unknown.length > 0) throw new Error(`--only: no mutant ${unknown.join(", ")} (npm run mutate -- --list)`);
  const jobs = Number(values.jobs);
  if (!Number.isInteger(jobs) || jobs < 1)
    throw new Error(`--jobs ${values.jobs}: expected a whole number of at least 1`);
  return { ...(only ? { only } : {}), jobs, list: values.list === true };
}

async function main(argv: readonly string[]): Promise<number> {
  const values = parseMutateArgs(argv);
  if ("help" in values) {
    process.stdout.write(`${MUTATE_HELP}\n`);
    return 0;
  }
  if (values.list) {
    for (const m of MUTANTS) process.stdout.write(`${m.id.padEnd(32)} ${m.pattern.padEnd(28)} ${m.harm}\n`);
    return 0;
  }
  const { only, jobs } = values;
  const selected = MUTANTS.filter((m) => !only || only.includes(m.id));

  // The suite must pass unmutated, or nothing it says about a mutant means anything.
  const baselineDir = scratchCopy();
  try {
    const baseline = await runSuite(baselineDir);
    if (!baseline.passed)
      throw new Error(`the suite fails without any mutant (${baseline.failing.join("; ")}): fix that first`);
    process.stdout.write(`baseline: the suite passes unmutated (${baseline.seconds.toFixed(0)} s)\n`);
  } finally {
    fs.rmSync(baselineDir, { recursive: true, force: true });
  }

  const results = await pool(selected, jobs, async (mutant) => {
    const dir = scratchCopy();
    try {
      const stale = applyMutant(dir, mutant);
      if (stale) return { mutant, verdict: "STALE", detail: stale };
      const suite = await runSuite(dir);
      const verdict = suite.passed ? "SURVIVED" : "killed";
      const detail = suite.passed
        ? `the suite passes with this bug (${mutant.harm})`
        : `by ${suite.failing.join("; ") || "a failing run"}`;
      process.stdout.write(`${verdict.padEnd(8)} ${mutant.id}: ${detail}\n`);
      return { mutant, verdict, detail };
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
  const bad = results.filter((r) => r.verdict !== "killed");
  process.stdout.write(
    `\n${results.length - bad.length} of ${results.length} mutants killed${bad.length > 0 ? `; not killed: ${bad.map((r) => `${r.mutant.id} (${r.verdict})`).join(", ")}` : ""}\n`,
  );
  return bad.length > 0 ? 1 : 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`mutate: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 2;
    },
  );
}
