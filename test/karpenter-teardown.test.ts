/**
 * A destroy that leaves no instance Karpenter launched: the apps go before the NodePools, the NodePools before
 * the delete-time instance check, the check before the cluster and the network; the check waits for Karpenter,
 * terminates only what this cluster's Karpenter tagged, and fails bounded. The deploy role may terminate those
 * instances and no other.
 */
import assert from "node:assert/strict";
import * as path from "node:path";
import { describe, it } from "node:test";
import { InvalidInputException } from "@aws-sdk/client-iam";
import { deployPolicy, PROGRAM_READS } from "../ci-roles/policies";
import { EXTERNAL_IDS_ENV } from "../components/iam/assume-role-chain";
import {
  INSTANCES_GONE_TIMEOUT_SECONDS,
  instancesGoneCommand,
  KARPENTER_GRACE_SECONDS,
} from "../components/karpenter/instances-cleanup";
import {
  CLUSTER_NAME_TAG,
  type Ec2Instance,
  karpenterInstanceFilters,
  karpenterInstances,
  NODECLASS_TAG,
  NODEPOOL_TAG,
  parseInstancesGoneArgs,
  waitUntilInstancesGone,
} from "../components/karpenter/instances-gone";
import { parseSpotRoleArgs, spotRoleOutcome } from "../components/karpenter/spot-role";
import { AWS, COMMAND, KUBERNETES, PULUMI_EKS } from "../components/resource-types";
import {
  PROJECT_ROOT,
  type ProgramRun,
  type RecordedResource,
  resource,
  runProgram,
  transitiveDependencies,
} from "../render/harness";
import { destroyOrder } from "./destroy-order";
import { isAllowed } from "./iam-eval";

const CLUSTER = "eks-platform-dev";

/** An instance as EC2 answers it, tagged as Karpenter tags its own (utils.go GetTags), with tags left out or changed. */
function instance(id: string, state: string, tags: Record<string, string | undefined> = {}): Ec2Instance {
  const all: Record<string, string | undefined> = {
    [NODEPOOL_TAG]: "pods-110",
    [NODECLASS_TAG]: "pods-110",
    [CLUSTER_NAME_TAG]: CLUSTER,
    [`kubernetes.io/cluster/${CLUSTER}`]: "owned",
    ...tags,
  };
  return {
    InstanceId: id,
    State: { Name: state },
    Tags: Object.entries(all).flatMap(([Key, Value]) => (Value === undefined ? [] : [{ Key, Value }])),
  };
}

/** A fake EC2: what DescribeInstances answers (filters are EC2's to apply; the check filters again), and what was terminated. */
function fakeEc2(initial: Ec2Instance[], karpenterTerminatesAfter?: number) {
  let instances = initial;
  let calls = 0;
  const terminated: string[][] = [];
  return {
    terminated,
    describe: async () => {
      calls++;
      if (karpenterTerminatesAfter !== undefined && calls > karpenterTerminatesAfter) instances = [];
      return instances;
    },
    terminate: async (ids: readonly string[]) => {
      terminated.push([...ids]);
      instances = instances.map((i) =>
        ids.includes(i.InstanceId ?? "") ? { ...i, State: { Name: "shutting-down" } } : i,
      );
    },
    finish: () => {
      instances = instances.filter((i) => i.State?.Name !== "shutting-down");
    },
  };
}

describe("karpenter teardown: no instance Karpenter launched is left behind", async () => {
  const run = await runProgram({ config: { domain: "example.com" } });
  const order = destroyOrder(run);
  const at = (r: RecordedResource) => order.indexOf(r.urn);
  const check = resource(run, COMMAND.local, "karpenter-instances-instances-gone");

  it("destroy deletes the apps, then the NodePools (Karpenter drains them), then the instance check, then the cluster and the network", () => {
    const pools = run.resources.filter((r) => r.type === KUBERNETES.nodePool);
    const apps = run.resources.filter(
      (r) =>
        (r.type === KUBERNETES.deployment || r.type === KUBERNETES.horizontalPodAutoscaler) &&
        ["echo", "game-2048", "tetris", "mario"].includes(String((r.inputs.metadata as { name?: string }).name)),
    );
    assert.ok(pools.length >= 1 && apps.length === 8, `${pools.length} pools, ${apps.length} app objects`);
    const lastApp = Math.max(...apps.filter((r) => r.type === KUBERNETES.deployment).map(at));
    for (const pool of pools) assert.ok(lastApp < at(pool), `the apps' Deployments go before ${pool.name}`);
    assert.ok(Math.max(...pools.map(at)) < at(check), "the check runs once the NodePools are gone");
    const outlive = [
      ...run.resources.filter((r) => r.type === AWS.subnet || r.type === AWS.natGateway || r.type === AWS.vpc),
      ...run.resources.filter((r) => r.type === PULUMI_EKS.cluster),
    ];
    assert.ok(outlive.length >= 8);
    for (const r of outlive) assert.ok(at(check) < at(r), `${r.type} ${r.name} outlives the check`);
  });

  it("the check names only the cluster and runs this checkout's script with the program's region and credentials, leaving Karpenter a grace within its bound", () => {
    const line = String(check.inputs.delete);
    assert.equal(check.inputs.create, undefined, "creating it does nothing");
    const words = line.split(/\s+/);
    assert.deepEqual(words.slice(0, 3), ["node", "--import", "tsx"]);
    assert.equal(path.resolve(PROJECT_ROOT, words[3]), require.resolve("../components/karpenter/instances-gone"));
    const options = parseInstancesGoneArgs(words.slice(4));
    assert.deepEqual(options, {
      cluster: CLUSTER,
      graceSeconds: KARPENTER_GRACE_SECONDS,
      timeoutSeconds: INSTANCES_GONE_TIMEOUT_SECONDS,
      intervalSeconds: 10,
      assumeRoles: [],
    });
    assert.equal((check.inputs.environment as Record<string, string>).AWS_REGION, "ap-northeast-2");
    // With assumed roles, the ARNs go on the line and the external ids in the secret environment.
    const role = { roleArn: "arn:aws:iam::123456789012:role/deployer", externalId: "shared-secret" };
    const withRole = instancesGoneCommand({ clusterName: CLUSTER, credentials: { assumeRoles: [role] } });
    assert.ok(!withRole.includes("shared-secret"));
    assert.deepEqual(
      parseInstancesGoneArgs(withRole.split(/\s+/).slice(4), {
        [EXTERNAL_IDS_ENV]: JSON.stringify({ [role.roleArn]: role.externalId }),
      }).assumeRoles,
      [role],
    );
    assert.ok(KARPENTER_GRACE_SECONDS > 0 && KARPENTER_GRACE_SECONDS < INSTANCES_GONE_TIMEOUT_SECONDS);
  });

  it("finds instances as Karpenter lists its own, and never one missing a tag or of another cluster", () => {
    assert.deepEqual(karpenterInstanceFilters(CLUSTER), [
      { Name: "tag-key", Values: ["karpenter.sh/nodepool"] },
      { Name: "tag-key", Values: ["karpenter.k8s.aws/ec2nodeclass"] },
      { Name: "tag:eks:eks-cluster-name", Values: [CLUSTER] },
      { Name: "instance-state-name", Values: ["pending", "running", "stopping", "stopped", "shutting-down"] },
    ]);
    const found = karpenterInstances(
      [
        instance("i-ours", "running"),
        instance("i-stopped", "stopped"),
        instance("i-gone", "terminated"),
        instance("i-managed-group", "running", { [NODEPOOL_TAG]: undefined }),
        instance("i-no-class", "running", { [NODECLASS_TAG]: undefined }),
        instance("i-other-cluster", "running", { [CLUSTER_NAME_TAG]: "eks-platform-prod" }),
        instance("i-not-owned", "running", { [`kubernetes.io/cluster/${CLUSTER}`]: undefined }),
      ],
      CLUSTER,
    );
    assert.deepEqual(
      found.map((i) => i.id),
      ["i-ours", "i-stopped"],
    );
  });

  const waitArgs = (ec2: ReturnType<typeof fakeEc2>, log: string[] = []) => ({
    describe: ec2.describe,
    terminate: ec2.terminate,
    cluster: CLUSTER,
    graceSeconds: 30,
    timeoutSeconds: 120,
    intervalSeconds: 10,
    sleep: async () => {
      ec2.finish();
    },
    log: (line: string) => log.push(line),
  });

  it("leaves Karpenter its grace: instances it terminates in time are never touched", async () => {
    const ec2 = fakeEc2([instance("i-1", "running")], 2);
    const result = await waitUntilInstancesGone({ ...waitArgs(ec2), sleep: async () => {} });
    assert.deepEqual(result, { gone: true, remaining: [], terminated: [] });
    assert.deepEqual(ec2.terminated, []);
  });

  it("after the grace, terminates only this cluster's Karpenter instances, once each, and waits until they are gone", async () => {
    const ec2 = fakeEc2([
      instance("i-1", "running"),
      instance("i-2", "shutting-down"),
      instance("i-other", "running", { [CLUSTER_NAME_TAG]: "someone-else" }),
    ]);
    let sleeps = 0;
    const result = await waitUntilInstancesGone({
      ...waitArgs(ec2),
      // Nothing ends during the grace; once terminated, an instance leaves on the next poll.
      sleep: async () => {
        sleeps++;
        if (sleeps > 3) ec2.finish();
      },
    });
    assert.deepEqual(ec2.terminated, [["i-1"]], "one call, for the one still running (i-2 is already going)");
    assert.equal(result.gone, true);
    assert.deepEqual(result.terminated, ["i-1"]);
  });

  it("fails, bounded, when instances stay, naming them", async () => {
    const stuck: Ec2Instance[] = [instance("i-stuck", "running")];
    const terminated: string[][] = [];
    let polls = 0;
    const result = await waitUntilInstancesGone({
      describe: async () => {
        polls++;
        return stuck;
      },
      terminate: async (ids) => {
        terminated.push([...ids]);
      },
      cluster: CLUSTER,
      graceSeconds: 30,
      timeoutSeconds: 120,
      intervalSeconds: 10,
      sleep: async () => {},
      log: () => {},
    });
    assert.deepEqual(result, { gone: false, remaining: ["i-stuck"], terminated: ["i-stuck"] });
    assert.equal(polls, 13, "120 s at 10 s: 13 looks, no more");
    assert.deepEqual(terminated, [["i-stuck"]], "terminated once, not on every poll");
  });

  it("refuses a command line it does not know, or a grace not shorter than the timeout", () => {
    assert.throws(() => parseInstancesGoneArgs(["--cluster", CLUSTER, "--force"]), /Unknown option '--force'/);
    assert.throws(() => parseInstancesGoneArgs([]), /usage: instances-gone\.ts/);
    assert.throws(
      () => parseInstancesGoneArgs(["--cluster", CLUSTER, "--grace", "900", "--timeout", "900"]),
      /--grace 900: expected less than --timeout 900/,
    );
    assert.throws(() => parseInstancesGoneArgs(["--cluster", CLUSTER, "--interval", "0"]), /--interval 0/);
  });

  it("the deploy role may list instances and terminate this cluster's Karpenter instances, as Karpenter's controller may, and no other instance", () => {
    assert.ok(PROGRAM_READS.includes("ec2:DescribeInstances"));
    const policy = deployPolicy(
      run.resources.map((r) => r.type),
      { partition: "aws", accountId: "123456789012", stackTag: { key: "eks-platform/stack", value: CLUSTER } },
    );
    const terminate = (tags: Record<string, string>) =>
      isAllowed(policy, {
        action: "ec2:TerminateInstances",
        resource: "arn:aws:ec2:ap-northeast-2:123456789012:instance/i-0123456789abcdef0",
        context: Object.fromEntries(Object.entries(tags).map(([k, v]) => [`aws:ResourceTag/${k}`, v])),
      });
    // Every instance the check would pick (the fixture's tags are Karpenter's own, utils.go GetTags) may be terminated.
    const tagsOf = (i: Ec2Instance) => Object.fromEntries((i.Tags ?? []).map((t) => [String(t.Key), String(t.Value)]));
    const ours = instance("i-ours", "running");
    assert.equal(karpenterInstances([ours], CLUSTER).length, 1);
    assert.ok(terminate(tagsOf(ours)));
    const owned = { [`kubernetes.io/cluster/${CLUSTER}`]: "owned" };
    assert.ok(!terminate(owned), "a managed group's node carries no NodePool tag");
    assert.ok(!terminate({ [CLUSTER_NAME_TAG]: CLUSTER, [NODEPOOL_TAG]: "pods-110" }), "not owned by this cluster");
    assert.ok(!terminate({ "kubernetes.io/cluster/eks-platform-prod": "owned", [NODEPOOL_TAG]: "pods-110" }));
    assert.ok(!terminate({}));
  });
});

describe("karpenter spot: EC2 Spot's service-linked role is there before any pool may launch Spot", async () => {
  const [onDemand, spot] = await Promise.all([
    runProgram(),
    runProgram({ config: { karpenterCapacityTypes: '["spot","on-demand"]' } }),
  ]);
  const ensure = (run: ProgramRun) =>
    run.resources.filter((r) => r.type === COMMAND.local && r.name === "spot-role-ensure");

  it("with spot, a create-only command makes the role before every NodePool; on-demand only, nothing", () => {
    assert.deepEqual(ensure(onDemand), []);
    const [command] = ensure(spot);
    assert.ok(command, "no spot role command");
    assert.equal(command.inputs.delete, undefined, "a destroy never deletes the account's role");
    const words = String(command.inputs.create).split(/\s+/);
    assert.equal(path.resolve(PROJECT_ROOT, words[3]), require.resolve("../components/karpenter/spot-role"));
    assert.deepEqual(parseSpotRoleArgs(words.slice(4)), { assumeRoles: [] });
    for (const pool of spot.resources.filter((r) => r.type === KUBERNETES.nodePool))
      assert.ok(transitiveDependencies(spot, pool.urn).has(command.urn), `${pool.name} waits for the role`);
  });

  it("IAM's answer to a duplicate is success, any other failure is reported; the deploy role may create Spot's role and no other service's beyond EKS's", () => {
    assert.equal(spotRoleOutcome(undefined), "created");
    // IAM's answer when the role exists, as Karpenter's guide quotes it (step06-add-spot-role.sh L3).
    // The pinned SDK's own exception, as the client raises it for IAM's InvalidInput answer.
    const invalidInput = (message: string) => new InvalidInputException({ message, $metadata: {} });
    const duplicate = invalidInput(
      "Service role name AWSServiceRoleForEC2Spot has been taken in this account, please try a different suffix.",
    );
    assert.equal(spotRoleOutcome(duplicate), "exists");
    const denied = Object.assign(new Error("not authorized to perform: iam:CreateServiceLinkedRole"), {
      name: "AccessDeniedException",
    });
    assert.throws(() => spotRoleOutcome(denied), /not authorized/);
    const otherInvalid = invalidInput("Invalid service name");
    assert.throws(() => spotRoleOutcome(otherInvalid), /Invalid service name/);
    const policy = deployPolicy(
      spot.resources.map((r) => r.type),
      { partition: "aws", accountId: "123456789012", stackTag: { key: "eks-platform/stack", value: CLUSTER } },
    );
    const create = (service: string) =>
      isAllowed(policy, {
        action: "iam:CreateServiceLinkedRole",
        resource: `arn:aws:iam::123456789012:role/aws-service-role/${service}/AWSServiceRoleFor`,
        context: { "iam:AWSServiceName": service },
      });
    assert.ok(create("spot.amazonaws.com"));
    assert.ok(create("eks.amazonaws.com"));
    assert.ok(!create("elasticmapreduce.amazonaws.com"));
  });
});
