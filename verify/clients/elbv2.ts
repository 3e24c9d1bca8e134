/** Elastic Load Balancing v2: the health of each target group's targets. Credentials from the SDK's default chain. */
import {
  DescribeTargetHealthCommand,
  ElasticLoadBalancingV2Client,
  type TargetHealthDescription,
} from "@aws-sdk/client-elastic-load-balancing-v2";

export interface TargetHealthApi {
  describeTargetHealth(targetGroupArn: string): Promise<TargetHealthDescription[]>;
}

/** The region in an ARN (arn:partition:service:region:account:resource), so a target group is asked where it lives. */
export function arnRegion(arn: string): string | undefined {
  const region = arn.split(":")[3];
  return region ? region : undefined;
}

/** `region` is the stack's; a target group's own ARN names its region and wins. */
export function createTargetHealthApi(region: string | undefined): TargetHealthApi {
  const clients = new Map<string, ElasticLoadBalancingV2Client>();
  const client = (r: string | undefined): ElasticLoadBalancingV2Client => {
    const key = r ?? "";
    let c = clients.get(key);
    if (!c) {
      c = new ElasticLoadBalancingV2Client(r ? { region: r } : {});
      clients.set(key, c);
    }
    return c;
  };
  return {
    async describeTargetHealth(targetGroupArn) {
      const answer = await client(arnRegion(targetGroupArn) ?? region).send(
        new DescribeTargetHealthCommand({ TargetGroupArn: targetGroupArn }),
      );
      return answer.TargetHealthDescriptions ?? [];
    },
  };
}
