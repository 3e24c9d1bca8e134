/** The first pass: the configuration as the CLI hands it over, read against its schema and EKS's calendar. */
import * as pulumi from "@pulumi/pulumi";
import { isCalendarDate, SUPPORT_TYPES, type SupportType, supportProblem } from "../components/cluster/eks-versions";
import { ConfigError } from "./errors";
import { CONFIG_DEFAULTS, keyName, MAX_KUBERNETES_MINOR, MIN_KUBERNETES_MINOR, PROJECT, quoted, show } from "./keys";
import { type ConfigValues, configSchema, deployableKubernetesVersions } from "./schema";

/**
 * The date a deploy is judged on (YYYY-MM-DD, UTC): EKS's support calendar decides which versions it runs
 * as asked. `pulumi up` reads the day it runs; the offline render and the tests give it
 * (EKS_PLATFORM_DATE), so what they show does not change with the day they run.
 */
export function deployDate(): string {
  const given = process.env.EKS_PLATFORM_DATE;
  if (given !== undefined) {
    if (!isCalendarDate(given))
      throw new ConfigError([`EKS_PLATFORM_DATE: expected a date such as 2026-12-01, got ${JSON.stringify(given)}`]);
    return given;
  }
  return new Date().toISOString().slice(0, 10);
}

/** Versions this project deploys with this support type on this date: pinned, offered, and run by EKS as asked. */
export function acceptedKubernetesVersions(supportType: SupportType, date: string): string[] {
  return deployableKubernetesVersions().filter((v) => supportProblem(v, supportType, date) === undefined);
}

/**
 * What a kubernetesVersion error offers: the versions accepted on that day with that support type (and those
 * extended support would add), or, when the calendar has moved past every pin, what to do instead of an
 * empty list.
 */
function versionsOnOffer(supportType: SupportType, date: string): string {
  const accepted = acceptedKubernetesVersions(supportType, date);
  const extended = acceptedKubernetesVersions("EXTENDED", date).filter((v) => !accepted.includes(v));
  const alsoExtended = extended.length > 0 ? ` (with supportType EXTENDED also ${quoted(extended)})` : "";
  if (accepted.length > 0)
    return `expected one of ${quoted(accepted)} on ${date} with supportType ${supportType}${alsoExtended}`;
  return `no version this project pins is in ${supportType === "STANDARD" ? "standard" : "any"} support on ${date}${alsoExtended}: npm run refresh brings newer add-on pins and EKS's calendar; then upgrade, one minor at a time`;
}

/** First pass: the values' own form. Returns the values or the problem lines. */
export function parseConfigValues(
  raw: Readonly<Record<string, string | undefined>>,
  date: string = deployDate(),
): ConfigValues | string[] {
  const result = configSchema.safeParse(raw);
  if (result.success) {
    // The version against EKS's calendar: one EKS would refuse or upgrade at once is refused, and the error
    // offers the versions it would run as asked.
    const { kubernetesVersion, supportType } = result.data;
    const problem = supportProblem(kubernetesVersion, supportType, date);
    if (problem === undefined) return result.data;
    return [
      `${keyName("kubernetesVersion")}: ${versionsOnOffer(supportType, date)}: ${problem} (got ${show(raw.kubernetesVersion)})`,
    ];
  }
  const seen = new Set<string>();
  const problems: string[] = [];
  for (const issue of result.error.issues) {
    const key = issue.path[0];
    // One line per key: a key's first problem is the one to fix first.
    if (seen.has(String(key))) continue;
    seen.add(String(key));
    // The versions on offer depend on the support type and the date: list only those that would be accepted.
    const message =
      key === "kubernetesVersion"
        ? `${versionsOnOffer(SUPPORT_TYPES.find((t) => t === raw.supportType) ?? CONFIG_DEFAULTS.supportType, date)}: the versions EKS offers (1.${MIN_KUBERNETES_MINOR} to 1.${MAX_KUBERNETES_MINOR}) whose add-on versions are pinned (data/aws/addon-versions.json) and that EKS runs as asked`
        : issue.message;
    problems.push(`${keyName(key)}: ${message} (got ${show(raw[String(key)])})`);
  }
  return problems;
}

/** Reads the project's configuration the way the Pulumi CLI hands it over: one string per key. */
export function readRawConfig(): Record<string, string | undefined> {
  const config = new pulumi.Config(PROJECT);
  return Object.fromEntries(Object.keys(CONFIG_DEFAULTS).map((key) => [key, config.get(key)]));
}
