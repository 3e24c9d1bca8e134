import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { appHostnames } from "../apps/hostnames";
import { validationRecordBases } from "../components/certificate/certificate";
import type { PolicyDocument } from "../components/iam/policy-document";
import { loadBalancerControllerPolicy } from "../components/load-balancer-controller/iam-policy";
import { AWS, COMPONENTS, KUBERNETES, PULUMI_EKS } from "../components/resource-types";
import {
  ofType,
  type ProgramRun,
  type RecordedResource,
  resource,
  runProgram,
  transitiveDependencies,
} from "../render/harness";
import lbcKeys from "./fixtures/charts/aws-load-balancer-controller-3.5.0.keys.json";
import externalDnsKeys from "./fixtures/charts/external-dns-1.21.1.keys.json";
import karpenterKeys from "./fixtures/charts/karpenter-1.14.1.keys.json";
import officialExternalDnsPolicy from "./fixtures/external-dns-iam-policy.json";
import officialLbcPolicy from "./fixtures/lbc-iam-policy-v3.5.0.json";
import { grantedPairs, isAllowed } from "./iam-eval";

const RELEASE = KUBERNETES.helmRelease;
const ROLE = AWS.iamRole;
const ROLE_POLICY = AWS.iamRolePolicy;
const ASSOCIATION = AWS.eksPodIdentityAssociation;

type KeyTree = { [key: string]: KeyTree | null };

/** Value paths that the chart's values.yaml does not have (below a free-form leaf anything goes). */
function unknownKeys(values: unknown, tree: KeyTree, at = ""): string[] {
  if (!values || typeof values !== "object" || Array.isArray(values)) return [];
  return Object.entries(values as Record<string, unknown>).flatMap(([key, value]) => {
    const pathHere = at ? `${at}.${key}` : key;
    if (!(key in tree)) return [pathHere];
    const sub = tree[key];
    return sub === null ? [] : unknownKeys(value, sub, pathHere);
  });
}

const releaseNamed = (run: ProgramRun, name: string) => resource(run, RELEASE, `${name}-release`);
const values = (r: RecordedResource) => r.inputs.values as Record<string, unknown>;

/** The Pod Identity pieces built under one component name prefix. */
function identity(run: ProgramRun, prefix: string) {
  const role = resource(run, ROLE, `${prefix}-identity-role`);
  const policy = JSON.parse(
    String(resource(run, ROLE_POLICY, `${prefix}-identity-policy`).inputs.policy),
  ) as PolicyDocument;
  const association = resource(run, ASSOCIATION, `${prefix}-identity-association`);
  const trust = JSON.parse(String(role.inputs.assumeRolePolicy)) as PolicyDocument;
  return { role, policy, association, trust };
}

function statementsFor(policy: PolicyDocument, action: string) {
  return policy.Statement.filter((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]).includes(action));
}

describe("platform controllers", async () => {
  const [withDomain, withoutDomain] = await Promise.all([
    runProgram({ config: { domain: "example.com" } }),
    runProgram(),
  ]);

  it("the controller's policy is the official v3.5.0 policy, statement for statement", () => {
    assert.deepEqual(loadBalancerControllerPolicy("aws"), officialLbcPolicy.policy);
    assert.deepEqual(identity(withDomain, "lb-controller").policy, officialLbcPolicy.policy);
  });

  it("the controller's policy follows the partition without losing a statement", () => {
    const china = loadBalancerControllerPolicy("aws-cn");
    assert.equal(china.Statement.length, officialLbcPolicy.policy.Statement.length);
    const text = JSON.stringify(china);
    assert.doesNotMatch(text, /arn:aws:/);
    assert.equal(text.replaceAll("arn:aws-cn:", "arn:aws:"), JSON.stringify(officialLbcPolicy.policy));
  });

  it("ExternalDNS can change records in the configured zone only", () => {
    const { policy } = identity(withDomain, "external-dns");
    const zoneArn = /^arn:aws:route53:::hostedzone\/Z[0-9A-Z]+$/;
    const changes = statementsFor(policy, "route53:ChangeResourceRecordSets");
    assert.equal(changes.length, 1);
    assert.equal(changes[0].Effect, "Allow");
    assert.equal((changes[0].Resource as string[]).length, 1);
    assert.match((changes[0].Resource as string[])[0], zoneArn);
    const zoneId = (changes[0].Resource as string[])[0].split("/").pop();
    assert.ok(
      (values(releaseNamed(withDomain, "external-dns")).extraArgs as string[]).includes(`--zone-id-filter=${zoneId}`),
    );
    // Only listing zones is account-wide.
    const accountWide = policy.Statement.filter((st) => JSON.stringify(st.Resource).includes("*"));
    assert.equal(accountWide.length, 1, "one account-wide statement");
    for (const s of accountWide) {
      assert.deepEqual(s.Action, ["route53:ListHostedZones"]);
    }
  });

  it("ExternalDNS may do everything its documented policy needs, on its zone, and nothing the documented policy does not grant", () => {
    const { policy } = identity(withDomain, "external-dns");
    const zoneId = String(ofType(withDomain, AWS.route53Record)[0]?.inputs.zoneId);
    const zoneArn = `arn:aws:route53:::hostedzone/${zoneId}`;
    // Expected from kubernetes-sigs/external-dns's documented policy (fixture), read as IAM reads it.
    const upstream = officialExternalDnsPolicy.policy as PolicyDocument;
    const needed = grantedPairs(upstream).map(({ action, resource }) => ({
      action,
      resource: resource === "arn:aws:route53:::hostedzone/*" ? zoneArn : resource,
    }));
    assert.equal(needed.length, 4);
    for (const request of needed)
      assert.ok(isAllowed(policy, request), `ExternalDNS may not ${request.action} on ${request.resource}`);
    // Nothing beyond: every grant of ours is one the documented policy makes too.
    const ours = grantedPairs(policy);
    assert.ok(ours.length >= needed.length);
    for (const request of ours)
      assert.ok(
        isAllowed(upstream, request),
        `${request.action} on ${request.resource} is beyond ExternalDNS's documented policy`,
      );
    // And narrower where it can be: record changes on no other zone.
    assert.equal(
      isAllowed(policy, {
        action: "route53:ChangeResourceRecordSets",
        resource: "arn:aws:route53:::hostedzone/ZOTHERZONE",
      }),
      false,
    );
    // Only below the domain and only the types it writes: the apex (MX, NS, SOA live there) and other types are
    // refused, as Route 53 names them in each change's condition keys; the apps' names and their TXT records pass.
    const change = (names: string[], types: string[]) =>
      isAllowed(policy, {
        action: "route53:ChangeResourceRecordSets",
        resource: zoneArn,
        context: {
          "route53:ChangeResourceRecordSetsNormalizedRecordNames": names,
          "route53:ChangeResourceRecordSetsRecordTypes": types,
        },
      });
    const hostnames = Object.values(appHostnames("example.com"));
    assert.equal(change(hostnames, ["A", "AAAA", "TXT"]), true);
    assert.equal(
      change(
        hostnames.map((h) => `a-${h}`),
        ["TXT"],
      ),
      true,
      "the TXT registry's records",
    );
    assert.equal(change(["example.com"], ["A"]), false, "the apex");
    assert.equal(change(["example.com"], ["MX"]), false);
    assert.equal(change([hostnames[0]], ["MX"]), false, "a type it does not write");
    assert.equal(change([hostnames[0], "example.com"], ["A"]), false, "one name above the domain spoils the change");
    assert.equal(change(["tetris.example.org"], ["A"]), false);
  });

  it("the load balancer controller may do every action of its official policy, and nothing else", () => {
    const { policy } = identity(withDomain, "lb-controller");
    const upstream = officialLbcPolicy.policy as PolicyDocument;
    const needed = grantedPairs(upstream);
    assert.equal(needed.length, 98, "grants read from the official policy");
    // Unconditioned grants: allowed as they stand. Conditioned ones are compared statement for statement below.
    const unconditioned = upstream.Statement.filter(
      (st) => st.Effect === "Allow" && st.Condition === undefined,
    ).flatMap((st) => grantedPairs({ Version: "2012-10-17", Statement: [st] }));
    assert.equal(unconditioned.length, 69);
    for (const request of unconditioned)
      assert.ok(isAllowed(policy, request), `the controller may not ${request.action} on ${request.resource}`);
    const ours = grantedPairs(policy);
    assert.equal(ours.length, 98, "grants our policy makes");
    for (const request of ours)
      assert.ok(
        isAllowed(
          { Version: "2012-10-17", Statement: upstream.Statement.map((st) => ({ ...st, Condition: undefined })) },
          request,
        ),
        `${request.action} is beyond the official policy`,
      );
  });

  for (const [prefix, namespace, serviceAccount] of [
    ["lb-controller", "kube-system", "aws-load-balancer-controller"],
    ["external-dns", "kube-system", "external-dns"],
    ["karpenter", "kube-system", "karpenter"],
  ] as const) {
    it(`${prefix}: Pod Identity binds ${namespace}/${serviceAccount} to its own role, assumable by EKS Pod Identity only for that service account of this cluster`, () => {
      const { role, association, trust } = identity(withDomain, prefix);
      assert.equal(association.inputs.namespace, namespace);
      assert.equal(association.inputs.serviceAccount, serviceAccount);
      assert.equal(association.inputs.roleArn, `arn:aws:mock:123456789012:Role/${role.name}`);
      assert.equal(association.inputs.clusterName, "eks-platform-dev");
      const release = releaseNamed(withDomain, prefix);
      assert.deepEqual((values(release).serviceAccount as { name: string }).name, serviceAccount);
      assert.equal(release.inputs.namespace, namespace);
      assert.deepEqual(trust.Statement, [
        {
          Effect: "Allow",
          Principal: { Service: "pods.eks.amazonaws.com" },
          Action: ["sts:AssumeRole", "sts:TagSession"],
          Condition: {
            StringEquals: {
              "aws:RequestTag/eks-cluster-arn": "arn:aws:eks:ap-northeast-2:123456789012:cluster/eks-platform-dev",
              "aws:RequestTag/kubernetes-namespace": namespace,
              "aws:RequestTag/kubernetes-service-account": serviceAccount,
            },
          },
        },
      ]);
    });
  }

  it("pins chart versions exactly, installed from the vendored archives", () => {
    const pins = Object.fromEntries(
      ofType(withDomain, RELEASE).map((r) => [r.name, [r.inputs.chart, r.inputs.version]]),
    );
    assert.deepEqual(pins, {
      "lb-controller-release": ["./charts/aws-load-balancer-controller-3.5.0.tgz", "3.5.0"],
      "karpenter-release": ["./charts/karpenter-1.14.1.tgz", "1.14.1"],
      "external-dns-release": ["./charts/external-dns-1.21.1.tgz", "1.21.1"],
    });
  });

  it("sets only values keys the pinned charts have", () => {
    assert.deepEqual(unknownKeys(values(releaseNamed(withDomain, "lb-controller")), lbcKeys.keys as KeyTree), []);
    assert.deepEqual(
      unknownKeys(values(releaseNamed(withDomain, "external-dns")), externalDnsKeys.keys as KeyTree),
      [],
    );
    assert.deepEqual(unknownKeys(values(releaseNamed(withDomain, "karpenter")), karpenterKeys.keys as KeyTree), []);
    // The check itself catches a misspelt key.
    assert.deepEqual(unknownKeys({ replicas: 2, serviceAccount: { nmae: "x" } }, lbcKeys.keys as KeyTree), [
      "replicas",
      "serviceAccount.nmae",
    ]);
  });

  it("configures the controller for this cluster: no metadata lookups, two replicas over zones, ip targets, TLS 1.3, no service mutator", () => {
    const v = values(releaseNamed(withDomain, "lb-controller"));
    assert.equal(v.clusterName, "eks-platform-dev");
    assert.equal(v.region, "ap-northeast-2");
    assert.equal(v.vpcId, "network-vpc-id");
    assert.equal(v.replicaCount, 2);
    assert.equal(
      (v.topologySpreadConstraints as Array<{ topologyKey: string }>)[0].topologyKey,
      "topology.kubernetes.io/zone",
    );
    assert.deepEqual(v.podDisruptionBudget, { maxUnavailable: 1 });
    assert.equal(v.defaultTargetType, "ip");
    assert.equal(v.defaultSSLPolicy, "ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09");
    assert.equal(v.enableServiceMutatorWebhook, false);
  });

  it("configures ExternalDNS to sync only its own records in the zone, with an owner id per stack", async () => {
    const v = values(releaseNamed(withDomain, "external-dns"));
    assert.deepEqual(v.provider, { name: "aws" });
    assert.equal(v.policy, "sync");
    assert.equal(v.registry, "txt");
    assert.deepEqual(v.domainFilters, ["example.com"]);
    assert.deepEqual(v.sources, ["service", "ingress"]);
    const other = await runProgram({ stack: "dev", config: { domain: "example.com", "aws:region": "us-east-1" } });
    assert.notEqual(values(releaseNamed(other, "external-dns")).txtOwnerId, v.txtOwnerId);
  });

  it("releases wait for the controllers to be ready", () => {
    const releases = ofType(withDomain, RELEASE);
    assert.equal(
      releases.length,
      3,
      "three Helm releases with a domain: the load balancer controller, Karpenter and ExternalDNS",
    );
    for (const r of releases) {
      assert.equal(r.inputs.skipAwait, false, r.name);
      assert.ok(Number(r.inputs.timeout) >= 300, r.name);
    }
  });

  it("the controllers depend on the node groups (and on their Pod Identity)", () => {
    const nodeGroup = ofType(withDomain, PULUMI_EKS.managedNodeGroup)[0];
    for (const prefix of ["lb-controller", "external-dns", "karpenter"]) {
      const release = releaseNamed(withDomain, prefix);
      assert.ok(release.dependencies.includes(nodeGroup.urn), `${prefix} does not wait for the node group`);
      assert.ok(
        release.dependencies.includes(identity(withDomain, prefix).association.urn),
        `${prefix} does not wait for its association`,
      );
    }
  });

  it("the certificate covers apex and wildcard with one shared validation record", () => {
    const [cert] = ofType(withDomain, AWS.acmCertificate);
    assert.equal(cert.inputs.domainName, "example.com");
    assert.deepEqual(cert.inputs.subjectAlternativeNames, ["*.example.com"]);
    assert.equal(cert.inputs.validationMethod, "DNS");
    assert.deepEqual(validationRecordBases(["example.com", "*.example.com"]), ["example.com"]);
    const records = ofType(withDomain, AWS.route53Record);
    assert.equal(records.length, 1);
    const [validation] = ofType(withDomain, AWS.acmCertificateValidation);
    assert.ok(validation.dependencies.includes(records[0].urn));
  });

  it("the certificate depends on no cluster resource: it is issued while the cluster is created", () => {
    const clusterSide = new Set(
      withDomain.resources
        .filter((r) => /^(eks:|aws:eks\/|kubernetes:|pulumi:providers:kubernetes|aws:ec2\/)/.test(r.type))
        .map((r) => r.urn),
    );
    const certificateSide = withDomain.resources.filter((x) => x.urn.includes(COMPONENTS.certificate));
    assert.equal(
      certificateSide.length,
      4,
      "the Certificate component and its certificate, validation record and validation",
    );
    for (const r of certificateSide) {
      const waitsFor = [...transitiveDependencies(withDomain, r.urn)].filter((urn) => clusterSide.has(urn));
      assert.deepEqual(waitsFor, [], `${r.name} waits for cluster resources`);
    }
  });

  it("without a domain there is no ExternalDNS, ACM or Route 53 resource, and the outputs say how to turn them on", () => {
    const types = new Set(withoutDomain.resources.map((r) => r.type));
    for (const type of [AWS.acmCertificate, AWS.acmCertificateValidation, AWS.route53Record, COMPONENTS.externalDns]) {
      assert.ok(!types.has(type), `${type} exists without a domain`);
    }
    assert.deepEqual(
      ofType(withoutDomain, RELEASE)
        .map((r) => r.inputs.chart)
        .sort(),
      ["./charts/aws-load-balancer-controller-3.5.0.tgz", "./charts/karpenter-1.14.1.tgz"],
    );
    assert.equal(withoutDomain.outputs.tlsAndDns, "off");
    assert.match(String((withoutDomain.outputs.notes as string[])[0]), /pulumi config set eks-platform:domain/);
  });
});
