/**
 * The delete-time check that no instance Karpenter launched for this cluster is left: it runs after the
 * NodePools are deleted and before the subnets, the cluster and its security groups go. Deleting a NodePool
 * normally has Karpenter drain and terminate its nodes first; but the Kubernetes provider with
 * `deleteUnreachable` drops a NodePool from the state without deleting it when it cannot reach the cluster
 * (pulumi-kubernetes provider.go L2574-2587 @ 94977969), and then nothing would terminate its instances: they
 * would keep their ENIs in the subnets, block the VPC's deletion, and keep billing. So: wait, bounded, for
 * Karpenter; then terminate what is left, and wait until it is gone. docs/teardown.md says more.
 *
 * Usage: node --import tsx components/karpenter/instances-gone.ts --cluster <name> [--grace 120] [--timeout 900]
 *          [--interval 10] [--assume-role <role arn> ...]
 */
import { parseArgs } from "node:util";
import { type AssumedRole, assumeRoleChain, EXTERNAL_IDS_ENV, parseAssumeRoles } from "../iam/assume-role-chain";
import { pollAttempts, runAsScript, wholeSeconds } from "../iam/command-script";

/**
 * Karpenter's own way of finding its instances, as its instance provider lists them: the tags it puts on every
 * instance it launches (NodePool, node class, and the cluster's name), in a state that still holds resources
 * (karpenter-provider-aws v1.14.1 pkg/providers/instance/instance.go L71-79 and L222-241 @ bde00654;
 * the tags in pkg/utils/utils.go L116-121).
 */
export const NODEPOOL_TAG = "karpenter.sh/nodepool";
export const NODECLASS_TAG = "karpenter.k8s.aws/ec2nodeclass";
export const CLUSTER_NAME_TAG = "eks:eks-cluster-name";
export const LIVE_STATES = ["pending", "running", "stopping", "stopped", "shutting-down"] as const;

/** The DescribeInstances filters that find this cluster's Karpenter instances still holding resources. */
export function karpenterInstanceFilters(cluster: string): Array<{ Name: string; Values: string[] }> {
  return [
    { Name: "tag-key", Values: [NODEPOOL_TAG] },
    { Name: "tag-key", Values: [NODECLASS_TAG] },
    { Name: `tag:${CLUSTER_NAME_TAG}`, Values: [cluster] },
    { Name: "instance-state-name", Values: [...LIVE_STATES] },
  ];
}

/** An instance as DescribeInstances returns it (the fields read here). */
export interface Ec2Instance {
  readonly InstanceId?: string;
  readonly State?: { readonly Name?: string };
  readonly Tags?: ReadonlyArray<{ readonly Key?: string; readonly Value?: string }>;
}

/**
 * Of the instances an answer lists, those of this cluster's Karpenter still holding resources: the filters
 * again, so an instance without every tag (one this program's Karpenter did not launch) is never touched, and
 * the `kubernetes.io/cluster/<name>: owned` tag Karpenter's own termination is scoped by (iam-policy.ts
 * karpenterInstanceScope, which the deploy role shares): what is found here is what may be terminated.
 */
export function karpenterInstances(
  instances: readonly Ec2Instance[],
  cluster: string,
): Array<{ id: string; state: string; nodePool: string }> {
  return instances.flatMap((instance) => {
    const tags = new Map((instance.Tags ?? []).map((t) => [t.Key ?? "", t.Value ?? ""]));
    const state = instance.State?.Name ?? "";
    const ours =
      instance.InstanceId !== undefined &&
      tags.has(NODEPOOL_TAG) &&
      tags.has(NODECLASS_TAG) &&
      tags.get(CLUSTER_NAME_TAG) === cluster &&
      tags.get(`kubernetes.io/cluster/${cluster}`) === "owned" &&
      (LIVE_STATES as readonly string[]).includes(state);
    return ours ? [{ id: instance.InstanceId as string, state, nodePool: tags.get(NODEPOOL_TAG) as string }] : [];
  });
}

/**
 * Polls until none of this cluster's Karpenter instances holds resources. For the first `graceSeconds` it only
 * waits (Karpenter drains and terminates them itself when it is running); after that it terminates those not
 * already shutting down, once each, and keeps waiting. Every wait is bounded by `timeoutSeconds`.
 */
export async function waitUntilInstancesGone(args: {
  describe: () => Promise<readonly Ec2Instance[]>;
  terminate: (ids: readonly string[]) => Promise<void>;
  cluster: string;
  graceSeconds: number;
  timeoutSeconds: number;
  intervalSeconds: number;
  sleep: (ms: number) => Promise<void>;
  log: (line: string) => void;
}): Promise<{ gone: boolean; remaining: string[]; terminated: string[] }> {
  const attempts = pollAttempts(args.timeoutSeconds, args.intervalSeconds);
  const terminated = new Set<string>();
  let remaining: Array<{ id: string; state: string; nodePool: string }> = [];
  for (let attempt = 0; attempt < attempts; attempt++) {
    remaining = karpenterInstances(await args.describe(), args.cluster);
    if (remaining.length === 0) return { gone: true, remaining: [], terminated: [...terminated].sort() };
    const elapsed = attempt * args.intervalSeconds;
    const stragglers = remaining.filter((i) => i.state !== "shutting-down" && !terminated.has(i.id));
    if (elapsed >= args.graceSeconds && stragglers.length > 0) {
      args.log(
        `terminating ${stragglers.length} instance(s) Karpenter left: ${stragglers.map((i) => `${i.id} (NodePool ${i.nodePool}, ${i.state})`).join(", ")}`,
      );
      await args.terminate(stragglers.map((i) => i.id));
      for (const i of stragglers) terminated.add(i.id);
    } else {
      args.log(
        `waiting for ${remaining.length} Karpenter instance(s) to go: ${remaining.map((i) => `${i.id} (${i.state})`).join(", ")}`,
      );
    }
    if (attempt < attempts - 1) await args.sleep(args.intervalSeconds * 1000);
  }
  return { gone: false, remaining: remaining.map((i) => i.id), terminated: [...terminated].sort() };
}

/** The script's command line, as `main` reads it: what the delete-time command must pass. */
export interface InstancesGoneOptions {
  readonly cluster: string;
  readonly graceSeconds: number;
  readonly timeoutSeconds: number;
  readonly intervalSeconds: number;
  readonly assumeRoles: readonly AssumedRole[];
}

export const INSTANCES_GONE_USAGE = `usage: instances-gone.ts --cluster <EKS cluster name> [--grace s] [--timeout s] [--interval s] [--assume-role <role arn> ...] (external ids in $${EXTERNAL_IDS_ENV}, JSON by role ARN)`;

/** Parses the command line (and the external ids from the environment); throws naming what is wrong. */
export function parseInstancesGoneArgs(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>> = {},
): InstancesGoneOptions {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      cluster: { type: "string" },
      grace: { type: "string", default: "120" },
      timeout: { type: "string", default: "900" },
      interval: { type: "string", default: "10" },
      "assume-role": { type: "string", multiple: true, default: [] },
    },
    strict: true,
    allowPositionals: false,
  });
  const assumeRoles = parseAssumeRoles(values["assume-role"] ?? [], env);
  if (!values.cluster) throw new Error(INSTANCES_GONE_USAGE);
  const options = {
    cluster: values.cluster,
    graceSeconds: wholeSeconds("grace", values.grace, 0),
    timeoutSeconds: wholeSeconds("timeout", values.timeout),
    intervalSeconds: wholeSeconds("interval", values.interval),
    assumeRoles,
  };
  if (options.graceSeconds >= options.timeoutSeconds)
    throw new Error(`--grace ${options.graceSeconds}: expected less than --timeout ${options.timeoutSeconds}`);
  return options;
}

async function main(argv: readonly string[]): Promise<number> {
  let options: InstancesGoneOptions;
  try {
    options = parseInstancesGoneArgs(argv, process.env);
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n${INSTANCES_GONE_USAGE}\n`);
    return 2;
  }
  const { EC2Client, paginateDescribeInstances, TerminateInstancesCommand } = await import("@aws-sdk/client-ec2");
  const credentials = await assumeRoleChain(options.assumeRoles, "eks-platform-instances-gone");
  const client = new EC2Client(credentials ? { credentials } : {});
  const result = await waitUntilInstancesGone({
    describe: async () => {
      const instances: Ec2Instance[] = [];
      for await (const page of paginateDescribeInstances(
        { client },
        { Filters: karpenterInstanceFilters(options.cluster), MaxResults: 1000 },
      ))
        for (const reservation of page.Reservations ?? []) instances.push(...(reservation.Instances ?? []));
      return instances;
    },
    terminate: async (ids) => {
      await client.send(new TerminateInstancesCommand({ InstanceIds: [...ids] }));
    },
    cluster: options.cluster,
    graceSeconds: options.graceSeconds,
    timeoutSeconds: options.timeoutSeconds,
    intervalSeconds: options.intervalSeconds,
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    log: (line) => process.stderr.write(`${line}\n`),
  });
  if (result.gone) return 0;
  process.stderr.write(
    `Instances Karpenter launched for cluster ${options.cluster} were still there after ${options.timeoutSeconds} s: ${result.remaining.join(", ")}.\n` +
      "Check them in the EC2 console (tag eks:eks-cluster-name); terminate them (aws ec2 terminate-instances --instance-ids ...), then run `pulumi destroy` again.\n",
  );
  return 1;
}

runAsScript(module, "instances-gone", main);
