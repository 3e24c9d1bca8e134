import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { COMPONENTS } from "../resource-types";

/** How long ACM may take to validate before `pulumi up` fails (bounded: the provider's default is 75 minutes). */
export const CERTIFICATE_VALIDATION_TIMEOUT = "20m";

/** What to check when validation does not finish: shown on the validation resource while it waits. */
export function validationHint(domain: string, nameServers: readonly string[]): string {
  return (
    `ACM validates ${domain} through its public DNS: if this waits more than a few minutes (it fails after ${CERTIFICATE_VALIDATION_TIMEOUT}), ` +
    `check that ${domain}'s parent delegates to this hosted zone${nameServers.length > 0 ? ` (NS ${nameServers.join(", ")})` : ""}: dig +short NS ${domain}`
  );
}

/** Names the certificate covers: the apex and its wildcard. */
export function certificateNames(domain: string): { domainName: string; subjectAlternativeNames: string[] } {
  return { domainName: domain, subjectAlternativeNames: [`*.${domain}`] };
}

/**
 * The distinct DNS validation records ACM will ask for. `*.example.com` and `example.com` share one
 * record, so this is one name per domain once the wildcard is stripped; creating it twice would fail.
 */
export function validationRecordBases(names: readonly string[]): string[] {
  return [...new Set(names.map((n) => n.replace(/^\*\./, "")))];
}

export interface CertificateArgs {
  /** The apex domain; the certificate also covers `*.<domain>`. */
  readonly domain: string;
  /** Public hosted zone of the domain, where the validation record goes. */
  readonly hostedZoneId: string;
  /** The zone's name servers, named in the message shown while validation waits (what the parent must delegate to). */
  readonly nameServers: readonly string[];
  /** Tags for every AWS resource it makes (default: none). */
  readonly tags?: Readonly<Record<string, string>>;
}

/**
 * An ACM certificate for the domain and its wildcard, validated through Route 53. Nothing here waits
 * for the cluster: it is issued while the cluster is being created.
 */
export class Certificate extends pulumi.ComponentResource {
  /** The ARN once ACM has issued the certificate: a listener using it cannot be created earlier. */
  public readonly certificateArn: pulumi.Output<string>;

  constructor(name: string, args: CertificateArgs, opts?: pulumi.ComponentResourceOptions) {
    super(COMPONENTS.certificate, name, {}, opts);
    const names = certificateNames(args.domain);
    const certificate = new aws.acm.Certificate(
      `${name}-cert`,
      { ...names, validationMethod: "DNS", keyAlgorithm: "EC_prime256v1", tags: args.tags },
      { parent: this },
    );
    const records = validationRecordBases([names.domainName, ...names.subjectAlternativeNames]).map((base, i) => {
      const option = certificate.domainValidationOptions.apply((options) => {
        const found = options.find((o) => o.domainName.replace(/^\*\./, "") === base);
        if (!found) throw new Error(`ACM returned no validation option for ${base}`);
        return found;
      });
      return new aws.route53.Record(
        `${name}-validation-${i}`,
        {
          zoneId: args.hostedZoneId,
          name: option.resourceRecordName,
          type: option.resourceRecordType,
          records: [option.resourceRecordValue],
          ttl: 60,
          // ACM reuses the record across certificates for the same name: take it over rather than fail.
          allowOverwrite: true,
        },
        { parent: this },
      );
    });
    const validation = new aws.acm.CertificateValidation(
      `${name}-validation`,
      { certificateArn: certificate.arn, validationRecordFqdns: records.map((r) => r.fqdn) },
      // ACM validates within minutes once the zone answers publicly; the provider would wait 75 minutes
      // (terraform-provider-aws acm/certificate_validation.go, DefaultTimeout 75m) before failing.
      { parent: this, customTimeouts: { create: CERTIFICATE_VALIDATION_TIMEOUT } },
    );
    // The one cause of a timeout the user can fix: a zone its parent does not delegate to. Said only where
    // something waits: an update run by the engine, not a preview, and not the mocks of the offline render
    // (@pulumi/pulumi log/index.js prints to the console when there is no engine).
    if (pulumi.runtime.hasEngine() && !pulumi.runtime.isDryRun())
      pulumi.log.info(validationHint(args.domain, args.nameServers), validation);
    this.certificateArn = validation.certificateArn;
    this.registerOutputs({ certificateArn: this.certificateArn });
  }
}
