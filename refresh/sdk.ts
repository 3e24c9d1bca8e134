/** The refresh's calls (refresh/collect.ts `AwsCalls`) made with the AWS SDK's clients and the caller's credentials. */
import {
  DescribeAvailabilityZonesCommand,
  DescribeInstanceTypesCommand,
  DescribeRegionsCommand,
  EC2Client,
} from "@aws-sdk/client-ec2";
import { DescribeAddonVersionsCommand, DescribeClusterVersionsCommand, EKSClient } from "@aws-sdk/client-eks";
import { GetParametersByPathCommand, SSMClient } from "@aws-sdk/client-ssm";
import type { AwsCalls } from "./collect";

export function sdkCalls(region: string): AwsCalls {
  const eks = new EKSClient({ region });
  const ssm = new SSMClient({ region });
  const ec2 = new Map<string, EC2Client>();
  const ec2In = (name: string): EC2Client => {
    const client = ec2.get(name) ?? new EC2Client({ region: name });
    ec2.set(name, client);
    return client;
  };
  return {
    describeClusterVersions: (input) => eks.send(new DescribeClusterVersionsCommand(input)),
    describeAddonVersions: (input) => eks.send(new DescribeAddonVersionsCommand(input)),
    getParametersByPath: (input) => ssm.send(new GetParametersByPathCommand(input)),
    describeRegions: (input) => ec2In(region).send(new DescribeRegionsCommand(input)),
    describeAvailabilityZones: (name, input) => ec2In(name).send(new DescribeAvailabilityZonesCommand(input)),
    describeInstanceTypes: (name, input) => ec2In(name).send(new DescribeInstanceTypesCommand(input)),
  };
}
