/**
 * What AWS answers, offline: the provider functions (invokes) the program calls, answered from data with
 * sources in data/aws/ (zones per region, amazon-eks-ami releases) and the offline instance table
 * (data/instance-types/), and the values the cloud computes for a new resource. A call or value nothing
 * here answers is a NoOfflineAnswer naming it, never a guess.
 */
import { Region as AwsRegion } from "@pulumi/aws/types/enums";
import * as pulumi from "@pulumi/pulumi";
import { AWS, AWS_INVOKES, KUBERNETES, PULUMI_EKS } from "../../components/resource-types";
import { nearestNames, oneOf } from "../../config/nearest";
import { readDataFile } from "../../data/aws";
import { offlineGetInstanceType } from "../../data/instance-types";

/** The pinned @pulumi/aws's version, for the region list's provenance. */
const AWS_PROVIDER_VERSION = (require("@pulumi/aws/package.json") as { version: string }).version;

/** Standard zones per region, with one account's zone IDs (data/aws/availability-zones.json, with its source). */
const regionZones = readDataFile("zones").regions;
/** amazon-eks-ami AL2023 releases, the Kubernetes minors each ships images for, and the variants per architecture (data/aws/node-images.json). */
const nodeImageData = readDataFile("nodeImages");

/** An error AWS itself would answer (not a missing answer); the SDK reads an invoke error's `details`. */
class AwsError extends Error {
  readonly details: string;
  constructor(message: string) {
    super(message);
    this.details = message;
  }
}

/** Raised for a call or value the offline answers do not cover: names what is missing. */
export class NoOfflineAnswer extends AwsError {}

/** The account every mocked call answers for. */
export const MOCK_ACCOUNT_ID = "123456789012";
/** The deployer the mocked calls answer for by default: an IAM user. */
export const MOCK_DEPLOYER_ARN = `arn:aws:iam::${MOCK_ACCOUNT_ID}:user/deployer`;
/** IAM paths of roles a mocked session may come from (SSO roles have one). */
const MOCK_ROLE_PATHS: Record<string, string> = {
  AWSReservedSSO_Admin_0123456789abcdef: "aws-reserved/sso.amazonaws.com/",
};

function currentRegion(): string {
  const region = new pulumi.Config("aws").get("region");
  if (!region) throw new NoOfflineAnswer("aws:region is not set");
  if (!regionZones[region]) throw new NoOfflineAnswer(unknownRegion(region));
  return region;
}

/**
 * Every AWS region, of every partition, as the pinned AWS provider names them: @pulumi/aws's Region enum
 * (node_modules/@pulumi/aws/types/enums/index.d.ts, "any valid Amazon region that may be targeted"), the
 * provider that aws:region configures.
 */
export const AWS_REGIONS: readonly string[] = Object.values(AwsRegion).sort();

/** Partitions other than aws, by their regions' prefixes (China, GovCloud, the ISO and European sovereign clouds). */
const OTHER_PARTITION = /^(cn-|us-gov-|us-iso|eu-iso|eusc-)/;

/**
 * Why the offline answers have no zones for a region: not an AWS region at all (with the nearest names),
 * another partition's, or a real one the offline data lacks. `known`: the regions the data has zones for.
 */
export function unknownRegion(region: string, known: readonly string[] = Object.keys(regionZones).sort()): string {
  if (!AWS_REGIONS.includes(region)) {
    const near = nearestNames(region, AWS_REGIONS);
    return `aws:region ${JSON.stringify(region)} is not an AWS region: not one of the ${AWS_REGIONS.length} regions @pulumi/aws ${AWS_PROVIDER_VERSION} names (its Region enum)${near.length > 0 ? `; did you mean ${oneOf(near)}?` : "; a region is named like ap-northeast-2"}`;
  }
  if (OTHER_PARTITION.test(region)) {
    return `aws:region ${region} is in another partition than aws: the offline render answers for the ${known.length} regions of data/aws/availability-zones.json (${known.join(", ")}); pulumi up reads the account's own zones`;
  }
  return `no offline zones for aws:region ${region}, an AWS region the offline data lacks: data/aws/availability-zones.json has zones for ${known.length} regions (${known.join(", ")}); npm run refresh adds the regions the account sees`;
}

/** A provider function's offline answer. */
export type CallAnswer = (inputs: Record<string, unknown>) => Record<string, unknown>;

/**
 * The EKS cluster as it stands before the run, for a run that stands for a later `pulumi up`: its creator
 * (whose access entry EKS made) and the principals holding entries an earlier run made (tagged as ours).
 * Absent: the cluster does not exist yet (a first `pulumi up`).
 */
export interface ExistingCluster {
  readonly creatorArn: string;
  readonly adminEntries: readonly string[];
}

/** The tag the program puts on its access entries (components/cluster/cluster.ts ADMIN_ACCESS_ENTRY_TAG). */
const OUR_ACCESS_ENTRY_TAGS = { "eks-platform/access-entry": "admin" };

/** Answers for provider functions (invokes), keyed by token, for a deploy run by `callerArn`. */
export function awsCalls(callerArn: string, existing?: ExistingCluster): Readonly<Record<string, CallAnswer>> {
  return {
    // EKS answers a cluster that does not exist with ResourceNotFoundException.
    [AWS_INVOKES.getCluster]: (inputs) => {
      if (!existing)
        throw new AwsError(`ResourceNotFoundException: No cluster found for name: ${String(inputs.name)}.`);
      return { id: String(inputs.name), name: String(inputs.name) };
    },
    [AWS_INVOKES.getAccessEntry]: (inputs) => {
      const principal = String(inputs.principalArn);
      if (existing && principal === existing.creatorArn) return { id: principal, principalArn: principal, tags: {} };
      if (existing?.adminEntries.includes(principal))
        return { id: principal, principalArn: principal, tags: OUR_ACCESS_ENTRY_TAGS };
      throw new AwsError(`ResourceNotFoundException: The specified principalArn could not be found (${principal}).`);
    },
    [AWS_INVOKES.getAvailabilityZones]: () => {
      const region = currentRegion();
      const zones = regionZones[region];
      return { id: region, names: zones.map((z) => z.name), zoneIds: zones.map((z) => z.id) };
    },
    // Every type AWS offers, from the generated offline table (data/instance-types/). EC2 answers an
    // unknown type with an error too; the program reports it as bad configuration, with this reason.
    [AWS_INVOKES.getInstanceType]: (inputs) => {
      const name = String(inputs.instanceType);
      const result = offlineGetInstanceType(name);
      if ("error" in result) throw new AwsError(result.error);
      return { ...result.answer, id: name };
    },
    // The partition the caller's ARN is in: a GovCloud or China account answers its own.
    [AWS_INVOKES.getPartition]: () => {
      const partition = callerArn.split(":")[1] || "aws";
      const china = partition === "aws-cn";
      return {
        id: partition,
        partition,
        dnsSuffix: china ? "amazonaws.com.cn" : "amazonaws.com",
        reverseDnsPrefix: china ? "cn.com.amazonaws" : "com.amazonaws",
      };
    },
    [AWS_INVOKES.getCallerIdentity]: () => ({
      id: MOCK_ACCOUNT_ID,
      accountId: MOCK_ACCOUNT_ID,
      arn: callerArn,
      userId: "AIDAEXAMPLEDEPLOYER",
    }),
    // IAM's answer for an assumed-role session: the role it came from, with the path the session ARN lacks.
    [AWS_INVOKES.getSessionContext]: (inputs) => {
      const match = /^arn:(aws[a-z-]*):sts::(\d{12}):assumed-role\/([^/]+)\/(.+)$/.exec(String(inputs.arn));
      if (!match) throw new AwsError(`not an assumed-role session ARN: ${String(inputs.arn)}`);
      const [, partition, account, role, session] = match;
      const issuerArn = `arn:${partition}:iam::${account}:role/${MOCK_ROLE_PATHS[role] ?? ""}${role}`;
      return {
        id: String(inputs.arn),
        arn: String(inputs.arn),
        issuerArn,
        issuerId: "AROAEXAMPLE",
        issuerName: role,
        sessionName: session,
      };
    },
    // EKS-optimized AL2023 images by exact name: known releases only, with a stable placeholder id.
    [AWS_INVOKES.getAmi]: (inputs) => {
      const filters = (inputs.filters ?? []) as Array<{ name: string; values: string[] }>;
      const name = filters.find((f) => f.name === "name")?.values[0] ?? "";
      const match = /^amazon-eks-node-al2023-(x86_64|arm64)-([a-z]+)-(1\.\d+)-(v\d{8})$/.exec(name);
      if (
        !match ||
        !(nodeImageData.variants[match[1]] ?? []).includes(match[2]) ||
        !(nodeImageData.releases[match[4]] ?? []).includes(match[3])
      ) {
        // Said as what it is: the offline data's gap, not EC2's answer (EC2 is not asked offline).
        throw new AwsError(
          `the offline node image data (data/aws/node-images.json) has no ${name}; npm run refresh adds the newest amazon-eks-ami releases from AWS`,
        );
      }
      // Not hexadecimal, so it cannot pass for a real image id: EC2 answers the real one at pulumi up.
      const id = `ami-placeholder-${stableHash(`${currentRegion()}/${name}`).slice(0, 8)}`;
      return { id, imageId: id, name, architecture: match[1], ownerId: "602401143452" };
    },
    [AWS_INVOKES.getRegion]: () => {
      const region = currentRegion();
      return { id: region, name: region, region, endpoint: `ec2.${region}.amazonaws.com` };
    },
    [AWS_INVOKES.getZone]: (inputs) => {
      const name = String(inputs.name).replace(/\.$/, "");
      // .invalid is reserved (RFC 2606): no account can hold a zone for it, so it stands for "no such zone".
      if (name.endsWith(".invalid")) throw new AwsError(`no matching Route 53 Hosted Zone found for ${name}`);
      // Any configured domain has a public hosted zone: its id is derived from the name, stable across runs.
      const zoneId = `Z${stableHash(name).toUpperCase().slice(0, 20)}`;
      return {
        id: zoneId,
        zoneId,
        name,
        arn: `arn:aws:route53:::hostedzone/${zoneId}`,
        privateZone: false,
        nameServers: [`ns-1.awsdns-01.org`],
      };
    },
  };
}

/** The principal EKS records as the cluster's creator: a user or role ARN; for a session, its role (with path). */
export function deployerPrincipal(arn: string): string {
  const session = /^arn:(aws[a-z-]*):sts::(\d{12}):assumed-role\/([^/]+)\//.exec(arn);
  return session ? `arn:${session[1]}:iam::${session[2]}:role/${MOCK_ROLE_PATHS[session[3]] ?? ""}${session[3]}` : arn;
}

function stableHash(text: string): string {
  let h = 2166136261;
  for (const ch of text) {
    h = Math.imul(h ^ ch.charCodeAt(0), 16777619) >>> 0;
  }
  return h.toString(36).padStart(7, "0").repeat(3);
}

/**
 * A resource's state as the engine hands it back: its inputs and what the cloud computes on top, except for
 * components whose outputs are not their inputs. A kubernetes:yaml/v2:ConfigGroup outputs only `resources`
 * (@pulumi/kubernetes 4.34.2 yaml/v2/configGroup.js: every input, then `resources` as the one output), and
 * echoing its `objs` (the controller's CRDs, 125 kB) through the mock monitor was a tenth of every run.
 */
export function mockState(type: string, name: string, inputs: Record<string, unknown>): Record<string, unknown> {
  if (type === KUBERNETES.configGroup) return { resources: [] };
  return { ...inputs, ...computedState(type, name, inputs) };
}

/** Outputs the cloud would compute, per resource type, on top of the inputs. */
function computedState(type: string, name: string, inputs: Record<string, unknown>): Record<string, unknown> {
  const arn = `arn:aws:mock:${MOCK_ACCOUNT_ID}:${type.split(":").pop()}/${name}`;
  switch (type) {
    case PULUMI_EKS.cluster:
      return {
        // The aws.eks.Cluster inside, as far as the program reads it (what a node needs to join).
        eksCluster: {
          name: inputs.name ?? name,
          endpoint: "https://MOCK0123456789ABCDEF.gr7.eks.amazonaws.com",
          certificateAuthority: { data: Buffer.from("mock cluster CA").toString("base64") },
          kubernetesNetworkConfig: { ipFamily: "ipv4", serviceIpv4Cidr: "172.20.0.0/16" },
          vpcConfig: { clusterSecurityGroupId: "sg-0123456789cluster" },
          version: inputs.version,
        },
        kubeconfigJson: JSON.stringify({
          apiVersion: "v1",
          kind: "Config",
          clusters: [{ name, cluster: { server: "https://mock.eks.amazonaws.com" } }],
        }),
      };
    case AWS.launchTemplate:
      return { arn, latestVersion: 1, defaultVersion: 1 };
    case AWS.acmCertificate: {
      const domains = [
        inputs.domainName,
        ...((inputs.subjectAlternativeNames as string[] | undefined) ?? []),
      ] as string[];
      // ACM gives the apex and its wildcard the same validation record.
      const options = [...new Set(domains.map((d) => d.replace(/^\*\./, "")))].flatMap((base) =>
        domains
          .filter((d) => d.replace(/^\*\./, "") === base)
          .map((d) => ({
            domainName: d,
            resourceRecordName: `_x1.${base}.`,
            resourceRecordType: "CNAME",
            resourceRecordValue: `_x2.acm-validations.aws.`,
          })),
      );
      return { arn, domainValidationOptions: options };
    }
    default:
      // An AWS resource's ARN, and its name (the provider's auto-name when the inputs give none). Other
      // providers' objects (Kubernetes, commands) compute neither.
      return type.startsWith("aws:") ? { arn, name: inputs.name ?? name } : {};
  }
}
