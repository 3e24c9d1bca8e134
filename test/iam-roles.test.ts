/**
 * Every IAM role the program registers, as registered: its trust policy, its inline policy and its managed
 * attachments, each compared whole (sets both ways) with an expectation written from its own source, not from
 * the product's functions: the EKS user guide's trust policies and managed policies, the Karpenter v1.14.1
 * getting-started template (fixture), AWS's flow-logs guide. And the same program in another partition names
 * no ARN of the standard one.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import { parse, type ScalarTag } from "yaml";
import type { PolicyDocument, PolicyStatement } from "../components/iam/policy-document";
import { AWS } from "../components/resource-types";
import { MOCK_ACCOUNT_ID, ofType, type ProgramRun, type RecordedResource, runProgram } from "../render/harness";

const ACCOUNT = MOCK_ACCOUNT_ID;
const REGION = "ap-northeast-2";
const CLUSTER = "eks-platform-dev";

/** A statement as a comparable value: its lists as sorted sets, a single value as a one-element set. */
function normalized(statement: PolicyStatement): unknown {
  const set = (v: string | readonly string[] | undefined) =>
    v === undefined ? undefined : [...(Array.isArray(v) ? v : [v])].sort();
  return JSON.parse(
    JSON.stringify({
      ...statement,
      Action: set(statement.Action as string | readonly string[]),
      Resource: set(statement.Resource as string | readonly string[] | undefined),
    }),
  );
}
const statements = (document: PolicyDocument) =>
  document.Statement.map(normalized)
    .map((s) => JSON.stringify(s))
    .sort();

/** The Pod Identity trust policy, as the EKS user guide writes it (pod-id-role.html), scoped to one service account. */
function podIdentityTrust(namespace: string, serviceAccount: string): PolicyDocument {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Allow",
        Principal: { Service: "pods.eks.amazonaws.com" },
        Action: ["sts:AssumeRole", "sts:TagSession"],
        Condition: {
          StringEquals: {
            "aws:RequestTag/eks-cluster-arn": `arn:aws:eks:${REGION}:${ACCOUNT}:cluster/${CLUSTER}`,
            "aws:RequestTag/kubernetes-namespace": namespace,
            "aws:RequestTag/kubernetes-service-account": serviceAccount,
          },
        },
      },
    ],
  };
}

/** The Karpenter v1.14.1 getting-started template (aws/karpenter-provider-aws @ bde00654), byte for byte. */
const cfnTags: ScalarTag[] = ["!Sub", "!Ref", "!GetAtt"].map((tag) => ({
  tag,
  resolve: (value: string) => ({ [tag.slice(1)]: value }),
}));
const template = parse(
  fs.readFileSync(path.join(__dirname, "fixtures", "karpenter", "cloudformation-v1.14.1.yaml"), "utf8"),
  {
    customTags: cfnTags,
  },
) as { Resources: Record<string, { Type: string; Properties: Record<string, unknown> }> };

/** What the template's managed policies grant, with this stack's values where the template substitutes its own. */
function karpenterControllerStatements(nodeRoleArn: string, queueArn: string): PolicyStatement[] {
  return Object.values(template.Resources)
    .filter((r) => r.Type === "AWS::IAM::ManagedPolicy")
    .flatMap((r) => {
      const text = String((r.Properties.PolicyDocument as { Sub: string }).Sub)
        .replaceAll("${ClusterName}", CLUSTER)
        .replaceAll("${AWS::Partition}", "aws")
        .replaceAll("${AWS::Region}", REGION)
        .replaceAll("${AWS::AccountId}", ACCOUNT)
        .replaceAll("${AWS::URLSuffix}", "amazonaws.com")
        .replaceAll("${KarpenterNodeRole.Arn}", nodeRoleArn)
        .replaceAll("${KarpenterInterruptionQueue.Arn}", queueArn);
      return (JSON.parse(text) as PolicyDocument).Statement;
    });
}

interface RoleExpectation {
  readonly trust: PolicyDocument;
  /** Managed policies attached, by name (arn:aws:iam::aws:policy/<name>). */
  readonly managed: readonly string[];
  /** The inline policy's statements, or none. */
  readonly inline?: readonly PolicyStatement[];
}

/** Each role the program makes, from the source that says what it must be. */
function expectations(run: ProgramRun): Record<string, RoleExpectation> {
  const arnOf = (type: string, name: string) => `arn:aws:mock:${ACCOUNT}:${type.split(":").pop()}/${name}`;
  const ec2Trust = (actions: string | string[]): PolicyDocument => ({
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: actions }],
  });
  const logGroup = `/aws/vpc/${CLUSTER}/flow-logs`;
  const karpenterNodeRole = template.Resources.KarpenterNodeRole.Properties;
  const hasDomain = ofType(run, AWS.route53Record).length > 0;
  return {
    // EKS user guide, cluster-iam-role.html: EKS assumes it (and tags its sessions); AmazonEKSClusterPolicy.
    "cluster-cluster": {
      trust: {
        Version: "2012-10-17",
        Statement: [
          {
            Effect: "Allow",
            Principal: { Service: "eks.amazonaws.com" },
            Action: ["sts:AssumeRole", "sts:TagSession"],
          },
        ],
      },
      managed: ["AmazonEKSClusterPolicy"],
    },
    // EKS user guide, create-node-role.html: EC2 assumes it; the worker node, ECR pull-only and CNI policies.
    "cluster-node": {
      trust: ec2Trust("sts:AssumeRole"),
      managed: ["AmazonEC2ContainerRegistryPullOnly", "AmazonEKSWorkerNodePolicy", "AmazonEKS_CNI_Policy"],
    },
    // The template's KarpenterNodeRole.
    "karpenter-aws-node-role": {
      trust: ec2Trust(["sts:AssumeRole"]),
      managed: (karpenterNodeRole.ManagedPolicyArns as Array<{ Sub: string }>).map((p) =>
        String(p.Sub.split("/").pop()),
      ),
    },
    "karpenter-identity-role": {
      trust: podIdentityTrust("kube-system", "karpenter"),
      managed: [],
      inline: karpenterControllerStatements(
        arnOf(AWS.iamRole, "karpenter-aws-node-role"),
        arnOf(AWS.sqsQueue, "karpenter-aws-interruption"),
      ),
    },
    // Its inline policy is held to the controller's official policy in platform.test.ts.
    "lb-controller-identity-role": {
      trust: podIdentityTrust("kube-system", "aws-load-balancer-controller"),
      managed: [],
    },
    ...(hasDomain
      ? { "external-dns-identity-role": { trust: podIdentityTrust("kube-system", "external-dns"), managed: [] } }
      : {}),
    // VPC user guide, flow-logs-iam-role.html: the service assumes it for this account's flow logs, and writes
    // to the log group (here the one group only).
    "network-flow-logs-role": {
      trust: {
        Version: "2012-10-17",
        Statement: [
          {
            Effect: "Allow",
            Principal: { Service: "vpc-flow-logs.amazonaws.com" },
            Action: "sts:AssumeRole",
            Condition: {
              StringEquals: { "aws:SourceAccount": ACCOUNT },
              ArnLike: { "aws:SourceArn": `arn:aws:ec2:${REGION}:${ACCOUNT}:vpc-flow-log/*` },
            },
          },
        ],
      },
      managed: [],
      inline: [
        {
          Sid: "WriteFlowLogsToOneGroup",
          Effect: "Allow",
          Action: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogGroups", "logs:DescribeLogStreams"],
          Resource: [
            `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:${logGroup}`,
            `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:${logGroup}:*`,
          ],
        },
      ],
    },
  };
}

/** What the program registered for each role: trust, managed policies by name, inline statements. */
function registered(
  run: ProgramRun,
): Record<string, { trust: PolicyDocument; managed: string[]; inline: PolicyStatement[] }> {
  const roles = ofType(run, AWS.iamRole);
  const byRoleName = (r: RecordedResource, role: RecordedResource) =>
    r.inputs.role === role.name || r.inputs.role === `${role.name}-id`;
  return Object.fromEntries(
    roles.map((role) => [
      role.name,
      {
        trust: JSON.parse(String(role.inputs.assumeRolePolicy)) as PolicyDocument,
        managed: ofType(run, AWS.iamRolePolicyAttachment)
          .filter((a) => byRoleName(a, role))
          .map((a) => String(a.inputs.policyArn).replace(/^arn:aws:iam::aws:policy\//, ""))
          .sort(),
        inline: ofType(run, AWS.iamRolePolicy)
          .filter((p) => byRoleName(p, role))
          .flatMap((p) => (JSON.parse(String(p.inputs.policy)) as PolicyDocument).Statement),
      },
    ]),
  );
}

describe("IAM roles: what the program registers, against each role's source", async () => {
  const [dev, withDomain] = await Promise.all([runProgram(), runProgram({ config: { domain: "example.com" } })]);

  for (const [label, run] of [
    ["dev", dev],
    ["with a domain", withDomain],
  ] as const) {
    it(`${label}: exactly the expected roles, each with its trust, managed policies and inline statements, no more and no less`, () => {
      const expected = expectations(run);
      const actual = registered(run);
      assert.deepEqual(Object.keys(actual).sort(), Object.keys(expected).sort(), "the roles the program makes");
      for (const [name, want] of Object.entries(expected)) {
        const got = actual[name];
        assert.deepEqual(statements(got.trust), statements(want.trust), `${name}: trust policy`);
        assert.deepEqual(got.managed, [...want.managed].sort(), `${name}: managed policies`);
        if (want.inline) {
          assert.deepEqual(
            got.inline
              .map(normalized)
              .map((s) => JSON.stringify(s))
              .sort(),
            want.inline
              .map(normalized)
              .map((s) => JSON.stringify(s))
              .sort(),
            `${name}: inline policy`,
          );
        }
      }
    });
  }

  it("in another partition, no document names the standard partition's ARNs", async () => {
    const gov = await runProgram({
      callerArn: `arn:aws-us-gov:iam::${ACCOUNT}:user/deployer`,
      config: { domain: "example.com" },
    });
    assert.equal(gov.identity.partition, "aws-us-gov");
    const everything = JSON.stringify(gov.resources.map((r) => r.inputs));
    // The mocks' own placeholder ARNs (arn:aws:mock:...) stand for what AWS returns, in whatever partition.
    const standard = [...everything.matchAll(/arn:aws:(?!mock:)[^"\\]*/g)].map((m) => m[0]);
    assert.deepEqual([...new Set(standard)], []);
    assert.ok((everything.match(/arn:aws-us-gov:/g) ?? []).length > 20, "the documents do name ARNs");
  });
});
