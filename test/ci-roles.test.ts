/**
 * The CI roles (ci-roles/, docs/ci-roles.md): the preview role reads and can change nothing; the deploy role
 * makes exactly the calls of the types the program declares, IAM only on the stack's tagged roles, only the
 * managed policies the program attaches, roles passed only to the services that run them; pull requests and
 * deploys assume different roles, each trusted by its own OIDC subject.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import actions from "../ci-roles/aws-actions.json";
import {
  actionsFor,
  attachablePolicyArns,
  deployPolicy,
  invokeReads,
  isReadOnlyAction,
  PROGRAM_AWS_TYPES,
  previewPolicy,
} from "../ci-roles/policies";
import type { PolicyDocument, PolicyStatement } from "../components/iam/policy-document";
import { AWS, AWS_INVOKES } from "../components/resource-types";
import { STACK_TAG_KEY } from "../config";
import { ciRoleContext, ciRoleFiles } from "../render/ci-roles";
import { PROJECT_ROOT, runProgram } from "../render/harness";

const asList = (value: string | readonly string[] | undefined): readonly string[] =>
  value === undefined ? [] : typeof value === "string" ? [value] : value;

describe("CI roles: a read-only preview role and a scoped deploy role", async () => {
  const [dev, noKarpenter] = await Promise.all([runProgram(), runProgram({ config: { karpenter: "false" } })]);
  const context = ciRoleContext(dev);
  const preview = previewPolicy(PROGRAM_AWS_TYPES);
  const deploy = deployPolicy(PROGRAM_AWS_TYPES, context);
  const statements = deploy.Statement as readonly PolicyStatement[];

  it("knows the calls of every AWS type and provider function the program may use, with the file they come from", () => {
    assert.deepEqual(actionsFor(Object.values(AWS)).unknown, []);
    for (const token of Object.values(AWS_INVOKES)) assert.ok(token in actions.invokes, token);
    for (const [token, entry] of Object.entries(actions.types)) {
      assert.match(entry.file, /^internal\/service\//, token);
      assert.ok(entry.read.length > 0 || token.includes("Validation"), `${token} reads nothing`);
    }
    // Every type a render holds is one the program declares, so the policies cover every render.
    for (const run of [dev, noKarpenter])
      for (const r of run.resources.filter((x) => x.type.startsWith("aws:")))
        assert.ok(PROGRAM_AWS_TYPES.includes(r.type), r.type);
  });

  it("the preview role only reads: every action is a Describe, Get, List or Head, and it covers every read", () => {
    const granted = (preview.Statement as readonly PolicyStatement[]).flatMap((s) => asList(s.Action));
    assert.deepEqual(
      granted.filter((a) => !isReadOnlyAction(a)),
      [],
    );
    const needed = [...actionsFor(PROGRAM_AWS_TYPES).read, ...invokeReads()].filter(
      (a) => a !== "sts:GetCallerIdentity",
    );
    assert.deepEqual(
      needed.filter((a) => !granted.includes(a)),
      [],
    );
    // The check bites: a write slipped into a type's reads would be refused.
    assert.equal(isReadOnlyAction("ec2:DeleteVpc"), false);
    assert.equal(isReadOnlyAction("iam:PassRole"), false);
  });

  it("the deploy role makes every write of every type, and IAM only under its scopes", () => {
    const granted = new Set(statements.flatMap((s) => asList(s.Action)));
    assert.deepEqual(
      actionsFor(PROGRAM_AWS_TYPES).write.filter((a) => !granted.has(a)),
      [],
    );
    for (const s of statements) {
      const iam = asList(s.Action).filter((a) => a.startsWith("iam:"));
      if (iam.length === 0 || iam.every(isReadOnlyAction)) continue;
      assert.notEqual(s.Resource, "*", `${s.Sid}: IAM writes on every resource`);
      assert.ok(s.Condition, `${s.Sid}: IAM writes without a condition`);
    }
    const of = (action: string) => statements.filter((s) => asList(s.Action).includes(action));
    assert.deepEqual(of("iam:PassRole")[0].Condition, {
      StringEquals: {
        "iam:PassedToService": [
          "ec2.amazonaws.com",
          "eks.amazonaws.com",
          "pods.eks.amazonaws.com",
          "vpc-flow-logs.amazonaws.com",
        ],
      },
    });
    assert.deepEqual(of("iam:CreateRole")[0].Condition, {
      StringEquals: { [`aws:RequestTag/${STACK_TAG_KEY}`]: "eks-platform-dev" },
    });
    for (const action of ["iam:PutRolePolicy", "iam:UpdateAssumeRolePolicy", "iam:DeleteRole", "iam:AttachRolePolicy"])
      assert.deepEqual(
        of(action).map((s) => s.Condition?.StringEquals?.[`aws:ResourceTag/${STACK_TAG_KEY}`]),
        ["eks-platform-dev"],
        action,
      );
  });

  it("attaches only the managed policies the program attaches (with and without Karpenter), and tags every role it makes", () => {
    const allowed = attachablePolicyArns("aws");
    const [attach] = statements.filter((s) => asList(s.Action).includes("iam:AttachRolePolicy"));
    assert.deepEqual(attach.Condition?.ArnEquals?.["iam:PolicyARN"], allowed);
    assert.ok(!allowed.some((arn) => /AdministratorAccess|FullAccess|PowerUser/.test(arn)));
    for (const run of [dev, noKarpenter]) {
      for (const r of run.resources.filter((x) => x.type === AWS.iamRolePolicyAttachment))
        assert.ok(allowed.includes(String(r.inputs.policyArn)), `${r.name}: ${String(r.inputs.policyArn)}`);
      for (const r of run.resources.filter((x) => x.type === AWS.iamRole))
        assert.equal(
          (r.inputs.tags as Record<string, string>)[STACK_TAG_KEY],
          "eks-platform-dev",
          `${r.name}: the deploy role could not manage it`,
        );
    }
    assert.throws(
      () =>
        ciRoleContext({
          ...dev,
          resources: dev.resources.map((r) =>
            r.type === AWS.iamRole ? { ...r, inputs: { ...r.inputs, tags: {} } } : r,
          ),
        }),
      /every IAM role must carry the tag eks-platform\/stack/,
    );
  });

  it("the render writes both policies for its account and partition", () => {
    const files = ciRoleFiles(dev);
    assert.deepEqual([...files.keys()], ["ci-roles/preview-role-policy.json", "ci-roles/deploy-role-policy.json"]);
    assert.deepEqual(JSON.parse(files.get("ci-roles/deploy-role-policy.json") ?? ""), deploy);
    assert.match(files.get("ci-roles/deploy-role-policy.json") ?? "", /arn:aws:iam::123456789012:role\/\*/);
  });

  it("pull requests assume the preview role and main the deploy role, each trusted by its own OIDC subject alone", () => {
    const text = fs.readFileSync(path.join(PROJECT_ROOT, "docs", "ci-roles.md"), "utf8");
    const trust = (variable: string) => {
      const section = text.split(` role** (\`${variable}\`)`)[1] ?? "";
      const json = /```json\n([\s\S]*?)\n```/.exec(section)?.[1];
      assert.ok(json, `docs/ci-roles.md: no trust policy for ${variable}`);
      const doc = JSON.parse(json) as PolicyDocument;
      return (doc.Statement as readonly PolicyStatement[]).map((s) => s.Condition);
    };
    const audience = { "token.actions.githubusercontent.com:aud": "sts.amazonaws.com" };
    assert.deepEqual(trust("AWS_PREVIEW_ROLE_ARN"), [
      { StringEquals: { ...audience, "token.actions.githubusercontent.com:sub": "repo:OWNER/REPO:pull_request" } },
    ]);
    assert.deepEqual(trust("AWS_DEPLOY_ROLE_ARN"), [
      {
        StringEquals: {
          ...audience,
          "token.actions.githubusercontent.com:sub": "repo:OWNER/REPO:environment:production",
        },
      },
    ]);
  });
});
