/**
 * The delete-time check that ExternalDNS has removed our records before it is removed itself: ExternalDNS
 * makes no last sync when it stops, so records of objects deleted just before it would stay in the zone. It
 * waits, bounded, until Route 53 holds no record ExternalDNS owns for this stack (docs/teardown.md says why).
 *
 * Usage: node --import tsx components/external-dns/records-gone.ts --zone Z123 --owner <txt owner id>
 *          [--timeout 300] [--interval 5]
 */
import { parseArgs } from "node:util";
import type { RRType } from "@aws-sdk/client-route-53";
import { type AssumedRole, assumeRoleChain, EXTERNAL_IDS_ENV, parseAssumeRoles } from "../iam/assume-role-chain";
import { pollAttempts, runAsScript, wholeSeconds } from "../iam/command-script";

export { type AssumedRole, EXTERNAL_IDS_ENV, externalIdsEnv } from "../iam/assume-role-chain";

/** A Route 53 record set, as ListResourceRecordSets returns it (the fields read here). */
export interface RecordSet {
  readonly Name?: string;
  readonly Type?: string;
  readonly ResourceRecords?: ReadonlyArray<{ readonly Value?: string }>;
}

/**
 * What ExternalDNS still owns in the zone: its TXT ownership records carrying our owner id (under
 * whatever name the registry's prefix scheme gives them), each standing for a record of ours.
 */
export function remainingRecords(recordSets: readonly RecordSet[], ownerId: string): string[] {
  const ownerMark = `external-dns/owner=${ownerId},`;
  return recordSets
    .filter(
      (set) =>
        set.Type === "TXT" &&
        (set.ResourceRecords ?? []).some((r) => (r.Value ?? "").replace(/"/g, "").concat(",").includes(ownerMark)),
    )
    .map((set) => `TXT ${(set.Name ?? "").toLowerCase().replace(/\.$/, "")}`)
    .sort();
}

/** Polls until nothing of ours remains or the deadline passes; every wait is bounded. */
export async function waitUntilGone(args: {
  listRecordSets: () => Promise<readonly RecordSet[]>;
  ownerId: string;
  timeoutSeconds: number;
  intervalSeconds: number;
  sleep: (ms: number) => Promise<void>;
  log: (line: string) => void;
}): Promise<{ gone: boolean; remaining: string[] }> {
  const attempts = pollAttempts(args.timeoutSeconds, args.intervalSeconds);
  let remaining: string[] = [];
  for (let attempt = 0; attempt < attempts; attempt++) {
    remaining = remainingRecords(await args.listRecordSets(), args.ownerId);
    if (remaining.length === 0) return { gone: true, remaining };
    args.log(
      `waiting for ExternalDNS to delete the records behind ${remaining.length} ownership record(s): ${remaining.join(", ")}`,
    );
    if (attempt < attempts - 1) await args.sleep(args.intervalSeconds * 1000);
  }
  return { gone: false, remaining };
}

/** The script's command line, as `main` reads it: what the delete-time command must pass. */
export interface RecordsGoneOptions {
  readonly zone: string;
  readonly owner: string;
  readonly timeoutSeconds: number;
  readonly intervalSeconds: number;
  /** Roles to assume in turn from the ambient credentials (the program's aws:assumeRoles), none by default. */
  readonly assumeRoles: readonly AssumedRole[];
}

export const RECORDS_GONE_USAGE = `usage: records-gone.ts --zone <hosted zone id> --owner <txt owner id> [--timeout s] [--interval s] [--assume-role <role arn> ...] (external ids in $${EXTERNAL_IDS_ENV}, JSON by role ARN)`;

/** Parses the command line (and the external ids from the environment); throws naming what is wrong (an unknown flag, a missing or malformed value). */
export function parseRecordsGoneArgs(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>> = {},
): RecordsGoneOptions {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      zone: { type: "string" },
      owner: { type: "string" },
      timeout: { type: "string", default: "300" },
      interval: { type: "string", default: "5" },
      "assume-role": { type: "string", multiple: true, default: [] },
    },
    strict: true,
    allowPositionals: false,
  });
  const assumeRoles = parseAssumeRoles(values["assume-role"] ?? [], env);
  if (!values.zone || !values.owner) throw new Error(RECORDS_GONE_USAGE);
  return {
    zone: values.zone,
    owner: values.owner,
    timeoutSeconds: wholeSeconds("timeout", values.timeout),
    intervalSeconds: wholeSeconds("interval", values.interval),
    assumeRoles,
  };
}

async function main(argv: readonly string[]): Promise<number> {
  let options: RecordsGoneOptions;
  try {
    options = parseRecordsGoneArgs(argv, process.env);
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n${RECORDS_GONE_USAGE}\n`);
    return 2;
  }
  const { Route53Client, ListResourceRecordSetsCommand } = await import("@aws-sdk/client-route-53");
  // The program's own credentials: the ambient ones (AWS_PROFILE from aws:profile is in the environment),
  // then each role of aws:assumeRoles in turn, as the AWS provider does.
  const credentials = await assumeRoleChain(options.assumeRoles, "eks-platform-records-gone");
  const client = new Route53Client(credentials ? { credentials } : {});
  const zoneId = options.zone;
  // Route 53 pages record sets by the next name and type (no SDK paginator for this call).
  const listRecordSets = async (): Promise<RecordSet[]> => {
    const sets: RecordSet[] = [];
    let next: { StartRecordName?: string; StartRecordType?: RRType; StartRecordIdentifier?: string } = {};
    for (;;) {
      const page = await client.send(new ListResourceRecordSetsCommand({ HostedZoneId: zoneId, ...next }));
      sets.push(...(page.ResourceRecordSets ?? []));
      if (!page.IsTruncated) return sets;
      next = {
        StartRecordName: page.NextRecordName,
        StartRecordType: page.NextRecordType,
        StartRecordIdentifier: page.NextRecordIdentifier,
      };
    }
  };
  const result = await waitUntilGone({
    listRecordSets,
    ownerId: options.owner,
    timeoutSeconds: options.timeoutSeconds,
    intervalSeconds: options.intervalSeconds,
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    log: (line) => process.stderr.write(`${line}\n`),
  });
  if (result.gone) return 0;
  process.stderr.write(
    `ExternalDNS did not delete its records of hosted zone ${zoneId} within ${options.timeoutSeconds} s (ownership records left: ${result.remaining.join(", ")}).\n` +
      "Check its logs (kubectl -n kube-system logs deploy/external-dns) and that its Pod Identity role may change the zone; " +
      "then run `pulumi destroy` again, or delete the records by hand (aws route53 change-resource-record-sets).\n",
  );
  return 1;
}

runAsScript(module, "records-gone", main);
