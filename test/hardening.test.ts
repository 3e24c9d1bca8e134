import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { CLUSTER_KEY_USE_ACTIONS } from "../components/cluster/encryption";
import type { PolicyStatement } from "../components/controller-release/iam";
import { ofType, ProgramError, type ProgramRun, type RecordedResource, resource, runProgram, transitiveDependencies } from "../render/harness";

const POLICY = "kubernetes:networking.k8s.io/v1:NetworkPolicy";

describe("secrets encryption and control-plane logs", async () => {
  const dev = await runProgram();

  it("encrypts Kubernetes secrets with our KMS key: rotation on, used only by the cluster role, administered by the account", () => {
    const key = resource(dev, "aws:kms/key:Key", "cluster-secrets");
    const role = resource(dev, "aws:iam/role:Role", "cluster-cluster");
    const [cluster] = ofType(dev, "eks:index:Cluster");
    assert.equal(key.inputs.enableKeyRotation, true);
    assert.equal(cluster.inputs.encryptionConfigKeyArn, `arn:aws:mock:123456789012:Key/${key.name}`);
    assert.equal(cluster.inputs.serviceRole, role.urn, "the cluster runs as the role the key's policy names");
    const statements = (JSON.parse(String(key.inputs.policy)) as { Statement: PolicyStatement[] }).Statement;
    const users = statements.filter((s) => [s.Action].flat().some((a) => /^kms:(Encrypt|Decrypt|GenerateDataKey|ReEncrypt)/.test(a) || a === "kms:*"));
    assert.deepEqual(users.map((s) => s.Principal), [{ AWS: `arn:aws:mock:123456789012:Role/${role.name}` }], "only the cluster role may use the key");
    assert.deepEqual([...[users[0].Action].flat()].sort(), [...CLUSTER_KEY_USE_ACTIONS].sort());
    for (const s of statements) assert.ok(![s.Action].flat().includes("kms:*"), "no kms:* anywhere");
  });

  it("creates the control-plane log group before the cluster, with a bounded retention from config", async () => {
    const group = resource(dev, "aws:cloudwatch/logGroup:LogGroup", "cluster-control-plane");
    assert.equal(group.inputs.name, "/aws/eks/eks-platform-dev/cluster");
    assert.equal(group.inputs.retentionInDays, 90);
    const [cluster] = ofType(dev, "eks:index:Cluster");
    assert.ok(transitiveDependencies(dev, cluster.urn).has(group.urn), "the cluster would create the group itself, kept forever");
    const year = await runProgram({ config: { controlPlaneLogRetentionDays: "365" } });
    assert.equal(resource(year, "aws:cloudwatch/logGroup:LogGroup", "cluster-control-plane").inputs.retentionInDays, 365);
    const error = await runProgram({ config: { controlPlaneLogRetentionDays: "100" } }).then(
      () => undefined,
      (e: unknown) => e,
    );
    assert.ok(error instanceof ProgramError, "a bad retention is refused");
    assert.match(error.message, /eks-platform:controlPlaneLogRetentionDays: expected a retention CloudWatch Logs accepts/);
  });
});

// ------------------------------------------------------------- network policies

interface PeerSpec {
  ipBlock?: { cidr: string; except?: string[] };
  namespaceSelector?: { matchLabels: Record<string, string> };
  podSelector?: { matchLabels: Record<string, string> };
}
interface PolicySpec {
  podSelector: { matchLabels?: Record<string, string> };
  policyTypes: string[];
  ingress?: Array<{ from: PeerSpec[]; ports: Array<{ port: number | string }> }>;
}
/** A pod as a policy sees it: namespace, labels, IP, and its named container ports. */
interface Pod {
  namespace: string;
  labels: Record<string, string>;
  ip: string;
  ports?: Record<string, number>;
}

function ipToNumber(ip: string): number {
  return ip.split(".").reduce((acc, octet) => acc * 256 + Number(octet), 0);
}
function inCidr(ip: string, cidr: string): boolean {
  const [base, bits] = cidr.split("/");
  const size = 2 ** (32 - Number(bits));
  return Math.floor(ipToNumber(ip) / size) === Math.floor(ipToNumber(base) / size);
}
const matches = (selector: Record<string, string> | undefined, labels: Record<string, string>) =>
  Object.entries(selector ?? {}).every(([k, v]) => labels[k] === v);

/**
 * Whether NetworkPolicy semantics admit a connection to `target` on `port`: allowed when no policy selects
 * the pod for ingress, else when some selecting policy has a rule whose peers and ports match.
 */
function admits(policies: Array<{ namespace: string; spec: PolicySpec }>, source: { ip: string; pod?: Pod }, target: Pod, port: number): boolean {
  const selecting = policies.filter((p) => p.namespace === target.namespace && p.spec.policyTypes.includes("Ingress") && matches(p.spec.podSelector.matchLabels, target.labels));
  if (selecting.length === 0) return true;
  return selecting.some((p) =>
    (p.spec.ingress ?? []).some((rule) => {
      const portOk = rule.ports.some((r) => r.port === port || (typeof r.port === "string" && target.ports?.[r.port] === port));
      const peerOk = rule.from.some((peer) => {
        if (peer.ipBlock) return inCidr(source.ip, peer.ipBlock.cidr) && !(peer.ipBlock.except ?? []).some((c) => inCidr(source.ip, c));
        if (!source.pod) return false;
        const nsOk = peer.namespaceSelector ? matches(peer.namespaceSelector.matchLabels, { "kubernetes.io/metadata.name": source.pod.namespace }) : source.pod.namespace === p.namespace;
        return nsOk && matches(peer.podSelector?.matchLabels, source.pod.labels);
      });
      return portOk && peerOk;
    }),
  );
}
function policiesOf(run: ProgramRun): Array<{ namespace: string; spec: PolicySpec }> {
  return ofType(run, POLICY).map((r: RecordedResource) => ({ namespace: String((r.inputs.metadata as { namespace: string }).namespace), spec: r.inputs.spec as PolicySpec }));
}

describe("network policies: default deny, and nothing the apps need cut", async () => {
  const run = await runProgram({ config: { domain: "example.com" } });
  const policies = policiesOf(run);
  const app = (name: string, port: number): Pod => ({ namespace: name, labels: { "app.kubernetes.io/name": name }, ip: "10.0.1.20", ports: { http: port } });
  const echo = app("echo", 8080);
  const game2048 = app("game-2048", 80);
  const tetris = app("tetris", 80);
  const mario = app("mario", 8080);
  const netshoot: Pod = { namespace: "lab", labels: { "app.kubernetes.io/name": "netshoot", "app.kubernetes.io/part-of": "eks-platform-lab" }, ip: "10.0.2.30" };
  const peer: Pod = { namespace: "lab", labels: { "app.kubernetes.io/name": "peers", "app.kubernetes.io/part-of": "eks-platform-lab" }, ip: "10.0.3.40", ports: { http: 8080 } };
  const stranger: Pod = { namespace: "default", labels: { app: "stranger" }, ip: "10.0.1.99" };
  // The dev layout: private subnets 10.0.0.0/18, 10.0.64.0/18, 10.0.128.0/18; public 10.0.192.0/22 and the next two.
  const albInVpc = { ip: "10.0.193.17" };
  const internetClient = { ip: "203.0.113.5" };

  it("every app and lab namespace has a default deny for ingress", () => {
    for (const namespace of ["echo", "game-2048", "tetris", "mario", "lab"]) {
      assert.ok(
        policies.some((p) => p.namespace === namespace && Object.keys(p.spec.podSelector.matchLabels ?? {}).length === 0 && p.spec.policyTypes.includes("Ingress") && !p.spec.ingress),
        `${namespace} has no default deny`,
      );
    }
    assert.equal(admits(policies, { ip: stranger.ip, pod: stranger }, game2048, 80), false, "a pod elsewhere cannot reach 2048");
    assert.equal(admits(policies, { ip: stranger.ip, pod: stranger }, peer, 8080), false, "a pod elsewhere cannot reach the lab's peers");
  });

  it("ALB traffic and health checks from the VPC reach every app's container port, and no other port", () => {
    for (const [pod, port] of [[echo, 8080], [game2048, 80], [tetris, 80], [mario, 8080]] as const) {
      assert.ok(admits(policies, albInVpc, pod, port), `${pod.namespace}:${port} is cut from the VPC`);
      assert.equal(admits(policies, albInVpc, pod, 9999), false, `${pod.namespace} is open on another port`);
    }
  });

  it("NLBs that preserve the client's address reach echo and tetris from the internet; ALB-only apps stay closed to it", () => {
    assert.ok(admits(policies, internetClient, echo, 8080), "an internet client is cut from echo");
    assert.ok(admits(policies, internetClient, tetris, 80), "an internet client is cut from tetris");
    assert.equal(admits(policies, internetClient, game2048, 80), false);
    assert.equal(admits(policies, internetClient, mario, 8080), false);
  });

  it("pods are not load balancers: a pod's own address does not pass as one", () => {
    for (const [pod, port] of [[echo, 8080], [game2048, 80], [tetris, 80], [mario, 8080]] as const) {
      assert.equal(admits(policies, { ip: stranger.ip, pod: stranger }, pod, port), false, `a pod reaches ${pod.namespace}`);
    }
  });

  it("the lab's clients reach echo and the peers", () => {
    assert.ok(admits(policies, { ip: netshoot.ip, pod: netshoot }, echo, 8080), "netshoot -> echo is cut");
    assert.ok(admits(policies, { ip: netshoot.ip, pod: netshoot }, peer, 8080), "netshoot -> peers is cut");
    assert.equal(admits(policies, { ip: peer.ip, pod: peer }, netshoot, 22), false, "nothing reaches the clients");
  });

  it("the VPC CNI enforces them: its network policy agent is on", () => {
    const values = JSON.parse(String(resource(run, "aws:eks/addon:Addon", "cluster-vpc-cni").inputs.configurationValues)) as { enableNetworkPolicy: string };
    assert.equal(values.enableNetworkPolicy, "true");
  });
});
