/**
 * What Karpenter needs from AWS (components/karpenter/iam-policy.ts) against the getting-started CloudFormation
 * template of the pinned release, read from a byte-for-byte copy of it
 * (test/fixtures/karpenter/cloudformation-v1.14.1.yaml = aws/karpenter-provider-aws v1.14.1 bde00654
 * website/content/en/docs/getting-started/getting-started-with-karpenter/cloudformation.yaml): every managed
 * policy, the node role, the queue and each EventBridge rule, with the template's substitutions made.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import { parse, type ScalarTag } from "yaml";
import {
  INTERRUPTION_QUEUE_RETENTION_SECONDS,
  INTERRUPTION_RULES,
  interruptionQueuePolicy,
  KARPENTER_NODE_MANAGED_POLICIES,
  karpenterControllerPolicies,
  karpenterNodeTrustPolicy,
  urlSuffix,
} from "../components/karpenter/iam-policy";
import { isAllowed } from "./iam-eval";

const TEMPLATE = path.join(__dirname, "fixtures", "karpenter", "cloudformation-v1.14.1.yaml");
/** CloudFormation's short-form functions, kept as what they say. */
const cfnTags: ScalarTag[] = ["!Sub", "!Ref", "!GetAtt"].map((tag) => ({
  tag,
  resolve: (value: string) => ({ [tag.slice(1)]: value }),
}));
interface CfnResource {
  Type: string;
  Properties: Record<string, unknown>;
}
const template = parse(fs.readFileSync(TEMPLATE, "utf8"), { customTags: cfnTags }) as {
  Resources: Record<string, CfnResource>;
};

const ARGS = {
  partition: "aws",
  region: "ap-northeast-2",
  accountId: "123456789012",
  clusterName: "eks-platform-dev",
  nodeRoleArn: "arn:aws:iam::123456789012:role/eks-platform-dev-karpenter-node",
  queueArn: "arn:aws:sqs:ap-northeast-2:123456789012:eks-platform-dev",
};
/** The template's `!Sub` with this stack's values. */
function substitute(text: string): string {
  return text
    .replaceAll("${ClusterName}", ARGS.clusterName)
    .replaceAll("${AWS::Partition}", ARGS.partition)
    .replaceAll("${AWS::Region}", ARGS.region)
    .replaceAll("${AWS::AccountId}", ARGS.accountId)
    .replaceAll("${AWS::URLSuffix}", "amazonaws.com")
    .replaceAll("${KarpenterNodeRole.Arn}", ARGS.nodeRoleArn)
    .replaceAll("${KarpenterInterruptionQueue.Arn}", ARGS.queueArn);
}

describe("karpenter: what it needs from AWS is the pinned template's", () => {
  it("each controller policy is the template's managed policy of that name, statement for statement", () => {
    const ours = karpenterControllerPolicies(ARGS);
    const theirs = Object.values(template.Resources).filter((r) => r.Type === "AWS::IAM::ManagedPolicy");
    assert.equal(theirs.length, 6);
    assert.deepEqual(
      Object.keys(ours).sort(),
      theirs
        .map((r) => String((r.Properties.ManagedPolicyName as { Sub: string }).Sub).replace("-${ClusterName}", ""))
        .sort(),
    );
    for (const r of theirs) {
      const name = String((r.Properties.ManagedPolicyName as { Sub: string }).Sub).replace(
        "-${ClusterName}",
        "",
      ) as keyof typeof ours;
      const document = JSON.parse(substitute((r.Properties.PolicyDocument as { Sub: string }).Sub)) as unknown;
      assert.deepEqual(ours[name], document, name);
    }
  });

  it("the policies are as narrow as the template's: another cluster's instances, another role, another queue are out of reach", () => {
    const all = Object.values(karpenterControllerPolicies(ARGS));
    const instance = `arn:aws:ec2:${ARGS.region}:${ARGS.accountId}:instance/i-0123`;
    const ours = {
      [`aws:ResourceTag/kubernetes.io/cluster/${ARGS.clusterName}`]: "owned",
      "aws:ResourceTag/karpenter.sh/nodepool": "general",
    };
    assert.ok(isAllowed(all, { action: "ec2:TerminateInstances", resource: instance, context: ours }));
    assert.ok(
      !isAllowed(all, {
        action: "ec2:TerminateInstances",
        resource: instance,
        context: {
          "aws:ResourceTag/kubernetes.io/cluster/other": "owned",
          "aws:ResourceTag/karpenter.sh/nodepool": "general",
        },
      }),
    );
    assert.ok(
      !isAllowed(all, {
        action: "ec2:TerminateInstances",
        resource: instance,
        context: { [`aws:ResourceTag/kubernetes.io/cluster/${ARGS.clusterName}`]: "owned" },
      }),
      "not a node the managed group launched",
    );
    assert.ok(
      isAllowed(all, {
        action: "iam:PassRole",
        resource: ARGS.nodeRoleArn,
        context: { "iam:PassedToService": "ec2.amazonaws.com" },
      }),
    );
    assert.ok(
      !isAllowed(all, {
        action: "iam:PassRole",
        resource: "arn:aws:iam::123456789012:role/admin",
        context: { "iam:PassedToService": "ec2.amazonaws.com" },
      }),
    );
    assert.ok(isAllowed(all, { action: "sqs:ReceiveMessage", resource: ARGS.queueArn }));
    assert.ok(!isAllowed(all, { action: "sqs:ReceiveMessage", resource: `${ARGS.queueArn}-other` }));
  });

  it("the node role: trusted by EC2, with the template's four managed policies", () => {
    const role = template.Resources.KarpenterNodeRole.Properties;
    assert.deepEqual(
      [urlSuffix("aws"), urlSuffix("aws-us-gov"), urlSuffix("aws-cn")],
      ["amazonaws.com", "amazonaws.com", "amazonaws.com.cn"],
    );
    assert.deepEqual(
      karpenterNodeTrustPolicy(urlSuffix("aws")).Statement,
      JSON.parse(
        substitute(
          JSON.stringify((role.AssumeRolePolicyDocument as { Statement: unknown[] }).Statement).replace(
            /\{"Sub":"(ec2\.\$\{AWS::URLSuffix\})"\}/,
            '"$1"',
          ),
        ),
      ),
    );
    assert.deepEqual(
      [...KARPENTER_NODE_MANAGED_POLICIES].sort(),
      (role.ManagedPolicyArns as Array<{ Sub: string }>).map((p) => p.Sub.split("/").pop()).sort(),
    );
  });

  it("the interruption queue: the template's retention and policy, and every EventBridge rule that feeds it", () => {
    const queue = template.Resources.KarpenterInterruptionQueue.Properties;
    assert.equal(queue.MessageRetentionPeriod, INTERRUPTION_QUEUE_RETENTION_SECONDS);
    assert.equal(queue.SqsManagedSseEnabled, true);
    const theirs = template.Resources.KarpenterInterruptionQueuePolicy.Properties.PolicyDocument as {
      Id: string;
      Statement: Array<Record<string, unknown>>;
    };
    const ruleArns = Object.keys(INTERRUPTION_RULES).map((r) => `arn:aws:events:ap-northeast-2:123456789012:rule/${r}`);
    const ours = interruptionQueuePolicy(ARGS.queueArn, ruleArns);
    assert.equal(ours.Id, theirs.Id);
    // The template's statements, with one deliberate narrowing: EventBridge may send for our rules only (the
    // EventBridge guide's SQS policy), and sqs.amazonaws.com not at all. The template's YAML writes the Deny's
    // principal as "*" and the Bool as a YAML boolean, which IAM reads as {"AWS": "*"} and "false".
    const normalised = theirs.Statement.map((s) => ({
      ...s,
      Resource: ARGS.queueArn,
      ...(s.Principal === "*" ? { Principal: { AWS: "*" } } : {}),
      ...(s.Condition ? { Condition: { Bool: { "aws:SecureTransport": "false" } } } : {}),
    }));
    assert.deepEqual(normalised[0].Principal, { Service: ["events.amazonaws.com", "sqs.amazonaws.com"] });
    assert.deepEqual(ours.Statement, [
      {
        ...normalised[0],
        Sid: "OurRulesOnly",
        Principal: { Service: "events.amazonaws.com" },
        Condition: { ArnEquals: { "aws:SourceArn": [...ruleArns].sort() } },
      },
      normalised[1],
    ]);
    // Evaluated as IAM would: our rules may send; another rule, another account's, or SQS itself may not.
    const send = (principal: string, sourceArn?: string) =>
      isAllowed(ours, {
        action: "sqs:SendMessage",
        resource: ARGS.queueArn,
        principal: { Service: principal },
        context: { "aws:SecureTransport": "true", ...(sourceArn ? { "aws:SourceArn": sourceArn } : {}) },
      });
    assert.equal(send("events.amazonaws.com", ruleArns[0]), true);
    assert.equal(send("events.amazonaws.com", "arn:aws:events:ap-northeast-2:999999999999:rule/theirs"), false);
    assert.equal(send("events.amazonaws.com"), false);
    assert.equal(send("sqs.amazonaws.com"), false);
    const rules = Object.entries(template.Resources).filter(([, r]) => r.Type === "AWS::Events::Rule");
    assert.deepEqual(
      Object.fromEntries(
        rules.map(([name, r]) => {
          const pattern = r.Properties.EventPattern as { source: string[]; "detail-type": string[] };
          return [name, { source: pattern.source[0], detailType: pattern["detail-type"][0] }];
        }),
      ),
      INTERRUPTION_RULES,
    );
  });
});
