/**
 * The pack's policies: the invariants this blueprint promises, stated over resources as Pulumi sees
 * them, so they travel with the stack and run in `pulumi preview --policy-pack policy`.
 *
 * What each policy is (its rule, level, and the checkov / kube-score / EKS Best Practices rules it
 * corresponds to) is data in catalog.ts; each rule is a pure function in rules/ (tested on the recorded
 * dev stack by test/policy.test.ts). This file only adapts them to the engine. Written on @pulumi/policy
 * directly: @pulumi/awsguard depends on @pulumi/aws ^4 and cannot check the v7 resources this program makes.
 *
 * Mandatory: a violation fails the preview. Advisory: printed, for what a team may choose to relax.
 */
import type {
  ResourceValidation,
  ResourceValidationPolicy,
  StackValidation,
  StackValidationPolicy,
} from "@pulumi/policy";
import { CATALOG, ruleIdsText } from "./catalog";
import type { PolicyInput, StackInput, StackViolation, Verdict } from "./rules/props";

/** A resource rule as the engine calls it: not applicable, or each violation reported. */
function resourceRule(rule: (resource: PolicyInput) => Verdict): ResourceValidation {
  return (args, reportViolation) => {
    const verdict = rule({ type: args.type, props: args.props });
    if ("notApplicable" in verdict) return args.notApplicable(verdict.notApplicable);
    for (const message of verdict) reportViolation(message);
  };
}

/** A stack rule as the engine calls it, each violation reported against the resource at fault. */
function stackRule(rule: (resources: readonly StackInput[]) => StackViolation[]): StackValidation {
  return (args, reportViolation) => {
    const resources = args.resources.map((r) => ({
      type: r.type,
      urn: r.urn,
      name: r.name,
      props: r.props,
      dependencies: r.dependencies.map((d) => d.urn),
    }));
    for (const violation of rule(resources)) reportViolation(violation.message, violation.urn);
  };
}

export const policies: (ResourceValidationPolicy | StackValidationPolicy)[] = CATALOG.map((p) => {
  const ids = ruleIdsText(p.rules);
  const common = {
    name: p.name,
    description: ids ? `${p.description} (${ids})` : p.description,
    url: p.url,
    enforcementLevel: p.level,
  };
  return "resource" in p.check
    ? { ...common, validateResource: resourceRule(p.check.resource) }
    : { ...common, validateStack: stackRule(p.check.stack) };
});
