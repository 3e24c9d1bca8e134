/**
 * The IAM evaluator the tests judge policies with (test/iam-eval.ts), held to IAM's evaluation logic and
 * condition operators as the IAM user guide states them (reference_policies_evaluation-logic.html,
 * reference_policies_elements_condition_operators.html), case by case.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { PolicyDocument } from "../components/iam/policy-document";
import { conditionHolds, grantedPairs, isAllowed } from "./iam-eval";

const doc = (...Statement: PolicyDocument["Statement"]): PolicyDocument => ({ Version: "2012-10-17", Statement });

describe("iam-eval: IAM's evaluation logic", () => {
  it("denies by default, allows on a matching Allow, and an explicit Deny wins", () => {
    const allow = { Effect: "Allow" as const, Action: "s3:GetObject", Resource: "arn:aws:s3:::b/*" };
    assert.equal(isAllowed(doc(), { action: "s3:GetObject", resource: "arn:aws:s3:::b/k" }), false);
    assert.equal(isAllowed(doc(allow), { action: "s3:GetObject", resource: "arn:aws:s3:::b/k" }), true);
    assert.equal(
      isAllowed(doc(allow, { ...allow, Effect: "Deny" }), { action: "s3:GetObject", resource: "arn:aws:s3:::b/k" }),
      false,
    );
  });

  it("matches actions case-insensitively with wildcards, resources case-sensitively", () => {
    const policy = doc({ Effect: "Allow", Action: "kms:Generate*", Resource: "arn:aws:kms:*:1:key/?bc" });
    assert.equal(isAllowed(policy, { action: "KMS:generatedatakey", resource: "arn:aws:kms:r:1:key/abc" }), true);
    assert.equal(isAllowed(policy, { action: "kms:Decrypt", resource: "arn:aws:kms:r:1:key/abc" }), false);
    assert.equal(isAllowed(policy, { action: "kms:GenerateMac", resource: "arn:aws:kms:r:1:key/ABC" }), false);
    assert.equal(isAllowed(policy, { action: "kms:GenerateMac", resource: "arn:aws:kms:r:1:key/abcd" }), false);
  });

  it("reads NotAction and NotResource as their complements", () => {
    const policy = {
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", NotAction: "iam:*", NotResource: "arn:aws:s3:::secret/*" }],
    } as unknown as PolicyDocument;
    assert.equal(isAllowed(policy, { action: "s3:GetObject", resource: "arn:aws:s3:::public/x" }), true);
    assert.equal(isAllowed(policy, { action: "iam:PassRole", resource: "arn:aws:s3:::public/x" }), false);
    assert.equal(isAllowed(policy, { action: "s3:GetObject", resource: "arn:aws:s3:::secret/x" }), false);
  });

  it("a resource policy's Principal must name the caller (or *)", () => {
    const policy = doc({ Effect: "Allow", Principal: { AWS: "arn:aws:iam::1:root" }, Action: "kms:Decrypt" });
    assert.equal(
      isAllowed(policy, { action: "kms:Decrypt", resource: "*", principal: { AWS: "arn:aws:iam::1:root" } }),
      true,
    );
    assert.equal(
      isAllowed(policy, { action: "kms:Decrypt", resource: "*", principal: { AWS: "arn:aws:iam::2:root" } }),
      false,
    );
    assert.equal(
      isAllowed(policy, { action: "kms:Decrypt", resource: "*", principal: { Service: "logs.amazonaws.com" } }),
      false,
    );
  });

  it("lists the pairs a document grants, wildcards as written", () => {
    assert.deepEqual(
      grantedPairs(
        doc(
          { Effect: "Allow", Action: ["a:B", "a:C"], Resource: ["r1", "r2"] },
          { Effect: "Deny", Action: "a:D", Resource: "*" },
        ),
      ),
      [
        { action: "a:B", resource: "r1" },
        { action: "a:B", resource: "r2" },
        { action: "a:C", resource: "r1" },
        { action: "a:C", resource: "r2" },
      ],
    );
  });
});

describe("iam-eval: condition operators", () => {
  it("string and ARN operators, exact and with wildcards", () => {
    assert.equal(conditionHolds("StringEquals", ["a", "b"], "b"), true);
    assert.equal(conditionHolds("StringEquals", ["a"], "A"), false);
    assert.equal(conditionHolds("StringEqualsIgnoreCase", ["a"], "A"), true);
    assert.equal(conditionHolds("StringLike", ["arn:*:x"], "arn:aws:x"), true);
    assert.equal(conditionHolds("StringNotEquals", ["a"], "b"), true);
    assert.equal(conditionHolds("StringNotLike", ["a*"], "ab"), false);
    assert.equal(
      conditionHolds("ArnLike", ["arn:aws:ec2:*:1:vpc-flow-log/*"], "arn:aws:ec2:r:1:vpc-flow-log/fl-1"),
      true,
    );
    assert.equal(conditionHolds("ArnEquals", ["arn:aws:s3:::b"], "arn:aws:s3:::b2"), false);
    assert.equal(conditionHolds("Bool", ["true"], "true"), true);
  });

  it("a key the request lacks fails a positive operator, passes a negated one and an IfExists one", () => {
    assert.equal(conditionHolds("StringEquals", ["a"], undefined), false);
    assert.equal(conditionHolds("StringNotEquals", ["a"], undefined), true);
    assert.equal(conditionHolds("StringEqualsIfExists", ["a"], undefined), true);
    assert.equal(conditionHolds("StringEqualsIfExists", ["a"], "b"), false);
  });

  it("Null tests presence; ForAllValues and ForAnyValue read a multivalued key", () => {
    assert.equal(conditionHolds("Null", ["true"], undefined), true);
    assert.equal(conditionHolds("Null", ["true"], "x"), false);
    assert.equal(conditionHolds("Null", ["false"], "x"), true);
    assert.equal(conditionHolds("ForAllValues:StringEquals", ["a", "b"], ["a", "b"]), true);
    assert.equal(conditionHolds("ForAllValues:StringEquals", ["a"], ["a", "c"]), false);
    assert.equal(
      conditionHolds("ForAllValues:StringEquals", ["a"], undefined),
      true,
      "an empty set satisfies ForAllValues",
    );
    assert.equal(conditionHolds("ForAnyValue:StringLike", ["a*"], ["x", "ab"]), true);
    assert.equal(conditionHolds("ForAnyValue:StringLike", ["a*"], undefined), false);
  });

  it("refuses an operator it does not model, rather than read it as no match (a skipped Deny reads as an Allow)", () => {
    const deny = doc(
      { Effect: "Allow", Action: "ec2:*", Resource: "*" },
      {
        Effect: "Deny",
        Action: "ec2:TerminateInstances",
        Resource: "*",
        Condition: { NumericLessThan: { "aws:MultiFactorAuthAge": "300" } },
      },
    );
    assert.throws(
      () => isAllowed(deny, { action: "ec2:TerminateInstances", resource: "*" }),
      /NumericLessThan is not modelled/,
    );
    assert.throws(() => conditionHolds("IpAddress", ["10.0.0.0/8"], "10.1.1.1"), /not modelled/);
    assert.throws(
      () => conditionHolds("StringEquals", ["a"], ["a"]),
      /multivalued key needs ForAllValues or ForAnyValue/,
    );
  });
});
