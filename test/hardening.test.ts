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
import { admits, admittedPorts, mayConnect, type Pod, type PolicySpec } from "./network-policy-eval";
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
    ports: { http: { port, protocol: "TCP" } },
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
    ports: { http: { port: 8080, protocol: "TCP" } },
  };
  const stranger: Pod = { namespace: "default", labels: { app: "stranger" }, ip: "10.0.1.99" };
  const internetClient = { ip: "203.0.113.5" };

  /** The namespaces that deny by default, and whether one has a policy selecting all its pods that allows nothing in a direction. */
  const DEFAULT_DENY_NAMESPACES = ["echo", "game-2048", "tetris", "mario", "lab"];
  const hasDefaultDeny = (namespace: string, direction: "Ingress" | "Egress") =>
    policies.some(
      (p) =>
        p.namespace === namespace &&
        Object.keys(p.spec.podSelector.matchLabels ?? {}).length === 0 &&
        (p.spec.policyTypes ?? []).includes(direction) &&
        !(direction === "Ingress" ? p.spec.ingress : p.spec.egress),
    );

  it("every app and lab namespace has a default deny for ingress", () => {
    for (const namespace of DEFAULT_DENY_NAMESPACES) {
      assert.ok(hasDefaultDeny(namespace, "Ingress"), `${namespace} has no default deny`);
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
        ports: { http: { port, protocol: "TCP" } },
      };
      return { pod, port };
    });
  /** The first and last address AWS lets a subnet's interfaces use (it keeps the first four and the last). */
  const usableEnds = (cidr: string): string[] => {
    const [base, bits] = cidr.split("/");
    const start = base.split(".").reduce((acc, octet) => acc * 256 + Number(octet), 0);
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
          // Every other port of every protocol stays closed: the whole space, not port + 1.
          assert.deepEqual(
            admittedPorts(policies, { ip }, pod),
            [{ protocol: "TCP", from: port, to: port }],
            `${pod.namespace} from ${ip}`,
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
    assert.deepEqual(admittedPorts(policies, internetClient, echo), [{ protocol: "TCP", from: 8080, to: 8080 }]);
    assert.deepEqual(admittedPorts(policies, internetClient, tetris), [{ protocol: "TCP", from: 80, to: 80 }]);
    assert.deepEqual(admittedPorts(policies, internetClient, game2048), []);
    assert.deepEqual(admittedPorts(policies, internetClient, mario), []);
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
    assert.deepEqual(admittedPorts(policies, { ip: netshoot.ip, pod: netshoot }, echo), [
      { protocol: "TCP", from: 8080, to: 8080 },
    ]);
    assert.deepEqual(admittedPorts(policies, { ip: netshoot.ip, pod: netshoot }, peer), [
      { protocol: "TCP", from: 8080, to: 8080 },
    ]);
    assert.deepEqual(admittedPorts(policies, { ip: peer.ip, pod: peer }, netshoot), [], "nothing reaches the clients");
  });

  // Egress: what each pod may open, both ways checked (its egress and the destination's ingress).
  const coredns: Pod = {
    namespace: "kube-system",
    labels: { "k8s-app": "kube-dns" },
    ip: "10.0.1.53",
    ports: { dns: { port: 53, protocol: "UDP" } },
  };
  const nodeIp = (n: number) =>
    `${privateSubnets[n % privateSubnets.length].cidr.split("/")[0].replace(/\.0$/, "")}.${10 + n}`;
  const outside = [
    { ip: "8.8.8.8", port: 443, what: "the internet" },
    { ip: "169.254.169.254", port: 80, what: "the instance metadata service" },
    { ip: "169.254.170.23", port: 80, what: "the Pod Identity agent" },
    { ip: "10.0.200.7", port: 5432, what: "another address of the VPC" },
  ];

  it("every app and lab namespace denies egress by default, and lets its pods resolve names through CoreDNS only", () => {
    for (const namespace of DEFAULT_DENY_NAMESPACES) {
      assert.ok(hasDefaultDeny(namespace, "Egress"), `${namespace} has no default deny for egress`);
    }
    for (const pod of [echo, game2048, tetris, mario, netshoot, peer]) {
      const who = `${pod.namespace}/${pod.labels["app.kubernetes.io/name"]}`;
      for (const protocol of ["UDP", "TCP"] as const)
        assert.equal(
          mayConnect(policies, pod, { ip: coredns.ip, pod: coredns }, 53, protocol),
          true,
          `${who} DNS ${protocol}`,
        );
      assert.equal(
        mayConnect(policies, pod, { ip: coredns.ip, pod: coredns }, 9153),
        false,
        `${who}: CoreDNS's metrics`,
      );
      for (const o of outside)
        assert.equal(mayConnect(policies, pod, { ip: o.ip }, o.port), false, `${who}: ${o.what}`);
      // A pod elsewhere labelled like CoreDNS is not cluster DNS.
      const fake: Pod = { ...coredns, namespace: "default" };
      assert.equal(mayConnect(policies, pod, { ip: fake.ip, pod: fake }, 53, "UDP"), false, `${who}: a fake DNS`);
    }
    // The apps call nothing else: not each other, not the lab.
    for (const [from, to, port] of [
      [echo, game2048, 80],
      [tetris, mario, 8080],
      [mario, peer, 8080],
    ] as const)
      assert.equal(mayConnect(policies, from, { ip: to.ip, pod: to }, port), false);
  });

  it("the lab's clients may open exactly what the walkthrough and npm run verify do: the peers, echo, and the nodes' NodePort and kube-proxy", () => {
    assert.equal(mayConnect(policies, netshoot, { ip: peer.ip, pod: peer }, 8080), true);
    assert.equal(mayConnect(policies, netshoot, { ip: echo.ip, pod: echo }, 8080), true);
    for (let n = 0; n < privateSubnets.length; n++) {
      assert.equal(
        mayConnect(policies, netshoot, { ip: nodeIp(n) }, 30080),
        true,
        `node ${nodeIp(n)}: echo's NodePort`,
      );
      assert.equal(mayConnect(policies, netshoot, { ip: nodeIp(n) }, 10249), true, `node ${nodeIp(n)}: kube-proxy`);
      assert.equal(mayConnect(policies, netshoot, { ip: nodeIp(n) }, 22), false, "ssh");
      assert.equal(mayConnect(policies, netshoot, { ip: nodeIp(n) }, 10250), false, "the kubelet");
    }
    assert.equal(mayConnect(policies, netshoot, { ip: game2048.ip, pod: game2048 }, 80), false, "not the games");
    // The peers answer and call nothing.
    assert.equal(mayConnect(policies, peer, { ip: echo.ip, pod: echo }, 8080), false);
    assert.equal(mayConnect(policies, peer, { ip: nodeIp(0) }, 30080), false);
  });

  it("the VPC CNI enforces them: its network policy agent is on", () => {
    const values = JSON.parse(String(resource(run, AWS.eksAddon, "cluster-vpc-cni").inputs.configurationValues)) as {
      enableNetworkPolicy: string;
    };
    assert.equal(values.enableNetworkPolicy, "true");
  });
});
