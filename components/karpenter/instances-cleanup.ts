import * as command from "@pulumi/command";
import * as pulumi from "@pulumi/pulumi";
import { assumeRoleFlags, type CommandCredentials } from "../iam/assume-role-chain";
import { commandEnvironment } from "../iam/command-environment";
import { COMPONENTS } from "../resource-types";

/** How long the check leaves to Karpenter before it terminates what is left, and how long it waits in all. */
export const KARPENTER_GRACE_SECONDS = 120;
export const INSTANCES_GONE_TIMEOUT_SECONDS = 900;

export interface KarpenterInstancesCleanupArgs {
  /** The EKS cluster's name: Karpenter tags every instance it launches with it. */
  readonly clusterName: string;
  /** The region of the EC2 calls: the program's own. */
  readonly region: string;
  /** The AWS provider's credentials settings (aws:profile, aws:assumeRoles): the command gets none of them otherwise. */
  readonly credentials: CommandCredentials;
  /** What the instances hold or sit in (the subnets and their routes, the cluster and its security groups): they outlive this check. */
  readonly outlives: readonly pulumi.Resource[];
}

/**
 * Holds the network and the cluster until no instance Karpenter launched is left. The NodePools depend on this,
 * and this on the subnets and the cluster, so `pulumi destroy` deletes the NodePools (Karpenter terminates
 * their nodes), then runs this check (instances-gone.ts: waits for Karpenter, then terminates stragglers), then
 * the network. Creating it does nothing.
 */
export class KarpenterInstancesCleanup extends pulumi.ComponentResource {
  /** What the NodePools depend on. */
  public readonly ready: pulumi.Resource;

  constructor(name: string, args: KarpenterInstancesCleanupArgs, opts?: pulumi.ComponentResourceOptions) {
    super(COMPONENTS.karpenterInstancesCleanup, name, {}, opts);
    this.ready = new command.local.Command(
      `${name}-instances-gone`,
      {
        // Relative to the project directory, where `pulumi destroy` runs the program and its commands.
        delete: instancesGoneCommand(args),
        environment: commandEnvironment(args),
      },
      { parent: this, dependsOn: [...args.outlives] },
    );
    this.registerOutputs({});
  }
}

/** The delete-time command line (pure, for the tests): the cluster's name only, so a pool change never replaces it. */
export function instancesGoneCommand(args: Pick<KarpenterInstancesCleanupArgs, "clusterName" | "credentials">): string {
  return [
    "node --import tsx components/karpenter/instances-gone.ts",
    `--cluster ${args.clusterName}`,
    `--grace ${KARPENTER_GRACE_SECONDS}`,
    `--timeout ${INSTANCES_GONE_TIMEOUT_SECONDS}`,
    ...assumeRoleFlags(args.credentials.assumeRoles),
  ].join(" ");
}
