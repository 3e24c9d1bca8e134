import * as command from "@pulumi/command";
import * as pulumi from "@pulumi/pulumi";
import { assumeRoleFlags, type CommandCredentials } from "../iam/assume-role-chain";
import { commandEnvironment } from "../iam/command-environment";
import { COMPONENTS } from "../resource-types";

export interface SpotServiceLinkedRoleArgs {
  /** The region of the IAM call's endpoint: the program's own. */
  readonly region: string;
  /** The AWS provider's credentials settings (aws:profile, aws:assumeRoles): the command gets none of them otherwise. */
  readonly credentials: CommandCredentials;
}

/**
 * EC2 Spot's service-linked role, made if the account lacks it (spot-role.ts), before any NodePool that may
 * launch Spot. A command and not an aws.iam.ServiceLinkedRole: the resource would fail to create where the role
 * exists (IAM refuses a duplicate), and adopting it would make the stack the owner of an account-wide role its
 * destroy must not delete. Creating runs it once; deleting does nothing.
 */
export class SpotServiceLinkedRole extends pulumi.ComponentResource {
  /** What the NodePools depend on. */
  public readonly ready: pulumi.Resource;

  constructor(name: string, args: SpotServiceLinkedRoleArgs, opts?: pulumi.ComponentResourceOptions) {
    super(COMPONENTS.spotServiceLinkedRole, name, {}, opts);
    this.ready = new command.local.Command(
      `${name}-ensure`,
      { create: spotRoleCommand(args), environment: commandEnvironment(args) },
      { parent: this },
    );
    this.registerOutputs({});
  }
}

/** The create-time command line (pure, for the tests). */
export function spotRoleCommand(args: Pick<SpotServiceLinkedRoleArgs, "credentials">): string {
  return ["node --import tsx components/karpenter/spot-role.ts", ...assumeRoleFlags(args.credentials.assumeRoles)].join(
    " ",
  );
}
