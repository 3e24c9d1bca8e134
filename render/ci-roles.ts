/**
 * The CI roles' policies for the stack a render holds (ci-roles/policies.ts): written beside the render as
 * ci-roles/preview-role-policy.json and ci-roles/deploy-role-policy.json, for the account and partition the
 * render answered for (the offline render's is a placeholder account: replace it with yours).
 */
import { type CiRoleContext, deployPolicy, PROGRAM_AWS_TYPES, previewPolicy } from "../ci-roles/policies";
import { AWS } from "../components/resource-types";
import { STACK_TAG_KEY } from "../config/keys";
import type { ProgramRun } from "./harness";

/** The stack's tag value, read from its IAM roles (each must carry it, or the deploy role could not manage it). */
export function ciRoleContext(run: ProgramRun): CiRoleContext {
  const roles = run.resources.filter((r) => r.type === AWS.iamRole);
  const values = new Set(roles.map((r) => (r.inputs.tags as Record<string, string> | undefined)?.[STACK_TAG_KEY]));
  const [value] = values;
  if (values.size !== 1 || value === undefined)
    throw new Error(
      `every IAM role must carry the tag ${STACK_TAG_KEY} with one value; found ${[...values].join(", ")}`,
    );
  return {
    partition: run.identity.partition,
    accountId: run.identity.accountId,
    stackTag: { key: STACK_TAG_KEY, value },
  };
}

export function ciRoleFiles(run: ProgramRun): Map<string, string> {
  const types = PROGRAM_AWS_TYPES;
  const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;
  return new Map([
    ["ci-roles/preview-role-policy.json", json(previewPolicy(types))],
    ["ci-roles/deploy-role-policy.json", json(deployPolicy(types, ciRoleContext(run)))],
  ]);
}
