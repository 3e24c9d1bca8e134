import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { PolicyDocument, PolicyStatement } from "../components/iam/policy-document";
import { AWS, KUBERNETES, PULUMI_EKS } from "../components/resource-types";
import {
  ofType,
  ProgramError,
  type ProgramRun,
  type RecordedResource,
  resource,
  runProgram,
  transitiveDependencies,
} from "../render/harness";
import encryption from "./fixtures/eks-cluster-encryption-actions.json";
import nodeRole from "./fixtures/eks-node-role-policies.json";
import { isAllowed } from "./iam-eval";
import { TEAM_CHOICES } from "./shared-configs";

const POLICY = KUBERNETES.networkPolicy;

describe("secrets encryption and control-plane logs", async () => {
  const dev = await runProgram();

  it("encrypts Kubernetes secrets with our KMS key: rotation on, used only by the cluster role, administered by the account", () => {
    const key = resource(dev, AWS.kmsKey, "cluster-secrets");
    const role = resource(dev, AWS.iamRole, "cluster-cluster");
    const [cluster] = ofType(dev, PULUMI_EKS.cluster);
    assert.equal(key.inputs.enableKeyRotation, true);
    assert.equal(cluster.inputs.encryptionConfigKeyArn, `arn:aws:mock:123456789012:Key/${key.name}`);
    assert.equal(cluster.inputs.serviceRole, role.urn, "the cluster runs as the role the key's policy names");
    const policy = JSON.parse(String(key.inputs.policy)) as PolicyDocument;
    const keyArn = String(cluster.inputs.encryptionConfigKeyArn);
    const clusterRole = { AWS: `arn:aws:mock:123456789012:Role/${role.name}` };
    const account = { AWS: "arn:aws:iam::123456789012:root" };
    // Expected from terraform-aws-eks's cluster encryption policy (fixture), not from our own list.
    assert.equal(encryption.clusterRoleActions.length, 4);
    for (const action of encryption.clusterRoleActions) {
      assert.ok(
        isAllowed(policy, { principal: clusterRole, action, resource: keyArn }),
        `the cluster role may not ${action} with the key`,
      );
    }
    // And nothing beyond: of every key-use action, the cluster role has only those; no one else has any.
    assert.equal(encryption.keyUseActions.length, 12);
    for (const action of encryption.keyUseActions) {
      assert.equal(
        isAllowed(policy, { principal: clusterRole, action, resource: keyArn }),
        encryption.clusterRoleActions.includes(action),
        `cluster role, ${action}`,
      );
      if (!["kms:DescribeKey", "kms:CreateGrant", "kms:ListGrants", "kms:RevokeGrant"].includes(action)) {
        assert.equal(
          isAllowed(policy, { principal: account, action, resource: keyArn }),
          false,
          `the account (its administrators) may ${action} with the key`,
        );
      }
      assert.equal(
        isAllowed(policy, {
          principal: { AWS: "arn:aws:iam::123456789012:role/someone-else" },
          action,
          resource: keyArn,
        }),
        false,
        `another role may ${action}`,
      );
    }
    for (const s of policy.Statement as PolicyStatement[])
      assert.ok(![s.Action].flat().includes("kms:*"), "no kms:* anywhere");
  });

  it("gives the node and cluster roles exactly the managed policies EKS documents for them", () => {
    const attached = (roleName: string) =>
      ofType(dev, AWS.iamRolePolicyAttachment)
        .filter((a) => a.inputs.role === `${roleName}`)
        .map((a) => String(a.inputs.policyArn).replace(/^arn:aws:iam::aws:policy\//, ""))
        .sort();
    const nodeRoleName = String(resource(dev, AWS.iamRole, "cluster-node").inputs.name ?? "cluster-node");
    const clusterRoleName = String(resource(dev, AWS.iamRole, "cluster-cluster").inputs.name ?? "cluster-cluster");
    assert.deepEqual(attached(nodeRoleName), [...nodeRole.managedPolicies].sort());
    assert.deepEqual(attached(clusterRoleName), [...nodeRole.clusterManagedPolicies].sort());
  });

  it("creates the control-plane log group before the cluster, with a bounded retention from config", async () => {
    const group = resource(dev, AWS.logGroup, "cluster-control-plane");
    assert.equal(group.inputs.name, "/aws/eks/eks-platform-dev/cluster");
    assert.equal(group.inputs.retentionInDays, 90);
    const [cluster] = ofType(dev, PULUMI_EKS.cluster);
    assert.ok(
      transitiveDependencies(dev, cluster.urn).has(group.urn),
      "the cluster would create the group itself, kept forever",
    );
    const year = await runProgram({ config: TEAM_CHOICES });
    assert.equal(resource(year, AWS.logGroup, "cluster-control-plane").inputs.retentionInDays, 365);
    const error = await runProgram({ config: { controlPlaneLogRetentionDays: "100" } }).then(
      () => undefined,
      (e: unknown) => e,
    );
    assert.ok(error instanceof ProgramError, "a bad retention is refused");
    assert.match(
      error.message,
      /eks-platform:controlPlaneLogRetentionDays: expected a retention CloudWatch Logs accepts/,
    );
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
function admits(
  policies: Array<{ namespace: string; spec: PolicySpec }>,
  source: { ip: string; pod?: Pod },
  target: Pod,
  port: number,
): boolean {
  const selecting = policies.filter(
    (p) =>
      p.namespace === target.namespace &&
      p.spec.policyTypes.includes("Ingress") &&
      matches(p.spec.podSelector.matchLabels, target.labels),
  );
  if (selecting.length === 0) return true;
  return selecting.some((p) =>
    (p.spec.ingress ?? []).some((rule) => {
      const portOk = rule.ports.some(
        (r) => r.port === port || (typeof r.port === "string" && target.ports?.[r.port] === port),
      );
      const peerOk = rule.from.some((peer) => {
        if (peer.ipBlock)
          return inCidr(source.ip, peer.ipBlock.cidr) && !(peer.ipBlock.except ?? []).some((c) => inCidr(source.ip, c));
        if (!source.pod) return false;
        const nsOk = peer.namespaceSelector
          ? matches(peer.namespaceSelector.matchLabels, { "kubernetes.io/metadata.name": source.pod.namespace })
          : source.pod.namespace === p.namespace;
        return nsOk && matches(peer.podSelector?.matchLabels, source.pod.labels);
      });
      return portOk && peerOk;
    }),
  );
}
function policiesOf(run: ProgramRun): Array<{ namespace: string; spec: PolicySpec }> {
  return ofType(run, POLICY).map((r: RecordedResource) => ({
    namespace: String((r.inputs.metadata as { namespace: string }).namespace),
    spec: r.inputs.spec as PolicySpec,
  }));
}

describe("network policies: default deny, and nothing the apps need cut", async () => {
  const run = await runProgram({ config: { domain: "example.com" } });
  const policies = policiesOf(run);
  const app = (name: string, port: number): Pod => ({
    namespace: name,
    labels: { "app.kubernetes.io/name": name },
    ip: "10.0.1.20",
    ports: { http: port },
  });
  const echo = app("echo", 8080);
  const game2048 = app("game-2048", 80);
  const tetris = app("tetris", 80);
  const mario = app("mario", 8080);
  const netshoot: Pod = {
    namespace: "lab",
    labels: { "app.kubernetes.io/name": "netshoot", "app.kubernetes.io/part-of": "eks-platform-lab" },
    ip: "10.0.2.30",
  };
  const peer: Pod = {
    namespace: "lab",
    labels: { "app.kubernetes.io/name": "peers", "app.kubernetes.io/part-of": "eks-platform-lab" },
    ip: "10.0.3.40",
    ports: { http: 8080 },
  };
  const stranger: Pod = { namespace: "default", labels: { app: "stranger" }, ip: "10.0.1.99" };
  const internetClient = { ip: "203.0.113.5" };

  it("every app and lab namespace has a default deny for ingress", () => {
    for (const namespace of ["echo", "game-2048", "tetris", "mario", "lab"]) {
      assert.ok(
        policies.some(
          (p) =>
            p.namespace === namespace &&
            Object.keys(p.spec.podSelector.matchLabels ?? {}).length === 0 &&
            p.spec.policyTypes.includes("Ingress") &&
            !p.spec.ingress,
        ),
        `${namespace} has no default deny`,
      );
    }
    assert.equal(
      admits(policies, { ip: stranger.ip, pod: stranger }, game2048, 80),
      false,
      "a pod elsewhere cannot reach 2048",
    );
    assert.equal(
      admits(policies, { ip: stranger.ip, pod: stranger }, peer, 8080),
      false,
      "a pod elsewhere cannot reach the lab's peers",
    );
  });

  // Every public and private subnet of the stack, and every app with its container port, from the program.
  const subnetsOf = (tag: string) =>
    ofType(run, AWS.subnet)
      .filter((r) => tag in ((r.inputs.tags ?? {}) as Record<string, string>))
      .map((r) => ({ zone: String(r.inputs.availabilityZone), cidr: String(r.inputs.cidrBlock) }));
  const publicSubnets = subnetsOf("kubernetes.io/role/elb");
  const privateSubnets = subnetsOf("kubernetes.io/role/internal-elb");
  const apps = ofType(run, KUBERNETES.deployment)
    .filter((d) =>
      ["echo", "game-2048", "tetris", "mario"].includes(String((d.inputs.metadata as { namespace: string }).namespace)),
    )
    .map((d) => {
      const template = (
        d.inputs.spec as {
          template: {
            metadata: { labels: Record<string, string> };
            spec: { containers: Array<{ ports?: Array<{ name?: string; containerPort: number }> }> };
          };
        }
      ).template;
      const port = template.spec.containers[0].ports?.find((p) => p.name === "http")?.containerPort ?? 0;
      const pod: Pod = {
        namespace: String((d.inputs.metadata as { namespace: string }).namespace),
        labels: template.metadata.labels,
        ip: "10.0.1.20",
        ports: { http: port },
      };
      return { pod, port };
    });
  /** The first and last address AWS lets a subnet's interfaces use (it keeps the first four and the last). */
  const usableEnds = (cidr: string): string[] => {
    const [base, bits] = cidr.split("/");
    const start = ipToNumber(base);
    const size = 2 ** (32 - Number(bits));
    return [start + 4, start + size - 2].map((n) =>
      [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join("."),
    );
  };

  it("ALB traffic and health checks from every zone's public subnet reach every app's container port, and no other port", () => {
    assert.equal(publicSubnets.length, 3, "one public subnet per zone");
    assert.equal(new Set(publicSubnets.map((p) => p.zone)).size, 3);
    assert.equal(apps.length, 4, "echo, 2048, tetris and mario");
    let tried = 0;
    for (const subnet of publicSubnets) {
      for (const ip of usableEnds(subnet.cidr)) {
        for (const { pod, port } of apps) {
          assert.ok(port > 0, `${pod.namespace} names no http container port`);
          assert.ok(
            admits(policies, { ip }, pod, port),
            `${pod.namespace}:${port} is cut from ${ip} (public subnet of ${subnet.zone})`,
          );
          assert.equal(
            admits(policies, { ip }, pod, port + 1),
            false,
            `${pod.namespace} is open on ${port + 1} from ${ip}`,
          );
          tried++;
        }
      }
    }
    assert.equal(tried, 3 * 2 * 4);
  });

  it("no address of any private subnet passes as a load balancer: with the VPC CNI, pods live there", () => {
    assert.equal(privateSubnets.length, 3, "one private subnet per zone");
    let tried = 0;
    for (const subnet of privateSubnets) {
      for (const ip of usableEnds(subnet.cidr)) {
        for (const { pod, port } of apps) {
          assert.equal(
            admits(policies, { ip }, pod, port),
            false,
            `${ip} (private subnet of ${subnet.zone}) reaches ${pod.namespace}`,
          );
          tried++;
        }
      }
    }
    assert.equal(tried, 3 * 2 * 4);
  });

  it("NLBs that preserve the client's address reach echo and tetris from the internet; ALB-only apps stay closed to it", () => {
    assert.ok(admits(policies, internetClient, echo, 8080), "an internet client is cut from echo");
    assert.ok(admits(policies, internetClient, tetris, 80), "an internet client is cut from tetris");
    assert.equal(admits(policies, internetClient, game2048, 80), false);
    assert.equal(admits(policies, internetClient, mario, 8080), false);
  });

  it("pods are not load balancers: a pod's own address does not pass as one", () => {
    for (const [pod, port] of [
      [echo, 8080],
      [game2048, 80],
      [tetris, 80],
      [mario, 8080],
    ] as const) {
      assert.equal(
        admits(policies, { ip: stranger.ip, pod: stranger }, pod, port),
        false,
        `a pod reaches ${pod.namespace}`,
      );
    }
  });

  it("the lab's clients reach echo and the peers", () => {
    assert.ok(admits(policies, { ip: netshoot.ip, pod: netshoot }, echo, 8080), "netshoot -> echo is cut");
    assert.ok(admits(policies, { ip: netshoot.ip, pod: netshoot }, peer, 8080), "netshoot -> peers is cut");
    assert.equal(admits(policies, { ip: peer.ip, pod: peer }, netshoot, 22), false, "nothing reaches the clients");
  });

  it("the VPC CNI enforces them: its network policy agent is on", () => {
    const values = JSON.parse(String(resource(run, AWS.eksAddon, "cluster-vpc-cni").inputs.configurationValues)) as {
      enableNetworkPolicy: string;
    };
    assert.equal(values.enableNetworkPolicy, "true");
  });
});
