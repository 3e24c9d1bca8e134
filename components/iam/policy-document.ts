/**
 * The shape of an IAM policy document, as plain JSON: what every IAM policy, trust policy and key policy of the
 * program is written as (IAM JSON policy reference, https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements.html).
 */

export interface PolicyStatement {
  readonly Sid?: string;
  readonly Effect: "Allow" | "Deny";
  readonly Principal?: Readonly<Record<string, string | readonly string[]>>;
  readonly Action: string | readonly string[];
  readonly Resource?: string | readonly string[];
  readonly Condition?: Readonly<Record<string, Readonly<Record<string, string | readonly string[]>>>>;
}

export interface PolicyDocument {
  readonly Version: "2012-10-17";
  readonly Statement: readonly PolicyStatement[];
}
