/**
 * Configurations more than one test file runs. The harness keeps one run per configuration, and the suite's
 * time is mostly runs, so tests that each need one choice made against the defaults share one run that
 * makes them all.
 */

/** A team's choices against the logging and load-balancer defaults: fewer log types, a year's retention, protected load balancers. */
export const TEAM_CHOICES = { controlPlaneLogTypes: '["api","audit"]', controlPlaneLogRetentionDays: "365", loadBalancerDeletionProtection: "true" } as const;
