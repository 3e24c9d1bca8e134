import type * as pulumi from "@pulumi/pulumi";
import { type ControllerContext, ControllerRelease } from "../controller-release/controller-release";
import { COMPONENTS } from "../resource-types";
import { externalDnsPolicy } from "./iam-policy";
import {
  EXTERNAL_DNS_CHART,
  EXTERNAL_DNS_NAMESPACE,
  EXTERNAL_DNS_RELEASE,
  EXTERNAL_DNS_SERVICE_ACCOUNT,
  externalDnsValues,
} from "./values";

export interface ExternalDnsArgs extends ControllerContext {
  /** The public hosted zone ExternalDNS may write to, and only that one. */
  readonly domain: string;
  /** The public Route 53 hosted zone of the domain. */
  readonly hostedZoneId: string;
  /** Owner of its records: unique per stack. */
  readonly txtOwnerId: string;
}

/** ExternalDNS from its official chart, pinned, publishing Service and Ingress hostnames into one zone. */
export class ExternalDns extends ControllerRelease {
  constructor(name: string, args: ExternalDnsArgs, opts?: pulumi.ComponentResourceOptions) {
    super(
      COMPONENTS.externalDns,
      name,
      {
        ...args,
        chart: EXTERNAL_DNS_CHART,
        releaseName: EXTERNAL_DNS_RELEASE,
        namespace: EXTERNAL_DNS_NAMESPACE,
        serviceAccount: EXTERNAL_DNS_SERVICE_ACCOUNT,
        policy: externalDnsPolicy(args.partition, args.hostedZoneId, args.domain),
        values: externalDnsValues({
          domain: args.domain,
          hostedZoneId: args.hostedZoneId,
          region: args.region,
          txtOwnerId: args.txtOwnerId,
        }),
        timeoutSeconds: 300,
      },
      opts,
    );
  }
}
