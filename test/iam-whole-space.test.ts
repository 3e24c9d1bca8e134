/**
 * "Nothing beyond", over the whole space: each key policy and the flow-log role evaluated for every action of
 * its service (test/fixtures/service-actions.json: the service's API operations, botocore's models) and for
 * resources and encryption contexts that are wildcards or prefixes of the real ones, not a sample of them.
 * The allowed sets are expected from AWS's own documentation of each policy, expanded over the same action list.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { PolicyDocument } from "../components/iam/policy-document";
import { AWS } from "../components/resource-types";
import { MOCK_ACCOUNT_ID, ofType, resource, runProgram } from "../render/harness";
import encryption from "./fixtures/eks-cluster-encryption-actions.json";
import serviceActions from "./fixtures/service-actions.json";
import { isAllowed } from "./iam-eval";

const ACCOUNT = MOCK_ACCOUNT_ID;
const REGION = "ap-northeast-2";

/** KMS's IAM actions: its operations, with ReEncrypt as the two actions IAM knows it by (ReEncryptFrom, ReEncryptTo). */
const KMS_ACTIONS = [
  ...serviceActions.services.kms.actions.filter((a) => a !== "kms:ReEncrypt"),
  "kms:ReEncryptFrom",
  "kms:ReEncryptTo",
].sort();
const LOGS_ACTIONS = [...serviceActions.services.logs.actions].sort();

/** The actions a list of IAM action patterns names, over a service's actions (case-insensitive, as IAM matches). */
function expand(patterns: readonly string[], actions: readonly string[]): string[] {
  const regexes = patterns.map(
    (p) => new RegExp(`^${p.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*")}$`, "i"),
  );
  return actions.filter((a) => regexes.some((r) => r.test(a)));
}

/**
 * The key administrators' actions of AWS's default key policy (AWS KMS developer guide, key-policy-default.html,
 * "Allows key administrators to administer the KMS key"), and on-demand rotation.
 */
const KEY_ADMINISTRATION = [
  "kms:Create*",
  "kms:Describe*",
  "kms:Enable*",
  "kms:List*",
  "kms:Put*",
  "kms:Update*",
  "kms:Revoke*",
  "kms:Disable*",
  "kms:Get*",
  "kms:Delete*",
  "kms:TagResource",
  "kms:UntagResource",
  "kms:ScheduleKeyDeletion",
  "kms:CancelKeyDeletion",
  "kms:RotateKeyOnDemand",
];
/** What CloudWatch Logs needs of a key (CloudWatch Logs user guide, encrypt-log-data-kms.html, the key policy's statement). */
const LOGS_KEY_USE = ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"];

describe("IAM, over the whole action space", async () => {
  const dev = await runProgram();
  const allowedActions = (
    policy: PolicyDocument,
    request: Omit<Parameters<typeof isAllowed>[1], "action">,
    actions: readonly string[],
  ) => actions.filter((action) => isAllowed(policy, { ...request, action }));

  it("the action lists are the services' whole API (over 50 KMS actions, over 100 CloudWatch Logs actions)", () => {
    assert.ok(KMS_ACTIONS.length > 50 && LOGS_ACTIONS.length > 100);
    for (const a of encryption.keyUseActions) assert.ok(KMS_ACTIONS.includes(a), a);
  });

  it("the secrets key: the cluster role may do exactly its four actions, the account exactly the administration, no one else anything", () => {
    const key = resource(dev, AWS.kmsKey, "cluster-secrets");
    const policy = JSON.parse(String(key.inputs.policy)) as PolicyDocument;
    const keyArn = `arn:aws:kms:${REGION}:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
    const clusterRole = `arn:aws:mock:${ACCOUNT}:Role/cluster-cluster`;
    assert.deepEqual(
      allowedActions(policy, { principal: { AWS: clusterRole }, resource: keyArn }, KMS_ACTIONS),
      [...encryption.clusterRoleActions].sort(),
    );
    assert.deepEqual(
      allowedActions(policy, { principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, resource: keyArn }, KMS_ACTIONS),
      expand(KEY_ADMINISTRATION, KMS_ACTIONS),
    );
    for (const stranger of [`arn:aws:iam::${ACCOUNT}:role/someone-else`, "arn:aws:iam::210987654321:root", "*"]) {
      assert.deepEqual(
        allowedActions(policy, { principal: { AWS: stranger }, resource: keyArn }, KMS_ACTIONS),
        [],
        stranger,
      );
    }
    assert.deepEqual(
      allowedActions(policy, { principal: { Service: "eks.amazonaws.com" }, resource: keyArn }, KMS_ACTIONS),
      [],
    );
  });

  it("the logs key: CloudWatch Logs of this region may use it exactly as documented, for exactly our groups; the account only administers it", () => {
    const key = resource(dev, AWS.kmsKey, "logs-key");
    const policy = JSON.parse(String(key.inputs.policy)) as PolicyDocument;
    const groups = ofType(dev, AWS.logGroup)
      .map((g) => String(g.inputs.name))
      .sort();
    assert.deepEqual(groups, ["/aws/eks/eks-platform-dev/cluster", "/aws/vpc/eks-platform-dev/flow-logs"]);
    const logs = { Service: `logs.${REGION}.amazonaws.com` };
    const context = (arn: string) => ({ "kms:EncryptionContext:aws:logs:arn": arn });
    const groupArn = (name: string) => `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:${name}`;
    for (const name of groups) {
      assert.deepEqual(
        allowedActions(policy, { principal: logs, resource: "*", context: context(groupArn(name)) }, KMS_ACTIONS),
        expand(LOGS_KEY_USE, KMS_ACTIONS),
        name,
      );
    }
    // Names exactly: no prefix, wildcard, sibling or other region or account passes, nor no context at all.
    for (const arn of [
      groupArn("/aws/*"),
      groupArn("/aws/eks/eks-platform-dev/cluster-other"),
      groupArn("/aws/eks/eks-platform-dev"),
      groupArn("/aws/vpc/eks-platform-dev/flow-logs:*"),
      `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:/aws/eks/eks-platform-dev/cluster`,
      `arn:aws:logs:${REGION}:210987654321:log-group:/aws/eks/eks-platform-dev/cluster`,
      "*",
    ]) {
      assert.deepEqual(
        allowedActions(policy, { principal: logs, resource: "*", context: context(arn) }, KMS_ACTIONS),
        [],
        arn,
      );
    }
    assert.deepEqual(
      allowedActions(policy, { principal: logs, resource: "*" }, KMS_ACTIONS),
      [],
      "no encryption context",
    );
    assert.deepEqual(
      allowedActions(
        policy,
        {
          principal: { Service: "logs.us-east-1.amazonaws.com" },
          resource: "*",
          context: context(groupArn(groups[0])),
        },
        KMS_ACTIONS,
      ),
      [],
      "another region's CloudWatch Logs",
    );
    assert.deepEqual(
      allowedActions(policy, { principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, resource: "*" }, KMS_ACTIONS),
      expand(KEY_ADMINISTRATION, KMS_ACTIONS),
    );
  });

  it("the flow-log role may do exactly CloudWatch Logs' four flow-log actions, on its own group and streams, and nothing anywhere else", () => {
    const policy = JSON.parse(
      String(resource(dev, AWS.iamRolePolicy, "network-flow-logs-write").inputs.policy),
    ) as PolicyDocument;
    const group = `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:/aws/vpc/eks-platform-dev/flow-logs`;
    // VPC user guide, flow-logs-iam-role.html: what the flow-logs service calls.
    const documented = [
      "logs:CreateLogStream",
      "logs:DescribeLogGroups",
      "logs:DescribeLogStreams",
      "logs:PutLogEvents",
    ];
    assert.deepEqual(allowedActions(policy, { resource: `${group}:log-stream:eni-1-all` }, LOGS_ACTIONS), documented);
    assert.deepEqual(allowedActions(policy, { resource: group }, LOGS_ACTIONS), documented);
    for (const elsewhere of [
      "*",
      `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:*`,
      `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:/aws/vpc/*`,
      `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:/aws/vpc/eks-platform-dev/flow-logs-other`,
      `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:/aws/eks/eks-platform-dev/cluster:log-stream:x`,
      `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:/aws/vpc/eks-platform-dev/flow-logs`,
    ]) {
      assert.deepEqual(allowedActions(policy, { resource: elsewhere }, LOGS_ACTIONS), [], elsewhere);
    }
  });
});
