/**
 * Makes sure the account has EC2 Spot's service-linked role, as Karpenter's getting-started guide does before
 * its first Spot launch (step06-add-spot-role.sh @ bde00654: `aws iam create-service-linked-role
 * --aws-service-name spot.amazonaws.com || true`). Without it every Spot launch Karpenter asks for fails: EC2
 * would create the role on the first Spot request only for a caller allowed to, and Karpenter's role is not.
 * IAM answers a duplicate with InvalidInput "Service role name AWSServiceRoleForEC2Spot has been taken in this
 * account" (the same script, L3): that is success here. It never deletes the role: it is the account's, and
 * other Spot users rely on it.
 *
 * Usage: node --import tsx components/karpenter/spot-role.ts [--assume-role <role arn> ...]
 */
import { parseArgs } from "node:util";
import { type AssumedRole, assumeRoleChain, EXTERNAL_IDS_ENV, parseAssumeRoles } from "../iam/assume-role-chain";
import { runAsScript } from "../iam/command-script";

export const SPOT_SERVICE = "spot.amazonaws.com";
export const SPOT_ROLE_NAME = "AWSServiceRoleForEC2Spot";

/** What IAM's answer to CreateServiceLinkedRole means: made now, there already, or a failure to report. */
export function spotRoleOutcome(error: unknown): "created" | "exists" {
  if (error === undefined) return "created";
  const name = (error as { name?: string }).name;
  const message = error instanceof Error ? error.message : String(error);
  if (name === "InvalidInputException" && message.includes(`${SPOT_ROLE_NAME} has been taken in this account`))
    return "exists";
  throw error;
}

export const SPOT_ROLE_USAGE = `usage: spot-role.ts [--assume-role <role arn> ...] (external ids in $${EXTERNAL_IDS_ENV}, JSON by role ARN)`;

/** Parses the command line (and the external ids from the environment); throws naming what is wrong. */
export function parseSpotRoleArgs(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>> = {},
): { assumeRoles: AssumedRole[] } {
  const { values } = parseArgs({
    args: [...argv],
    options: { "assume-role": { type: "string", multiple: true, default: [] } },
    strict: true,
    allowPositionals: false,
  });
  return { assumeRoles: parseAssumeRoles(values["assume-role"] ?? [], env) };
}

async function main(argv: readonly string[]): Promise<number> {
  let options: { assumeRoles: AssumedRole[] };
  try {
    options = parseSpotRoleArgs(argv, process.env);
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n${SPOT_ROLE_USAGE}\n`);
    return 2;
  }
  const { IAMClient, CreateServiceLinkedRoleCommand } = await import("@aws-sdk/client-iam");
  const credentials = await assumeRoleChain(options.assumeRoles, "eks-platform-spot-role");
  const client = new IAMClient(credentials ? { credentials } : {});
  let failure: unknown;
  try {
    await client.send(new CreateServiceLinkedRoleCommand({ AWSServiceName: SPOT_SERVICE }));
  } catch (error) {
    failure = error;
  }
  const outcome = spotRoleOutcome(failure);
  process.stderr.write(`${SPOT_ROLE_NAME}: ${outcome === "created" ? "created" : "already in the account"}\n`);
  return 0;
}

runAsScript(
  module,
  "spot-role",
  main,
  `Karpenter cannot launch Spot without ${SPOT_ROLE_NAME}: create it with aws iam create-service-linked-role --aws-service-name ${SPOT_SERVICE}, or drop spot from karpenterCapacityTypes`,
);
