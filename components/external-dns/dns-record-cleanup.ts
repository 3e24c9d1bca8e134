import * as command from "@pulumi/command";
import * as pulumi from "@pulumi/pulumi";

/** How long the delete-time check waits for ExternalDNS before it fails (several of its 1-minute intervals). */
export const RECORDS_GONE_TIMEOUT_SECONDS = 300;

export interface DnsRecordCleanupArgs {
  /** The hosted zone ExternalDNS writes to. */
  readonly hostedZoneId: string;
  /** ExternalDNS's TXT owner id: its ownership records carry it. */
  readonly txtOwnerId: string;
  /** Region and credentials for the Route 53 calls: the program's own. */
  readonly region: string;
  /** The ExternalDNS release: it outlives this check on destroy. */
  readonly externalDns: pulumi.Resource;
}

/**
 * Keeps ExternalDNS running until our DNS records are gone. Every object carrying a hostname depends on
 * this, and this depends on ExternalDNS's release, so Pulumi deletes in this order: hostname objects,
 * then this (whose delete waits until Route 53 holds no record ExternalDNS owns: records-gone.ts), then
 * ExternalDNS. Creating it does nothing.
 */
export class DnsRecordCleanup extends pulumi.ComponentResource {
  /** What hostname objects depend on. */
  public readonly ready: pulumi.Resource;

  constructor(name: string, args: DnsRecordCleanupArgs, opts?: pulumi.ComponentResourceOptions) {
    super("eks-platform:platform:DnsRecordCleanup", name, {}, opts);
    this.ready = new command.local.Command(
      `${name}-records-gone`,
      {
        // Relative to the project directory, where `pulumi destroy` runs the program and its commands.
        delete: recordsGoneCommand(args),
        environment: { AWS_REGION: args.region },
      },
      { parent: this, dependsOn: [args.externalDns] },
    );
    this.registerOutputs({});
  }
}

/** The delete-time command line (pure, for the tests): the zone and the owner only, so an app change never replaces it. */
export function recordsGoneCommand(args: Pick<DnsRecordCleanupArgs, "hostedZoneId" | "txtOwnerId">): string {
  return [
    "node --import tsx components/external-dns/records-gone.ts",
    `--zone ${args.hostedZoneId}`,
    `--owner ${args.txtOwnerId}`,
    `--timeout ${RECORDS_GONE_TIMEOUT_SECONDS}`,
  ].join(" ");
}
