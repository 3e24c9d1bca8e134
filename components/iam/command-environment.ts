import * as pulumi from "@pulumi/pulumi";
import { type CommandCredentials, EXTERNAL_IDS_ENV, externalIdsEnv } from "./assume-role-chain";

/** A command's environment: region, profile, and the roles' external ids as a secret (never on the command line). */
export function commandEnvironment(args: {
  readonly region: string;
  readonly credentials: CommandCredentials;
}): Record<string, pulumi.Input<string>> {
  const externalIds = externalIdsEnv(args.credentials.assumeRoles);
  return {
    AWS_REGION: args.region,
    ...(args.credentials.profile ? { AWS_PROFILE: args.credentials.profile } : {}),
    ...(externalIds ? { [EXTERNAL_IDS_ENV]: pulumi.secret(externalIds) } : {}),
  };
}
