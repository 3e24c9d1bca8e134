/**
 * echoserver's answer, and what it proves about the path a request took: the NLB preserved the
 * client's own address (so it is outside the VPC).
 *
 * registry.k8s.io/echoserver:1.5 (nginx 1.13.0 with Lua) answers GET with a plain-text page:
 *
 *   Hostname: echo-6c9f7d8b5-abcde
 *
 *   Pod Information:
 *   	-no pod information available-
 *
 *   Server values:
 *   	server_version=nginx: 1.13.0 - lua: 10008
 *
 *   Request Information:
 *   	client_address=203.0.113.7
 *   	method=GET
 *   	...
 *
 *   Request Headers:
 *   	host=...
 *
 * as recorded in Pulumi's EKS tutorial with gcr.io/google-containers/echoserver:1.5
 * (pulumi/examples aws-ts-eks-migrate-nodegroups/echoserver.ts; the tutorial "EKS - Migrating Node Groups
 * with Zero Downtime" shows the page). echoserver 1.4 and older print "CLIENT VALUES:" with
 * `client_address=` at the start of a line and no Hostname line; the parser reads both.
 */
import { cidrContains, ipv4ToNumber, parseCidr } from "./ipv4";
import { type CheckId, type CheckResult, fail, pass } from "./result";

export const SOURCE_IP: CheckId = {
  id: "source-ip",
  title: "echo through its NLB sees the client's own address, outside the VPC",
};

export interface EchoAnswer {
  /** The pod that served it (echoserver's `Hostname:` line is the pod name). */
  readonly hostname?: string;
  readonly clientAddress?: string;
  /** Request headers, lower-case names. */
  readonly headers: Readonly<Record<string, string>>;
}

/** Reads one echoserver page. */
export function parseEchoAnswer(body: string): EchoAnswer {
  const hostname = /^Hostname:\s*(\S+)\s*$/m.exec(body)?.[1];
  const clientAddress = /^\s*client_address=(\S+)\s*$/m.exec(body)?.[1];
  const headers: Record<string, string> = {};
  const section =
    /^(?:Request Headers:|HEADERS RECEIVED:)\s*$([\s\S]*?)(?:^\S.*:\s*$|(?![\s\S]))/m.exec(body)?.[1] ?? "";
  for (const l of section.split("\n")) {
    const m = /^\s*([^=\s]+)=(.*)$/.exec(l);
    if (m) headers[m[1].toLowerCase()] = m[2].trim();
  }
  return { hostname, clientAddress, headers };
}

/** Every pod name a run of several echoserver pages names, in order (one `Hostname:` line per page). */
export function parseEchoHostnames(output: string): string[] {
  return [...output.matchAll(/^Hostname:\s*(\S+)\s*$/gm)].map((m) => m[1]);
}

export interface EchoProbe {
  readonly url: string;
  readonly status?: number;
  readonly body?: string;
  readonly error?: string;
}

/**
 * With IP targets and `preserve_client_ip.enabled=true` (apps/load-balancing.ts) the NLB hands the pod
 * the caller's own address; without it the pod would see the NLB's private address, inside the VPC.
 * https://docs.aws.amazon.com/elasticloadbalancing/latest/network/edit-target-group-attributes.html#client-ip-preservation
 */
export function checkSourceIp(probe: EchoProbe, vpcCidr: string): CheckResult {
  const cidr = parseCidr(vpcCidr);
  if (!cidr) return fail(SOURCE_IP, `stack output vpcCidr ${JSON.stringify(vpcCidr)} is not an IPv4 CIDR`);
  if (probe.error !== undefined) return fail(SOURCE_IP, `${probe.url}: ${probe.error}`);
  if (probe.status !== 200)
    return fail(SOURCE_IP, `${probe.url}: answered ${probe.status}, expected 200 from echoserver`);
  const answer = parseEchoAnswer(probe.body ?? "");
  const client = answer.clientAddress;
  const served = answer.hostname ? `, served by ${answer.hostname}` : "";
  if (client === undefined)
    return fail(SOURCE_IP, `${probe.url}: no client_address= line in the answer (${(probe.body ?? "").length} bytes)`);
  if (ipv4ToNumber(client) === undefined)
    return pass(
      SOURCE_IP,
      `${probe.url}: client_address=${client}, not IPv4, so outside the VPC's ${vpcCidr}${served}`,
    );
  return cidrContains(cidr, client)
    ? fail(
        SOURCE_IP,
        `${probe.url}: client_address=${client} is inside the VPC's ${vpcCidr}: the load balancer's address, not the client's${served}`,
      )
    : pass(SOURCE_IP, `${probe.url}: client_address=${client}, outside the VPC's ${vpcCidr}${served}`);
}
