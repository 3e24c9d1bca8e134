/**
 * The EKS Kubernetes version calendar: when each minor arrived on EKS, when its standard support ends (a
 * STANDARD cluster is then upgraded by EKS itself), and when extended support ends. `npm run refresh` writes
 * it (data/aws/eks-versions.json) from EKS DescribeClusterVersions; its `source` says when and from where.
 */
import { type EksVersionDates, readDataFile } from "../../data/aws";

export type { EksVersionDates };

const CALENDAR_DATA = readDataFile("calendar");

export const EKS_VERSION_CALENDAR: Readonly<Record<string, EksVersionDates>> = CALENDAR_DATA.versions;

/** Where the calendar comes from and when it was recorded. */
export const EKS_VERSION_CALENDAR_SOURCE = CALENDAR_DATA.source;

/**
 * What a cluster's `upgradePolicy.supportType` asks EKS for at the end of standard support (EKS API,
 * UpgradePolicyRequest): STANDARD is upgraded automatically to the next version; EXTENDED enters extended
 * support (at extra cost per cluster hour). EKS's own default is EXTENDED; this project's is STANDARD.
 */
export const SUPPORT_TYPES = ["STANDARD", "EXTENDED"] as const;
export type SupportType = (typeof SUPPORT_TYPES)[number];

export type SupportPhase =
  | { readonly phase: "standard" | "extended"; readonly until: string }
  | { readonly phase: "ended"; readonly since: string };

/** The support phase of a version on a date (YYYY-MM-DD), or undefined for a version the calendar lacks. */
export function supportPhase(version: string, date: string): SupportPhase | undefined {
  const dates = EKS_VERSION_CALENDAR[version];
  if (!dates) return undefined;
  if (date < dates.endOfStandardSupport) return { phase: "standard", until: dates.endOfStandardSupport };
  if (date < dates.endOfExtendedSupport) return { phase: "extended", until: dates.endOfExtendedSupport };
  return { phase: "ended", since: dates.endOfExtendedSupport };
}

/**
 * Whether EKS runs a version with this support type on this date without upgrading it at once: a STANDARD
 * cluster past standard support is upgraded by EKS ("If the cluster is set to STANDARD, it will be
 * automatically upgraded at the end of standard support", UpgradePolicyRequest), and extended support
 * cannot be turned off once entered (disable-extended-support.html); past extended support EKS upgrades
 * every cluster. Undefined when it does; else why not.
 */
export function supportProblem(version: string, supportType: SupportType, date: string): string | undefined {
  const phase = supportPhase(version, date);
  if (!phase) return `no support dates for Kubernetes ${version} (data/aws/eks-versions.json; npm run refresh)`;
  if (phase.phase === "ended")
    return `Kubernetes ${version} left extended support on ${phase.since}: EKS upgrades such clusters itself`;
  if (phase.phase === "extended" && supportType === "STANDARD") {
    return `Kubernetes ${version} left standard support on ${EKS_VERSION_CALENDAR[version].endOfStandardSupport}: with supportType STANDARD, EKS upgrades it at once (set supportType EXTENDED, at extra cost, or a newer version)`;
  }
  return undefined;
}

/** Whether a YYYY-MM-DD text is a day of the calendar (2026-02-30 is not). */
export function isCalendarDate(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  const day = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(day.getTime()) && day.toISOString().slice(0, 10) === text;
}

/** Whole days from one date to a later one (YYYY-MM-DD, UTC). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** How far ahead of a support deadline the render and `pulumi up` warn. */
export const SUPPORT_WARNING_DAYS = 60;

/**
 * The next day EKS changes what a cluster of this version and support type costs or runs, from a date: the end
 * of standard support (a STANDARD cluster is upgraded then; an EXTENDED one starts paying for extended
 * support), or the end of extended support (every cluster is upgraded). Undefined past both, or for a version
 * the calendar lacks.
 */
export function nextSupportDeadline(
  version: string,
  supportType: SupportType,
  date: string,
): { readonly on: string; readonly days: number; readonly then: string } | undefined {
  const dates = EKS_VERSION_CALENDAR[version];
  if (!dates) return undefined;
  if (date < dates.endOfStandardSupport) {
    return {
      on: dates.endOfStandardSupport,
      days: daysBetween(date, dates.endOfStandardSupport),
      then:
        supportType === "STANDARD"
          ? "standard support ends and EKS upgrades the control plane to the next version itself"
          : "standard support ends and extended support, at extra cost per cluster hour, begins",
    };
  }
  if (date < dates.endOfExtendedSupport) {
    return {
      on: dates.endOfExtendedSupport,
      days: daysBetween(date, dates.endOfExtendedSupport),
      then: "extended support ends and EKS upgrades the control plane itself",
    };
  }
  return undefined;
}

/** The warning for a deadline within SUPPORT_WARNING_DAYS, so a team upgrades on its own schedule; else undefined. */
export function supportDeadlineWarning(version: string, supportType: SupportType, date: string): string | undefined {
  const next = nextSupportDeadline(version, supportType, date);
  if (!next || next.days > SUPPORT_WARNING_DAYS) return undefined;
  return `Kubernetes ${version}: in ${next.days} day${next.days === 1 ? "" : "s"} (${next.on}) ${next.then}; upgrade before then, one minor at a time (rehearse it with npm run render -- --against <earlier render>)`;
}
