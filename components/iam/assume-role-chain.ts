/**
 * The program's own AWS credentials for the delete-time commands (the DNS record check, Karpenter's instance
 * check): a command's process gets the CLI's environment and nothing of the AWS provider's configuration
 * (pulumi-command 1.2.1 commandOutputs.go L81-86 @ 7f3eb6f3), so the program hands it the region, the profile
 * and the roles of `aws:assumeRoles`, which the command assumes in turn as the provider does.
 */
/** A role to assume, as the AWS provider's `aws:assumeRoles` names it. */
export interface AssumedRole {
  readonly roleArn: string;
  readonly externalId?: string;
}

/** The AWS provider's credentials settings a command needs: aws:profile and aws:assumeRoles. */
export interface CommandCredentials {
  readonly profile?: string;
  readonly assumeRoles: readonly AssumedRole[];
}

/**
 * The environment variable that carries the roles' external ids, as JSON `{ "<role arn>": "<external id>" }`:
 * an external id is a shared secret, so it stays out of the command line (which every user of the machine can
 * read in the process list, and which Pulumi keeps in the state in the clear); the program marks this value
 * secret.
 */
export const EXTERNAL_IDS_ENV = "RECORDS_GONE_EXTERNAL_IDS";

/** The external ids of the roles that have one, as EXTERNAL_IDS_ENV carries them (undefined: none has one). */
export function externalIdsEnv(roles: readonly AssumedRole[]): string | undefined {
  const ids = Object.fromEntries(roles.flatMap((r) => (r.externalId ? [[r.roleArn, r.externalId]] : [])));
  return Object.keys(ids).length > 0 ? JSON.stringify(ids) : undefined;
}

/** `--assume-role` arguments for a command line: the ARNs only (their external ids travel in EXTERNAL_IDS_ENV). */
export function assumeRoleFlags(roles: readonly AssumedRole[]): string[] {
  return roles.map((role) => `--assume-role ${role.roleArn}`);
}

/** The roles of `--assume-role` flags, each with its external id from the environment; throws naming a bad value. */
export function parseAssumeRoles(
  roleArns: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): AssumedRole[] {
  let externalIds: Record<string, unknown> = {};
  const idsText = env[EXTERNAL_IDS_ENV];
  if (idsText) {
    const parsed: unknown = JSON.parse(idsText);
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed))
      throw new Error(`${EXTERNAL_IDS_ENV}: expected a JSON object of external ids by role ARN`);
    externalIds = parsed as Record<string, unknown>;
  }
  return roleArns.map((roleArn): AssumedRole => {
    if (!/^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/.test(roleArn))
      throw new Error(
        `--assume-role ${roleArn}: expected an IAM role ARN (its external id goes in ${EXTERNAL_IDS_ENV})`,
      );
    const externalId = externalIds[roleArn];
    return typeof externalId === "string" && externalId !== "" ? { roleArn, externalId } : { roleArn };
  });
}

/** Credentials after assuming each role in turn, starting from the ambient ones (none to assume: undefined, the ambient ones). */
export async function assumeRoleChain(
  roles: readonly AssumedRole[],
  sessionName: string,
): Promise<{ accessKeyId: string; secretAccessKey: string; sessionToken?: string } | undefined> {
  if (roles.length === 0) return undefined;
  const { STSClient, AssumeRoleCommand } = await import("@aws-sdk/client-sts");
  let credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string } | undefined;
  for (const role of roles) {
    const sts = new STSClient(credentials ? { credentials } : {});
    const answer = await sts.send(
      new AssumeRoleCommand({ RoleArn: role.roleArn, RoleSessionName: sessionName, ExternalId: role.externalId }),
    );
    const c = answer.Credentials;
    if (!c?.AccessKeyId || !c.SecretAccessKey) throw new Error(`AssumeRole ${role.roleArn} returned no credentials`);
    credentials = { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken };
  }
  return credentials;
}
