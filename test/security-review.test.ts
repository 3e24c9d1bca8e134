/**
 * What a security review asks of the infrastructure (by checkov ID): flow logs, the default
 * security group, encrypted log groups, control-plane log types, the load balancers' attributes, their
 * access-log bucket and its delivery policy, the web ACL and deletion protection. Each property is read
 * from the program's own run (or its pure builders), and the IAM documents are judged by the evaluator
 * (test/iam-eval.ts): who may do what, not what the product's copy says.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { waiverAnnotations } from "../apps/workload-spec";
import { ALB_ATTRIBUTE_KEYS, NLB_ATTRIBUTE_KEYS, parseAttributes } from "../components/edge/attributes";
import {
  accessLogBucketName,
  accessLogBucketPolicy,
  ELB_ACCOUNT_BY_REGION,
  MAX_BUCKET_NAME_LENGTH,
} from "../components/edge/log-delivery";
import type { PolicyDocument } from "../components/iam/policy-document";
import { logsKeyPolicy } from "../components/logging/key-policy";
import { flowLogTrustPolicy, flowLogWritePolicy } from "../components/network/flow-log-iam";
import { AWS, KUBERNETES, PULUMI_EKS } from "../components/resource-types";
import { CATALOG } from "../policy/catalog";
import { workloadNonRoot } from "../policy/rules/container-security";
import { expandReleases } from "../render/charts";
import {
  ofType,
  type ProgramRun,
  type RecordedResource,
  resource,
  runProgram,
  transitiveDependencies,
} from "../render/harness";
import type { SummaryContext } from "../render/summary/context";
import { headlineItems } from "../render/summary/headline";
import { ingressGroupOf } from "../render/summary/load-balancers";
import {
  ADVISORY_REASONS,
  chartObjectInputs,
  NOT_FOLLOWED,
  OUT_OF_SIGHT,
  reviewSection,
} from "../render/summary/review";
import managedRuleGroups from "./fixtures/aws-managed-rule-groups.json";
import { isAllowed } from "./iam-eval";
import { TEAM_CHOICES } from "./shared-configs";

const ACCOUNT = "123456789012";
const REGION = "ap-northeast-2";
const LOG_GROUP = AWS.logGroup;
const KEY = AWS.kmsKey;
const SERVICE = KUBERNETES.service;
const INGRESS = KUBERNETES.ingress;

const parse = (text: unknown): PolicyDocument => JSON.parse(String(text)) as PolicyDocument;
const annotationsOf = (r: RecordedResource): Record<string, string> =>
  (r.inputs.metadata as { annotations?: Record<string, string> }).annotations ?? {};
const nameOf = (r: RecordedResource): string => String((r.inputs.metadata as { name?: string }).name);
/** The Services and Ingresses the load balancer controller turns into load balancers. */
const loadBalancerObjects = (run: ProgramRun): RecordedResource[] => [
  ...ofType(run, SERVICE).filter((s) => (s.inputs.spec as { type?: string }).type === "LoadBalancer"),
  ...ofType(run, INGRESS),
];
const attributesOf = (r: RecordedResource): Record<string, string> =>
  parseAttributes(
    annotationsOf(r)[
      r.type === INGRESS
        ? "alb.ingress.kubernetes.io/load-balancer-attributes"
        : "service.beta.kubernetes.io/aws-load-balancer-attributes"
    ] ?? "",
  );

describe("security review: logs (CKV2_AWS_11, CKV_AWS_158, CKV_AWS_37)", async () => {
  const dev = await runProgram({});

  it("the VPC logs ALL traffic to a CloudWatch group of ours, through a role that may write to that group alone", () => {
    const [vpc] = ofType(dev, AWS.vpc);
    const [flowLog] = ofType(dev, AWS.flowLog);
    assert.equal(ofType(dev, AWS.flowLog).length, 1);
    assert.ok(flowLog.dependencies.includes(vpc.urn), "the flow log is the VPC's");
    assert.equal(flowLog.inputs.trafficType, "ALL");
    assert.equal(flowLog.inputs.logDestinationType, "cloud-watch-logs");
    const group = ofType(dev, LOG_GROUP).find((g) => flowLog.dependencies.includes(g.urn));
    assert.ok(group, "its destination is a log group of the stack");
    assert.equal(group.inputs.retentionInDays, 90, "with the stack's retention");
    const role = ofType(dev, AWS.iamRole).find((r) => flowLog.dependencies.includes(r.urn));
    assert.ok(role);
    const trust = parse(role.inputs.assumeRolePolicy);
    const fromFlowLogs = {
      action: "sts:AssumeRole",
      resource: "*",
      principal: { Service: "vpc-flow-logs.amazonaws.com" },
    };
    const ours = {
      "aws:SourceAccount": ACCOUNT,
      "aws:SourceArn": `arn:aws:ec2:${REGION}:${ACCOUNT}:vpc-flow-log/fl-0123`,
    };
    assert.ok(isAllowed(trust, { ...fromFlowLogs, context: ours }));
    assert.ok(
      !isAllowed(trust, { ...fromFlowLogs, context: { ...ours, "aws:SourceAccount": "210987654321" } }),
      "another account's flow logs may not",
    );
    assert.ok(
      !isAllowed(trust, { ...fromFlowLogs, principal: { Service: "ec2.amazonaws.com" }, context: ours }),
      "nor another service",
    );
    const [write] = ofType(dev, AWS.iamRolePolicy).filter(
      (p) => p.dependencies.includes(role.urn) && p.name.startsWith("network-flow-logs"),
    );
    const policy = parse(write.inputs.policy);
    const groupArn = `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:${String(group.inputs.name)}`;
    assert.ok(isAllowed(policy, { action: "logs:PutLogEvents", resource: `${groupArn}:log-stream:eni-1-all` }));
    assert.ok(isAllowed(policy, { action: "logs:CreateLogStream", resource: `${groupArn}:log-stream:eni-1-all` }));
    assert.ok(
      !isAllowed(policy, {
        action: "logs:PutLogEvents",
        resource: `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:/aws/eks/other/cluster:log-stream:x`,
      }),
      "no other group",
    );
    assert.ok(!isAllowed(policy, { action: "logs:DeleteLogGroup", resource: groupArn }), "nor anything but writing");
  });

  it("the default security group is adopted with no rules: it allows nothing", () => {
    const [defaultGroup] = ofType(dev, AWS.defaultSecurityGroup);
    assert.ok(defaultGroup.dependencies.includes(ofType(dev, AWS.vpc)[0].urn));
    assert.equal(defaultGroup.inputs.ingress ?? [], defaultGroup.inputs.ingress ?? []);
    assert.deepEqual([defaultGroup.inputs.ingress ?? [], defaultGroup.inputs.egress ?? []], [[], []]);
  });

  it("every log group is encrypted with the logs key, which CloudWatch Logs of the region may use for those groups only", () => {
    const groups = ofType(dev, LOG_GROUP);
    assert.deepEqual(groups.map((g) => g.inputs.name).sort(), [
      "/aws/eks/eks-platform-dev/cluster",
      "/aws/vpc/eks-platform-dev/flow-logs",
    ]);
    const key = resource(dev, KEY, "logs-key");
    for (const g of groups)
      assert.ok(g.dependencies.includes(key.urn), `${String(g.inputs.name)} is encrypted with the logs key`);
    const policy = parse(key.inputs.policy);
    const logs = { Service: `logs.${REGION}.amazonaws.com` };
    const forGroup = (name: string) => ({
      "kms:EncryptionContext:aws:logs:arn": `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:${name}`,
    });
    for (const g of groups) {
      assert.ok(
        isAllowed(policy, {
          action: "kms:GenerateDataKey",
          resource: "*",
          principal: logs,
          context: forGroup(String(g.inputs.name)),
        }),
        String(g.inputs.name),
      );
    }
    assert.ok(
      !isAllowed(policy, { action: "kms:Decrypt", resource: "*", principal: logs, context: forGroup("/someone/else") }),
      "not for another group",
    );
    assert.ok(
      !isAllowed(policy, { action: "kms:Decrypt", resource: "*", principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` } }),
      "the account administers, never decrypts",
    );
    assert.ok(
      !isAllowed(policy, {
        action: "kms:Decrypt",
        resource: "*",
        principal: { Service: "logs.us-east-1.amazonaws.com" },
        context: forGroup("/aws/eks/eks-platform-dev/cluster"),
      }),
      "nor another region's service",
    );
    // The pure policy names exactly what it is given.
    assert.equal(
      JSON.stringify(
        logsKeyPolicy({ partition: "aws", region: REGION, accountId: ACCOUNT, logGroupNames: ["/a"] }),
      ).includes("log-group:/a"),
      true,
    );
  });

  it("the control plane sends all five log types by default; a documented choice of fewer is accepted, an unknown type is refused by name", async () => {
    const eks = ofType(dev, PULUMI_EKS.cluster)[0];
    assert.deepEqual(eks.inputs.enabledClusterLogTypes, [
      "api",
      "audit",
      "authenticator",
      "controllerManager",
      "scheduler",
    ]);
    const fewer = await runProgram({ config: TEAM_CHOICES });
    assert.deepEqual(ofType(fewer, PULUMI_EKS.cluster)[0].inputs.enabledClusterLogTypes, ["api", "audit"]);
    const wrong = await runProgram({ config: { controlPlaneLogTypes: '["api","kubelet"]' } }).then(
      () => assert.fail("accepted"),
      (e: Error) => e,
    );
    assert.match(
      wrong.message,
      /eks-platform:controlPlaneLogTypes: expected log types among "api", "audit", "authenticator", "controllerManager", "scheduler"/,
    );
  });

  it("a deleted stack's KMS keys wait AWS's longest window (30 days) before they are destroyed: time to cancel a wrong destroy", () => {
    const keys = dev.resources.filter((r) => r.type === AWS.kmsKey);
    assert.equal(keys.length, 2, "the logs key and the secrets key");
    for (const key of keys) assert.equal(key.inputs.deletionWindowInDays, 30, key.name);
  });

  it("the flow-log pure policies name the group they are given", () => {
    const args = { partition: "aws", region: REGION, accountId: ACCOUNT, logGroupName: "/x" };
    assert.ok(
      isAllowed(flowLogWritePolicy(args), {
        action: "logs:PutLogEvents",
        resource: `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:/x:log-stream:s`,
      }),
    );
    assert.ok(
      isAllowed(flowLogTrustPolicy(args), {
        action: "sts:AssumeRole",
        resource: "*",
        principal: { Service: "vpc-flow-logs.amazonaws.com" },
        context: {
          "aws:SourceAccount": ACCOUNT,
          "aws:SourceArn": `arn:aws:ec2:${REGION}:${ACCOUNT}:vpc-flow-log/fl-1`,
        },
      }),
    );
  });
});

describe("security review: load balancers (CKV_AWS_131, CKV_AWS_91, CKV2_AWS_28, CKV_AWS_150)", async () => {
  const [dev, domain, protectedStack] = await Promise.all([
    runProgram({}),
    runProgram({ config: { domain: "example.com", webAcl: "true" } }),
    runProgram({ config: TEAM_CHOICES }),
  ]);
  const bucketName = "eks-platform-dev-lb-logs-123456789012-ap-northeast-2";

  it("every ALB drops invalid header fields; every ALB and NLB logs to the stack's bucket under its own prefix; only attribute keys ELB documents for its type", () => {
    for (const run of [dev, domain]) {
      const objects = loadBalancerObjects(run);
      assert.equal(objects.length, 5, "echo and tetris NLBs, the 2048 ALB, the games' two Ingresses");
      for (const o of objects) {
        const attributes = attributesOf(o);
        const allowed: readonly string[] = o.type === INGRESS ? ALB_ATTRIBUTE_KEYS : NLB_ATTRIBUTE_KEYS;
        for (const key of Object.keys(attributes))
          assert.ok(allowed.includes(key), `${key} on ${nameOf(o)} is not an attribute of its load balancer type`);
        assert.equal(attributes["access_logs.s3.enabled"], "true", nameOf(o));
        assert.equal(attributes["access_logs.s3.bucket"], bucketName, nameOf(o));
        assert.doesNotMatch(attributes["access_logs.s3.prefix"], /AWSLogs/);
        if (o.type === INGRESS)
          assert.equal(attributes["routing.http.drop_invalid_header_fields.enabled"], "true", nameOf(o));
        assert.equal(attributes["deletion_protection.enabled"], "false", nameOf(o));
      }
      // One prefix per load balancer: an IngressGroup's members share theirs, and agree on every attribute.
      const prefixes = new Map<string, string>();
      for (const o of objects) {
        const group = ingressGroupOf(run, o) ?? `${o.type}/${nameOf(o)}`;
        const prefix = attributesOf(o)["access_logs.s3.prefix"];
        assert.equal(prefixes.get(group) ?? prefix, prefix, `the ${group} group's members agree`);
        prefixes.set(group, prefix);
      }
      assert.equal(new Set(prefixes.values()).size, prefixes.size, "no two load balancers share a prefix");
    }
  });

  it("the bucket is private, SSE-S3, TLS-only, expires logs, and is emptied on destroy; the load balancers wait for its delivery policy", () => {
    const [bucket] = ofType(dev, AWS.s3Bucket);
    assert.equal(bucket.inputs.bucket, bucketName);
    assert.equal(bucket.inputs.forceDestroy, true, "pulumi destroy deletes its objects with it");
    const onBucket = (type: string) => {
      const found = ofType(dev, type).filter((r) => r.dependencies.includes(bucket.urn));
      assert.equal(found.length, 1, type);
      return found[0].inputs;
    };
    assert.deepEqual(onBucket(AWS.s3BucketPublicAccessBlock), {
      bucket: `${bucket.name}-id`,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    assert.deepEqual(
      (onBucket(AWS.s3BucketOwnershipControls).rule as { objectOwnership: string }).objectOwnership,
      "BucketOwnerEnforced",
    );
    assert.deepEqual(onBucket(AWS.s3BucketServerSideEncryptionConfiguration).rules, [
      { applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } },
    ]);
    const [rule] = onBucket(AWS.s3BucketLifecycleConfiguration).rules as Array<{
      status: string;
      expiration: { days: number };
    }>;
    assert.deepEqual([rule.status, rule.expiration.days], ["Enabled", 90]);
    const policyResource = ofType(dev, AWS.s3BucketPolicy)[0];
    for (const o of loadBalancerObjects(dev)) {
      assert.ok(
        transitiveDependencies(dev, o.urn).has(policyResource.urn),
        `${nameOf(o)} waits for the delivery policy (and on destroy goes before the bucket)`,
      );
    }
  });

  it("the delivery policy: ELB of the region writes this account's logs, NLB log delivery with the owner's ACL, nothing else, TLS only", () => {
    const policy = parse(ofType(dev, AWS.s3BucketPolicy)[0].inputs.policy);
    const bucketArn = `arn:aws:s3:::${bucketName}`;
    const ours = `${bucketArn}/alb/games/AWSLogs/${ACCOUNT}/elasticloadbalancing/${REGION}/2026/12/01/x.log.gz`;
    const secure = { "aws:SecureTransport": "true" };
    const seoulElb = { AWS: `arn:aws:iam::${ELB_ACCOUNT_BY_REGION[REGION]}:root` };
    assert.equal(ELB_ACCOUNT_BY_REGION[REGION], "600734575887", "ELB's Seoul account (ELB guide)");
    assert.ok(isAllowed(policy, { action: "s3:PutObject", resource: ours, principal: seoulElb, context: secure }));
    assert.ok(
      !isAllowed(policy, {
        action: "s3:PutObject",
        resource: `${bucketArn}/alb/games/AWSLogs/210987654321/x`,
        principal: seoulElb,
        context: secure,
      }),
      "not another account's path",
    );
    assert.ok(
      !isAllowed(policy, { action: "s3:GetObject", resource: ours, principal: seoulElb, context: secure }),
      "ELB only writes",
    );
    assert.ok(
      !isAllowed(policy, {
        action: "s3:PutObject",
        resource: ours,
        principal: { AWS: "arn:aws:iam::127311923021:root" },
        context: secure,
      }),
      "not another region's ELB",
    );
    const nlb = { Service: "delivery.logs.amazonaws.com" };
    const nlbContext = {
      ...secure,
      "aws:SourceAccount": ACCOUNT,
      "aws:SourceArn": `arn:aws:logs:${REGION}:${ACCOUNT}:x`,
      "s3:x-amz-acl": "bucket-owner-full-control",
    };
    assert.ok(isAllowed(policy, { action: "s3:PutObject", resource: ours, principal: nlb, context: nlbContext }));
    assert.ok(
      !isAllowed(policy, {
        action: "s3:PutObject",
        resource: ours,
        principal: nlb,
        context: { ...nlbContext, "s3:x-amz-acl": "private" },
      }),
      "only with the owner's ACL",
    );
    assert.ok(
      !isAllowed(policy, {
        action: "s3:PutObject",
        resource: ours,
        principal: nlb,
        context: { ...nlbContext, "aws:SourceAccount": "210987654321" },
      }),
      "only for our account",
    );
    assert.ok(
      isAllowed(policy, { action: "s3:GetBucketAcl", resource: bucketArn, principal: nlb, context: nlbContext }),
    );
    assert.ok(
      !isAllowed(policy, {
        action: "s3:PutObject",
        resource: ours,
        principal: seoulElb,
        context: { "aws:SecureTransport": "false" },
      }),
      "plain HTTP is refused to everyone",
    );
  });

  it("a Region opened after August 2022 has no ELB account: its log delivery service principal writes instead", () => {
    assert.equal(ELB_ACCOUNT_BY_REGION["ap-southeast-5"], undefined);
    const policy = accessLogBucketPolicy({
      partition: "aws",
      region: "ap-southeast-5",
      accountId: ACCOUNT,
      bucketName: "b",
    });
    const ours = `arn:aws:s3:::b/alb/x/AWSLogs/${ACCOUNT}/x`;
    assert.ok(
      isAllowed(policy, {
        action: "s3:PutObject",
        resource: ours,
        principal: { Service: "logdelivery.elasticloadbalancing.amazonaws.com" },
      }),
    );
    assert.ok(!JSON.stringify(policy).includes(":iam::"), "no account principal at all");
  });

  it("the bucket name is a valid S3 name, unique per cluster, account and region, stable for long or unusual cluster names", () => {
    const args = { accountId: ACCOUNT, region: "ap-southeast-2" };
    const long = accessLogBucketName({
      ...args,
      clusterName: "A_very-Long_cluster_name-that-goes-on-and-on-well-past-anything-s3-allows",
    });
    const other = accessLogBucketName({
      ...args,
      clusterName: "A_very-Long_cluster_name-that-goes-on-and-on-well-past-anything-s3-allows-2",
    });
    for (const name of [
      long,
      other,
      accessLogBucketName({ ...args, clusterName: "Prod_EKS" }),
      accessLogBucketName({ ...args, clusterName: "___" }),
    ]) {
      assert.ok(name.length >= 3 && name.length <= MAX_BUCKET_NAME_LENGTH, name);
      assert.match(name, /^[a-z0-9][a-z0-9-]*[a-z0-9]$/, name);
      assert.doesNotMatch(name, /--/, name);
    }
    assert.notEqual(long, other, "cut names stay distinct");
    assert.equal(
      accessLogBucketName({ ...args, clusterName: "Prod_EKS" }),
      accessLogBucketName({ ...args, clusterName: "Prod_EKS" }),
    );
    assert.notEqual(
      accessLogBucketName({ ...args, clusterName: "Prod_EKS" }),
      accessLogBucketName({ ...args, clusterName: "prod-eks" }),
      "names that clean alike differ",
    );
  });

  it("the web ACL logs every request to a group of ours: named as WAF requires, encrypted with the logs key, which names it", () => {
    const [acl] = ofType(domain, AWS.wafv2WebAcl);
    const [logging] = ofType(domain, AWS.wafv2WebAclLoggingConfiguration);
    const group = ofType(domain, AWS.logGroup).find((g) => String(g.inputs.name).startsWith("aws-waf-logs-"));
    assert.ok(group, "a log group whose name WAF accepts (aws-waf-logs-)");
    assert.equal(group.inputs.name, "aws-waf-logs-eks-platform-dev");
    assert.ok(logging.dependencies.includes(acl.urn) && logging.dependencies.includes(group.urn));
    const [key] = ofType(domain, AWS.kmsKey).filter((k) => k.name === "logs-key");
    assert.ok(group.dependencies.includes(key.urn), "the group is made with the logs key");
    const policy = JSON.parse(String(key.inputs.policy)) as PolicyDocument;
    assert.ok(
      JSON.stringify(policy).includes("log-group:aws-waf-logs-eks-platform-dev"),
      "the key may encrypt the WAF's group",
    );
    assert.deepEqual(ofType(dev, AWS.wafv2WebAclLoggingConfiguration), [], "no ACL, no logging");
  });

  it("the web ACL (webAcl, off in the dev stack) runs AWS's managed rule groups on every internet-facing ALB, and only ALBs", () => {
    assert.deepEqual(ofType(dev, AWS.wafv2WebAcl), []);
    // Without one, the ALBs say "none", which makes the controller detach a web ACL (the annotation absent leaves it).
    for (const o of loadBalancerObjects(dev))
      assert.equal(
        annotationsOf(o)["alb.ingress.kubernetes.io/wafv2-acl-arn"],
        o.type === INGRESS ? "none" : undefined,
        nameOf(o),
      );
    const [acl] = ofType(domain, AWS.wafv2WebAcl);
    assert.equal(acl.inputs.scope, "REGIONAL");
    assert.deepEqual(acl.inputs.defaultAction, { allow: {} });
    const rules = acl.inputs.rules as Array<{
      priority: number;
      statement: { managedRuleGroupStatement: { vendorName: string; name: string } };
      overrideAction: unknown;
    }>;
    // Named from AWS's own list (fixture, with its source), not from the product's constant: a misspelled
    // group is a group AWS does not have. The choice: the baseline core and known-bad-inputs groups, and the
    // Amazon IP reputation list, the free groups AWS's guide recommends to start with.
    const named = rules.map(
      (r) => `${r.statement.managedRuleGroupStatement.vendorName}/${r.statement.managedRuleGroupStatement.name}`,
    );
    const published = [
      ...managedRuleGroups.baseline,
      ...managedRuleGroups.useCase,
      ...managedRuleGroups.ipReputation,
      ...managedRuleGroups.paid,
    ];
    for (const n of named)
      assert.ok(
        published.map((g) => `${managedRuleGroups.vendor}/${g}`).includes(n),
        `${n} is not an AWS managed rule group`,
      );
    assert.deepEqual(named, [
      "AWS/AWSManagedRulesCommonRuleSet",
      "AWS/AWSManagedRulesKnownBadInputsRuleSet",
      "AWS/AWSManagedRulesAmazonIpReputationList",
    ]);
    assert.equal(new Set(rules.map((r) => r.priority)).size, rules.length, "distinct priorities");
    for (const r of rules)
      assert.deepEqual(r.overrideAction, { none: {} }, "the groups' own actions apply (block), not count");
    for (const o of loadBalancerObjects(domain)) {
      const arn = annotationsOf(o)["alb.ingress.kubernetes.io/wafv2-acl-arn"];
      if (o.type === INGRESS) {
        assert.ok(arn, `${nameOf(o)} is protected`);
        assert.ok(transitiveDependencies(domain, o.urn).has(acl.urn), `${nameOf(o)} waits for the web ACL`);
      } else assert.equal(arn, undefined, "NLBs have no WAF");
    }
  });

  it("deletion protection is configuration: on, every load balancer carries the attribute; off (the default), none does", async () => {
    const protectedOnes = loadBalancerObjects(protectedStack);
    assert.ok(protectedOnes.length >= 5);
    for (const o of protectedOnes) assert.equal(attributesOf(o)["deletion_protection.enabled"], "true", nameOf(o));
    for (const o of loadBalancerObjects(await runProgram({ config: { domain: "example.com" } })))
      assert.equal(attributesOf(o)["deletion_protection.enabled"], "false", nameOf(o));
  });
});

describe("security review: workloads (CKV_K8S_22, 23, 25, 37, 40, 43) and the review table", async () => {
  const dev = await runProgram({});
  const APP_IMAGES = { echo: "echo", "game-2048": "game-2048", tetris: "tetris", mario: "mario" } as const;
  const deployment = (app: string) => resource(dev, KUBERNETES.deployment, `${app}-deployment`);
  type Pod = {
    securityContext?: Record<string, unknown>;
    containers: Array<{ securityContext: Record<string, unknown>; volumeMounts?: Array<{ mountPath: string }> }>;
  };
  const podOf = (app: string) => (deployment(app).inputs.spec as { template: { spec: Pod } }).template.spec;

  it("echo, 2048 and tetris run as a high non-root user on a read-only root, every capability dropped, writing only to emptyDirs", () => {
    const expected: Record<string, { user: number; writes: string[]; lowPort: boolean }> = {
      echo: { user: 65534, writes: ["/var/lib/nginx", "/run"], lowPort: false },
      "game-2048": {
        user: 10101,
        writes: ["/var/lib/nginx", "/var/lib/nginx/tmp", "/var/tmp/nginx", "/var/log/nginx", "/var/run/nginx", "/tmp"],
        lowPort: true,
      },
      tetris: { user: 10101, writes: ["/var/cache/nginx", "/var/run", "/tmp"], lowPort: true },
    };
    for (const [app, want] of Object.entries(expected)) {
      const pod = podOf(app);
      const [c] = pod.containers;
      assert.equal(pod.securityContext?.runAsNonRoot, true, app);
      assert.equal(c.securityContext.runAsUser, want.user, app);
      assert.ok(
        (c.securityContext.runAsUser as number) >= 10000 && (c.securityContext.runAsGroup as number) >= 10000,
        `${app}: user and group of 10000 or above (CKV_K8S_40)`,
      );
      assert.equal(c.securityContext.readOnlyRootFilesystem, true, app);
      assert.deepEqual(c.securityContext.capabilities, { drop: ["ALL"] }, app);
      assert.deepEqual(
        (c.volumeMounts ?? []).map((m) => m.mountPath),
        want.writes,
        app,
      );
      // nginx's mkdir is not recursive: a nested path is mounted after its parent, so the parent's emptyDir holds its mountpoint.
      const mounts = (c.volumeMounts ?? []).map((m) => m.mountPath);
      mounts.forEach((m, i) =>
        assert.ok(
          mounts.slice(i + 1).every((later) => !m.startsWith(`${later}/`)),
          `${app}: ${m} mounted after its parent`,
        ),
      );
      const sysctls = (pod.securityContext?.sysctls as Array<{ name: string; value: string }> | undefined) ?? [];
      assert.equal(
        sysctls.some((s) => s.name === "net.ipv4.ip_unprivileged_port_start"),
        want.lowPort,
        `${app}: port 80 through the namespaced sysctl only where it listens on 80`,
      );
    }
    assert.deepEqual(Object.keys(APP_IMAGES).length, 4);
  });

  it("mario stays root, honestly: baseline, only DAC_OVERRIDE and FOWNER back, and each rule it cannot meet waived on its Deployment with a reason both scanners read", () => {
    const [c] = podOf("mario").containers;
    assert.equal(c.securityContext.runAsNonRoot, undefined);
    assert.deepEqual(c.securityContext.capabilities, { drop: ["ALL"], add: ["DAC_OVERRIDE", "FOWNER"] });
    assert.equal(c.securityContext.allowPrivilegeEscalation, false);
    const annotations = annotationsOf(deployment("mario"));
    const skips = Object.entries(annotations)
      .filter(([k]) => k.startsWith("checkov.io/skip"))
      .map(([, v]) => v.split("=")[0]);
    assert.deepEqual(skips.sort(), ["CKV_K8S_22", "CKV_K8S_23", "CKV_K8S_25", "CKV_K8S_40", "CKV_K8S_43"]);
    for (const [k, v] of Object.entries(annotations).filter(([key]) => key.startsWith("checkov.io/skip")))
      assert.equal(v.split("=").length, 2, `${k}: checkov splits on "=" into two parts`);
    assert.equal(
      annotations["kube-score/ignore"],
      "container-security-context-user-group-id,container-security-context-readonlyrootfilesystem,container-image-tag",
    );
    const ns = resource(dev, KUBERNETES.namespace, "mario-namespace");
    assert.equal(
      (ns.inputs.metadata as { labels: Record<string, string> }).labels["pod-security.kubernetes.io/enforce"],
      "baseline",
    );
    // echo runs its image by digest and waives nothing; 2048 and tetris waive only the digest, for a default image
    // kept by tag, with its written reason (apps/images.ts).
    assert.deepEqual(Object.keys(annotationsOf(deployment("echo"))), [], "echo waives nothing");
    for (const app of ["game-2048", "tetris"])
      assert.deepEqual(
        Object.entries(annotationsOf(deployment(app))).map(([k, v]) => [k, v.split("=")[0]]),
        [
          ["checkov.io/skip1", "CKV_K8S_43"],
          ["kube-score/ignore", "container-image-tag"],
        ],
        `${app} waives the digest alone`,
      );
    assert.throws(() => waiverAnnotations([{ checkov: "CKV_K8S_23", reason: "a=b" }]), /without "="/);
    assert.throws(() => waiverAnnotations([{ checkov: "CKV_K8S_23", reason: " " }]), /a reason must be given/);
  });

  it("summary.md says first what a reviewer must read: mario's root and end-of-life image, the open API endpoint, the creator's admin entry, each with the way to narrow it", async () => {
    const items = headlineItems(dev);
    assert.equal(items.length, 3);
    assert.match(items[0], /^mario runs as root .*Debian 9, out of support since June 2022.*marioImage/);
    assert.match(items[1], /publicAccessCidrs` 0\.0\.0\.0\/0.*pulumi config set eks-platform:publicAccessCidrs/);
    assert.match(items[2], /aws eks delete-access-entry/);
    // The team's choices (mario by digest) clear mario's item; a narrowed endpoint clears its own.
    assert.deepEqual(headlineItems(await runProgram({ config: TEAM_CHOICES })), [items[1], items[2]]);
    const narrowed = await runProgram({ config: { publicAccessCidrs: '["203.0.113.0/24"]' } });
    assert.deepEqual(headlineItems(narrowed), [items[0], items[2]]);
  });

  it("the non-root rule's threshold is checkov's and kube-score's: 10000 passes, 9999 does not", () => {
    const pod = (id: number) => ({
      type: KUBERNETES.deployment,
      props: {
        metadata: { name: "x" },
        spec: {
          template: {
            spec: {
              securityContext: { runAsNonRoot: true, runAsUser: id, runAsGroup: id },
              containers: [{ name: "c" }],
            },
          },
        },
      },
    });
    assert.deepEqual(workloadNonRoot(pod(10000)), []);
    assert.equal((workloadNonRoot(pod(9999)) as string[]).length, 2);
  });

  it("summary.md's review table: every policy of the pack with its rule IDs, nothing mandatory failing on the program or the charts' objects, each standing advisory with its written reason, mario's waivers listed", async () => {
    const charts = await expandReleases(dev);
    assert.ok("expanded" in charts, "helm expands the releases here");
    const body = reviewSection({ run: dev, charts } as SummaryContext)?.body ?? "";
    assert.match(body, new RegExp(`and the ${chartObjectInputs(charts).length} objects its Helm releases expand to`));
    assert.ok(body.includes(OUT_OF_SIGHT), "what the pack cannot see, and what covers it");
    for (const p of CATALOG) assert.match(body, new RegExp(`\\| \`${p.name}\` \\(${p.level}\\) \\|`), p.name);
    assert.doesNotMatch(body, /\*\*FAILS\*\*/);
    for (const advisory of ["alb-waf", "elb-deletion-protection", "cluster-endpoint-open"]) {
      const row = body.split("\n").find((l) => l.includes(`\`${advisory}\``)) ?? "";
      assert.ok(row.includes(ADVISORY_REASONS[advisory]), `${advisory} carries its reason`);
    }
    assert.match(body, /`Deployment mario\/mario`: CKV_K8S_23, Tomcat's conf\/ in this image is readable by root only/);
    assert.match(body, /\| CKV2_AWS_11 \| `vpc-flow-logs` \(mandatory\) \| pass \|/);
    for (const [rule, reason] of NOT_FOLLOWED)
      assert.ok(body.includes(`- ${rule}: ${reason}`), `${rule} is not followed, with its reason`);
    // A broken render says so: the flow log gone, the table reports the failure.
    const broken = { ...dev, resources: dev.resources.filter((r) => r.type !== AWS.flowLog) };
    assert.match(
      reviewSection({ run: broken, charts } as SummaryContext)?.body ?? "",
      /`vpc-flow-logs` \(mandatory\) \| \*\*FAILS\*\* \(1 finding\): VPC network-vpc has no flow log/,
    );
    // A chart's Deployment is held to the same rules: the controller's seccomp profile gone, the table says so.
    const unhardened = structuredClone(charts);
    for (const release of unhardened.expanded)
      for (const { object } of release.objects)
        if (object.kind === "Deployment" && release.release.endsWith("aws-load-balancer-controller"))
          delete (object.spec as { template: { spec: { securityContext: { seccompProfile?: unknown } } } }).template
            .spec.securityContext.seccompProfile;
    assert.match(
      reviewSection({ run: dev, charts: unhardened } as SummaryContext)?.body ?? "",
      /`workload-host-isolation` \(mandatory\) \| \*\*FAILS\*\* \(1 finding\): chart object Deployment kube-system\/aws-load-balancer-controller: runs without the RuntimeDefault seccomp profile/,
    );
  });
});
