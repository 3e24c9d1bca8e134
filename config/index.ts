/**
 * All configuration, read and validated once, before any resource is registered: the first pass checks each
 * value's own form (schema.ts, parse.ts), the second checks it against what only AWS knows (aws-facts.ts,
 * resolve.ts), and every problem is reported at once, one line per key. One concern per file:
 *
 *   keys.ts          the keys and their defaults (Pulumi.yaml declares them; a test holds the two together)
 *   schema.ts        each value's form (zod)          parse.ts      the first pass
 *   aws-facts.ts     what AWS answers                 resolve.ts    the second pass, into PlatformConfig
 *   capacity.ts      what the node group must hold    node-sizes.ts  its three sizes' order
 *   warnings.ts      what is accepted, but said       unknown-keys.ts, nearest.ts  keys nothing reads, "did you mean"
 *   cluster-name.ts, errors.ts
 */
import * as pulumi from "@pulumi/pulumi";
import { supportDeadlineWarning } from "../components/cluster/eks-versions";
import { readAwsFacts } from "./aws-facts";
import { clusterNameFor } from "./cluster-name";
import { ConfigError } from "./errors";
import { deployDate, parseConfigValues, readRawConfig } from "./parse";
import { type PlatformConfig, resolveConfig } from "./resolve";
import { unknownConfigKeys } from "./unknown-keys";

export {
  KARPENTER_MIN_GENERATION,
  KARPENTER_MIN_PODS,
  karpenterInstanceTypes,
} from "../components/karpenter/pool-choice";
export {
  type AwsCredentials,
  type AwsFacts,
  EKS_UNSUPPORTED_ZONE_IDS,
  type InstanceTypeFacts,
  nodeArchitecture,
  nodeImageOf,
} from "./aws-facts";
export { autoscalingBurst, plannedPods } from "./capacity";
export { clusterNameFor, clusterNameProblems } from "./cluster-name";
export { ConfigError } from "./errors";
export * from "./keys";
export { acceptedKubernetesVersions, deployDate, parseConfigValues } from "./parse";
export { adminAccess, type PlatformConfig, previewWithoutAccess, resolveConfig } from "./resolve";
export {
  type ConfigKey,
  type ConfigValues,
  configSchema,
  deployableKubernetesVersions,
  kubeProxyModesFor,
} from "./schema";
export { AWS_PROVIDER_KEYS, closestConfigKey, editDistance, unknownConfigKeys } from "./unknown-keys";
export { configWarnings, isPrivateCidr, KARPENTER_ONLY_KEYS } from "./warnings";

/** Reads, validates and resolves all configuration; throws one ConfigError listing every bad key. */
export async function loadConfig(): Promise<PlatformConfig> {
  warned = [];
  const region = new pulumi.Config("aws").get("region") ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION;
  const date = deployDate();
  const values = parseConfigValues(readRawConfig(), date);
  const problems: string[] = region
    ? []
    : ["aws:region: expected an AWS region such as ap-northeast-2 (pulumi config set aws:region ...)"];
  problems.push(...unknownConfigKeys(Object.keys(pulumi.runtime.allConfig())));
  if (Array.isArray(values) || !region || problems.length > 0) {
    throw new ConfigError([...problems, ...(Array.isArray(values) ? values : [])]);
  }
  const facts = await readAwsFacts(values, clusterNameFor(pulumi.getProject(), pulumi.getStack()));
  const resolved = resolveConfig(values, facts, {
    project: pulumi.getProject(),
    stack: pulumi.getStack(),
    region,
    date,
    preview: pulumi.runtime.isDryRun(),
  });
  if (Array.isArray(resolved)) throw new ConfigError(resolved);
  warned = resolved.warnings;
  // Without an engine (the offline render's mocks) pulumi.log would print to the console: the render says
  // them itself, from lastConfigWarnings.
  if (!pulumi.runtime.hasEngine()) return resolved;
  for (const warning of resolved.warnings) void pulumi.log.warn(warning);
  // Ahead of a support deadline, said on every `pulumi up` and preview, so a team upgrades on its own schedule.
  // (The render says it from the cluster's inputs: render/cli.ts.)
  const deadline = supportDeadlineWarning(resolved.kubernetesVersion, resolved.supportType, date);
  if (deadline) void pulumi.log.warn(deadline);
  return resolved;
}

let warned: readonly string[] = [];

/** The warnings the last loadConfig gave (none when it refused): for the offline render, which has no engine. */
export function lastConfigWarnings(): readonly string[] {
  return warned;
}
