import * as command from "@pulumi/command";
import * as pulumi from "@pulumi/pulumi";
import { assumeRoleFlags, type CommandCredentials } from "../iam/assume-role-chain";
import { commandEnvironment } from "../iam/command-environment";
import { COMPONENTS } from "../resource-types";

/** How long the delete-time check waits for ExternalDNS before it fails (several of its 1-minute intervals). */
export const RECORDS_GONE_TIMEOUT_SECONDS = 300;

export interface DnsRecordCleanupArgs {
  /** The hosted zone ExternalDNS writes to. */
  readonly hostedZoneId: string;
  /** ExternalDNS's TXT owner id: its ownership records carry it. */
  readonly txtOwnerId: string;
  /** Region and credentials for the Route 53 calls: the program's own. */
  readonly region: string;
  /**
   * The AWS provider's credentials settings (aws:profile, aws:assumeRoles): a command's process gets the
   * CLI's environment and nothing of the provider's configuration (pulumi-command 1.2.1
   * commandOutputs.go L81-86 @ 7f3eb6f3), so they are handed to it here.
   */
  readonly credentials: CommandCredentials;
  /** The ExternalDNS release: it outlives this check on destroy. */
  readonly externalDns: pulumi.Resource;
  /**
   * What ExternalDNS needs to keep working while the check waits: cluster DNS (CoreDNS), so a rerun
   * of `pulumi destroy` (or --continue-on-error) still finds it running.
   */
  readonly keepsRunning: readonly pulumi.Resource[];
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
    super(COMPONENTS.dnsRecordCleanup, name, {}, opts);
    this.ready = new command.local.Command(
      `${name}-records-gone`,
      {
        // Relative to the project directory, where `pulumi destroy` runs the program and its commands.
        delete: recordsGoneCommand(args),
        environment: environmentOf(args),
      },
      { parent: this, dependsOn: [args.externalDns, ...args.keepsRunning] },
    );
    this.registerOutputs({});
  }
}

/** The command's environment: region, profile, and the roles' external ids as a secret (never on the command line). */
export function environmentOf(
  args: Pick<DnsRecordCleanupArgs, "region" | "credentials">,
): Record<string, pulumi.Input<string>> {
  return commandEnvironment(args);
}

/** The delete-time command line (pure, for the tests): the zone and the owner only, so an app change never replaces it. */
export function recordsGoneCommand(
  args: Pick<DnsRecordCleanupArgs, "hostedZoneId" | "txtOwnerId" | "credentials">,
): string {
  return [
    "node --import tsx components/external-dns/records-gone.ts",
    `--zone ${args.hostedZoneId}`,
    `--owner ${args.txtOwnerId}`,
    `--timeout ${RECORDS_GONE_TIMEOUT_SECONDS}`,
    ...assumeRoleFlags(args.credentials.assumeRoles),
  ].join(" ");
}
